"""Every public URL that shows an object: what the CDN must purge after a change.

One function per kind of object returns site-relative paths (a page with its
routable sub-pages and pagination, an author with their page and feed, the
feeds); ``absolute_urls`` adds the site's root once. An edition prefix
(another language's tree) slots into these functions alone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from wagtail.models import Page, Site

FEED_FORMATS = ("rss", "atom", "json")
FEED_SECTIONS = ("all", "issues", "insights", "videos")


def _page_count(items: int) -> int:
    return max(1, math.ceil(items / settings.FOCUS_LISTING_PAGE_SIZE))


def _paginated(path: str, items: int, join: str = "?") -> list[str]:
    # Page 1 is the bare path; a reader may also have reached it as ?page=1.
    return [path, *(f"{path}{join}page={number}" for number in range(1, _page_count(items) + 1))]


def page_paths(page: Page, topics: Iterable = ()) -> list[str]:
    """The page's URL, its listing pages and, for the Insights index, its topic routes."""
    from insights.models import InsightArticlePage, InsightsIndexPage
    from issues.models import IssueIndexPage, IssuePage

    url = page.get_url()
    if not url:
        return []
    children = Page.objects.child_of(page).live().count() if not page.is_leaf() else 0
    paths = _paginated(url, children) if children else [url]
    if isinstance(page, IssueIndexPage):
        # The archive by year: one query, a few dozen years at most.
        years = page.issues().order_by().dates("issue_date", "year")
        paths += [IssueIndexPage.url_for_year(url, day.year) for day in years]
    if isinstance(page, IssuePage) and page.issue_date:
        # Its year's page, which may have just lost its last issue (and so
        # is missing from the index's list above).
        index_url = url[: url.rstrip("/").rfind("/") + 1]
        paths.append(IssueIndexPage.url_for_year(index_url, page.issue_date.year))
    if isinstance(page, InsightsIndexPage):
        per_topic = dict(
            InsightArticlePage.objects.child_of(page)
            .live()
            .order_by()
            .values_list("topics")
            .annotate(n=Count("pk"))
            .values_list("topics", "n")
        )
        for topic in topics:
            count = per_topic.get(topic.pk, 0)
            paths += _paginated(InsightsIndexPage.topic_url(url, topic.slug), count)
            paths.append(f"{url}?topic={topic.slug}")
    return paths


def chart_paths(page: Page) -> list[str]:
    """The PNG addresses of the page's data charts: each current version and the bare one."""
    paths = []
    for block in getattr(page, "body", None) or ():
        if block.block_type == "chart_callout" and block.value.has_data_chart:
            paths.append(reverse("chart_png", args=[page.pk, block.id, block.value.png_version]))
            paths.append(reverse("chart_png_unversioned", args=[page.pk, block.id]))
    return paths


def author_paths(author, article_count: int = 0) -> list[str]:
    detail = author.get_absolute_url()
    return [reverse("author_list"), *_paginated(detail, article_count), *author_feed_paths(author)]


def author_feed_paths(author) -> list[str]:
    return [
        reverse("feed_author", kwargs={"slug": author.slug, "fmt": fmt}) for fmt in FEED_FORMATS
    ]


def topic_feed_paths(topic) -> list[str]:
    return [reverse("feed_topic", kwargs={"slug": topic.slug, "fmt": fmt}) for fmt in FEED_FORMATS]


def feed_paths() -> list[str]:
    """The feed index and every section feed."""
    return [
        reverse("feed_index"),
        *(
            reverse("feed_section", kwargs={"section": section, "fmt": fmt})
            for section in FEED_SECTIONS
            for fmt in FEED_FORMATS
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
    page_ids: Iterable[int], author_ids: Iterable[int], topic_ids: Iterable[int]
) -> list[str]:
    """Absolute URLs showing these pages, authors and topics, plus the feeds.

    Objects are loaded in bulk (one query per page type, one for authors, one
    for topics), not one by one.
    """
    from insights.models import ArticleAuthor, Author, Topic

    page_ids, author_ids = set(page_ids), set(author_ids)
    topics = list(Topic.objects.all())
    changed_topics = [topic for topic in topics if topic.pk in set(topic_ids)]
    paths: list[str] = []
    for page in Page.objects.filter(pk__in=page_ids).specific():
        paths += page_paths(page, topics)
        paths += chart_paths(page)
    if author_ids:
        counts = dict(
            ArticleAuthor.objects.filter(author_id__in=author_ids, page__live=True)
            .order_by()
            .values_list("author_id")
            .annotate(n=Count("page", distinct=True))
            .values_list("author_id", "n")
        )
        for author in Author.objects.filter(pk__in=author_ids):
            paths += author_paths(author, counts.get(author.pk, 0))
    for topic in changed_topics:
        paths += topic_feed_paths(topic)
    paths += feed_paths()
    return absolute_urls(paths)
