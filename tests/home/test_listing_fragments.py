"""Listing fragments: a year of issues and an author's cards, kept between uncached renders.

The page cache is off and fragments on, so every response is rendered. A
render served from the listing's fragment loads none of the listed rows, so
it costs the same however many items the listing shows; each change a
listing shows is in the next render.
"""

from datetime import date, timedelta

from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.coreutils import get_dummy_request
from wagtail.models import PageViewRestriction, Site

from home.caching.fragments import LISTING_FRAGMENT_PREFIX, Listing, listing_fragment
from home.caching.tags import tag_versions
from home.models import SiteSettings
from issues.models import IssueIndexPage
from tests.factories import (
    build_site,
    make_article,
    make_author,
    make_issue,
    make_topic,
    publish,
)

PER_PAGE = 4
SMALL, LARGE = 5, 40
YEAR_URL = "/this-week/2025/"
AUTHOR_URL = "/authors/ana-palacio/"

FRAGMENTS_ON = override_settings(
    FOCUS_PAGE_CACHE_ENABLED=False,
    FOCUS_FRAGMENT_CACHE_ENABLED=True,
    FOCUS_PAGE_CACHE_CLOCK_SKEW=0,
    FOCUS_LISTING_PAGE_SIZE=PER_PAGE,
)

# Queries of a render served from the listing's fragment, at either size:
# routing, the site, the page or author, and what the rest of the page shows.
YEAR_HIT_QUERIES = 6
AUTHOR_HIT_QUERIES = 2
# The listed rows: one query for the year's issues; the cards and their
# bylines and topics for the author's page (and renditions, when a card has
# a lead image: these have none).
YEAR_ROWS_QUERIES = 1
AUTHOR_ROWS_QUERIES = 3
# A column only the listed rows' query reads (not the year index's or the
# listing keys' queries on the same tables).
YEAR_ROWS_SQL = '"issues_issuepage"."summary"'
AUTHOR_ROWS_SQL = '"insights_insightarticlepage"."standfirst"'


def listing_keys() -> set[str]:
    """The listing fragments kept, as the cache's callers name them."""
    cache = caches["default"]
    return {
        key.split(":", 2)[2]
        for key in cache._cache
        if key.split(":", 2)[2].startswith(LISTING_FRAGMENT_PREFIX)
    }


class ListingFragmentTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        # Created on first use otherwise, which itself (rightly) clears the cache.
        cls.settings_row = SiteSettings.for_site(Site.objects.get(is_default_site=True))

    def setUp(self):
        # Start the tag epoch before any render: what the first render keeps
        # (the listing's keys, the year index) is then fresh on the second.
        tag_versions(())

    def render(self, url: str) -> tuple[list[str], str]:
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return [query["sql"] for query in captured.captured_queries], response.content.decode()

    def full_render_queries(self, url: str) -> int:
        with self.settings(FOCUS_FRAGMENT_CACHE_ENABLED=False):
            return len(self.render(url)[0])

    def warm(self, *urls: str) -> None:
        """Render each URL until it is served from its listing fragment."""
        for url in urls:
            self.client.get(url)
            hit, _html = self.render(url)
            self.assertLess(len(hit), self.full_render_queries(url), f"{url}: fragment not used")

    def assert_rendered_afresh(self, url: str, rows_sql: str) -> str:
        """The page's HTML, its list rendered, not served from the fragment."""
        queries, html = self.render(url)
        self.assertTrue([sql for sql in queries if rows_sql in sql], f"{url}: list not rendered")
        return html

    def assert_shows(self, url: str, present=(), absent=()) -> None:
        _queries, html = self.render(url)
        for text in present:
            self.assertIn(text, html, url)
        for text in absent:
            self.assertNotIn(text, html, url)


