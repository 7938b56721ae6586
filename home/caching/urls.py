"""Every public URL that shows an object: what the CDN must purge after a change.

These functions return site-relative paths (a page with its pagination, the
feeds); ``absolute_urls`` adds the site's root once. An edition prefix
(another language's tree) slots into these functions alone. What only one
kind of object has is its own to say: a page type's routable sub-pages come
from its ``cache_paths(url)`` method, a snippet's pages (an author's page and
feeds) from its ``cache_paths_for(ids)`` classmethod.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from wagtail.models import Page, Site

from home.feed_entry import FORMATS, SECTIONS


def _page_count(items: int) -> int:
    return max(1, math.ceil(items / settings.FOCUS_LISTING_PAGE_SIZE))


def paginated(path: str, items: int, join: str = "?") -> list[str]:
    # Page 1 is the bare path; a reader may also have reached it as ?page=1.
    return [path, *(f"{path}{join}page={number}" for number in range(1, _page_count(items) + 1))]


def page_paths(page: Page) -> list[str]:
    """The page's URL, its listing pages and its own sub-pages (``cache_paths``)."""
    url = page.get_url()
    if not url:
        return []
    children = Page.objects.child_of(page).live().count() if not page.is_leaf() else 0
    paths = paginated(url, children) if children else [url]
    own = getattr(page, "cache_paths", None)
    if own is not None:
        paths += own(url)
    return paths


def chart_paths(page: Page) -> list[str]:
    """The PNG addresses of the page's data charts: each current version and the bare one."""
    paths = []
    for block in getattr(page, "body", None) or ():
        if block.block_type == "chart_callout" and block.value.has_data_chart:
            paths.append(reverse("chart_png", args=[page.pk, block.id, block.value.png_version]))
            paths.append(reverse("chart_png_unversioned", args=[page.pk, block.id]))
    return paths


def feed_paths() -> list[str]:
    """The feed index and every section feed."""
    return [
        reverse("feed_index"),
        *(
            reverse("feed_section", kwargs={"section": section, "fmt": fmt})
            for section in SECTIONS
            for fmt in FORMATS
        ),
    ]


def absolute_urls(paths: Iterable[str]) -> list[str]:
    site = Site.objects.filter(is_default_site=True).first()
    root = site.root_url if site is not None else ""
    seen: dict[str, None] = {}
    for path in paths:
        seen.setdefault(path if "://" in path else root + path, None)
    return list(seen)


def urls_for(
    page_ids: Iterable[int], snippets: Iterable[tuple[type, Iterable[int]]] = ()
) -> list[str]:
    """Absolute URLs showing these pages and snippets, plus the feeds.

    ``snippets`` pairs a snippet model (one with ``cache_paths_for``) with the
    ids of its changed rows. Objects are loaded in bulk (one query per page
    type, one per snippet model), not one by one.
    """
    paths: list[str] = []
    for page in Page.objects.filter(pk__in=set(page_ids)).specific():
        paths += page_paths(page)
        paths += chart_paths(page)
    for model, ids in snippets:
        ids = set(ids)
        if ids:
            paths += model.cache_paths_for(ids)
    paths += feed_paths()
    return absolute_urls(paths)
