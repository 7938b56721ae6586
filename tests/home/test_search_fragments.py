"""Search results kept as a listing fragment: one page of result cards per search.

The page cache is off and fragments on, so every response is rendered. A
render served from the kept cards loads none of the result pages, so it
costs the same however many pages matched; each change the cards show is in
the next render; different searches, pages and editions never share cards.
"""

from datetime import date, timedelta

from django.core.cache import caches
from django.test import override_settings
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

from tests.edition_factories import translate
from tests.factories import make_article, make_author, make_issue
from tests.home.test_listing_fragments import ListingFragmentTestCase, listing_keys

PER_PAGE = 4
SMALL, LARGE = 5, 40
SEARCH_URL = "/search/?q=empire"
# Tables only the result pages' loading reads (the ranking is kept apart).
RESULT_TABLES = ("insights_insightarticlepage", "issues_issuepage")
# A column only the loading of the result cards reads.
CARDS_SQL = '"insights_insightarticlepage"."standfirst"'
# Queries of a render served from the kept cards, at either size: the
# topics of the form, the promotions on the first page, what the rest of the
# page shows.
HIT_QUERIES = {SEARCH_URL: 3, SEARCH_URL + "&page=2": 2}
# The result pages of one type and their bylines.
CARDS_QUERIES = 2

FRAGMENTS_ON = override_settings(
    FOCUS_PAGE_CACHE_ENABLED=False,
    FOCUS_FRAGMENT_CACHE_ENABLED=True,
    FOCUS_PAGE_CACHE_CLOCK_SKEW=0,
    FOCUS_LISTING_PAGE_SIZE=PER_PAGE,
)


def result_list(html: str) -> str:
    """The kept part of the page: the ordered list of result cards."""
    start = html.index('<ol class="search-results"')
    return html[start : html.index("</ol>", start)]


