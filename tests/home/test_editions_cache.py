"""Editing a translation refreshes its own edition's cached pages, not the others'."""

from django.core.cache import caches
from django.test import TestCase
from wagtail.models import Site

from home.models import SiteSettings
from tests.factories import build_site, list_items, make_article, make_issue, stream, translate_page
from tests.home.test_page_cache import CACHE_ON, PURGED


@CACHE_ON
class EditionCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.article = make_article(cls.tree.insights, title="Starmer in Beijing", slug="starmer")
        cls.issue = make_issue(
            cls.tree.issues,
            body=stream(
                (
                    "related_links",
                    {
                        "heading": "Latest Focus content",
                        "intro": "",
                        "links": list_items([{"page": cls.article.pk, "url": "", "label": ""}]),
                    },
                )
            ),
        )
        cls.hans = translate_page(cls.article, "zh-hans", title="斯塔默访华")
        cls.hant = translate_page(cls.article, "zh-hant", title="斯塔默訪華")
        for code in ("zh-hans", "zh-hant"):
            translate_page(cls.issue, code)
        SiteSettings.for_site(Site.objects.get(is_default_site=True))

    def setUp(self):
        caches["default"].clear()
        PURGED.clear()

    ISSUE = "/this-week/2026-02-06/"
    URLS = {
        "en": ["/insights/starmer/", ISSUE, "/insights/"],
        "zh-hans": ["/zh-hans/insights/starmer/", "/zh-hans" + ISSUE, "/zh-hans/insights/"],
        "zh-hant": ["/zh-hant/insights/starmer/", "/zh-hant" + ISSUE, "/zh-hant/insights/"],
    }

    def state(self, url):
        return self.client.get(url).get("X-Cache")

    def test_publishing_a_translation_refreshes_only_its_edition(self):
        every = [url for urls in self.URLS.values() for url in urls]
        for url in every:
            self.client.get(url)
            self.assertEqual(self.state(url), "HIT", url)

        self.hans.title = "斯塔默访华：新标题"
        self.hans.save_revision().publish()

        for url in self.URLS["zh-hans"]:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertNotEqual(response.get("X-Cache"), "HIT", f"{url} served stale")
                self.assertContains(response, "斯塔默访华：新标题")
        for code in ("en", "zh-hant"):
            for url in self.URLS[code]:
                with self.subTest(url=url):
                    self.assertEqual(self.state(url), "HIT", f"{url} was refreshed needlessly")
        # The CDN is asked to drop the edition's own, prefixed address.
        self.assertIn("http://testserver/zh-hans/insights/starmer/", PURGED)
        self.assertNotIn("http://testserver/insights/starmer/", PURGED)
