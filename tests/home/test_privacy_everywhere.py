"""A page made private leaves every public place that showed it, cached or not.

Sitemaps, listings, topic and author pages, an article's related links and
neighbours, an issue's blocks (chart callout, related links, featured reader
responses) and its previous/next links, the home page, search and feeds.
"""

from datetime import date

from django.core.cache import caches
from django.test import TestCase
from wagtail.models import PageViewRestriction, Site

from home.models import SiteSettings
from insights.models import RelatedArticle
from issues.models import ResponseStatus
from tests.factories import (
    build_site,
    list_items,
    make_article,
    make_author,
    make_issue,
    make_question,
    make_response,
    make_topic,
    stream,
)
from tests.home.test_page_cache import CACHE_ON

MARKER = "Zeppelin"


@CACHE_ON
class PrivacyEverywhereTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        tree = build_site()
        topic = make_topic("Trade", slug="trade")
        author = make_author("Ana Palacio")
        cls.secret = make_article(
            tree.insights,
            title=f"{MARKER} airship analysis",
            slug="zeppelin-analysis",
            authors=[author],
            topics=[topic],
            day=date(2026, 2, 10),
        )
        cls.neighbour = make_article(
            tree.insights, title="Neighbour", authors=[author], topics=[topic], day=date(2026, 2, 3)
        )
        # Editors' pick, and the next article in the listing's order.
        cls.neighbour.related_articles = [RelatedArticle(article=cls.secret)]
        cls.neighbour.save_revision().publish()
        cls.question = make_question(
            tree.questions, slug="zeppelin-question", question=f"{MARKER} question for readers?"
        )
        make_response(
            cls.question, "Reader One", ResponseStatus.FEATURED, response=f"{MARKER} reply"
        )
        cls.issue = make_issue(
            tree.issues,
            day=date(2026, 2, 6),
            body=stream(
                (
                    "chart_callout",
                    {
                        "headline": "Debt",
                        "data": list_items([{"label": "A", "value": "1"}]),
                        "source_note": "FRED",
                        "article": cls.secret.pk,
                    },
                ),
                (
                    "related_links",
                    {
                        "heading": "More",
                        "intro": "",
                        "links": list_items([{"page": cls.secret.pk, "url": "", "label": ""}]),
                    },
                ),
                ("reader_responses", {"question": cls.question.pk, "count": 3}),
            ),
        )
        # The newest issue: the home page's and the next link of the one above.
        cls.secret_issue = make_issue(tree.issues, day=date(2026, 2, 13), title=f"{MARKER} issue")
        SiteSettings.for_site(Site.objects.get(is_default_site=True))
        cls.places = [
            "/",
            "/insights/",
            "/insights/topics/trade/",
            "/authors/ana-palacio/",
            cls.neighbour.url,
            cls.issue.url,
            "/this-week/",
            "/questions/",
            # The query itself is echoed back: search a word of the title alone.
            "/search/?q=airship",
            "/sitemap.xml",
            "/feeds/all.rss",
            "/feeds/insights.atom",
            "/feeds/issues.rss",
            "/feeds/authors/ana-palacio.rss",
            "/feeds/topics/trade.json",
        ]

    def setUp(self):
        caches["default"].clear()
        caches["counters"].clear()

    def shows_a_private_page(self, body: str) -> bool:
        return any(
            text in body
            for text in (MARKER, self.secret.url, self.question.url, self.secret_issue.url)
        )

    def test_private_pages_leave_every_place_and_its_cached_copy(self):
        for url in self.places:
            first = self.client.get(url)
            self.assertEqual(first.status_code, 200, url)
            self.assertTrue(self.shows_a_private_page(first.content.decode()), url)
            self.client.get(url)  # cached now, where the page cache keeps it

        for page in (self.secret, self.question, self.secret_issue):
            PageViewRestriction.objects.create(page=page, restriction_type="login")

        for url in self.places:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotEqual(response.get("X-Cache"), "HIT", "served from the cache")
                body = response.content.decode()
                self.assertFalse(self.shows_a_private_page(body), body[:3000])
