"""The language switcher and hreflang alternates lead to pages that exist.

Where an edition lacks the page being read (an author without a translation,
a year or a topic it has nothing for), the switcher offers the nearest page it
does have, and no hreflang alternate claims a twin.
"""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.core.cache import caches
from django.test import TestCase
from wagtail.models import Page, Site

from home.editions import HTML_LANG
from home.models import SiteSettings
from insights.models import ArticleAuthor
from issues.models import IssuePage
from tests.factories import (
    build_site,
    make_article,
    make_author,
    make_issue,
    make_question,
    make_topic,
    make_video,
    translate_page,
    translate_snippet,
)
from tests.home.test_page_cache import CACHE_ON
from tests.query_budget import count_queries

PREFIX = {"en": "", "zh-hans": "/zh-hans", "zh-hant": "/zh-hant"}
ORIGIN = "http://testserver"
# Addresses that are not pages for readers, or not HTML.
NOT_PAGES = re.compile(r"^/(admin|django-admin|static|media|documents)/|/feeds/|\.(rss|atom|xml)$")


class EditionLinks(HTMLParser):
    """A page's links: every href, the switcher's (by language) and the hreflang alternates."""

    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.switcher: dict[str, str] = {}
        self.alternates: dict[str, str] = {}
        self._in_switcher = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and "edition-switcher" in (attrs.get("class") or ""):
            self._in_switcher = True
        elif tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
            if self._in_switcher:
                self.switcher[attrs["lang"]] = attrs["href"]
        elif tag == "link" and attrs.get("rel") == "alternate" and attrs.get("hreflang"):
            self.alternates[attrs["hreflang"]] = attrs["href"]

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_switcher = False


def edition_links(response) -> EditionLinks:
    parser = EditionLinks()
    parser.feed(response.content.decode())
    return parser


def local_path(href: str) -> str | None:
    """The site address an href leads to, without its fragment; None if it leaves the site."""
    parts = urlsplit(href)
    if parts.scheme and f"{parts.scheme}://{parts.netloc}" != ORIGIN:
        return None
    if not parts.path.startswith("/") or NOT_PAGES.search(parts.path):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


class EditionSiteTestCase(TestCase):
    """A site whose editions differ: some authors, topics and a year exist in English only."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.policy = make_topic("Foreign Policy", slug="foreign-policy")
        cls.trade = make_topic("Trade")  # English only
        cls.tian = make_author("Tian Shichen")  # in every edition, same slug
        cls.liu = make_author("Liu Yawei")  # Simplified only, under its own slug
        cls.alone = make_author("Sajjad Ashraf")  # English only
        cls.article = make_article(
            cls.tree.insights,
            title="Starmer in Beijing",
            slug="starmer-in-beijing",
            authors=[cls.tian],
            topics=[cls.policy],
        )
        make_article(
            cls.tree.insights,
            title="Tariffs",
            slug="tariffs",
            authors=[cls.liu, cls.alone],
            topics=[cls.trade, cls.policy],
        )
        cls.issue = make_issue(cls.tree.issues, day=date(2026, 2, 6))
        make_issue(cls.tree.issues, day=date(2025, 12, 26))  # English only: 2025
        make_video(cls.tree.videos)
        make_question(cls.tree.questions)
        cls.liu_hans = translate_snippet(cls.liu, "zh-hans", name="刘亚伟", slug="liu-ya-wei")
        for code, title in (("zh-hans", "斯塔默访华"), ("zh-hant", "斯塔默訪華")):
            author = translate_snippet(cls.tian, code, name="田士臣")
            topic = translate_snippet(cls.policy, code, name="外交政策")
            article = translate_page(cls.article, code, title=title)
            ArticleAuthor.objects.filter(page=article).update(author=author)
            article.topics.set([topic])
            translate_page(cls.issue, code)
            for index in (cls.tree.videos, cls.tree.questions):
                translate_page(index, code)


class CrawlTests(EditionSiteTestCase):
    def test_every_switcher_link_and_alternate_answers(self):
        """Every page reachable from each edition's home: its switcher and alternates answer 200."""
        queue = [f"{PREFIX[code]}{path}" for code in PREFIX for path in ("/", "/authors/")]
        seen = set(queue)
        checked: dict[str, int] = {}
        broken = []
        pages = 0
        while queue:
            url = queue.pop(0)
            response = self.client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            pages += 1
            links = edition_links(response)
            self.assertEqual(set(links.switcher), set(HTML_LANG.values()), url)
            targets = [("switcher", href) for href in links.switcher.values()]
            targets += [("hreflang", href) for href in links.alternates.values()]
            for kind, href in targets:
                path = local_path(href)
                self.assertIsNotNone(path, f"{url}: {kind} link {href} leaves the site")
                if path not in checked:
                    checked[path] = self.client.get(path).status_code
                if checked[path] != 200:
                    broken.append(f"{url} {kind} -> {path} ({checked[path]})")
            for href in links.hrefs:
                path = local_path(href)
                if path is not None and path not in seen:
                    seen.add(path)
                    queue.append(path)
        self.assertEqual(broken, [])
        # The crawl reached the pages that differ between editions.
        for path in ("/authors/sajjad-ashraf/", "/this-week/2025/", "/insights/topics/trade/"):
            self.assertIn(path, seen)
        self.assertIn("/zh-hans/authors/liu-ya-wei/", seen)
        self.assertGreater(pages, 30)


