"""A scheduled go-live or expiry caps only the cached entries that show it."""

import re
import time
from datetime import date, timedelta

from django.core.cache import caches
from django.test import RequestFactory, TestCase, override_settings
from django.utils import timezone
from wagtail.models import Site

from home.caching.middleware import cache_key
from home.models import SiteSettings
from insights.models import ArticleAuthor, InsightArticlePage
from tests.factories import (
    build_site,
    list_items,
    make_article,
    make_author,
    make_issue,
    stream,
)

CACHE_ON = override_settings(FOCUS_PAGE_CACHE_ENABLED=True, FOCUS_PAGE_CACHE_CLOCK_SKEW=0)


@CACHE_ON
class ScheduledChangeCapTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.article = make_article(cls.tree.insights, title="Expiring analysis")
        # Next to it in the listing's order (its links name it), then one further on.
        cls.other = make_article(cls.tree.insights, title="Neighbouring analysis")
        cls.far = make_article(cls.tree.insights, title="Lasting analysis", day=date(2026, 3, 1))
        # An issue citing the article, and one that does not.
        cls.citing = make_issue(
            cls.tree.issues,
            day=date(2026, 2, 6),
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
        cls.unrelated = make_issue(cls.tree.issues, day=date(2026, 2, 13))
        SiteSettings.for_site(Site.objects.get(is_default_site=True))

    def setUp(self):
        caches["default"].clear()
        caches["counters"].clear()

    def s_maxage(self, url) -> int:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return int(re.search(r"s-maxage=(\d+)", response["Cache-Control"]).group(1))

    def schedule_expiry(self, seconds: float):
        self.article.expire_at = timezone.now() + timedelta(seconds=seconds)
        self.article.save_revision().publish()

    def test_an_expiry_caps_the_page_its_listings_and_citing_pages_only(self):
        self.schedule_expiry(600)
        for url in (self.article.url, "/insights/", "/", self.citing.url, self.other.url):
            self.assertLessEqual(self.s_maxage(url), 600, url)
        # The issue archive lists the citing issue, so it is capped too (an ancestor).
        for url in (self.unrelated.url, self.far.url):
            self.assertEqual(self.s_maxage(url), 3600, url)

    def test_a_scheduled_go_live_caps_the_listings_that_will_show_it(self):
        author, lasting_author = make_author("Ana Palacio"), make_author("Wu Xinbo")
        draft = InsightArticlePage(
            title="Scheduled analysis",
            slug="scheduled-analysis",
            date=timezone.localdate(),
            standfirst="Soon.",
            live=False,
        )
        # Its author's page will list it too.
        draft.article_authors = [ArticleAuthor(author=author)]
        self.tree.insights.add_child(instance=draft)
        go_live = timezone.now() + timedelta(seconds=900)
        draft.go_live_at = go_live
        draft.save_revision(approved_go_live_at=go_live)
        self.assertLessEqual(self.s_maxage("/insights/"), 900)
        self.assertLessEqual(self.s_maxage("/"), 900)
        self.assertLessEqual(self.s_maxage(author.get_absolute_url()), 900)
        self.assertEqual(self.s_maxage(lasting_author.get_absolute_url()), 3600)
        self.assertEqual(self.s_maxage(self.article.url), 3600)
        self.assertEqual(self.s_maxage(self.unrelated.url), 3600)

    def expires_at(self, url) -> float:
        """When the page cache will drop the entry a GET just stored (a Unix time)."""
        self.assertEqual(self.client.get(url)["X-Cache"], "MISS", url)
        pages = caches["default"]
        return pages._expire_info[pages.make_key(cache_key(RequestFactory().get(url)))]

    def test_the_affected_entry_expires_at_the_change_and_the_unrelated_one_stays(self):
        self.schedule_expiry(600)
        moment = self.article.expire_at.timestamp()
        for url in (self.article.url, "/insights/"):
            self.assertAlmostEqual(self.expires_at(url), moment, delta=1.5, msg=url)
        self.assertGreater(self.expires_at(self.unrelated.url), time.time() + 3590)