@FRAGMENTS_ON
class SearchFragmentQueryTests(ListingFragmentTestCase):
    """A hit loads no result page: the same queries for 5 matches as for 40."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.author = make_author("Ana Palacio")
        cls.made = 0
        cls.add(SMALL)

    @classmethod
    def add(cls, count: int) -> None:
        for _ in range(count):
            n = cls.made
            make_article(
                cls.tree.insights,
                title=f"Empire {n:03d}",
                authors=[cls.author],
                day=date(2025, 1, 1) + timedelta(days=n),
            )
            cls.made += 1

    def counts(self, url: str) -> tuple[int, int, int]:
        """Queries of a full render, of a fragment miss and of a fragment hit."""
        # The first render warms what every render shares (the ranking, the
        # years, site fragments); the second is the full cost.
        self.full_render_queries(url)
        full = self.full_render_queries(url)
        self.clear_cards()
        miss, _html = self.render(url)
        hit, _html = self.render(url)
        loaded = [sql for sql in hit if any(table in sql for table in RESULT_TABLES)]
        self.assertFalse(loaded, f"{url}: result pages loaded")
        return full, len(miss), len(hit)

    def clear_cards(self) -> None:
        kept = listing_keys()
        caches["default"].delete_many(kept)
        self.assertFalse(kept & listing_keys())

    def test_a_hit_costs_the_same_for_5_or_40_matches(self):
        for size in (SMALL, LARGE):
            if size == LARGE:
                self.add(LARGE - SMALL)
            for url, hit_queries in HIT_QUERIES.items():
                with self.subTest(url=url, size=size):
                    full, miss, hit = self.counts(url)
                    # A miss costs what a render without fragments costs.
                    self.assertEqual(miss, full)
                    self.assertEqual(hit, hit_queries)
                    self.assertEqual(miss - hit, CARDS_QUERIES)

    def test_the_page_is_the_same_from_the_kept_cards(self):
        for url in (SEARCH_URL, SEARCH_URL + "&page=2", SEARCH_URL + "&page=99"):
            with self.settings(FOCUS_FRAGMENT_CACHE_ENABLED=False):
                _queries, full = self.render(url)
            self.render(url)
            _queries, kept = self.render(url)
            self.assertEqual(kept, full, url)
            self.assertIn("5 results for “empire”", kept)


@FRAGMENTS_ON
class SearchFragmentKeyTests(ListingFragmentTestCase):
    """Each search, filter, page number and edition keeps its own cards."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.articles = [
            make_article(
                cls.tree.insights,
                title=f"Empire article {n}",
                day=date(2025, 1, 1) + timedelta(days=n),
            )
            for n in range(PER_PAGE + 1)
        ]
        cls.issues = [
            make_issue(
                cls.tree.issues,
                day=date(2025, 2, 7) + timedelta(weeks=n),
                title=f"Empire issue {n}",
            )
            for n in range(PER_PAGE + 1)
        ]
        translate(cls.articles[0], "zh-hans", title="帝国 Empire 简体")

    def cards(self, url: str) -> str:
        return result_list(self.render(url)[1])

    def test_filters_and_pages_never_share_cards(self):
        urls = [
            f"{SEARCH_URL}&type={kind}{page}"
            for kind in ("article", "issue")
            for page in ("", "&page=2")
        ]
        first = {url: self.cards(url) for url in urls}
        self.assertEqual(len(set(first.values())), len(urls))
        self.assertIn("Empire article 4<", first[urls[0]])
        self.assertIn("Empire article 0<", first[urls[1]])
        self.assertIn("Empire issue 4<", first[urls[2]])
        self.assertIn("Empire issue 0<", first[urls[3]])
        self.assertNotIn("issue", first[urls[0]] + first[urls[1]])
        # Served from the kept cards now, each still its own.
        for url in urls:
            self.assertEqual(self.cards(url), first[url], url)
        self.assertEqual(len(listing_keys()), len(urls))

    def test_the_same_search_shares_its_cards(self):
        first = self.cards(SEARCH_URL)
        last = self.cards(SEARCH_URL + "&page=3")
        kept = listing_keys()
        # Other parameters, other spellings of the words, bad page numbers.
        for url in (
            SEARCH_URL + "&utm_source=mail",
            "/search/?q=%22Empire%22!!",
            SEARCH_URL + "&page=abc",
            SEARCH_URL + "&type=nonsense",
        ):
            self.assertEqual(self.cards(url), first, url)
        for url in (SEARCH_URL + "&page=99", SEARCH_URL + "&page=3&junk=1"):
            self.assertEqual(self.cards(url), last, url)
        self.assertEqual(listing_keys(), kept)

    def test_each_edition_keeps_its_own_cards(self):
        english = self.cards(SEARCH_URL)
        chinese = self.cards("/zh-hans/search/?q=empire")
        self.assertNotEqual(english, chinese)
        self.assertIn("帝国 Empire 简体", chinese)
        self.assertNotIn("简体", english)
        self.assertEqual(self.cards("/zh-hans/search/?q=empire"), chinese)
        self.assertEqual(self.cards(SEARCH_URL), english)

    def test_a_search_with_no_results(self):
        for _ in range(2):
            response = self.client.get("/search/?q=nothingmatchesthis&page=3")
            self.assertContains(response, "No results for “nothingmatchesthis”")
            self.assertContains(response, "Nothing matched every word.")
        self.assertEqual(listing_keys(), set())


