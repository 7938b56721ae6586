"""The Focus Insights feeds: the section, one topic, one author.

Every feed belongs to the edition being read: its topic and author feeds find
the edition's own topic and author by the slug they share.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from home.editions import edition_q
from home.feed_entry import FeedScope, home_path, index_path, live_pages, section_scope
from insights.models import ArticleAuthor, Author, InsightArticlePage, InsightsIndexPage, Topic


def insights_scope(request) -> FeedScope:
    return section_scope(
        "insights",
        _("Focus Insights"),
        _("Analysis and opinion from Focus Insights."),
        InsightsIndexPage,
        InsightArticlePage,
        request,
    )


def edition_topic(slug: str) -> Topic | None:
    return Topic.objects.filter(edition_q(), slug=slug).first()


def edition_author(slug: str) -> Author | None:
    return Author.objects.filter(edition_q(), slug=slug).first()


def topic_scope(slug: str, request, topic: Topic | None = None) -> FeedScope:
    topic = topic or edition_topic(slug)
    if topic is None:
        raise Http404("No such topic")
    insights_path = index_path(InsightsIndexPage, f"{home_path()}insights/", request)
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
        sources=[live_pages(InsightArticlePage).filter(pk__in=tagged)],
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
        sources=[live_pages(InsightArticlePage).filter(pk__in=page_ids)],
    )
