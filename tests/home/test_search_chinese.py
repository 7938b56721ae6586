"""Chinese search: segmentation, one script for index and query, English untouched.

The same tests run on SQLite (FTS5) and, with DATABASE_URL set, on PostgreSQL
(tsvector): both see the segmented text the backend writes.
"""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry
from wagtail.search.query import And, Not, Phrase, PlainText

from home.search.backend import segmented_query
from home.search.chinese import index_text, query_text, query_variants, to_simplified
from home.search.query import search_terms
from insights.models import InsightArticlePage
from tests.edition_factories import translate
from tests.factories import build_site, make_article, stream
from tests.home.test_search import result_titles

SIMPLIFIED_TITLE = "中美关系的新阶段"
TRADITIONAL_TITLE = "美國債務與美元"
ENGLISH_TITLE = "Is the American Empire Following a Historic Life Cycle?"


class SegmentationTests(SimpleTestCase):
    def test_chinese_is_cut_into_words_in_simplified(self):
        words = index_text("兩國領導人通話，討論了貿易談判。").split()
        self.assertIn("贸易", words)
        self.assertIn("谈判", words)
        self.assertIn("领导人", words)
        # Punctuation is dropped rather than glued to a word.
        self.assertNotIn("，", " ".join(words))

    def test_search_mode_keeps_the_short_words_inside_long_ones(self):
        self.assertTrue({"中美", "关系"} <= set(index_text("中美关系").split()))

    def test_queries_are_cut_precisely_and_in_the_same_script(self):
        self.assertEqual(query_text("貿易談判"), query_text("贸易谈判"))
        self.assertEqual(query_text("債務"), "债务")

    def test_taiwan_and_hong_kong_variants_meet_standard_forms(self):
        self.assertEqual(to_simplified("臺灣網路綫"), to_simplified("台灣網路線"))

    def test_text_without_han_characters_is_left_alone(self):
        for text in ["Trump's call — “négociations”", "", "G20 2026"]:
            self.assertEqual(index_text(text), text)
            self.assertEqual(query_text(text), text)

    def test_mixed_text_keeps_its_latin_words(self):
        self.assertEqual(index_text("G20峰会在Rio举行").split()[0], "G20")
        self.assertIn("Rio", index_text("G20峰会在Rio举行").split())

    def test_a_word_is_marked_in_every_script(self):
        self.assertTrue({"贸易", "貿易"} <= query_variants("贸易"))

    def test_query_trees_are_rewritten_throughout(self):
        query = segmented_query(And([PlainText("貿易與債務"), Not(Phrase("債務"))]))
        self.assertEqual(query.subqueries[0].query_string, "贸易 与 债务")
        self.assertEqual(query.subqueries[1].subquery.query_string, "债务")

    def test_reader_input_keeps_chinese_words(self):
        self.assertEqual(search_terms("中美关系，贸易"), ["中美关系", "贸易"])


class ChineseSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.simplified = make_article(
            cls.tree.insights,
            title=SIMPLIFIED_TITLE,
            standfirst="两国领导人通话，讨论了贸易谈判和台湾问题。",
            body=stream(("paragraph", "<p>双方同意继续保持沟通。</p>")),
            day=date(2026, 2, 3),
            slug="zh-relations",
        )
        cls.traditional = make_article(
            cls.tree.insights,
            title=TRADITIONAL_TITLE,
            standfirst="財政部的債務上限對北京很重要。",
            body=stream(("paragraph", "<p>貿易談判仍在繼續，市場關注美元走勢。</p>")),
            day=date(2025, 11, 3),
            slug="zh-debt",
        )
        cls.english = make_article(
            cls.tree.insights,
            title=ENGLISH_TITLE,
            standfirst="Empires rise and fall; the cycle may be turning.",
            body=stream(("paragraph", "<p>Hegemony wanes as overextension sets in.</p>")),
            slug="empire",
        )

    def search(self, q: str) -> list[str]:
        response = self.client.get(reverse("search"), {"q": q})
        self.assertEqual(response.status_code, 200)
        return sorted(result_titles(response))

    def test_a_two_character_word_finds_the_articles_using_it_in_both_scripts(self):
        both = sorted([SIMPLIFIED_TITLE, TRADITIONAL_TITLE])
        self.assertEqual(self.search("贸易"), both)  # 简体 query: 简体 and 繁體 text
        self.assertEqual(self.search("貿易"), both)  # 繁體 query: both too

    def test_a_word_in_one_article_finds_only_that_article(self):
        self.assertEqual(self.search("债务"), [TRADITIONAL_TITLE])
        self.assertEqual(self.search("債務"), [TRADITIONAL_TITLE])
        self.assertEqual(self.search("台灣"), [SIMPLIFIED_TITLE])
        self.assertEqual(self.search("沟通"), [SIMPLIFIED_TITLE])

    def test_a_short_word_inside_a_longer_one_is_found(self):
        # The title says 中美关系; a reader searches for 关系 alone.
        self.assertEqual(self.search("關係"), [SIMPLIFIED_TITLE])

    def test_every_word_of_a_chinese_query_must_match(self):
        self.assertEqual(self.search("贸易 美元"), [TRADITIONAL_TITLE])
        self.assertEqual(self.search("贸易 足球"), [])

    def test_a_word_not_in_the_text_finds_nothing(self):
        self.assertEqual(self.search("足球"), [])

    def test_english_search_is_unchanged(self):
        self.assertEqual(self.search("hegemony"), [ENGLISH_TITLE])
        self.assertEqual(self.search("Empires cycle"), [ENGLISH_TITLE])

    def test_snippets_mark_the_word_in_the_script_of_the_page(self):
        # Snippets come from each page's summary (its standfirst here).
        self.assertContains(self.client.get(reverse("search"), {"q": "债务"}), "<mark>債務</mark>")
        self.assertContains(self.client.get(reverse("search"), {"q": "貿易"}), "<mark>贸易</mark>")

    def test_the_index_holds_segmented_simplified_words(self):
        entry = IndexEntry.objects.get(
            content_type=ContentType.objects.get_for_model(InsightArticlePage),
            object_id=str(self.traditional.pk),
        )
        body = entry.body_text if connection.vendor == "postgresql" else entry.body
        self.assertIn("债务", body.split())
        self.assertIn("贸易", body.split())

    def test_the_backend_segments_programmatic_queries_too(self):
        backend = get_search_backend()
        found = backend.search("財政部", InsightArticlePage.objects.live())
        self.assertEqual([page.pk for page in found], [self.traditional.pk])
        completed = backend.autocomplete("中美", InsightArticlePage.objects.live())
        self.assertEqual([page.pk for page in completed], [self.simplified.pk])


class EditionSearchTests(TestCase):
    """Each edition's search page lists that edition's pages only."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.english = make_article(
            cls.tree.insights,
            title="Trade talks resume",
            standfirst="Negotiators met on trade.",
            slug="trade",
        )
        cls.hans = translate(
            cls.english, "zh-hans", title="贸易谈判恢复", standfirst="谈判代表讨论贸易。"
        )
        cls.hant = translate(
            cls.english, "zh-hant", title="貿易談判恢復", standfirst="談判代表討論貿易。"
        )

    def titles(self, path: str, q: str) -> list[str]:
        response = self.client.get(path, {"q": q})
        self.assertEqual(response.status_code, 200)
        return result_titles(response)

    def test_each_edition_finds_its_own_translation(self):
        # The same word in either script finds only the edition's own page.
        for q in ("贸易", "貿易"):
            with self.subTest(q=q):
                self.assertEqual(self.titles("/zh-hans/search/", q), [self.hans.title])
                self.assertEqual(self.titles("/zh-hant/search/", q), [self.hant.title])
                self.assertEqual(self.titles("/search/", q), [])

    def test_english_search_lists_english_pages_only(self):
        self.assertEqual(self.titles("/search/", "trade"), [self.english.title])
        self.assertEqual(self.titles("/zh-hans/search/", "trade"), [])

    def test_results_link_to_the_edition_s_pages(self):
        response = self.client.get("/zh-hant/search/", {"q": "談判"})
        self.assertContains(response, 'href="/zh-hant/insights/trade/"')
