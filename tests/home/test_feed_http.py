"""Feeds over HTTP: validators, 304 answers, caching and invalidation."""

from __future__ import annotations

from django.test import TestCase
from django.utils.http import http_date

from home.caching.feeds import content_version
from insights.models import Topic
from tests.factories import make_article

from .feed_helpers import build_feed_site, clear_feed_cache, titles


class FeedConditionalTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_feed_site(cls)

    def setUp(self):
        clear_feed_cache()

    def test_validators_and_cache_headers(self):
        for fmt in ("rss", "atom", "json"):
            response = self.client.get(f"/feeds/all.{fmt}")
            self.assertRegex(response["ETag"], r'^"[0-9a-f]{32}"$')
            self.assertTrue(response["Last-Modified"].endswith("GMT"))
            self.assertIn("max-age=", response["Cache-Control"])
            self.assertIn("public", response["Cache-Control"])

    def test_if_none_match_answers_304(self):
        first = self.client.get("/feeds/insights.rss")
        again = self.client.get("/feeds/insights.rss", HTTP_IF_NONE_MATCH=first["ETag"])
        self.assertEqual(again.status_code, 304)
        self.assertEqual(again.content, b"")
        self.assertEqual(again["ETag"], first["ETag"])
        other = self.client.get("/feeds/insights.rss", HTTP_IF_NONE_MATCH='"something-else"')
        self.assertEqual(other.status_code, 200)

    def test_if_modified_since_answers_304(self):
        first = self.client.get("/feeds/topics/foreign-policy.atom")
        again = self.client.get(
            "/feeds/topics/foreign-policy.atom", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
        )
        self.assertEqual(again.status_code, 304)
        older = self.client.get(
            "/feeds/topics/foreign-policy.atom", HTTP_IF_MODIFIED_SINCE=http_date(0)
        )
        self.assertEqual(older.status_code, 200)

    def test_malformed_conditional_headers_are_ignored(self):
        for headers in (
            {"HTTP_IF_MODIFIED_SINCE": "yesterday-ish"},
            {"HTTP_IF_MODIFIED_SINCE": "Sun, 99 Foo 99999 99:99:99 GMT"},
            {"HTTP_IF_NONE_MATCH": 'W/"unterminated'},
            {"HTTP_IF_NONE_MATCH": "\x00\x01"},
        ):
            with self.subTest(headers=headers):
                response = self.client.get("/feeds/all.json", **headers)
                self.assertEqual(response.status_code, 200)

    def test_each_origin_gets_its_own_absolute_urls(self):
        plain = self.client.get("/feeds/all.rss")
        secure = self.client.get("/feeds/all.rss", secure=True)
        self.assertContains(plain, "http://testserver/feeds/all.rss")
        self.assertContains(secure, "https://testserver/feeds/all.rss")
        self.assertNotContains(secure, "http://testserver/")

    def test_a_cached_feed_costs_no_queries(self):
        self.client.get("/feeds/all.rss")
        with self.assertNumQueries(0):
            response = self.client.get("/feeds/all.rss")
        self.assertEqual(response.status_code, 200)


class FeedInvalidationTests(TestCase):
    """A cached feed changes as soon as what it shows changes, not on a timer."""

    @classmethod
    def setUpTestData(cls):
        build_feed_site(cls)

    def setUp(self):
        clear_feed_cache()

    def assert_changed(self, path: str, change) -> list[str]:
        before = self.client.get(path)
        self.assertEqual(self.client.get(path, HTTP_IF_NONE_MATCH=before["ETag"]).status_code, 304)
        change()
        after = self.client.get(path, HTTP_IF_NONE_MATCH=before["ETag"])
        self.assertEqual(after.status_code, 200)
        self.assertNotEqual(after["ETag"], before["ETag"])
        return titles(after)

    def test_publishing_a_page(self):
        def publish():
            make_article(self.tree.insights, title="Just published", topics=[self.policy])

        self.assertIn(
            "Just published", self.assert_changed("/feeds/topics/foreign-policy.rss", publish)
        )

    def test_unpublishing_a_page(self):
        shown = self.assert_changed("/feeds/insights.atom", self.article.unpublish)
        self.assertNotIn(self.article.title, shown)

    def test_deleting_a_page(self):
        shown = self.assert_changed("/feeds/all.json", self.issue.delete)
        self.assertNotIn("A closely watched call", shown)

    def test_moving_a_page(self):
        version = content_version()
        self.older.move(self.tree.insights, pos="first-child")
        self.assertGreater(content_version(), version)

    def test_editing_a_topic_or_author(self):
        def rename_topic():
            Topic.objects.filter(pk=self.policy.pk).update(name="Renamed")
            topic = Topic.objects.get(pk=self.policy.pk)
            topic.save()

        self.assert_changed("/feeds/topics/foreign-policy.atom", rename_topic)
        response = self.client.get("/feeds/topics/foreign-policy.atom")
        self.assertContains(response, "Renamed")

        def rename_author():
            self.lau.name = "Lawrence J. Lau"
            self.lau.save()

        self.assert_changed("/feeds/authors/lawrence-lau.rss", rename_author)
        self.assertContains(self.client.get("/feeds/authors/lawrence-lau.rss"), "Lawrence J. Lau")
