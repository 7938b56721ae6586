"""Insights pages render in a fixed number of queries, however much they show."""

from datetime import date, timedelta

from django.test import TestCase

from insights.models import ArticleAuthor, RelatedArticle
from tests.factories import build_site, make_article, make_author, make_image, make_topic
from tests.query_budget import assert_fixed_queries

MANY = 20


class InsightsQueryBudgetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.topic = make_topic("Foreign Policy")
        cls.author = make_author("Sajjad Ashraf")
        cls.article = cls.new_article(0)

    @classmethod
    def new_article(cls, n: int):
        return make_article(
            cls.tree.insights,
            title=f"Article {n}",
            authors=[cls.author],
            topics=[cls.topic],
            day=date(2026, 1, 1) + timedelta(days=n),
            lead_image=make_image(f"Lead {n}"),
        )

    def add_articles(self):
        for n in range(1, MANY):
            self.new_article(n)

    def test_listing(self):
        assert_fixed_queries(self, "/insights/", self.add_articles, INSIGHTS_LISTING_QUERIES)

    def test_listing_filtered_by_topic(self):
        url = "/insights/?topic=foreign-policy&page=2"
        assert_fixed_queries(self, url, self.add_articles, INSIGHTS_LISTING_QUERIES)

    def test_topic_page(self):
        url = "/insights/topics/foreign-policy/"
        assert_fixed_queries(self, url, self.add_articles, TOPIC_PAGE_QUERIES)

    def test_author_list(self):
        def add_authors():
            for n in range(MANY):
                make_author(f"Author {n}")

        assert_fixed_queries(self, "/authors/", add_authors, AUTHOR_LIST_QUERIES)

    def test_author_page(self):
        url = "/authors/sajjad-ashraf/"
        assert_fixed_queries(self, url, self.add_articles, AUTHOR_PAGE_QUERIES)

    def test_article_with_many_authors_topics_tags_and_related(self):
        article = self.article
        # One editor's pick from the start: the count compares the same code path.
        RelatedArticle.objects.create(page=article, article=self.new_article(99), sort_order=0)

        def grow():
            others = [self.new_article(n) for n in range(1, 6)]
            for n in range(MANY):
                author = make_author(f"Co-author {n}")
                ArticleAuthor.objects.create(page=article, author=author, sort_order=n + 1)
            article.topics.add(*[make_topic(f"Topic {n}") for n in range(MANY)])
            article.tags.add(*[f"tag-{n}" for n in range(MANY)])
            for n, other in enumerate(others):
                RelatedArticle.objects.create(page=article, article=other, sort_order=n + 1)
            article.save()

        assert_fixed_queries(self, article.url, grow, ARTICLE_PAGE_QUERIES)


# The page keys and the count come from the cache (home/pagination.py), not a COUNT.
INSIGHTS_LISTING_QUERIES = 11
TOPIC_PAGE_QUERIES = 12
AUTHOR_LIST_QUERIES = 2
AUTHOR_PAGE_QUERIES = 6
# One of them finds the previous and next articles.
ARTICLE_PAGE_QUERIES = 12
