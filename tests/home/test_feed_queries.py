"""A feed's SQL query count is fixed: the same for one entry or twenty."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from tests.factories import make_article, make_image, make_issue, make_topic, stream
from tests.query_budget import assert_query_budget

from .feed_helpers import build_feed_site, clear_feed_cache, rich_body, titles

ENTRIES = 20


class FeedQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_feed_site(cls)
        cls.single = make_topic("Single")
        cls.many = make_topic("Many")
        image = make_image("Shared")
        make_article(
            cls.tree.insights,
            title="Alone",
            authors=[cls.ashraf],
            topics=[cls.single],
            lead_image=make_image("Lead alone"),
            body=rich_body(cls.older, image),
        )
        for number in range(ENTRIES):
            make_article(
                cls.tree.insights,
                title=f"Article {number}",
                authors=[cls.ashraf, cls.lau],
                topics=[cls.many],
                lead_image=make_image(f"Lead {number}"),
                body=rich_body(cls.article, make_image(f"Body {number}")),
                day=date(2026, 1, 1) + timedelta(days=number),
            )
        for number in range(ENTRIES):
            make_issue(
                cls.tree.issues,
                day=date(2025, 1, 3) + timedelta(weeks=number),
                body=stream(
                    ("video_feature", {"video": cls.video.pk, "cta_label": "Watch"}),
                    ("paragraph", f'<p><a linktype="page" id="{cls.article.pk}">Read</a></p>'),
                ),
            )

    def build(self, path: str):
        """Queries to build a feed from scratch, once renditions exist."""
        clear_feed_cache()
        self.client.get(path)  # creates renditions, fills Wagtail's site cache
        clear_feed_cache()
        self.client.get("/")  # the site root paths, cached by Wagtail, not by feeds
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(path)
        self.assertEqual(response.status_code, 200)
        return len(queries.captured_queries), response

    def test_topic_feed(self):
        single, one = self.build("/feeds/topics/single.rss")
        many, twenty = self.build("/feeds/topics/many.rss")
        self.assertEqual(len(titles(one)), 1)
        self.assertEqual(len(titles(twenty)), ENTRIES)
        assert_query_budget(self, single, many, TOPIC_FEED_QUERIES, "topic feed")

    def test_site_feed(self):
        # With three entries the feed already holds every kind of page and
        # block, so any growth with the number of entries would show.
        with override_settings(FOCUS_FEED_ITEMS=3):
            one_count, one = self.build("/feeds/all.atom")
        with override_settings(FOCUS_FEED_ITEMS=ENTRIES):
            many_count, many = self.build("/feeds/all.atom")
        self.assertEqual(len(titles(one)), 3)
        self.assertEqual(len(titles(many)), ENTRIES)
        assert_query_budget(self, one_count, many_count, SITE_FEED_QUERIES, "site feed")


# Ceilings. Site, topic, view restrictions, the section index; each kind of page with its
# authors, topics, tags and renditions; one bulk load per chooser block type;
# one lookup for every rich-text page link, and one for those pages'
# translations in the edition being read; and the pending go-live and expiry
# times that cap the document's lifetime (two, kept until scheduling changes).
TOPIC_FEED_QUERIES = 18
SITE_FEED_QUERIES = 24
