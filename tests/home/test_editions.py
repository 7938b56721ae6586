"""The Chinese editions: URLs, switching between editions, language, cost."""

from datetime import date
from unittest import skipUnless

from django.db import connection
from django.test import TestCase
from django.utils import translation
from wagtail.models import Page

from home.editions import HTML_LANG, localize_pages
from home.feed_entry import live_pages, newest_pages
from insights.models import ArticleAuthor, InsightArticlePage
from tests.factories import (
    build_site,
    list_items,
    make_article,
    make_author,
    make_issue,
    make_topic,
    stream,
    translate_page,
    translate_snippet,
)
from tests.query_budget import QUERY_BUDGET, count_queries

EDITIONS = {"en": "", "zh-hans": "/zh-hans", "zh-hant": "/zh-hant"}


class EditionsTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.topic = make_topic("Foreign Policy", slug="foreign-policy")
        cls.author = make_author("Tian Shichen", affiliation="Contributor")
        cls.article = make_article(
            cls.tree.insights,
            title="Starmer in Beijing",
            slug="starmer-in-beijing",
            authors=[cls.author],
            topics=[cls.topic],
        )
        cls.issue = make_issue(
            cls.tree.issues,
            title="A closely watched call",
            letter=f'<p>Read about <a linktype="page" id="{cls.article.pk}">diplomacy</a>.</p>',
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
        # An issue that exists in English only.
        cls.english_only = make_issue(cls.tree.issues, day=date(2026, 1, 30), title="Arms control")
        for code, title, article_title, name in (
            ("zh-hans", "一次备受关注的通话", "斯塔默访华", "田士臣"),
            ("zh-hant", "一次備受關注的通話", "斯塔默訪華", "田士臣"),
        ):
            author = translate_snippet(cls.author, code, name=name, affiliation="特约撰稿人")
            topic = translate_snippet(cls.topic, code, name="外交政策")
            article = translate_page(cls.article, code, title=article_title)
            link = article.article_authors.get()
            ArticleAuthor.objects.filter(pk=link.pk).update(author=author)
            article.topics.set([topic])
            translate_page(cls.issue, code, title=title)

    def url(self, code: str, path: str = "/this-week/2026-02-06/") -> str:
        return EDITIONS[code] + path


class ReadingEditionsTests(EditionsTestCase):
    def test_the_issue_reads_in_each_edition_and_switches_to_the_others(self):
        titles = {"en": "A closely watched call", "zh-hans": "一次备受关注的通话"}
        titles["zh-hant"] = "一次備受關注的通話"
        for code in EDITIONS:
            with self.subTest(code=code):
                response = self.client.get(self.url(code))
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, f'<html lang="{HTML_LANG[code]}"')
                self.assertContains(response, titles[code])
                for other in EDITIONS:
                    current = ' aria-current="page"' if other == code else ""
                    self.assertContains(
                        response,
                        f'<a href="{self.url(other)}" lang="{HTML_LANG[other]}" '
                        f'hreflang="{HTML_LANG[other]}"{current}>',
                        msg_prefix=f"switcher to {other}",
                    )
                    self.assertContains(
                        response,
                        f'<link rel="alternate" hreflang="{HTML_LANG[other]}" '
                        f'href="http://testserver{self.url(other)}">',
                    )
                self.assertContains(
                    response,
                    '<link rel="alternate" hreflang="x-default" '
                    'href="http://testserver/this-week/2026-02-06/">',
                )

    def test_interface_text_and_dates_follow_the_edition(self):
        expected = {
            "en": ("Friday, 6 February 2026", "Focus This Week", "Skip to content"),
            "zh-hans": ("2026年2月6日 星期五", "本周聚焦", "跳至正文"),
            "zh-hant": ("2026年2月6日 星期五", "本週聚焦", "跳至正文"),
        }
        for code, texts in expected.items():
            with self.subTest(code=code):
                response = self.client.get(self.url(code))
                for text in texts:
                    self.assertContains(response, text)

    def test_links_lead_to_the_same_edition(self):
        for code in ("zh-hans", "zh-hant"):
            with self.subTest(code=code):
                html = self.client.get(self.url(code)).content.decode()
                article = self.url(code, "/insights/starmer-in-beijing/")
                # The letter's rich-text link and the related-links block.
                self.assertEqual(html.count(f'href="{article}"'), 2, code)
                self.assertNotIn('href="/insights/starmer-in-beijing/"', html)
                self.assertIn(f'href="{EDITIONS[code]}/this-week/"', html)

    def test_feed_entries_link_to_the_same_edition(self):
        """The issue's entry in its edition's feed: the letter's link and the
        related-links block both lead to (and name) that edition's article."""
        titles = {"zh-hans": "斯塔默访华", "zh-hant": "斯塔默訪華"}
        for code in ("zh-hans", "zh-hant"):
            with self.subTest(code=code):
                xml = self.client.get(f"{EDITIONS[code]}/feeds/issues.rss").content.decode()
                article = self.url(code, "/insights/starmer-in-beijing/")
                self.assertEqual(xml.count(f"http://testserver{article}"), 2, code)
                self.assertNotIn("http://testserver/insights/starmer-in-beijing/", xml)
                self.assertIn(titles[code], xml)
                self.assertNotIn("Starmer in Beijing", xml)

    def test_an_issue_in_one_edition_only(self):
        self.assertEqual(self.client.get(self.url("en", "/this-week/2026-01-30/")).status_code, 200)
        for code in ("zh-hans", "zh-hant"):
            with self.subTest(code=code):
                missing = self.client.get(self.url(code, "/this-week/2026-01-30/"))
                self.assertEqual(missing.status_code, 404)
        english = self.client.get(self.url("en", "/this-week/2026-01-30/"))
        # The switcher falls back to the edition's section, and no hreflang claims a twin.
        self.assertContains(english, '<a href="/zh-hans/this-week/" lang="zh-Hans"')
        self.assertNotContains(english, 'hreflang="zh-Hans" href=')

    def test_authors_and_topics_in_each_edition(self):
        response = self.client.get("/zh-hans/authors/tian-shichen/")
        self.assertContains(response, "<h1>田士臣</h1>", html=False)
        self.assertContains(response, "斯塔默访华")
        self.assertNotContains(response, "Starmer in Beijing")
        topic = self.client.get("/zh-hant/insights/topics/foreign-policy/")
        self.assertContains(topic, "外交政策")
        self.assertContains(topic, "斯塔默訪華")
        # The topic's switcher keeps the topic in the other editions.
        self.assertContains(topic, 'href="/insights/topics/foreign-policy/" lang="en"')

    def test_chinese_pages_stay_within_the_budget(self):
        # A translation links to the English pages its source chose; they are
        # loaded together with their translations in the edition read (blocks
        # and rich-text links alike), so a Chinese page costs what its English
        # original does.
        for path in ("/", "/this-week/2026-02-06/", "/insights/starmer-in-beijing/", "/insights/"):
            english = count_queries(self, self.url("en", path))
            for code in ("zh-hans", "zh-hant"):
                with self.subTest(path=path, code=code):
                    chinese = count_queries(self, self.url(code, path))
                    self.assertLessEqual(chinese, QUERY_BUDGET)
                    self.assertEqual(chinese, english)


