"""Routes come before child pages, and editors cannot take the addresses they use."""

from unittest import skipUnless

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from home.routing import slug_refusal
from insights.models import InsightArticlePage
from issues.models import VideoIndexPage
from tests.factories import build_site, make_article, make_author, make_topic


def article_from_before_the_rule(index, title: str, slug: str, **fields) -> InsightArticlePage:
    """An article saved with ``slug`` before editors were refused it."""
    article = make_article(index, title=title, **fields)
    article.slug = slug
    article.save(clean=False)
    article.refresh_from_db()
    return article


class RoutesBeforeChildPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.topic = make_topic("Foreign Policy")
        cls.listed = make_article(
            cls.tree.insights, title="Listed under the topic", topics=[cls.topic]
        )
        cls.clash = article_from_before_the_rule(
            cls.tree.insights, "An article called topics", "topics"
        )

    def test_topic_pages_are_reached_past_an_article_named_topics(self):
        self.assertEqual(self.clash.url, "/insights/topics/")
        response = self.client.get("/insights/topics/foreign-policy/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Listed under the topic")
        self.assertEqual(response.context["topic"], self.topic)

    def test_the_article_stays_reachable_at_its_own_address(self):
        response = self.client.get("/insights/topics/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["page"].pk, self.clash.pk)

    def test_an_unknown_topic_is_still_a_404(self):
        self.assertEqual(self.client.get("/insights/topics/no-such-topic/").status_code, 404)

    def test_the_article_from_before_keeps_its_slug_when_republished(self):
        self.clash.standfirst = "Edited later."
        self.clash.save_revision().publish()
        self.clash.refresh_from_db()
        self.assertEqual(self.clash.slug, "topics")
        self.assertEqual(self.client.get("/insights/topics/").status_code, 200)


class ReservedSlugTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()

    def test_every_routable_page_reserves_its_routes(self):
        # The Insights index's topic pages; the archive's years (/this-week/2026/).
        self.assertIsNotNone(slug_refusal(self.tree.insights, "topics"))
        self.assertIsNotNone(slug_refusal(self.tree.issues, "2026"))
        self.assertIsNone(slug_refusal(self.tree.insights, "topics-in-review"))
        self.assertIsNone(slug_refusal(self.tree.issues, "2026-02-06"))

    def test_the_home_page_reserves_what_django_answers_first(self):
        for slug in ("authors", "feeds", "search", "newsletter", "sitemap.xml", "zh-hans", "admin"):
            with self.subTest(slug):
                self.assertIsNotNone(slug_refusal(self.tree.home, slug))
        self.assertIsNone(slug_refusal(self.tree.home, "about"))

    def test_pages_without_routes_reserve_nothing(self):
        self.assertIsNone(slug_refusal(self.tree.videos, "topics"))

    def test_a_section_cannot_take_an_address_django_answers(self):
        self.tree.videos.slug = "authors"
        with self.assertRaises(Exception) as refused:
            self.tree.videos.full_clean()
        self.assertIn("slug", refused.exception.message_dict)
        self.assertIsInstance(self.tree.videos, VideoIndexPage)


class ReservedSlugEditorTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.author = make_author()

    def setUp(self):
        self.login()

    def form(self, slug: str) -> dict:
        return nested_form_data(
            {
                "title": "Topics",
                "slug": slug,
                "standfirst": "Brief.",
                "date": "2026-02-03",
                "kind": "analysis",
                "article_authors": inline_formset([{"author": self.author.pk}]),
                "related_articles": inline_formset([]),
                "body": streamfield([("paragraph", rich_text("<p>Body.</p>"))]),
                "action-publish": "publish",
            }
        )

    def test_the_editor_refuses_a_reserved_slug_with_a_clear_message(self):
        url = f"/admin/pages/add/insights/insightarticlepage/{self.tree.insights.pk}/"
        response = self.client.post(url, self.form("topics"))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(InsightArticlePage.objects.filter(slug="topics").exists())
        errors = response.context["form"].errors["slug"]
        self.assertEqual(len(errors), 1)
        self.assertIn("The address “topics” is reserved under “Focus Insights”", errors[0])
        self.assertIn("Choose another slug", errors[0])

    def test_renaming_an_article_to_a_reserved_slug_is_refused(self):
        article = make_article(self.tree.insights, authors=[self.author])
        response = self.client.post(f"/admin/pages/{article.pk}/edit/", self.form("topics"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("reserved", response.context["form"].errors["slug"][0])
        article.refresh_from_db()
        self.assertNotEqual(article.slug, "topics")

    def test_an_ordinary_slug_is_accepted(self):
        url = f"/admin/pages/add/insights/insightarticlepage/{self.tree.insights.pk}/"
        self.client.post(url, self.form("topics-of-the-week"))
        self.assertTrue(InsightArticlePage.objects.filter(slug="topics-of-the-week").exists())


class RoutingQueryMixin:
    """An article, and the one query that finds it by its address."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.article = make_article(cls.tree.insights, title="Found by its address")

    def routing_query(self) -> str:
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(self.article.url).status_code, 200)
        routing = [
            query["sql"]
            for query in queries.captured_queries
            if '"wagtailcore_page"."url_path" IN' in query["sql"]
        ]
        self.assertEqual(len(routing), 1)
        return routing[0]


@skipUnless(connection.vendor == "sqlite", "reads SQLite's query plan")
class RoutingQueryPlanTests(RoutingQueryMixin, TestCase):
    """Finding a page by its address reads the pages on its path, not the whole tree."""

    def test_the_routing_query_goes_through_indexes(self):
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {self.routing_query()}")
            plan = [row[-1] for row in cursor.fetchall()]
        scans = [step for step in plan if step.startswith("SCAN")]
        self.assertEqual(scans, [], plan)


@skipUnless(connection.vendor == "postgresql", "reads PostgreSQL's query plan")
class RoutingQueryPlanPostgresTests(RoutingQueryMixin, TestCase):
    """On PostgreSQL the routing query's translation-key branch can use the key's index.

    ``translation_key IN (subquery)`` inside the OR is run as a subplan on
    every row the scan reads, so PostgreSQL read the whole page table for it
    (2.7 ms at 10,000 articles). Compared with ``ANY`` of the subquery's
    array, computed once before the scan, it is a value an index condition
    can use. Which index a table this small is read by is the planner's
    choice; whether the branch can use one at all is the query's.
    """

    def test_the_translation_keys_are_computed_once_not_per_row(self):
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {self.routing_query()}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        self.assertNotIn("SubPlan", plan)
        self.assertIn("InitPlan", plan)
        self.assertIn("translation_key = ANY", plan)
