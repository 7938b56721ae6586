"""Each edition's feeds: its own pages only, its language, its cache, its links."""

from __future__ import annotations

import json
from datetime import date

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from home.caching.feeds import content_version
from tests.edition_factories import translate, translate_snippet
from tests.factories import make_issue

from .feed_helpers import (
    FORMATS,
    ORIGIN,
    SCOPES,
    alternate_links,
    build_feed_site,
    check_json_feed,
    clear_feed_cache,
    parse,
    titles,
    well_formed,
)

# Each format's spelling of the edition's language.
LANGUAGES = {
    "zh-hans": {"rss": "zh-cn", "atom": "zh-Hans", "json": "zh-Hans"},
    "zh-hant": {"rss": "zh-tw", "atom": "zh-Hant", "json": "zh-Hant"},
}
ISSUE_DAYS = {"zh-hans": date(2026, 1, 30), "zh-hant": date(2026, 1, 23)}
TITLES = {
    "zh-hans": {"article": "美国帝国是否遵循历史生命周期？", "issue": "备受关注的通话"},
    "zh-hant": {"article": "美國帝國是否遵循歷史生命週期？", "issue": "備受關注的通話"},
}


def feed_language(response, fmt: str) -> str:
    if fmt == "json":
        return json.loads(response.content)["language"]
    return parse(response).feed.language


class EditionFeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_feed_site(cls)
        cls.translations = {}
        for code, names in TITLES.items():
            for snippet in (cls.policy, cls.economy, cls.ashraf, cls.lau):
                translate_snippet(snippet, code)
            article = translate(cls.article, code, title=names["article"])
            # An issue may exist in one edition only: each edition has its own here.
            issues = translate(cls.tree.issues, code)
            cls.translations[code] = {
                "article": article,
                "issue": make_issue(issues, day=ISSUE_DAYS[code], title=names["issue"]),
                "video": translate(cls.video, code),
            }

    def setUp(self):
        clear_feed_cache()

    def get(self, path: str):
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200, path)
        return response

    def test_every_feed_of_each_edition_is_valid_in_its_language(self):
        for code in LANGUAGES:
            for scope in SCOPES:
                if scope in ("topics/finance-economy", "authors/lawrence-lau"):
                    continue  # checked with the items below
                for fmt in FORMATS:
                    with self.subTest(code=code, scope=scope, fmt=fmt):
                        response = self.get(f"/{code}/feeds/{scope}.{fmt}")
                        well_formed(response)
                        self.assertEqual(feed_language(response, fmt), LANGUAGES[code][fmt])
                        if fmt == "json":
                            check_json_feed(self, json.loads(response.content))
                        else:
                            feed = parse(response)
                            self.assertFalse(feed.bozo, feed.get("bozo_exception"))
                        self.assertTrue(titles(response))

    def test_an_edition_feed_holds_only_that_edition_s_pages(self):
        for code, pages in self.translations.items():
            with self.subTest(code=code):
                response = self.get(f"/{code}/feeds/all.rss")
                self.assertCountEqual(titles(response), [page.title for page in pages.values()])
                for entry in parse(response).entries:
                    self.assertTrue(entry.link.startswith(f"{ORIGIN}/{code}/"), entry.link)
                feed = parse(response).feed
                self.assertEqual(feed.link, f"{ORIGIN}/{code}/")

    def test_topic_and_author_feeds_follow_the_edition(self):
        article = TITLES["zh-hant"]["article"]
        for scope in ("topics/finance-economy", "authors/lawrence-lau", "insights"):
            with self.subTest(scope=scope):
                self.assertEqual(titles(self.get(f"/zh-hant/feeds/{scope}.atom")), [article])
        english = titles(self.get("/feeds/topics/finance-economy.atom"))
        self.assertCountEqual(english, [self.article.title, self.older.title])

    def test_english_feeds_are_unchanged(self):
        response = self.get("/feeds/all.rss")
        self.assertEqual(parse(response).feed.language, "en")
        self.assertNotIn(TITLES["zh-hans"]["article"], titles(response))
        self.assertIn(self.article.title, titles(response))

    def test_an_edition_without_the_slug_answers_404(self):
        self.assertEqual(self.client.get("/zh-hans/feeds/topics/no-such.rss").status_code, 404)
        self.assertEqual(self.client.get("/zh-hans/feeds/authors/no-one.json").status_code, 404)

    def test_publishing_a_translation_refreshes_only_its_edition(self):
        before = {code: content_version(code) for code in ("en", "zh-hans", "zh-hant")}
        self.get("/zh-hant/feeds/all.rss")
        page = self.translations["zh-hans"]["article"]
        page.title = "新标题"
        page.save_revision().publish()
        self.assertGreater(content_version("zh-hans"), before["zh-hans"])
        self.assertEqual(content_version("en"), before["en"])
        self.assertEqual(content_version("zh-hant"), before["zh-hant"])
        self.assertIn("新标题", titles(self.get("/zh-hans/feeds/all.rss")))

    def test_each_edition_s_documents_are_cached_apart(self):
        english = self.get("/feeds/all.rss")
        chinese = self.get("/zh-hans/feeds/all.rss")
        self.assertNotEqual(english["ETag"], chinese["ETag"])
        # Served again from the cache, each edition keeps its own document.
        self.assertEqual(self.get("/zh-hans/feeds/all.rss").content, chinese.content)
        self.assertEqual(self.get("/feeds/all.rss").content, english.content)

    def test_pages_advertise_their_edition_s_feeds(self):
        page = self.translations["zh-hans"]["article"]
        links = alternate_links(self.get(page.url))
        self.assertIn(f"{ORIGIN}/zh-hans/feeds/all.rss", links)
        self.assertIn(f"{ORIGIN}/zh-hans/feeds/insights.atom", links)
        self.assertIn(f"{ORIGIN}/zh-hans/feeds/topics/foreign-policy.json", links)
        self.assertIn(f"{ORIGIN}/zh-hans/feeds/authors/sajjad-ashraf.rss", links)
        self.assertFalse([href for href in links if href.startswith(f"{ORIGIN}/feeds/")])

    def test_the_feed_list_names_the_edition_s_feeds(self):
        response = self.get("/zh-hant/feeds/")
        self.assertContains(response, 'href="/zh-hant/feeds/all.rss"')
        self.assertContains(response, 'href="/zh-hant/feeds/topics/foreign-policy.atom"')

    def test_a_chinese_topic_feed_costs_what_an_english_one_does(self):
        counts = {}
        english = "/feeds/topics/foreign-policy.rss"
        chinese = "/zh-hans/feeds/topics/foreign-policy.rss"
        for path in (english, chinese):
            clear_feed_cache()
            self.client.get(path)  # renditions and Wagtail's site cache
            clear_feed_cache()
            self.client.get("/")
            with CaptureQueriesContext(connection) as queries:
                self.get(path)
            counts[path] = len(queries.captured_queries)
        # The same fixed cost (tests/home/test_feed_queries.py pins it): the
        # edition is a join, and linked pages' translations one lookup.
        self.assertEqual(counts[english], counts[chinese], counts)
