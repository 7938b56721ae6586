"""robots.txt and sitemap.xml."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from home.rendering import absolute_url

from .sitemaps import SITEMAPS


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    searches, sitemaps = [], []
    # Each edition has its own search and sitemap, under its URL prefix.
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            searches.append(f"Disallow: {reverse('search')}")
            sitemaps.append(f"Sitemap: {absolute_url(reverse('sitemap'), request)}")
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('wagtailadmin_home')}",
        # Result pages are endless combinations of the same content.
        *searches,
        "",
        *sitemaps,
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def sitemap(request):
    return wagtail_sitemap(request, sitemaps=SITEMAPS)
