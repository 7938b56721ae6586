"""Wagtail's page view, routed from the edition's home page in two queries."""

from __future__ import annotations

from django.http import Http404
from wagtail import views as wagtail_views
from wagtail.models import Site

from home.models import HomePage
from home.routing import edition_home


def serve(request, path: str):
    """Wagtail's page view, routed from the edition's home page."""
    if not hasattr(request, "_wagtail_route_for_request"):
        site = Site.find_for_request(request)
        home = edition_home(site, HomePage) if site is not None else None
        if home is not None:
            try:
                request._wagtail_route_for_request = home.route(
                    request, [component for component in path.split("/") if component]
                )
            except Http404:
                request._wagtail_route_for_request = None
        # Otherwise (a site whose root is another page type) Wagtail routes it.
    return wagtail_views.serve(request, path)