class LocalizePagesTests(EditionsTestCase):
    def test_pages_are_swapped_for_live_translations_in_one_query(self):
        chinese = Page.objects.get(
            translation_key=self.article.translation_key, locale__language_code="zh-hans"
        )
        pages = [self.article, None, self.english_only]
        with self.assertNumQueries(1):
            localized = localize_pages(pages, chinese.locale_id)
        self.assertEqual(
            [page and page.pk for page in localized], [chinese.pk, None, self.english_only.pk]
        )

    def test_nothing_to_do_in_the_pages_own_edition(self):
        with self.assertNumQueries(0):
            self.assertEqual(localize_pages([self.article], self.article.locale_id), [self.article])
        with self.assertNumQueries(0):
            self.assertEqual(localize_pages([self.article], None), [self.article])


class NewestInEditionTests(TestCase):
    """A feed's newest pages of one edition, read in date order on either database."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.articles = [
            make_article(cls.tree.insights, title=f"Article {day}", day=date(2026, 1, day))
            for day in (3, 1, 2)
        ]
        cls.translated = translate_page(cls.articles[0], "zh-hans", title="文章")

    def newest(self, code: str) -> list:
        with translation.override(code):
            return newest_pages(live_pages(InsightArticlePage), 2)

    def test_each_edition_gets_its_own_newest_pages(self):
        self.assertEqual(
            [page.pk for page in self.newest("en")], [self.articles[0].pk, self.articles[2].pk]
        )
        self.assertEqual([page.pk for page in self.newest("zh-hans")], [self.translated.pk])

    @skipUnless(connection.vendor == "sqlite", "reads SQLite's query plan")
    def test_sqlite_reads_the_date_index_not_the_locale_index(self):
        # With the locale's index SQLite reads a whole edition and sorts it to
        # find twenty pages; by the date index it stops after twenty.
        with translation.override("en"):
            query = live_pages(InsightArticlePage).order_by("-date", "-pk")[:20].query
            sql, params = query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " / ".join(row[-1] for row in cursor.fetchall())
        self.assertIn("insights_insightarticlepage_date", plan)
        self.assertNotIn("locale_id", plan)
        self.assertNotIn("TEMP B-TREE", plan)