@FRAGMENTS_ON
class ListingFragmentQueryTests(ListingFragmentTestCase):
    """A hit loads no listed row: the same queries for 5 items as for 40."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.topic = make_topic("Peace & Security", slug="peace-security")
        cls.author = make_author("Ana Palacio")
        cls.made = 0
        cls.add(SMALL)

    @classmethod
    def add(cls, count: int) -> None:
        for _ in range(count):
            n = cls.made
            make_issue(cls.tree.issues, day=date(2025, 1, 3) + timedelta(weeks=n), title=f"No {n}")
            make_article(
                cls.tree.insights,
                title=f"Article {n:03d}",
                authors=[cls.author],
                topics=[cls.topic],
                day=date(2025, 1, 1) + timedelta(days=n),
            )
            cls.made += 1

    def counts(self, url: str, listed_table: str) -> tuple[int, int, int]:
        """Queries of a full render, of a fragment miss and of a fragment hit."""
        # The first render warms what every render shares (the listing's
        # keys, the year index, site fragments); the second is the full cost.
        self.full_render_queries(url)
        full = self.full_render_queries(url)
        kept = listing_keys()
        caches["default"].delete_many(kept)
        self.assertFalse(kept & listing_keys())
        miss, _html = self.render(url)
        hit, _html = self.render(url)
        self.assertFalse([sql for sql in hit if listed_table in sql], f"{url}: rows loaded")
        return full, len(miss), len(hit)

    def test_a_hit_costs_the_same_for_5_or_40_items(self):
        urls = {
            YEAR_URL: ("issues_issuepage", YEAR_HIT_QUERIES, YEAR_ROWS_QUERIES),
            AUTHOR_URL: ("insights_insightarticlepage", AUTHOR_HIT_QUERIES, AUTHOR_ROWS_QUERIES),
            AUTHOR_URL + "?page=2": (
                "insights_insightarticlepage",
                AUTHOR_HIT_QUERIES,
                AUTHOR_ROWS_QUERIES,
            ),
        }
        for size in (SMALL, LARGE):
            if size == LARGE:
                self.add(LARGE - SMALL)
            for url, (table, hit_queries, rows_queries) in urls.items():
                with self.subTest(url=url, size=size):
                    full, miss, hit = self.counts(url, table)
                    # A miss costs what a render without fragments costs.
                    self.assertEqual(miss, full)
                    self.assertEqual(hit, hit_queries)
                    self.assertEqual(miss - hit, rows_queries)

    def cards(self, url: str) -> str:
        html = self.render(url)[1]
        return html[html.index('<ul class="cards">') : html.index("</main>")]

    def test_each_page_number_keeps_its_own_cards(self):
        first = self.cards(AUTHOR_URL)
        second = self.cards(AUTHOR_URL + "?page=2")
        self.assertIn("Article 004", first)
        self.assertNotIn("Article 000", first)
        self.assertIn("Article 000", second)
        self.assertNotIn("Article 004", second)
        self.assertIn("Page 1 of 2", first)
        self.assertIn("Page 2 of 2", second)
        # Served from the fragments now, still each its own.
        self.assertEqual(self.cards(AUTHOR_URL), first)
        self.assertEqual(self.cards(AUTHOR_URL + "?page=2"), second)
        # A bad number gives the first or last page, and shares its fragment.
        for query in ("?page=abc", "?page="):
            self.assertEqual(self.cards(AUTHOR_URL + query), first, query)
        for query in ("?page=0", "?page=-1", "?page=99"):
            self.assertEqual(self.cards(AUTHOR_URL + query), second, query)
        self.assertEqual(len(listing_keys()), 2)

    def test_a_hit_hands_its_tags_to_the_page_cache(self):
        # Warm the fragments with the page cache off, then cache the whole page
        # from a fragment hit: a change the fragment shows must clear it.
        self.warm(YEAR_URL, AUTHOR_URL)
        with self.settings(FOCUS_PAGE_CACHE_ENABLED=True):
            for url in (YEAR_URL, AUTHOR_URL):
                self.client.get(url)
                self.assertEqual(self.client.get(url)["X-Cache"], "HIT", url)
            self.topic.name = "Security & Peace"
            self.topic.save()
            response = self.client.get(AUTHOR_URL)
            self.assertEqual(response["X-Cache"], "MISS")
            self.assertContains(response, "Security &amp; Peace")
            issue = make_issue(self.tree.issues, day=date(2025, 12, 26), title="Late issue")
            response = self.client.get(YEAR_URL)
            self.assertEqual(response["X-Cache"], "MISS")
            self.assertContains(response, issue.title)


@FRAGMENTS_ON
class ListingFragmentFreshnessTests(ListingFragmentTestCase):
    """Each change a listing shows is in the next render, never the kept copy."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.topic = make_topic("Peace & Security", slug="peace-security")
        cls.author = make_author("Ana Palacio")
        cls.coauthor = make_author("Rui Costa")
        cls.issues = [
            make_issue(cls.tree.issues, day=date(2025, 3, 7) + timedelta(weeks=n), title=f"No {n}")
            for n in range(3)
        ]
        cls.articles = [
            make_article(
                cls.tree.insights,
                title=f"Article {n}",
                authors=[cls.author, cls.coauthor] if n == 0 else [cls.author],
                topics=[cls.topic],
                day=date(2025, 3, 1) + timedelta(days=n),
            )
            for n in range(PER_PAGE + 1)
        ]

    def test_an_issue_published_in_that_year(self):
        self.warm(YEAR_URL)
        make_issue(self.tree.issues, day=date(2025, 11, 7), title="A new issue")
        self.assert_shows(YEAR_URL, present=["A new issue"])

    def test_an_issue_retitled(self):
        self.warm(YEAR_URL)
        issue = self.issues[1]
        issue.title = "A better issue title"
        issue.summary = "A summary written later."
        issue.save_revision().publish()
        self.assert_shows(
            YEAR_URL, present=["A better issue title", "A summary written later."], absent=["No 1<"]
        )

    def test_an_issue_unpublished(self):
        self.warm(YEAR_URL)
        self.issues[1].unpublish()
        self.assert_shows(YEAR_URL, present=["No 0<", "No 2<"], absent=["No 1<"])

    def test_an_issue_moved(self):
        self.warm(YEAR_URL)
        elsewhere = publish(self.tree.home, IssueIndexPage(title="Old issues", slug="old-issues"))
        self.issues[1].move(elsewhere, pos="last-child")
        self.assert_shows(YEAR_URL, present=["No 0<"], absent=["No 1<"])

    def test_an_issue_deleted(self):
        self.warm(YEAR_URL)
        self.issues[1].delete()
        self.assert_shows(YEAR_URL, present=["No 0<"], absent=["No 1<"])

    def test_an_issue_made_private(self):
        self.warm(YEAR_URL)
        PageViewRestriction.objects.create(page=self.issues[1], restriction_type="login")
        self.assert_shows(YEAR_URL, present=["No 0<"], absent=["No 1<"])

    def test_an_article_published_by_the_author(self):
        page_2 = AUTHOR_URL + "?page=2"
        self.warm(AUTHOR_URL, page_2)
        make_article(
            self.tree.insights,
            title="The newest analysis",
            authors=[self.author],
            day=date(2025, 6, 1),
        )
        self.assert_shows(AUTHOR_URL, present=["The newest analysis"], absent=["Article 1<"])
        # Each card moved one place along: the first page's last is now the second's.
        self.assert_shows(page_2, present=["Article 1<", "Article 0<"])

    def test_an_article_retitled(self):
        self.warm(AUTHOR_URL)
        article = self.articles[-1]
        article.title = "A better article title"
        article.save_revision().publish()
        self.assert_shows(AUTHOR_URL, present=["A better article title"])

    def test_an_article_unpublished(self):
        self.warm(AUTHOR_URL)
        self.articles[-1].unpublish()
        self.assert_shows(AUTHOR_URL, absent=[f"Article {PER_PAGE}<"])

    def test_an_article_made_private(self):
        self.warm(AUTHOR_URL)
        PageViewRestriction.objects.create(page=self.articles[-1], restriction_type="login")
        self.assert_shows(AUTHOR_URL, absent=[f"Article {PER_PAGE}<"])

    def assert_renamed(self, url: str, old: str, new: str) -> None:
        """Every mention of ``old`` on the page is now ``new`` (bylines, in any order)."""
        _queries, html = self.render(url)
        self.assertIn(new, html, url)
        self.assertEqual(html.count(old), html.count(new), url)

    def test_the_author_renamed(self):
        self.warm(AUTHOR_URL + "?page=2")
        self.author.name = "Ana Palacio Vallelersundi"
        self.author.save()
        # The bylines on the cards, not only the heading.
        self.assert_renamed(AUTHOR_URL + "?page=2", "Ana Palacio", "Ana Palacio Vallelersundi")

    def test_a_coauthor_renamed(self):
        self.warm(AUTHOR_URL + "?page=2")
        self.coauthor.name = "Rui Costa Pinto"
        self.coauthor.save()
        self.assert_renamed(AUTHOR_URL + "?page=2", "Rui Costa", "Rui Costa Pinto")

    def test_a_topic_renamed(self):
        self.warm(AUTHOR_URL)
        self.topic.name = "Security & Peace"
        self.topic.save()
        self.assert_shows(AUTHOR_URL, present=["Security &amp; Peace"], absent=["Peace &amp; Sec"])

    def test_the_settings_edited(self):
        # Nothing in the lists shows a setting, but the site tag also stands
        # for privacy and navigation: the lists are rendered afresh.
        self.warm(YEAR_URL, AUTHOR_URL)
        self.settings_row.footer_text = "A footer written today."
        self.settings_row.save()
        for url, rows in ((YEAR_URL, YEAR_ROWS_SQL), (AUTHOR_URL, AUTHOR_ROWS_SQL)):
            html = self.assert_rendered_afresh(url, rows)
            self.assertIn("A footer written today.", html)


