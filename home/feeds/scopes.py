"""What each feed holds: the whole site, one section, one topic or one author.

Every feed belongs to the edition being read (the language of its URL prefix):
``/zh-hant/feeds/all.rss`` holds 繁體 pages only, and its topic and author
feeds find the edition's own topic and author by the slug they share.

The site feed holds every page type that offers feed entries; each section,
topic and author feed is defined by the app it follows (``issues.feeds``,
``insights.feeds``).
"""

from __future__ import annotations

from datetime import datetime
from heapq import nlargest

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail.models import Page, Site

from home.feed_entry import (
    FeedCandidate,
    FeedScope,
    feed_page_types,
    home_path,
    live_pages,
    newest_pages,
)
from insights import feeds as insights_feeds
from issues import feeds as issues_feeds

from .entries import build_items, entries_kept


def site_scope(request) -> FeedScope:
    # Titles in the edition being read: 中美聚焦, 本周聚焦... in the Chinese feeds.
    site_name = pgettext("site name", settings.WAGTAIL_SITE_NAME)
    return FeedScope(
        key="all",
        title=site_name,
        description=_("Everything from Focus: Focus This Week, Focus Insights and videos."),
        html_path=home_path(),
        sources=[live_pages(model) for model in feed_page_types()],
    )


SECTION_SCOPES = {
    "all": site_scope,
    "issues": issues_feeds.issues_scope,
    "insights": insights_feeds.insights_scope,
    "videos": issues_feeds.videos_scope,
}


def section_scope(section: str, request) -> FeedScope:
    make_scope = SECTION_SCOPES.get(section)
    if make_scope is None:
        raise Http404("No such feed")
    return make_scope(request)


def scope_items(
    scope: FeedScope, request, fmt: str, limit: int | None = None
) -> list[tuple[datetime, str]]:
    """The newest ``limit`` entries, newest first, written in ``fmt``, with their updated dates.

    A fixed number of queries, whatever the site holds.
    """
    limit = limit or settings.FOCUS_FEED_ITEMS
    pages: list[FeedCandidate | Page] = []
    # Each page type brings at most ``limit`` candidates; merging them keeps the
    # query count independent of how many pages the site holds.
    for queryset in scope.sources:
        if entries_kept(queryset.model):
            pages += newest_pages(queryset, limit)
        else:
            # Written afresh every time: loaded in full at once.
            pages += queryset.model.feed_pages(queryset, limit)
    newest = nlargest(limit, pages, key=sort_key)
    return build_items(newest, request, id_authority(request), fmt)


def sort_key(page: FeedCandidate | Page) -> tuple:
    return (page.feed_date(), page.first_published_at or page.latest_revision_created_at, page.pk)


def id_authority(request) -> str:
    """The domain that mints entry ids: the site's configured host name, not the request's."""
    site = Site.find_for_request(request)
    return site.hostname if site is not None else request.get_host().split(":")[0]
