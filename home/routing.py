"""Route a URL to its page in two queries instead of two per path segment."""

from __future__ import annotations

from django.http import Http404
from wagtail.models import Page


class FastRoutingMixin:
    """For the site root: find the deepest page matching the URL by its url_path.

    Wagtail's default routing fetches each path segment's child and then its
    specific object: ten queries for /insights/topics/<slug>/. The page's
    url_path already spells its URL, so one query finds the deepest page whose
    url_path prefixes the request and that page routes the rest (routable
    pages' sub-routes, or a 404). As in Wagtail, only the final page must be live.
    """

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        candidates = [
            self.url_path + "/".join(path_components[:length]) + "/"
            for length in range(1, len(path_components) + 1)
        ]
        found = list(
            Page.objects.filter(url_path__in=candidates, path__startswith=self.path).order_by(
                "depth"
            )
        )
        if not found:
            raise Http404
        deepest = found[-1].specific
        # The pages above it are its ancestors: breadcrumbs reuse them.
        deepest._focus_route_ancestors = [self, *found[:-1]]
        deepest._cached_parent_obj = found[-2] if len(found) > 1 else self
        remaining = path_components[deepest.depth - self.depth :]
        return deepest.route(request, remaining)
