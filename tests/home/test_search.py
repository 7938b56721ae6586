"""Search: what it finds, how it filters, and that it never fails on odd input."""

from __future__ import annotations

import re
from datetime import date, timedelta
from unittest import skipUnless

from django.core.cache import caches
from django.db import connection
from django.http import QueryDict
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from home.search.query import MAX_QUERY_CHARS, SearchRequest, search_terms
from insights.models import InsightArticlePage
from tests.edition_factories import translate
from tests.factories import (
    build_site,
    make_article,
    make_author,
    make_issue,
    make_question,
    make_topic,
    make_video,
    stream,
)
from tests.query_budget import assert_query_budget


def result_titles(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<h3><a href="[^"]*">([^<]*)</a></h3>', html)


class SearchTermsTests(TestCase):
    def test_operators_and_punctuation_become_plain_words(self):
        self.assertEqual(search_terms('"Xi" AND -Trump* NEAR(%)'), ["xi", "and", "trump", "near"])
        self.assertEqual(search_terms("'; DROP TABLE pages; --"), ["drop", "table", "pages"])
        self.assertEqual(search_terms("😀 🇨🇳"), [])
        self.assertEqual(search_terms("Trump's call"), ["trump", "call"])
        self.assertEqual(search_terms("G 7"), ["g", "7"])

    def test_long_queries_are_cut(self):
        self.assertLessEqual(len(" ".join(search_terms("word " * 1000))), MAX_QUERY_CHARS)

    def test_control_characters_never_reach_the_database(self):
        # PostgreSQL refuses a NUL in any text: the promotions lookup answered 500.
        search = SearchRequest.from_querydict(QueryDict("q=trade%00war%0d%0a%1b"), [], [])
        self.assertEqual(search.raw, "trade war")
        self.assertEqual(search.terms, ["trade", "war"])
        self.assertEqual(self.client.get("/search/?q=a%00b").status_code, 200)


class SearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.policy = make_topic("Foreign Policy")
        cls.economy = make_topic("Finance & Economy")
        cls.ashraf = make_author("Sajjad Ashraf", "Former Adjunct Professor")
        cls.article = make_article(
            cls.tree.insights,
            title="Is the American Empire Following a Historic Life Cycle?",
            authors=[cls.ashraf],
            topics=[cls.policy],
            standfirst="Empires rise and fall; the cycle may be turning.",
            body=stream(("paragraph", "<p>Hegemony wanes as overextension sets in.</p>")),
            day=date(2026, 2, 3),
            slug="empire",
        )
        cls.older = make_article(
            cls.tree.insights,
            title="Debt and the dollar",
            topics=[cls.economy],
            standfirst="Why the debt ceiling matters to Beijing.",
            body=stream(("paragraph", "<p>Treasury holdings and hegemony.</p>")),
            day=date(2025, 11, 3),
            slug="debt",
        )
        cls.video = make_video(cls.tree.videos, title="Perceptions of China | The Fung Bros")
        cls.video.transcript = "<p>We talk about dumplings and diplomacy.</p>"
        cls.video.save_revision().publish()
        cls.question = make_question(
            cls.tree.questions, question="How should middle powers navigate relations?"
        )
        cls.issue = make_issue(
            cls.tree.issues,
            day=date(2026, 2, 6),
            letter="<p>Xi and Trump held a closely watched call.</p>",
            body=stream(
                (
                    "pull_quote",
                    {"quote": "Sovereignty is a non-negotiable baseline.", "speaker": "Analyst"},
                ),
            ),
        )

    def get(self, **params):
        return self.client.get(reverse("search"), params)

    def test_finds_an_article_by_a_word_of_its_body(self):
        response = self.get(q="overextension")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(result_titles(response), [self.article.title])
        self.assertContains(response, "Insights article")
        self.assertContains(response, "3 February 2026")
        self.assertContains(response, "Sajjad Ashraf")

    def test_finds_an_article_by_author_and_by_topic(self):
        self.assertEqual(result_titles(self.get(q="Ashraf")), [self.article.title])
        self.assertIn(self.older.title, result_titles(self.get(q="economy")))

    def test_finds_an_issue_by_its_letter_and_by_a_block(self):
        self.assertEqual(result_titles(self.get(q="closely watched")), [self.issue.title])
        self.assertEqual(result_titles(self.get(q="sovereignty")), [self.issue.title])

    def test_finds_a_video_by_its_transcript_and_a_question(self):
        self.assertEqual(result_titles(self.get(q="dumplings")), [self.video.title])
        self.assertEqual(result_titles(self.get(q="middle powers")), [self.question.title])

    def test_snippet_marks_the_words_found(self):
        response = self.get(q="empires")
        self.assertContains(response, "<mark>Empires</mark> rise and fall")

    def test_filters_by_type_topic_and_year(self):
        both = result_titles(self.get(q="hegemony"))
        self.assertCountEqual(both, [self.article.title, self.older.title])
        self.assertEqual(result_titles(self.get(q="hegemony", year="2025")), [self.older.title])
        self.assertEqual(
            result_titles(self.get(q="hegemony", topic="foreign-policy")), [self.article.title]
        )
        self.assertEqual(result_titles(self.get(q="hegemony", type="video")), [])
        self.assertContains(self.get(q="hegemony", type="video"), "with these filters")

    def test_most_recently_published_first_on_request(self):
        # "Debt and the dollar" went live after the empire article.
        titles = result_titles(self.get(q="hegemony", sort="newest"))
        self.assertEqual(titles, [self.older.title, self.article.title])
        self.article.save_revision().publish()
        titles = result_titles(self.get(q="hegemony", sort="newest"))
        self.assertEqual(titles, [self.older.title, self.article.title])

    @skipUnless(connection.vendor == "sqlite", "SQLite has no affordable relevance ranking")
    def test_sqlite_lists_matches_newest_first_without_an_order_choice(self):
        response = self.get(q="hegemony")
        self.assertEqual(result_titles(response), [self.older.title, self.article.title])
        self.assertNotContains(response, 'name="sort"')

    @skipUnless(connection.vendor == "postgresql", "relevance ranking needs PostgreSQL")
    def test_postgresql_offers_best_match_and_newest_first(self):
        self.assertContains(self.get(q="hegemony"), 'name="sort"')

    def test_drafts_are_not_found(self):
        draft = make_article(self.tree.insights, title="Secret draft about zeppelins")
        draft.unpublish()
        self.assertEqual(result_titles(self.get(q="zeppelins")), [])

    def test_editors_promotions_come_first_on_page_one(self):
        query = Query.get("empire")
        SearchPromotion.objects.create(
            query=query, page=self.older, description="Start here.", sort_order=0
        )
        response = self.get(q="Empire")
        self.assertContains(response, "Recommended")
        self.assertContains(response, "Start here.")
        html = response.content.decode()
        self.assertLess(html.index("Start here."), html.index('id="results-heading"'))

    def test_promotions_are_not_repeated_on_later_pages(self):
        SearchPromotion.objects.create(
            query=Query.get("hegemony"), page=self.older, description="Start here.", sort_order=0
        )
        with self.settings(FOCUS_LISTING_PAGE_SIZE=1):
            self.assertContains(self.get(q="hegemony"), "Start here.")
            self.assertNotContains(self.get(q="hegemony", page="2"), "Start here.")

    def test_empty_query_explains_what_search_does(self):
        response = self.get()
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Search every issue of Focus This Week")
        self.assertContains(response, '<meta name="robots" content="noindex, follow">')

    def test_no_results_suggests_what_to_do(self):
        response = self.get(q="xylophone")
        self.assertContains(response, "No results for “xylophone”")
        self.assertContains(response, "check the spelling")

    def test_odd_input_answers_with_a_page(self):
        odd_queries = [
            "%",
            '"',
            "'",
            "\"unterminated 'quotes",
            "*",
            "-",
            "NEAR(",
            "a OR b AND NOT c",
            "😀",
            "🇨🇳 China",
            "'; DROP TABLE wagtailcore_page; --",
            "<script>alert(1)</script>",
            "x" * 10_000,
            "\x00",
            "   ",
        ]
        for query in odd_queries:
            with self.subTest(query=query[:20]):
                response = self.get(q=query)
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "<script>alert(1)")

    def test_bad_filters_and_pages_are_explained_not_fatal(self):
        for params in [
            {"type": "nonsense"},
            {"topic": "no-such-topic"},
            {"year": "abc"},
            {"year": "99999999999999999999999"},
            {"year": "1850"},
            {"page": "-1"},
            {"page": "abc"},
            {"page": "99999"},
        ]:
            with self.subTest(params=params):
                response = self.get(q="hegemony", **params)
                self.assertEqual(response.status_code, 200)
        repeated = self.client.get(reverse("search") + "?q=two&q=hegemony&page=1&page=x")
        self.assertEqual(repeated.status_code, 200)
        self.assertContains(self.get(q="hegemony", year="abc"), "nothing from that year")
        self.assertContains(self.get(q="hegemony", type="zz"), "type of content is unknown")


class SearchPaginationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        author = make_author("Ann Writer")
        topic = make_topic("Peace & Security")
        for number in range(15):
            make_article(
                cls.tree.insights,
                title=f"Ceasefire report {number}",
                authors=[author],
                topics=[topic],
                day=date(2026, 1, number + 1),
            )
        make_video(cls.tree.videos, title="Ceasefire talk | A guest")
        make_issue(cls.tree.issues, letter="<p>A ceasefire holds.</p>")
        make_question(cls.tree.questions, question="Will the ceasefire hold?")

    def test_results_are_paginated_keeping_the_filters(self):
        with self.settings(FOCUS_LISTING_PAGE_SIZE=5):
            response = self.client.get(reverse("search"), {"q": "ceasefire", "type": "article"})
            self.assertContains(response, "15 results")
            self.assertEqual(len(result_titles(response)), 5)
            self.assertContains(response, "q=ceasefire&amp;type=article&amp;page=2")
            last = self.client.get(reverse("search"), {"q": "ceasefire", "page": "4"})
            self.assertEqual(len(result_titles(last)), 3)

    def count_queries(self, page_size: int, **params) -> tuple[int, int]:
        """(results shown, queries run) for a warm search request."""
        with self.settings(FOCUS_LISTING_PAGE_SIZE=page_size):
            # Warm twice, as tests/query_budget.py does: some settings are cached lazily.
            self.client.get(reverse("search"), params)
            self.client.get(reverse("search"), params)
            with CaptureQueriesContext(connection) as captured:
                response = self.client.get(reverse("search"), params)
        return len(result_titles(response)), len(captured.captured_queries)

    def test_query_count_does_not_grow_with_results_shown(self):
        shown_few, few = self.count_queries(3, q="ceasefire", type="article")
        shown_many, many = self.count_queries(15, q="ceasefire", type="article")
        self.assertEqual((shown_few, shown_many), (3, 15))
        assert_query_budget(self, few, many, ARTICLE_SEARCH_QUERIES, "article search")

    def test_every_type_on_one_page_costs_a_fixed_number_of_queries(self):
        # A ceiling only: fewer results may leave a type (and its query) out,
        # depending on the database's ranking; growth with results is checked
        # on one type above.
        shown, count = self.count_queries(20, q="ceasefire")
        self.assertEqual(shown, 18)
        self.assertLessEqual(count, MIXED_SEARCH_QUERIES)

    def test_query_count_does_not_grow_with_the_archive(self):
        params = {"q": "ceasefire", "type": "article", "page": "2"}
        _shown, small = self.count_queries(5, **params)
        for number in range(15, 60):
            make_article(
                self.tree.insights,
                title=f"Ceasefire report {number}",
                day=date(2025, 1, 1) + timedelta(days=number),
            )
        shown, large = self.count_queries(5, **params)
        self.assertEqual(shown, 5)
        # Promotions are looked up on the first page only.
        assert_query_budget(self, small, large, ARTICLE_SEARCH_QUERIES - 1, "second page")

    def test_the_same_address_shows_the_same_results(self):
        with self.settings(FOCUS_LISTING_PAGE_SIZE=4):
            url = reverse("search") + "?q=ceasefire&sort=newest&page=2"
            first = result_titles(self.client.get(url))
            self.assertEqual(len(first), 4)
            self.assertEqual(result_titles(self.client.get(url)), first)
            pages = [
                result_titles(self.client.get(reverse("search"), {"q": "ceasefire", "page": n}))
                for n in range(1, 6)
            ]
            everything = [title for page in pages for title in page]
            self.assertEqual(len(everything), 18)
            self.assertEqual(len(set(everything)), 18)

    def test_bad_page_numbers_give_a_page(self):
        with self.settings(FOCUS_LISTING_PAGE_SIZE=5):
            first = result_titles(self.client.get(reverse("search"), {"q": "ceasefire"}))
            last = result_titles(self.client.get(reverse("search"), {"q": "ceasefire", "page": 4}))
            for number, expected in (("x", first), ("0", last), ("-1", last), ("9" * 30, last)):
                with self.subTest(page=number):
                    response = self.client.get(
                        reverse("search"), {"q": "ceasefire", "page": number}
                    )
                    self.assertEqual(response.status_code, 200)
                    self.assertEqual(result_titles(response), expected)

    def test_a_new_page_is_found_at_once(self):
        params = {"q": "ceasefire", "type": "article"}
        self.assertContains(self.client.get(reverse("search"), params), "15 results")
        article = make_article(self.tree.insights, title="Ceasefire broken", day=date(2027, 1, 1))
        self.assertContains(self.client.get(reverse("search"), params), "16 results")
        article.unpublish()
        self.assertContains(self.client.get(reverse("search"), params), "15 results")

    @override_settings(FOCUS_SEARCH_MAX_RESULTS=7)
    def test_results_past_the_limit_are_not_paged_and_said_to_be_more(self):
        with self.settings(FOCUS_LISTING_PAGE_SIZE=5):
            response = self.client.get(reverse("search"), {"q": "ceasefire", "page": 9})
            self.assertContains(response, "More than 7 results for “ceasefire”")
            self.assertNotContains(response, "18 results")
            self.assertEqual(response.context["results"].number, 2)
            self.assertEqual(len(result_titles(response)), 2)
            # The address of each page stays as it was.
            self.assertContains(response, "?q=ceasefire&amp;page=1")

    def test_the_cap_is_said_only_when_more_matched(self):
        for limit, params, heading in (
            (7, {"q": "ceasefire"}, "More than 7 results for “ceasefire”"),
            (15, {"q": "ceasefire", "type": "article"}, "15 results for “ceasefire”"),
            (16, {"q": "ceasefire", "type": "article"}, "15 results for “ceasefire”"),
            (1000, {"q": "ceasefire"}, "18 results for “ceasefire”"),
        ):
            with self.subTest(limit=limit, **params), self.settings(FOCUS_SEARCH_MAX_RESULTS=limit):
                response = self.client.get(reverse("search"), params)
                self.assertContains(response, heading)
                if not heading.startswith("More"):
                    self.assertNotContains(response, "More than")

    def test_the_cap_is_said_in_each_edition(self):
        articles = InsightArticlePage.objects.filter(title__startswith="Ceasefire")[:3]
        for code, heading in (
            ("zh-hans", "“ceasefire”的搜索结果超过2条"),
            ("zh-hant", "「ceasefire」的搜尋結果超過2條"),
        ):
            for article in articles:
                translate(article, code)
            with self.subTest(code=code), self.settings(FOCUS_SEARCH_MAX_RESULTS=2):
                response = self.client.get(f"/{code}/search/", {"q": "ceasefire"})
                self.assertContains(response, heading)

    @override_settings(FOCUS_SEARCH_MAX_RESULTS=20)
    def test_a_first_search_costs_the_same_at_two_archive_sizes(self):
        def first_search() -> tuple[str, int]:
            # One type of page, so both sizes show the same kinds of result.
            params = {"q": "ceasefire", "type": "article"}
            self.client.get(reverse("search"), params)  # settings and topics, as warm as usual
            # A new search: nothing of it in the cache (as after any publication).
            caches["default"].clear()
            with CaptureQueriesContext(connection) as captured:
                response = self.client.get(reverse("search"), params)
            return response.context["results"].paginator.capped, len(captured.captured_queries)

        small_capped, small = first_search()  # 15 matches: all ranked, and so counted
        for number in range(15, 60):
            make_article(
                self.tree.insights,
                title=f"Ceasefire report {number}",
                day=date(2025, 1, 1) + timedelta(days=number),
            )
        large_capped, large = first_search()  # 60 matches: the first 20 ranked, none counted
        self.assertEqual((small_capped, large_capped), (False, True))
        self.assertEqual(small, large)


# Site, topics, promotions, then one query per type of page shown (and one
# for articles' bylines). The years searched and the ranked matches and their
# count come from the cache: nothing depends on page size or on how many
# pages match.
ARTICLE_SEARCH_QUERIES = 5
MIXED_SEARCH_QUERIES = 8


@skipUnless(connection.vendor == "postgresql", "stemming needs PostgreSQL full-text search")
class PostgresSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.article = make_article(
            cls.tree.insights,
            title="Red lines",
            standfirst="Sovereignty is non-negotiable for both sides.",
            body=stream(("paragraph", "<p>Neither capital will call it negotiable.</p>")),
        )

    def test_stemming_finds_other_forms_of_a_word(self):
        response = self.client.get(reverse("search"), {"q": "negotiating"})
        self.assertEqual(result_titles(response), ["Red lines"])
