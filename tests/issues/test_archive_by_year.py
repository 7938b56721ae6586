"""The issue archive by year: newest issues and a year index, one page per year."""

from datetime import date, timedelta
from xml.etree import ElementTree

from django.test import TestCase, override_settings

from home.caching.urls import urls_for
from tests.edition_factories import translate
from tests.factories import breadcrumbs, build_site, make_issue
from tests.home.test_page_cache import PURGED
from tests.query_budget import QUERY_BUDGET, assert_query_budget, count_queries

PER_PAGE = 4


def issue_titles(response) -> list[str]:
    return [issue.title for _year, items in response.context["issues_by_year"] for issue in items]


@override_settings(FOCUS_LISTING_PAGE_SIZE=PER_PAGE)
class ArchiveByYearTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        # Weekly from the end of 2024 into 2026: three years.
        cls.issues = [
            make_issue(
                cls.tree.issues, day=date(2024, 12, 20) + timedelta(weeks=n), title=f"No {n}"
            )
            for n in range(0, 60, 9)
        ]
        draft = make_issue(cls.tree.issues, day=date(2026, 6, 5), title="Draft issue")
        draft.unpublish()

    def test_front_page_shows_the_newest_issues_and_every_year(self):
        response = self.client.get("/this-week/")
        newest = sorted(self.issues, key=lambda issue: issue.issue_date, reverse=True)
        self.assertEqual(issue_titles(response), [issue.title for issue in newest[:PER_PAGE]])
        self.assertNotContains(response, "Draft issue")
        years = [(item["year"], item["count"]) for item in response.context["years"]]
        by_year = {}
        for issue in self.issues:
            by_year[issue.issue_date.year] = by_year.get(issue.issue_date.year, 0) + 1
        self.assertEqual(years, sorted(by_year.items(), reverse=True))
        self.assertEqual(len(years), 3)
        for year in (2026, 2025, 2024):
            # Old links to a year's anchor still land on that year.
            self.assertContains(response, f'<li id="year-{year}"><a href="/this-week/{year}/">')

    def test_a_year_lists_all_its_issues_newest_first(self):
        response = self.client.get("/this-week/2025/")
        self.assertEqual(response.status_code, 200)
        expected = [
            issue.title
            for issue in sorted(self.issues, key=lambda i: i.issue_date, reverse=True)
            if issue.issue_date.year == 2025
        ]
        self.assertEqual(issue_titles(response), expected)
        self.assertContains(response, '<a href="/this-week/2026/" rel="prev">')
        self.assertContains(response, '<a href="/this-week/2024/" rel="next">')
        self.assertContains(response, '<a href="/this-week/2025/" aria-current="page">')
        self.assertContains(response, "<title>Focus This Week: 2025 · Focus</title>", html=True)
        self.assertContains(response, 'rel="canonical" href="http://testserver/this-week/2025/"')
        # The same address shows the same issues.
        self.assertEqual(issue_titles(self.client.get("/this-week/2025/")), expected)

    def test_a_years_breadcrumb_passes_through_the_archive(self):
        response = self.client.get("/this-week/2025/")
        crumbs = breadcrumbs(response)
        self.assertInHTML('<a href="/">Home</a>', crumbs)
        self.assertInHTML(f'<a href="/this-week/">{self.tree.issues.title}</a>', crumbs)
        self.assertInHTML('<a href="/this-week/2025/" aria-current="page">2025</a>', crumbs)

    def test_issues_keep_their_addresses(self):
        issue = self.issues[0]
        self.assertEqual(issue.url, "/this-week/2024-12-20/")
        self.assertContains(self.client.get(issue.url), issue.title)

    def test_bad_years_and_old_page_links(self):
        for path in ("/this-week/2019/", "/this-week/0000/", "/this-week/20255/", "/this-week/x/"):
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 404)
        # The archive was one long page; a numbered link lands on its front page.
        for query in ("?page=3", "?page=abc", "?page="):
            with self.subTest(query=query):
                response = self.client.get(f"/this-week/{query}")
                self.assertEqual(response.status_code, 301)
                self.assertEqual(response["Location"], "/this-week/")

    def test_publishing_an_issue_in_a_new_year_adds_it_to_the_index(self):
        self.assertEqual(self.client.get("/this-week/2027/").status_code, 404)
        make_issue(self.tree.issues, day=date(2027, 1, 1), title="New year")
        response = self.client.get("/this-week/")
        self.assertEqual(response.context["years"][0]["year"], 2027)
        self.assertEqual(issue_titles(self.client.get("/this-week/2027/")), ["New year"])
        unpublished = self.issues[0]
        unpublished.unpublish()
        self.assertEqual(self.client.get("/this-week/2024/").status_code, 404)

    def test_sitemap_lists_each_year(self):
        response = self.client.get("/sitemap.xml")
        namespace = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
        locations = {
            url.findtext("sm:loc", namespaces=namespace)
            for url in ElementTree.fromstring(response.content).findall("sm:url", namespace)
        }
        for year in (2024, 2025, 2026):
            self.assertIn(f"http://testserver/this-week/{year}/", locations)

    def test_the_cdn_purge_covers_the_year_pages(self):
        urls = urls_for([self.tree.issues.pk, self.issues[0].pk])
        for year in (2024, 2025, 2026):
            self.assertIn(f"http://testserver/this-week/{year}/", urls)

    @override_settings(
        WAGTAILFRONTENDCACHE={"test": {"BACKEND": "tests.home.test_page_cache.RecordingBackend"}}
    )
    def test_unpublishing_a_years_last_issue_purges_that_year(self):
        PURGED.clear()
        with self.captureOnCommitCallbacks(execute=True):
            self.issues[0].unpublish()
        self.assertIn("http://testserver/this-week/2024/", PURGED)

    def test_each_edition_has_its_archive(self):
        for code in ("zh-hans", "zh-hant"):
            translated = translate(self.issues[-1], code)
            with self.subTest(edition=code):
                year = translated.issue_date.year
                response = self.client.get(f"/{code}/this-week/{year}/")
                self.assertEqual(response.status_code, 200)
                self.assertEqual(issue_titles(response), [translated.title])
                front = self.client.get(f"/{code}/this-week/")
                self.assertContains(front, f'href="/{code}/this-week/{year}/"')
                # Only its own edition's years.
                self.assertEqual([item["year"] for item in front.context["years"]], [year])


@override_settings(FOCUS_LISTING_PAGE_SIZE=PER_PAGE)
class ArchiveQueryBudgetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.made = 0
        cls.add(5)

    @classmethod
    def add(cls, count: int) -> None:
        for _ in range(count):
            make_issue(cls.tree.issues, day=date(2025, 12, 26) - timedelta(weeks=cls.made))
            cls.made += 1

    def test_query_count_does_not_grow_with_the_archive(self):
        expected = {"/this-week/": ARCHIVE_QUERIES, "/this-week/2025/": ARCHIVE_YEAR_QUERIES}
        small = {url: count_queries(self, url) for url in expected}
        self.add(55)  # back to 2024: a full year and a year index of two
        large = {url: count_queries(self, url) for url in expected}
        for url, ceiling in expected.items():
            assert_query_budget(self, small[url], large[url], ceiling, url)
        self.assertEqual(
            len(self.client.get("/this-week/2025/").context["issues_by_year"][0][1]), 52
        )
        self.assertLessEqual(max(expected.values()), QUERY_BUDGET)


# Ceilings: as many as the single-page archive took for every issue.
ARCHIVE_QUERIES = 7
ARCHIVE_YEAR_QUERIES = 7
