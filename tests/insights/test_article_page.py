from django.test import TestCase
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from insights.models import InsightArticlePage, InsightsIndexPage, RelatedArticle
from tests.factories import build_site, list_items, make_article, make_author, make_topic, stream
from tests.query_budget import assert_query_budget, queries_of


class InsightArticlePageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.ashraf = make_author("Sajjad Ashraf", "Former Adjunct Professor, NUS")
        cls.ma = make_author("Ma Xue", "Associate Fellow, CICIR")
        cls.topic = make_topic("Foreign Policy")

    def setUp(self):
        self.login()

    def test_tree_rules(self):
        self.assertAllowedParentPageTypes(InsightArticlePage, {InsightsIndexPage})
        self.assertAllowedSubpageTypes(InsightArticlePage, set())
        self.assertEqual(InsightsIndexPage.max_count, 1)

    def test_renders_authors_in_order_with_affiliations_topics_and_tags(self):
        article = make_article(
            self.tree.insights, authors=[self.ma, self.ashraf], topics=[self.topic]
        )
        article.tags.add("us-china-policy")
        article.save_revision().publish()
        self.assertPageIsRenderable(article)
        html = self.client.get(article.url).content.decode()
        self.assertLess(html.index("Ma Xue"), html.index("Sajjad Ashraf"))
        self.assertIn("Former Adjunct Professor, NUS", html)
        self.assertIn('href="/insights/topics/foreign-policy/"', html)
        self.assertIn("#us-china-policy", html)
        self.assertIn('href="/authors/sajjad-ashraf/"', html)

    def test_article_keeps_the_affiliation_it_was_published_with(self):
        article = make_article(self.tree.insights, authors=[self.ashraf])
        self.ashraf.affiliation = "A new post elsewhere"
        self.ashraf.save()
        self.assertContains(self.client.get(article.url), "Former Adjunct Professor, NUS")
        later = make_article(self.tree.insights, authors=[self.ashraf])
        self.assertContains(self.client.get(later.url), "A new post elsewhere")

    def test_related_articles_editors_choice_else_shared_topic(self):
        other_topic = make_topic("Peace & Security")
        article = make_article(self.tree.insights, title="Main", topics=[self.topic])
        same_topic = make_article(self.tree.insights, title="Same topic", topics=[self.topic])
        make_article(self.tree.insights, title="Other topic", topics=[other_topic])
        self.assertEqual([page.pk for page in article.related()], [same_topic.pk])
        chosen = make_article(self.tree.insights, title="Chosen", topics=[other_topic])
        article.related_articles = [RelatedArticle(article=chosen)]
        article.save_revision().publish()
        self.assertEqual([page.title for page in article.related()], ["Chosen"])

    def test_can_create_in_the_admin(self):
        self.assertCanCreate(
            self.tree.insights,
            InsightArticlePage,
            nested_form_data(
                {
                    "title": "Created in the admin",
                    "slug": "created-in-the-admin",
                    "standfirst": "The argument in brief.",
                    "date": "2026-02-03",
                    "kind": "analysis",
                    "topics": [self.topic.pk],
                    "tags": "us-china-policy",
                    "article_authors": inline_formset(
                        [{"author": self.ashraf.pk, "affiliation": ""}, {"author": self.ma.pk}]
                    ),
                    "related_articles": inline_formset([]),
                    "body": streamfield(
                        [
                            ("paragraph", rich_text("<p>Body.</p>")),
                            ("heading", {"text": "Section", "level": "h2"}),
                        ]
                    ),
                }
            ),
        )
        created = InsightArticlePage.objects.get(slug="created-in-the-admin")
        self.assertEqual(
            [(link.author.name, link.affiliation) for link in created.article_authors.all()],
            [
                ("Sajjad Ashraf", "Former Adjunct Professor, NUS"),
                ("Ma Xue", "Associate Fellow, CICIR"),
            ],
        )

    def test_admin_refuses_an_article_without_authors(self):
        response = self.client.post(
            f"/admin/pages/add/insights/insightarticlepage/{self.tree.insights.pk}/",
            nested_form_data(
                {
                    "title": "No authors",
                    "slug": "no-authors",
                    "standfirst": "Brief.",
                    "date": "2026-02-03",
                    "kind": "analysis",
                    "article_authors": inline_formset([]),
                    "related_articles": inline_formset([]),
                    "body": streamfield([("paragraph", rich_text("<p>Body.</p>"))]),
                    "action-publish": "publish",
                }
            ),
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(InsightArticlePage.objects.filter(slug="no-authors").exists())


class InsightArticleQueryTests(TestCase):
    """An article's query count does not grow with authors, topics, blocks or links."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        topics = [make_topic(f"Topic {n}") for n in range(20)]
        authors = [make_author(f"Author {n}") for n in range(20)]
        target = make_article(cls.tree.insights, title="Linked", authors=authors[:1])

        def body(copies):
            blocks = []
            for _ in range(copies):
                blocks += [
                    ("paragraph", "<p>Text.</p>"),
                    ("pull_quote", {"quote": "Words.", "source_page": target.pk}),
                    (
                        "related_links",
                        {"heading": "More", "links": list_items([{"page": target.pk}] * copies)},
                    ),
                    (
                        "chart_callout",
                        {
                            "headline": "Chart",
                            "data": list_items(
                                [{"label": "A", "value": "1"}, {"label": "B", "value": "2"}]
                            ),
                            "source_note": "FRED",
                            "article": target.pk,
                        },
                    ),
                ]
            return stream(*blocks)

        cls.small = make_article(
            cls.tree.insights, title="Small", authors=authors[:1], topics=topics[:1], body=body(1)
        )
        cls.large = make_article(
            cls.tree.insights, title="Large", authors=authors, topics=topics, body=body(20)
        )

    def test_query_count_is_fixed(self):
        self.client.get(self.small.url)
        self.client.get(self.large.url)
        few = queries_of(lambda: self.client.get(self.small.url))
        many = queries_of(lambda: self.client.get(self.large.url))
        assert_query_budget(self, few, many, ARTICLE_PAGE_QUERIES, "article page")
        self.assertContains(self.client.get(self.large.url), "Author 19")


# A ceiling; one of them finds the previous and next articles.
ARTICLE_PAGE_QUERIES = 15