class FallbackTests(EditionSiteTestCase):
    def links(self, url: str) -> EditionLinks:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return edition_links(response)

    def assertLinks(self, url: str, expected: dict[str, tuple[str, bool]]) -> None:
        """``expected``: html lang -> (switcher link, is it an hreflang alternate)."""
        links = self.links(url)
        for lang, (href, alternate) in expected.items():
            with self.subTest(url=url, lang=lang):
                self.assertEqual(links.switcher[lang], href)
                if alternate:
                    self.assertEqual(links.alternates.get(lang), ORIGIN + href)
                else:
                    self.assertNotIn(lang, links.alternates)

    def test_an_author_without_a_translation_falls_back_to_each_edition_s_author_list(self):
        self.assertLinks(
            "/authors/sajjad-ashraf/",
            {
                "en": ("/authors/sajjad-ashraf/", True),
                "zh-Hans": ("/zh-hans/authors/", False),
                "zh-Hant": ("/zh-hant/authors/", False),
            },
        )

    def test_an_author_translated_under_another_slug_is_linked_by_that_slug(self):
        expected = {
            "en": ("/authors/liu-yawei/", True),
            "zh-Hans": ("/zh-hans/authors/liu-ya-wei/", True),
            "zh-Hant": ("/zh-hant/authors/", False),
        }
        self.assertLinks("/authors/liu-yawei/", expected)
        self.assertLinks("/zh-hans/authors/liu-ya-wei/", expected)

    def test_an_author_in_every_edition_is_an_alternate_in_each(self):
        self.assertLinks(
            "/zh-hant/authors/tian-shichen/",
            {
                lang: (f"{PREFIX[code]}/authors/tian-shichen/", True)
                for code, lang in HTML_LANG.items()
            },
        )

    def test_pages_that_exist_in_every_edition_keep_their_address(self):
        for path in ("/authors/", "/search/"):
            self.assertLinks(
                path, {lang: (f"{PREFIX[code]}{path}", True) for code, lang in HTML_LANG.items()}
            )

    def test_a_year_without_issues_in_an_edition_falls_back_to_its_archive(self):
        self.assertLinks(
            "/this-week/2025/",
            {
                "en": ("/this-week/2025/", True),
                "zh-Hans": ("/zh-hans/this-week/", False),
                "zh-Hant": ("/zh-hant/this-week/", False),
            },
        )

    def test_a_year_with_issues_in_every_edition_keeps_the_year(self):
        self.assertLinks(
            "/zh-hans/this-week/2026/",
            {lang: (f"{PREFIX[code]}/this-week/2026/", True) for code, lang in HTML_LANG.items()},
        )

    def test_a_topic_missing_in_an_edition_falls_back_to_its_insights_index(self):
        self.assertLinks(
            "/insights/topics/trade/",
            {
                "en": ("/insights/topics/trade/", True),
                "zh-Hans": ("/zh-hans/insights/", False),
                "zh-Hant": ("/zh-hant/insights/", False),
            },
        )

    def test_a_topic_in_every_edition_keeps_the_topic(self):
        self.assertLinks(
            "/zh-hant/insights/topics/foreign-policy/",
            {
                lang: (f"{PREFIX[code]}/insights/topics/foreign-policy/", True)
                for code, lang in HTML_LANG.items()
            },
        )


