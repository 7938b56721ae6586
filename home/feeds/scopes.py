"""What each feed holds: the whole site, one section, one topic or one author.

Every feed belongs to the edition being read (the language of its URL prefix):
``/zh-hant/feeds/all.rss`` holds 繁體 pages only, and its topic and author
feeds find the edition's own topic and author by the slug they share.
"""

from __future__ import annotations

from dataclasses import dataclass
from heapq import nlargest

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail.models import Page, Site

from home.editions import edition_q
from insights.models import ArticleAuthor, Author, InsightArticlePage, InsightsIndexPage, Topic
from issues.models import IssueIndexPage, IssuePage, VideoIndexPage, VideoPage

from .entries import FeedEntry, articles_for_feed, build_entries, issues_for_feed, videos_for_feed

SECTIONS = ("all", "issues", "insights", "videos")
FORMATS = ("rss", "atom", "json")


@dataclass
class FeedScope:
    """One feed's identity and contents, whatever its format."""

    key: str  # "all", "issues", "topics/foreign-policy", "authors/jane-doe"
    title: str
    description: str
    html_path: str  # the HTML page the feed follows

    # What the feed draws from: a queryset per kind of page, or None for none.
    articles: QuerySet | None = None
    issues: QuerySet | None = None
    videos: QuerySet | None = None

    def feed_path(self, fmt: str) -> str:
        if self.key in SECTIONS:
            return reverse("feed_section", kwargs={"section": self.key, "fmt": fmt})
        kind, slug = self.key.split("/", 1)
        name = "feed_topic" if kind == "topics" else "feed_author"
        return reverse(name, kwargs={"slug": slug, "fmt": fmt})

    def entries(self, request, limit: int | None = None) -> list[FeedEntry]:
        """The newest ``limit`` entries, newest first, in a fixed number of queries."""
        limit = limit or settings.FOCUS_FEED_ITEMS
        pages: list[Page] = []
        # Each kind brings at most ``limit`` candidates; merging them keeps the
        # query count independent of how many pages the site holds.
        if self.articles is not None:
            pages += articles_for_feed(self.articles.order_by("-date", "-pk")[:limit])
        if self.issues is not None:
            pages += issues_for_feed(self.issues.order_by("-issue_date", "-pk")[:limit])
        if self.videos is not None:
            pages += videos_for_feed(self.videos.order_by("-date", "-pk")[:limit])
        newest = nlargest(limit, pages, key=sort_key)
        return build_entries(newest, request, id_authority(request))


def sort_key(page: Page) -> tuple:
    day = getattr(page, "issue_date", None) or page.date
    return (day, page.first_published_at or page.latest_revision_created_at, page.pk)


def id_authority(request) -> str:
    """The domain that mints entry ids: the site's configured host name, not the request's."""
    site = Site.find_for_request(request)
    return site.hostname if site is not None else request.get_host().split(":")[0]


def _live(model):
    # A join on the locale, not a query of its own: the query count stays pinned.
    return model.objects.live().public().filter(edition_q())


def _index_path(model, fallback: str, request) -> str:
    """The edition's section index's path, looked up once per request."""
    memo = request.__dict__.setdefault("_focus_feed_index_paths", {})
    if model not in memo:
        index = model.objects.live().filter(edition_q()).only("id", "url_path").first()
        memo[model] = (index.get_url(request) if index is not None else None) or fallback
    return memo[model]


def _home_path() -> str:
    """The edition's home page: ``/`` in English, ``/zh-hans/`` in 简体."""
    return reverse("wagtail_serve", args=[""])


def edition_topic(slug: str) -> Topic | None:
    return Topic.objects.filter(edition_q(), slug=slug).first()


def edition_author(slug: str) -> Author | None:
    return Author.objects.filter(edition_q(), slug=slug).first()


def section_scope(section: str, request) -> FeedScope:
    # Titles in the edition being read: 中美聚焦, 本周聚焦... in the Chinese feeds.
    site_name = pgettext("site name", settings.WAGTAIL_SITE_NAME)
    if section == "all":
        return FeedScope(
            key="all",
            title=site_name,
            description=_("Everything from Focus: Focus This Week, Focus Insights and videos."),
            html_path=_home_path(),
            articles=_live(InsightArticlePage),
            issues=_live(IssuePage),
            videos=_live(VideoPage),
        )
    if section == "issues":
        return FeedScope(
            key="issues",
            title=_("Focus This Week") + f" · {site_name}",
            description=_("The weekly Focus This Week newsletter, in full."),
            html_path=_index_path(IssueIndexPage, _home_path(), request),
            issues=_live(IssuePage),
        )
    if section == "insights":
        return FeedScope(
            key="insights",
            title=_("Focus Insights") + f" · {site_name}",
            description=_("Analysis and opinion from Focus Insights."),
            html_path=_index_path(InsightsIndexPage, _home_path(), request),
            articles=_live(InsightArticlePage),
        )
    if section == "videos":
        return FeedScope(
            key="videos",
            title=_("Videos") + f" · {site_name}",
            description=_("Focus videos, including the China Current series."),
            html_path=_index_path(VideoIndexPage, _home_path(), request),
            videos=_live(VideoPage),
        )
    raise Http404("No such feed")


def topic_scope(slug: str, request, topic: Topic | None = None) -> FeedScope:
    topic = topic or edition_topic(slug)
    if topic is None:
        raise Http404("No such topic")
    insights_path = _index_path(InsightsIndexPage, f"{_home_path()}insights/", request)
    # By translation key: an article not yet moved to its edition's topic still counts.
    tagged = InsightArticlePage.topics.through.objects.filter(
        topic__translation_key=topic.translation_key
    ).values("insightarticlepage_id")
    return FeedScope(
        key=f"topics/{topic.slug}",
        title=f"{topic.name} · " + _("Focus Insights"),
        description=topic.description
        or _("Focus Insights articles on %(topic)s.") % {"topic": topic.name},
        html_path=InsightsIndexPage.topic_url(insights_path, topic.slug),
        articles=_live(InsightArticlePage).filter(pk__in=tagged),
    )


def author_scope(slug: str, author: Author | None = None) -> FeedScope:
    author = author or edition_author(slug)
    if author is None:
        raise Http404("No such author")
    # A subquery rather than a join, so an article lists once however its
    # bylines are arranged; by translation key, so a translated article whose
    # byline still names the English author is listed in its own edition.
    page_ids = ArticleAuthor.objects.filter(author__translation_key=author.translation_key).values(
        "page_id"
    )
    return FeedScope(
        key=f"authors/{author.slug}",
        title=f"{author.name} · " + _("Focus Insights"),
        description=(
            _("Articles by %(name)s, %(affiliation)s, on Focus Insights.")
            if author.affiliation
            else _("Articles by %(name)s on Focus Insights.")
        )
        % {"name": author.name, "affiliation": author.affiliation},
        html_path=author.get_absolute_url(),
        articles=_live(InsightArticlePage).filter(pk__in=page_ids),
    )
