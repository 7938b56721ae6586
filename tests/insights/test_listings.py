"""Insights index, topic pages and author pages: filtering, pagination, 404s, fixed queries."""

from datetime import date

from django.test import TestCase, override_settings

from tests.factories import breadcrumbs, build_site, make_article, make_author, make_topic


class InsightsListingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.policy = make_topic("Foreign Policy")
        cls.economy = make_topic("Finance & Economy", "finance-economy")
        cls.author = make_author("Lawrence Lau", "Professor of Economics")
        cls.other = make_author("Zhai Kun", "Professor, Peking University")
        cls.old = make_article(
            cls.tree.insights,
            title="Old policy piece",
            topics=[cls.policy],
            authors=[cls.author],
            day=date(2025, 1, 1),
        )
        cls.new = make_article(
            cls.tree.insights,
            title="New economy piece",
            topics=[cls.economy],
            authors=[cls.other],
            day=date(2026, 2, 1),
        )

    def test_index_lists_newest_first_with_topic_navigation(self):
        html = self.client.get("/insights/").content.decode()
        self.assertLess(html.index("New economy piece"), html.index("Old policy piece"))
        self.assertIn('href="/insights/topics/finance-economy/"', html)

    def test_topic_filter_and_topic_page(self):
        for url in ("/insights/?topic=foreign-policy", "/insights/topics/foreign-policy/"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(response, "Old policy piece")
                self.assertNotContains(response, "New economy piece")

    def test_a_topics_breadcrumb_passes_through_insights(self):
        response = self.client.get("/insights/topics/foreign-policy/")
        crumbs = breadcrumbs(response)
        self.assertInHTML('<a href="/">Home</a>', crumbs)
        self.assertInHTML(f'<a href="/insights/">{self.tree.insights.title}</a>', crumbs)
        self.assertIn('aria-current="page"', crumbs)

    def test_unknown_topic_is_a_designed_404(self):
        for url in ("/insights/topics/no-such-topic/", "/insights/?topic=no-such-topic"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 404)
                self.assertContains(response, "We could not find that page", status_code=404)

    def test_author_page_lists_their_articles(self):
        response = self.client.get("/authors/lawrence-lau/")
        self.assertContains(response, "Professor of Economics")
        self.assertContains(response, "Old policy piece")
        self.assertNotContains(response, "New economy piece")
        self.assertContains(self.client.get("/authors/"), 'href="/authors/zhai-kun/"')

    def test_unknown_author_is_404(self):
        self.assertEqual(self.client.get("/authors/nobody/").status_code, 404)

    def test_bad_page_numbers_never_fail(self):
        for page in ("abc", "-1", "0", "99999", "1e9", "%00"):
            with self.subTest(page=page):
                response = self.client.get("/insights/", {"page": page})
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "piece")

    @override_settings(FOCUS_LISTING_PAGE_SIZE=1)
    def test_pagination_links(self):
        response = self.client.get("/insights/")
        self.assertContains(response, "Page 1 of 2")
        self.assertContains(response, 'href="?page=2" rel="next"')
        response = self.client.get("/insights/?topic=foreign-policy")
        self.assertNotContains(response, "Page 1 of")
