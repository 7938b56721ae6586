"""Every HTML page advertises the feeds that fit it; /feeds/ lists them all."""

from __future__ import annotations

from django.test import TestCase

from .feed_helpers import ORIGIN, SCOPES, alternate_links, build_feed_site, clear_feed_cache


def feeds(scope: str) -> dict[str, str]:
    return {
        f"{ORIGIN}/feeds/{scope}.rss": "application/rss+xml",
        f"{ORIGIN}/feeds/{scope}.atom": "application/atom+xml",
        f"{ORIGIN}/feeds/{scope}.json": "application/feed+json",
    }


class FeedDiscoveryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_feed_site(cls)

    def setUp(self):
        clear_feed_cache()

    def links(self, path: str) -> dict[str, str]:
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200, path)
        return alternate_links(response)

    def test_each_page_advertises_its_feeds(self):
        site = feeds("all")
        expected = {
            "/": site,
            "/this-week/": site | feeds("issues"),
            self.issue.url: site | feeds("issues"),
            "/insights/": site | feeds("insights"),
            "/insights/?topic=foreign-policy": site
            | feeds("insights")
            | feeds("topics/foreign-policy"),
            "/insights/topics/finance-economy/": site
            | feeds("insights")
            | feeds("topics/finance-economy"),
            self.article.url: site
            | feeds("insights")
            | feeds("topics/foreign-policy")
            | feeds("topics/finance-economy")
            | feeds("authors/sajjad-ashraf")
            | feeds("authors/lawrence-lau"),
            "/videos/": site | feeds("videos"),
            self.video.url: site | feeds("videos"),
            "/authors/": site,
            "/authors/sajjad-ashraf/": site | feeds("authors/sajjad-ashraf"),
            "/feeds/": site,
        }
        for path, links in expected.items():
            with self.subTest(path=path):
                self.assertEqual(self.links(path), links)

    def test_every_advertised_feed_answers(self):
        for href in self.links(self.article.url):
            with self.subTest(href=href):
                self.assertEqual(self.client.get(href.removeprefix(ORIGIN)).status_code, 200)

    def test_feed_index_lists_every_feed(self):
        response = self.client.get("/feeds/")
        self.assertContains(response, "<h1>Feeds</h1>", html=True)
        for scope in SCOPES:
            for fmt in ("rss", "atom", "json"):
                self.assertContains(response, f'href="/feeds/{scope}.{fmt}"')
        self.assertContains(response, "Sajjad Ashraf · Focus Insights")
        self.assertContains(response, 'href="/insights/topics/foreign-policy/"')
