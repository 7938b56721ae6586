"""Hostile query strings and paths never cause a server error."""

from django.test import Client, TestCase, override_settings

from tests.factories import (
    build_site,
    make_article,
    make_author,
    make_issue,
    make_question,
    make_topic,
    make_video,
)

HOSTILE_QUERIES = [
    "page=-1",
    "page=0",
    "page=abc",
    "page=1.5",
    "page=99999999999999999999999999999999",
    "page=1e309",
    "page=%ff%fe",
    "page=%00",
    "page=1&page=2&page=x",
    "topic=%ff",
    "topic=no-such-topic",
    "topic=" + "a" * 5000,
    "q=" + "%e2%82" * 500,
    "q=<script>alert(1)</script>",
    "x=" + "y" * 20000,
    "%ff=%ff",
    "=&&==",
]

HOSTILE_PATHS = [
    "/%ff/",
    "/insights/%ff%fe/",
    "/insights/topics/%ff/",
    "/insights/topics/" + "x" * 3000 + "/",
    "/insights/topics/a/b/c/d/",
    "/authors/%ff/",
    "/authors/%00/",
    "/authors/" + "a" * 3000 + "/",
    "/this-week/9999-99-99/",
    "/this-week/../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "//insights//",
    "/videos/%c0%ae%c0%ae/",
    "/questions/%0d%0aSet-Cookie:x=1/",
    "/" + "/".join(["deep"] * 200) + "/",
]


class HostileRequestTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        topic = make_topic()
        author = make_author()
        article = make_article(cls.tree.insights, authors=[author], topics=[topic])
        cls.urls = [
            "/",
            "/this-week/",
            make_issue(cls.tree.issues).url,
            "/insights/",
            article.url,
            f"/insights/topics/{topic.slug}/",
            "/authors/",
            f"/authors/{author.slug}/",
            "/videos/",
            make_video(cls.tree.videos).url,
            "/questions/",
            make_question(cls.tree.questions).url,
        ]

    def setUp(self):
        # Report errors as responses, as production does, instead of raising.
        self.client = Client(raise_request_exception=False)

    def assertNoServerError(self, url):
        response = self.client.get(url)
        self.assertLess(response.status_code, 500, url[:200])

    def test_hostile_query_strings_on_every_public_url(self):
        for url in self.urls:
            for query in HOSTILE_QUERIES:
                with self.subTest(url=url, query=query[:40]):
                    self.assertNoServerError(f"{url}?{query}")

    def test_hostile_paths(self):
        for path in HOSTILE_PATHS:
            with self.subTest(path=path[:60]):
                self.assertNoServerError(path)

    def test_hostile_paths_below_every_public_url(self):
        for url in self.urls:
            for suffix in ("%ff/", "..%2f..%2f/", "x" * 1000 + "/", "page/-1/"):
                with self.subTest(url=url, suffix=suffix[:20]):
                    self.assertNoServerError(url + suffix)

    @override_settings(FOCUS_PAGE_CACHE_ENABLED=True)
    def test_hostile_requests_through_the_page_cache(self):
        for url in self.urls:
            for query in HOSTILE_QUERIES[:8]:
                with self.subTest(url=url, query=query):
                    self.assertNoServerError(f"{url}?{query}")
                    self.assertNoServerError(f"{url}?{query}")