@FRAGMENTS_ON
class SearchFragmentFreshnessTests(ListingFragmentTestCase):
    """Each change the result cards show is in the next render, never the kept copy."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.author = make_author("Ana Palacio")
        cls.coauthor = make_author("Rui Costa")
        cls.articles = [
            make_article(
                cls.tree.insights,
                title=f"Empire {n}",
                authors=[cls.author, cls.coauthor] if n == PER_PAGE else [cls.author],
                day=date(2025, 3, 1) + timedelta(days=n),
            )
            for n in range(PER_PAGE + 1)
        ]

    def test_a_matching_article_published(self):
        page_2 = SEARCH_URL + "&page=2"
        self.warm(SEARCH_URL, page_2)
        make_article(self.tree.insights, title="Empire newest", day=date(2025, 6, 1))
        self.assert_shows(SEARCH_URL, present=["Empire newest<"], absent=["Empire 1<"])
        self.assert_shows(page_2, present=["Empire 1<", "Empire 0<"])

    def test_an_article_retitled(self):
        self.warm(SEARCH_URL)
        article = self.articles[-1]
        article.title = "Empire renamed"
        article.standfirst = "A standfirst written later."
        article.save_revision().publish()
        self.assert_shows(
            SEARCH_URL,
            present=["Empire renamed<", "A standfirst written later."],
            absent=[f"Empire {PER_PAGE}<"],
        )

    def test_an_article_unpublished(self):
        self.warm(SEARCH_URL)
        self.articles[-1].unpublish()
        self.assert_shows(SEARCH_URL, present=["Empire 0<"], absent=[f"Empire {PER_PAGE}<"])

    def test_an_article_made_private(self):
        self.warm(SEARCH_URL)
        PageViewRestriction.objects.create(page=self.articles[-1], restriction_type="login")
        self.assert_shows(SEARCH_URL, present=["Empire 0<"], absent=[f"Empire {PER_PAGE}<"])

    def test_an_article_deleted(self):
        self.warm(SEARCH_URL)
        self.articles[-1].delete()
        self.assert_shows(SEARCH_URL, present=["Empire 0<"], absent=[f"Empire {PER_PAGE}<"])

    def assert_renamed(self, url: str, old: str, new: str) -> None:
        html = result_list(self.render(url)[1])
        self.assertIn(new, html, url)
        self.assertEqual(html.count(old), html.count(new), url)

    def test_the_author_renamed(self):
        self.warm(SEARCH_URL)
        self.author.name = "Ana Palacio Vallelersundi"
        self.author.save()
        self.assert_renamed(SEARCH_URL, "Ana Palacio", "Ana Palacio Vallelersundi")

    def test_a_coauthor_renamed(self):
        self.warm(SEARCH_URL)
        self.coauthor.name = "Rui Costa Pinto"
        self.coauthor.save()
        self.assert_renamed(SEARCH_URL, "Rui Costa", "Rui Costa Pinto")

    def test_a_promotion_added_and_removed(self):
        self.warm(SEARCH_URL)
        promotion = SearchPromotion.objects.create(
            query=Query.get("empire"),
            page=self.articles[0],
            description="Start here.",
            sort_order=0,
        )
        self.assert_shows(SEARCH_URL, present=["Recommended", "Start here."])
        promotion.delete()
        self.assert_shows(SEARCH_URL, absent=["Recommended", "Start here."])

    def test_the_settings_edited(self):
        # Nothing in the cards shows a setting, but the site tag also stands
        # for privacy and navigation: the cards are rendered afresh.
        self.warm(SEARCH_URL)
        self.settings_row.footer_text = "A footer written today."
        self.settings_row.save()
        html = self.assert_rendered_afresh(SEARCH_URL, CARDS_SQL)
        self.assertIn("A footer written today.", html)


@FRAGMENTS_ON
class SearchFragmentRequestTests(ListingFragmentTestCase):
    """Only readers' GET requests read or fill the kept cards."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_article(cls.tree.insights, title="Empire 0")

    def test_a_post_neither_reads_nor_fills(self):
        self.client.post(SEARCH_URL)
        self.assertEqual(listing_keys(), set())
        self.warm(SEARCH_URL)
        response = self.client.post(SEARCH_URL)
        self.assertContains(response, "Empire 0<")

    def test_disabled_keeps_nothing(self):
        with self.settings(FOCUS_FRAGMENT_CACHE_ENABLED=False):
            self.client.get(SEARCH_URL)
            self.client.get(SEARCH_URL)
        self.assertEqual(listing_keys(), set())