class CachedSwitcherTestCase(EditionSiteTestCase):
    """A cached page's switcher, before and after a change."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Created on first use otherwise, which itself (rightly) clears the cache.
        SiteSettings.for_site(Site.objects.get(is_default_site=True))

    def setUp(self):
        caches["default"].clear()
        caches["counters"].clear()

    def switcher(self, url: str, cached: bool) -> dict[str, str]:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        self.assertEqual(response.get("X-Cache") == "HIT", cached, url)
        return edition_links(response).switcher

    def assertFollows(self, url: str, change, lang: str, before: str, after: str) -> None:
        self.client.get(url)
        self.assertEqual(self.switcher(url, cached=True)[lang], before)
        change()
        self.assertEqual(self.switcher(url, cached=False)[lang], after)


@CACHE_ON
class FallbackCacheTests(CachedSwitcherTestCase):
    """A cached page's switcher follows translations made or removed after it was cached."""

    def test_an_author_s_translation_added_and_removed(self):
        url = "/authors/sajjad-ashraf/"
        made = []
        self.assertFollows(
            url,
            lambda: made.append(translate_snippet(self.alone, "zh-hans", slug="sa-ji-de")),
            "zh-Hans",
            "/zh-hans/authors/",
            "/zh-hans/authors/sa-ji-de/",
        )
        self.assertFollows(
            url, made[0].delete, "zh-Hans", "/zh-hans/authors/sa-ji-de/", "/zh-hans/authors/"
        )

    def test_an_issue_published_and_unpublished_in_a_year(self):
        url = "/this-week/2025/"
        made = []
        self.assertFollows(
            url,
            lambda: made.append(
                translate_page(IssuePage.objects.get(issue_date=date(2025, 12, 26)), "zh-hant")
            ),
            "zh-Hant",
            "/zh-hant/this-week/",
            "/zh-hant/this-week/2025/",
        )
        self.assertFollows(
            url, made[0].unpublish, "zh-Hant", "/zh-hant/this-week/2025/", "/zh-hant/this-week/"
        )

    def test_a_topic_translated(self):
        self.assertFollows(
            "/insights/topics/trade/",
            lambda: translate_snippet(self.trade, "zh-hans", name="贸易"),
            "zh-Hans",
            "/zh-hans/insights/",
            "/zh-hans/insights/topics/trade/",
        )


class FallbackQueryTests(EditionSiteTestCase):
    def test_the_switcher_costs_no_query_per_edition(self):
        """With every edition's twin or with none, a page costs the same (the derived
        answers are cached like the archive's years, so a warm render pays nothing)."""
        pairs = [
            ("/authors/sajjad-ashraf/", "/authors/tian-shichen/"),
            ("/this-week/2025/", "/this-week/2026/"),
            ("/insights/topics/trade/", "/insights/topics/foreign-policy/"),
        ]
        for missing, everywhere in pairs:
            with self.subTest(missing=missing):
                self.assertEqual(
                    count_queries(self, missing), count_queries(self, everywhere), missing
                )


@CACHE_ON
class TranslationCacheTests(CachedSwitcherTestCase):
    """The other editions' cached pages follow a page translation's appearing or going."""

    def test_a_page_s_translation_unpublished_and_published_again(self):
        url = "/insights/starmer-in-beijing/"
        translation = Page.objects.get(
            translation_key=self.article.translation_key, locale__language_code="zh-hans"
        ).specific
        self.assertFollows(
            url,
            translation.unpublish,
            "zh-Hans",
            "/zh-hans/insights/starmer-in-beijing/",
            "/zh-hans/insights/",
        )
        self.assertFollows(
            url,
            lambda: translation.get_latest_revision().publish(),
            "zh-Hans",
            "/zh-hans/insights/",
            "/zh-hans/insights/starmer-in-beijing/",
        )

    def test_a_page_translated_for_the_first_time(self):
        url = "/this-week/2025-12-26/"
        self.assertFollows(
            url,
            lambda: translate_page(IssuePage.objects.get(slug="2025-12-26"), "zh-hans"),
            "zh-Hans",
            "/zh-hans/this-week/",
            "/zh-hans/this-week/2025-12-26/",
        )
