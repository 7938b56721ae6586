"""A feed costs the same SQL queries for 5 entries as for 20, with the cache in the database.

Production without Redis keeps its cache in the database's tables, so every
cache read and write there is SQL: Wagtail writes each rendition it returns
back to the cache, and reads the site root paths for each page whose URL it
is asked for without a request. The other query-count tests use a
local-memory cache and cannot see either; these use the tables, as
production does, and build each feed uncached (``FOCUS_FEED_CACHE_SECONDS=0``,
as ``benchmarks/pages.py`` measures it).
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from focus_site.settings.base import cache_settings
from home.apps import create_cache_tables
from issues.models import ResponseStatus
from tests.edition_factories import translate, translate_snippet
from tests.factories import (
    list_items,
    make_article,
    make_image,
    make_issue,
    make_question,
    make_response,
    make_video,
    stream,
)
from tests.query_budget import assert_query_budget

from .feed_helpers import build_feed_site, rich_body, titles

FEW, MANY = 5, 20


def article_body(target, image) -> str:
    """Every block that shows an image or another page, and a rich-text link."""
    blocks = stream(
        ("pull_quote", {"quote": "Words.", "speaker": "A speaker", "source_page": target.pk}),
        (
            "related_links",
            {"heading": "Further reading", "links": list_items([{"page": target.pk}])},
        ),
    )
    return json.dumps(json.loads(rich_body(target, image)) + json.loads(blocks))


def issue_body(video, question, article) -> str:
    return stream(
        ("video_feature", {"video": video.pk, "cta_label": "Watch"}),
        ("question_of_the_week", {"question": question.pk}),
        ("reader_responses", {"question": question.pk, "count": 2}),
        ("paragraph", f'<p><a linktype="page" id="{article.pk}">Read</a></p>'),
        (
            "related_links",
            {"heading": "Further reading", "links": list_items([{"page": article.pk}])},
        ),
    )


@override_settings(CACHES=cache_settings("database"), FOCUS_FEED_CACHE_SECONDS=0)
class DatabaseStoreFeedQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # The test database was migrated with the local-memory cache configured.
        create_cache_tables()
        build_feed_site(cls)
        translated_issues = translate(cls.tree.issues, "zh-hans")
        for snippet in (cls.policy, cls.economy, cls.ashraf, cls.lau):
            translate_snippet(snippet, "zh-hans")
        translate(cls.article, "zh-hans", title="美国帝国是否遵循历史生命周期？")
        translate(cls.video, "zh-hans")
        start = date(2026, 1, 1)
        for number in range(MANY):
            day = start + timedelta(days=number)
            article = make_article(
                cls.tree.insights,
                title=f"Article {number}",
                authors=[cls.ashraf, cls.lau],
                topics=[cls.policy],
                lead_image=make_image(f"Lead {number}"),
                body=article_body(cls.older, make_image(f"Body {number}")),
                day=day,
            )
            article.tags.add(f"tag-{number}")
            article.save_revision().publish()
            video = make_video(cls.tree.videos, title=f"Video {number}")
            question = make_question(cls.tree.questions, prompted_by=article)
            make_response(question, status=ResponseStatus.FEATURED)
            make_issue(
                cls.tree.issues,
                day=day,
                body=issue_body(video, question, article),
            )
            # A 简体 issue pointing at English pages that have 简体 translations:
            # the feed shows each in its edition (its question's article too).
            translate(article, "zh-hans", title=f"文章 {number}")
            translate(question, "zh-hans")
            make_issue(
                translated_issues,
                day=day,
                title=f"第 {number} 期",
                body=issue_body(cls.video, question, article),
            )

    def count(self, path: str, entries: int) -> int:
        """Queries to build ``path`` uncached with ``entries`` entries, once renditions exist."""
        with override_settings(FOCUS_FEED_ITEMS=entries):
            # The first request makes renditions and fills the site's cache entries.
            self.client.get(path)
            self.client.get(path)
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(path)
        self.assertEqual(response.status_code, 200, path)
        self.assertEqual(len(titles(response)), entries, path)
        return len(queries.captured_queries)

    def assert_flat(self, path: str, expected: int) -> None:
        few, many = self.count(path, FEW), self.count(path, MANY)
        assert_query_budget(self, few, many, expected, path)

    def test_insights_feed(self):
        self.assert_flat("/feeds/insights.rss", INSIGHTS_FEED_QUERIES)

    def test_topic_feed(self):
        self.assert_flat("/feeds/topics/foreign-policy.atom", TOPIC_FEED_QUERIES)

    def test_author_feed(self):
        self.assert_flat("/feeds/authors/sajjad-ashraf.json", AUTHOR_FEED_QUERIES)

    def test_issue_feed(self):
        self.assert_flat("/feeds/issues.rss", ISSUE_FEED_QUERIES)

    def test_video_feed(self):
        self.assert_flat("/feeds/videos.atom", VIDEO_FEED_QUERIES)

    def test_site_feed(self):
        self.assert_flat("/feeds/all.rss", SITE_FEED_QUERIES)

    def test_edition_issue_feed(self):
        self.assert_flat("/zh-hans/feeds/issues.atom", EDITION_ISSUE_FEED_QUERIES)


# What tests/home/test_feed_queries.py counts (the site, view restrictions,
# each kind of page with its authors, topics, tags and renditions, one bulk load
# per chooser block type, the rich-text links and their translations), plus
# what the database store makes SQL: the feed version, a look for the document
# (a lifetime of zero keeps none, so nothing is written; production writes the
# rebuilt document once, five statements), the site root paths once, and the
# private paths and pending schedule with their tag versions. None of it
# depends on the number of entries.
INSIGHTS_FEED_QUERIES = 24
TOPIC_FEED_QUERIES = 25
AUTHOR_FEED_QUERIES = 24
ISSUE_FEED_QUERIES = 20
VIDEO_FEED_QUERIES = 10
SITE_FEED_QUERIES = 18
EDITION_ISSUE_FEED_QUERIES = 21


@override_settings(FOCUS_FRAGMENT_CACHE_ENABLED=True)
class DatabaseStoreKeptEntriesQueryTests(DatabaseStoreFeedQueryTests):
    """The same feeds rebuilt while their entries are kept whole, as in production.

    Articles and issues are picked by a query of their order and keys alone;
    their rows, bylines, topics, tags, renditions, blocks and rich-text links
    are not loaded at all. Reading the kept entries costs one read of the
    store and one of their tags' versions, whatever their number. Videos are
    written each time.
    """

    def assert_flat(self, path: str, expected: int) -> None:
        super().assert_flat(path, KEPT_ENTRIES_QUERIES.get(path, expected))


# Lower than the pins above wherever articles or issues are listed.
KEPT_ENTRIES_QUERIES = {
    "/feeds/insights.rss": 11,
    "/feeds/topics/foreign-policy.atom": 12,
    "/feeds/authors/sajjad-ashraf.json": 10,
    "/feeds/issues.rss": 11,
    "/zh-hans/feeds/issues.atom": 11,
    "/feeds/all.rss": 13,
}