@FRAGMENTS_ON
class ListingFragmentRequestTests(ListingFragmentTestCase):
    """Only readers' GET requests read or fill listing fragments."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.author = make_author("Ana Palacio")
        make_issue(cls.tree.issues, day=date(2025, 3, 7), title="No 0")
        make_article(cls.tree.insights, title="Article 0", authors=[cls.author])

    def post_queries(self, url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            self.client.post(url)
        return len(captured.captured_queries)

    def test_a_post_neither_reads_nor_fills(self):
        urls = (YEAR_URL, AUTHOR_URL)
        full = {url: [self.full_render_queries(url) for _ in range(2)][-1] for url in urls}
        for url in urls:
            self.assertEqual(self.post_queries(url), full[url], url)
        self.assertEqual(listing_keys(), set())
        self.warm(*urls)
        for url in urls:
            # Rendered in full, not from the fragment kept by the GETs.
            self.assertEqual(self.post_queries(url), full[url], url)

    def test_a_preview_neither_reads_nor_fills(self):
        listing = Listing(name="preview-test", parts=(1,), tags=())
        request = RequestFactory().get(YEAR_URL)
        request.is_preview = True
        builds = []

        def build() -> str:
            builds.append(1)
            return "<p>built</p>"

        self.assertEqual(listing_fragment(request, listing, build), "<p>built</p>")
        self.assertEqual(listing_keys(), set())
        del request.is_preview
        listing_fragment(request, listing, build)
        self.assertEqual(len(listing_keys()), 1)
        request.is_preview = True
        listing_fragment(request, listing, build)
        self.assertEqual(len(builds), 3)

    def test_the_year_route_previewed_keeps_nothing(self):
        index = self.tree.issues
        request = get_dummy_request(path=YEAR_URL, site=Site.objects.get(is_default_site=True))
        request.is_preview = True
        response = index.year(request, "2025")
        response.render()
        self.assertContains(response, "No 0")
        self.assertEqual(listing_keys(), set())

    def test_disabled_keeps_nothing(self):
        with self.settings(FOCUS_FRAGMENT_CACHE_ENABLED=False):
            for url in (YEAR_URL, AUTHOR_URL):
                self.client.get(url)
                self.client.get(url)
        self.assertEqual(listing_keys(), set())
