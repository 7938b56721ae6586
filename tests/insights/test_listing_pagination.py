"""Insights listings page by key: flat query counts, stable addresses, fresh after changes."""

from datetime import date, timedelta

from django.test import TestCase, override_settings
from wagtail.models import PageViewRestriction

from insights.models import InsightArticlePage
from tests.factories import build_site, make_article, make_author, make_topic
from tests.query_budget import QUERY_BUDGET, assert_query_budget, count_queries

SMALL, LARGE = 5, 60
PER_PAGE = 4


def titles(response) -> list[str]:
    return [article.title for article in response.context["articles"]]


@override_settings(FOCUS_LISTING_PAGE_SIZE=PER_PAGE)
class ListingPaginationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.topic = make_topic("Foreign Policy")
        cls.author = make_author("Sajjad Ashraf")
        cls.made = 0
        cls.add(SMALL)

    @classmethod
    def add(cls, count: int) -> None:
        for _ in range(count):
            n = cls.made
            # Three articles a day: the order must break ties on the same date.
            make_article(
                cls.tree.insights,
                title=f"Article {n:03d}",
                authors=[cls.author],
                topics=[cls.topic],
                day=date(2025, 1, 1) + timedelta(days=n // 3),
            )
            cls.made += 1

    def grow(self) -> None:
        self.add(LARGE - SMALL)

    def every_page(self, url: str) -> list[str]:
        first = self.client.get(url)
        pages = first.context["articles"].paginator.num_pages
        seen = titles(first)
        join = "&" if "?" in url else "?"
        for number in range(2, pages + 1):
            seen += titles(self.client.get(f"{url}{join}page={number}"))
        return seen

    def test_query_count_does_not_grow_with_the_archive(self):
        # Deep pages are the ones an OFFSET paginator makes slower; at the
        # small size ?page=15 is clamped to the last page.
        expected = {
            "/insights/": LISTING_QUERIES,
            "/insights/?page=15": LISTING_QUERIES,
            "/insights/?topic=foreign-policy&page=2": LISTING_QUERIES,
            "/insights/topics/foreign-policy/?page=15": TOPIC_QUERIES,
            "/authors/sajjad-ashraf/?page=15": AUTHOR_QUERIES,
        }
        self.maxDiff = None
        small = {url: count_queries(self, url) for url in expected}
        self.grow()
        self.assertEqual(self.client.get("/insights/?page=15").context["articles"].number, 15)
        large = {url: count_queries(self, url) for url in expected}
        for url, ceiling in expected.items():
            assert_query_budget(self, small[url], large[url], ceiling, url)
        self.assertLessEqual(max(expected.values()), QUERY_BUDGET)

    def test_pages_cover_every_article_once_newest_first(self):
        self.grow()
        expected = list(
            InsightArticlePage.objects.live()
            .order_by("-date", "-pk")
            .values_list("title", flat=True)
        )
        for url in (
            "/insights/",
            "/insights/topics/foreign-policy/",
            "/insights/?topic=foreign-policy",
            "/authors/sajjad-ashraf/",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.every_page(url), expected)

    def test_same_address_same_articles(self):
        self.grow()
        for url in ("/insights/?page=7", "/insights/topics/foreign-policy/?page=3"):
            with self.subTest(url=url):
                first = titles(self.client.get(url))
                self.assertEqual(len(first), PER_PAGE)
                self.assertEqual(titles(self.client.get(url)), first)
                # Another parameter (a tracking tag) does not move the page.
                self.assertEqual(titles(self.client.get(f"{url}&utm_source=mail")), first)

    def test_bad_page_numbers_give_a_page_not_an_error(self):
        last = titles(self.client.get("/insights/?page=2"))
        first = titles(self.client.get("/insights/"))
        for number, expected in (
            ("abc", first),
            ("", first),
            ("1.5", first),
            ("0", last),
            ("-3", last),
            ("99999", last),
            ("9" * 40, last),
        ):
            with self.subTest(page=number):
                response = self.client.get("/insights/", {"page": number})
                self.assertEqual(response.status_code, 200)
                self.assertEqual(titles(response), expected)

    def test_publishing_and_unpublishing_move_the_pages(self):
        before = self.every_page("/insights/")
        newest = make_article(
            self.tree.insights, title="Brand new", topics=[self.topic], day=date(2027, 1, 1)
        )
        self.assertEqual(self.every_page("/insights/"), ["Brand new", *before])
        self.assertEqual(
            titles(self.client.get("/insights/topics/foreign-policy/"))[0], "Brand new"
        )
        newest.unpublish()
        self.assertEqual(self.every_page("/insights/"), before)

    def test_a_private_section_leaves_the_count(self):
        response = self.client.get("/insights/")
        self.assertEqual(response.context["articles"].paginator.count, SMALL)
        PageViewRestriction.objects.create(
            page=self.tree.insights, restriction_type=PageViewRestriction.LOGIN
        )
        # The listing itself is now private; the author page still lists in public.
        response = self.client.get("/authors/sajjad-ashraf/")
        self.assertEqual(response.context["articles"].paginator.count, 0)


# One query fewer than Django's paginator: the page keys and the count come
# from the cache instead of a COUNT over every article. (No lead images here:
# one query fewer than tests/insights/test_query_budget.py.)
LISTING_QUERIES = 10
TOPIC_QUERIES = 11
AUTHOR_QUERIES = 5
