"""Topic and year addresses come from their routes, spelled once, wherever they are linked."""

from contextlib import contextmanager
from datetime import date
from unittest import mock

from django.core.cache import cache
from django.test import TestCase
from django.urls import URLResolver, re_path
from django.urls.resolvers import RegexPattern

from home.caching.urls import page_paths
from insights.models import InsightsIndexPage
from issues.models import IssueIndexPage
from tests.factories import build_site, make_article, make_issue, make_topic


@contextmanager
def respelled(page_class, name: str, route: str):
    """``page_class`` answers its route ``name`` at ``route`` (a regex) instead."""
    patterns = [
        re_path(route, pattern.callback, name=name) if pattern.name == name else pattern
        for pattern in page_class.get_subpage_urls()
    ]
    resolver = URLResolver(RegexPattern(r"^/"), patterns)
    with mock.patch.object(page_class, "_routablepage_urlresolver", resolver, create=True):
        yield


class TopicAddressTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.topic = make_topic("Foreign Policy")
        cls.article = make_article(cls.tree.insights, title="On policy", topics=[cls.topic])

    def setUp(self):
        cache.clear()
        respelling = respelled(InsightsIndexPage, "topic", r"^subjects/(?P<slug>[-\w]+)/$")
        respelling.__enter__()
        self.addCleanup(respelling.__exit__, None, None, None)

    def test_the_topic_page_answers_at_its_route(self):
        response = self.client.get("/insights/subjects/foreign-policy/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["topic"], self.topic)

    def test_pages_link_the_route(self):
        for url in (self.article.url, "/insights/"):
            with self.subTest(url):
                html = self.client.get(url).content.decode()
                self.assertIn('href="/insights/subjects/foreign-policy/"', html)
                self.assertNotIn("/insights/topics/", html)

    def test_the_sitemap_and_the_topic_feed_link_the_route(self):
        sitemap = self.client.get("/sitemap.xml").content.decode()
        self.assertIn("http://testserver/insights/subjects/foreign-policy/", sitemap)
        feed = self.client.get("/feeds/topics/foreign-policy.rss").content.decode()
        self.assertIn("http://testserver/insights/subjects/foreign-policy/", feed)

    def test_the_cache_purges_the_route(self):
        paths = page_paths(self.tree.insights)
        self.assertIn("/insights/subjects/foreign-policy/", paths)
        self.assertFalse([path for path in paths if "/topics/" in path])


class YearAddressTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.issue = make_issue(cls.tree.issues, day=date(2026, 2, 6))

    def setUp(self):
        cache.clear()
        respelling = respelled(IssueIndexPage, "year", r"^year-(?P<year>[0-9]{4})/$")
        respelling.__enter__()
        self.addCleanup(respelling.__exit__, None, None, None)

    def test_the_archive_sitemap_and_cache_use_the_route(self):
        self.assertEqual(self.client.get("/this-week/year-2026/").status_code, 200)
        self.assertIn(
            'href="/this-week/year-2026/"', self.client.get("/this-week/").content.decode()
        )
        sitemap = self.client.get("/sitemap.xml").content.decode()
        self.assertIn("http://testserver/this-week/year-2026/", sitemap)
        self.assertIn("/this-week/year-2026/", page_paths(self.tree.issues))
        self.assertIn("/this-week/year-2026/", page_paths(self.issue))
