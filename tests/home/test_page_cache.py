"""The page cache serves anonymous readers and never serves a stale page."""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.http import HttpResponse
from django.test import TestCase, override_settings
from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.models import Site

from home.caching.middleware import is_cacheable_response
from home.models import SiteSettings
from tests.factories import (
    build_site,
    list_items,
    make_article,
    make_author,
    make_issue,
    make_topic,
    stream,
)

PURGED: list[str] = []


class RecordingBackend(BaseBackend):
    """A CDN stand-in that records each URL it was asked to purge (shared by the purge tests)."""

    def purge(self, url):
        PURGED.append(url)


CACHE_ON = override_settings(
    FOCUS_PAGE_CACHE_ENABLED=True,
    FOCUS_PAGE_CACHE_CLOCK_SKEW=0,
    WAGTAILFRONTENDCACHE={"test": {"BACKEND": "tests.home.test_page_cache.RecordingBackend"}},
)


@CACHE_ON
class PageCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.topic = make_topic("Peace & Security", slug="peace-security")
        cls.author = make_author("Ana Palacio", affiliation="Former Minister")
        cls.article = make_article(
            cls.tree.insights,
            title="Original article title",
            authors=[cls.author],
            topics=[cls.topic],
        )
        cls.issue = make_issue(
            cls.tree.issues,
            body=stream(
                (
                    "chart_callout",
                    {
                        "headline": "Debt",
                        "data": list_items([{"label": "A", "value": "1"}]),
                        "source_note": "FRED",
                        "article": cls.article.pk,
                    },
                )
            ),
        )

        # Created on first use otherwise, which itself (rightly) clears the cache.
        SiteSettings.for_site(Site.objects.get(is_default_site=True))

    def setUp(self):
        caches["default"].clear()
        caches["counters"].clear()
        PURGED.clear()

    def get(self, url, **headers):
        return self.client.get(url, headers=headers)

    def warm(self, *urls):
        """Fetch twice so each URL is known to be served from the cache."""
        for url in urls:
            self.get(url)
            response = self.get(url)
            self.assertEqual(response["X-Cache"], "HIT", url)

    def assertFresh(self, url, present=(), absent=()):
        response = self.get(url)
        self.assertNotEqual(response.get("X-Cache"), "HIT", f"{url} served stale from cache")
        for text in present:
            self.assertContains(response, text, msg_prefix=url)
        for text in absent:
            self.assertNotContains(response, text, msg_prefix=url)

    def test_second_request_is_a_hit_with_cdn_headers_and_etag(self):
        first = self.get("/insights/")
        self.assertEqual(first["X-Cache"], "MISS")
        second = self.get("/insights/")
        self.assertEqual(second["X-Cache"], "HIT")
        self.assertEqual(first.content, second.content)
        self.assertIn("public", second["Cache-Control"])
        self.assertIn("s-maxage=3600", second["Cache-Control"])
        self.assertIn("Last-Modified", second)
        not_modified = self.get("/insights/", if_none_match=second["ETag"])
        self.assertEqual(not_modified.status_code, 304)
        self.assertEqual(not_modified.content, b"")

    def test_signed_in_editors_bypass_the_cache(self):
        self.warm("/insights/")
        user = get_user_model().objects.create_superuser("ed", "ed@example.com", "pw")
        self.client.force_login(user)
        response = self.get("/insights/")
        self.assertNotIn("X-Cache", response)

    def test_readers_with_a_pending_message_bypass_the_cache(self):
        self.warm("/insights/")
        self.client.cookies["messages"] = "pending"
        self.assertNotIn("X-Cache", self.get("/insights/"))

    def test_responses_setting_cookies_or_private_are_not_cached(self):
        with_cookie = HttpResponse("x")
        with_cookie.set_cookie("csrftoken", "abc")
        self.assertFalse(is_cacheable_response(with_cookie))
        varying = HttpResponse("x")
        varying["Vary"] = "Authorization"
        self.assertFalse(is_cacheable_response(varying))
        private = HttpResponse("x")
        private["Cache-Control"] = "private"
        self.assertFalse(is_cacheable_response(private))
        self.assertTrue(is_cacheable_response(HttpResponse("x")))

    def test_post_and_not_found_are_not_cached(self):
        self.assertNotIn("X-Cache", self.client.post("/insights/"))
        self.get("/no-such-page/")
        self.assertNotIn("X-Cache", self.get("/no-such-page/"))

    def test_publishing_a_new_article_updates_listings_topic_and_home(self):
        urls = ["/", "/insights/", "/insights/topics/peace-security/", "/authors/ana-palacio/"]
        self.warm(*urls)
        make_article(
            self.tree.insights,
            title="Brand new analysis",
            authors=[self.author],
            topics=[self.topic],
        )
        for url in urls:
            self.assertFresh(url, present=["Brand new analysis"])

    def test_republishing_an_article_updates_pages_that_cite_it(self):
        urls = [self.article.url, self.issue.url, "/insights/"]
        self.warm(*urls)
        self.article.title = "Revised article title"
        # The CDN is purged once the change commits.
        with self.captureOnCommitCallbacks(execute=True):
            self.article.save_revision().publish()
        for url in urls:
            self.assertFresh(url, present=["Revised article title"], absent=["Original article"])
        self.assertIn(f"http://testserver{self.article.url}", PURGED)
        self.assertIn(f"http://testserver{self.issue.url}", PURGED)

    def test_unpublishing_removes_the_page_everywhere(self):
        url = self.article.url
        self.warm(url, "/insights/", "/authors/ana-palacio/")
        self.article.unpublish()
        self.assertEqual(self.get(url).status_code, 404)
        self.assertFresh("/insights/", absent=["Original article title"])
        self.assertFresh("/authors/ana-palacio/", absent=["Original article title"])

    def test_moving_a_page_updates_old_and_new_places(self):
        old_url = self.article.url
        self.warm(old_url, "/insights/", "/videos/")
        self.article.move(self.tree.videos, pos="last-child")
        old = self.get(old_url)
        self.assertNotEqual(old.get("X-Cache"), "HIT")
        self.assertIn(old.status_code, (301, 404))
        self.assertFresh("/insights/", absent=["Original article title"])

    def test_deleting_a_page_removes_it(self):
        url = self.article.url
        self.warm(url, "/insights/", self.issue.url)
        self.article.delete()
        self.assertEqual(self.get(url).status_code, 404)
        self.assertFresh("/insights/", absent=["Original article title"])
        self.assertFresh(self.issue.url, absent=["Original article title"])

    def test_editing_an_author_updates_every_page_showing_them(self):
        urls = [self.article.url, "/insights/", "/authors/", "/authors/ana-palacio/"]
        self.warm(*urls)
        self.author.name = "Ana Palacio Vallelersundi"
        self.author.save()
        for url in urls:
            self.assertFresh(url, present=["Ana Palacio Vallelersundi"])

    def test_editing_a_topic_updates_articles_and_topic_pages(self):
        urls = [self.article.url, "/insights/topics/peace-security/"]
        self.warm(*urls)
        self.topic.name = "Security and Peace"
        self.topic.save()
        for url in urls:
            self.assertFresh(url, present=["Security and Peace"])

    def test_editing_site_settings_updates_every_page(self):
        self.warm("/", self.article.url)
        settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
        settings.tagline = "A brand new tagline"
        settings.save()
        for url in ("/", self.article.url):
            self.assertFresh(url, present=["A brand new tagline"])

    def test_a_new_issue_refreshes_the_link_from_the_issue_before_it(self):
        self.warm(self.issue.url)
        newer = make_issue(self.tree.issues, day=date(2026, 2, 13))
        self.assertFresh(self.issue.url, present=[f'href="{newer.url}"'])

    def test_retitling_an_article_refreshes_its_neighbours(self):
        older = make_article(self.tree.insights, title="Older article", day=date(2026, 1, 1))
        self.warm(older.url)
        self.article.title = "A new title"
        self.article.save_revision().publish()
        self.assertFresh(older.url, present=["A new title"])

    def test_lost_tag_versions_count_as_changed(self):
        self.warm("/insights/")
        # The counters cache emptied (a store restarted without persistence):
        # nothing proves the page's tags did not change.
        caches["counters"].clear()
        self.assertNotEqual(self.get("/insights/").get("X-Cache"), "HIT")
