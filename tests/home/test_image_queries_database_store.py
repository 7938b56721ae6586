"""Pages cost the same SQL queries for 2 images as for 7, with the cache in the database.

Wagtail's ``{% image %}`` writes each rendition it shows back to the
renditions cache, even one prefetched with its image, and ``{% picture %}``
writes back each one it read from that cache (an article's lead image and
share image are not prefetched); with the cache in the database (production
without Redis) each write is four or five SQL statements. The other
query-count tests use a local-memory cache and cannot see them. The project's
tags (``{% stored_picture %}`` and its siblings in ``focus_tags``) write a
rendition only when they had to create it, so an article's body images and
a listing's cards cost no query each, and the lead image none per rendition.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.test import TestCase, override_settings

from focus_site.settings.base import cache_settings
from home.apps import create_cache_tables
from tests.factories import (
    build_site,
    make_article,
    make_author,
    make_image,
    make_topic,
    make_video,
    stream,
)
from tests.query_budget import assert_query_budget, count_queries

FEW, MANY = 2, 7


def image_body(count: int) -> str:
    """A body showing ``count`` images through each block that shows one."""
    blocks = []
    for number in range(count):
        blocks += [
            ("paragraph", f"<p>Paragraph {number}.</p>"),
            ("image", {"image": make_image(f"Figure {number}").pk, "alt_text": "A figure"}),
            (
                "embed",
                {
                    "url": "https://youtu.be/abcDEF12345",
                    "title": f"Clip {number}",
                    "poster": make_image(f"Poster {number}").pk,
                },
            ),
            (
                "chart_callout",
                {
                    "headline": f"Chart {number}",
                    "chart_image": make_image(f"Chart {number}").pk,
                    "alt_text": "A chart",
                },
            ),
        ]
    return stream(*blocks)


@override_settings(CACHES=cache_settings("database"))
class DatabaseStoreImageQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # The test database was migrated with the local-memory cache configured.
        create_cache_tables()
        cls.tree = build_site()
        cls.author = make_author()
        cls.author.photo = make_image("Portrait")
        cls.author.save()
        cls.topic = make_topic()
        cls.articles = {
            count: make_article(
                cls.tree.insights,
                title=f"{count} images",
                authors=[cls.author],
                topics=[cls.topic],
                lead_image=make_image(f"Lead of {count}"),
                body=image_body(count),
                slug=f"images-{count}",
            )
            for count in (FEW, MANY)
        }

    def add_articles(self, count: int) -> None:
        for number in range(count):
            make_article(
                self.tree.insights,
                title=f"Card {number}",
                authors=[self.author],
                topics=[self.topic],
                day=date(2026, 1, 1) + timedelta(days=number),
                lead_image=make_image(f"Card {number}"),
            )

    def add_videos(self, count: int) -> None:
        for number in range(count):
            make_video(self.tree.videos, title=f"Video {number}")

    def assert_flat(self, url: str, grow, budget: int) -> None:
        """``url`` costs as many queries with MANY cards as with FEW, each with its image."""
        grow(FEW)
        few = count_queries(self, url)
        grow(MANY - FEW)
        assert_query_budget(self, few, count_queries(self, url), budget, url)

    def test_article_body_images(self):
        # FEW and MANY images of each kind: a captioned image, an embed's
        # poster and an uploaded chart, each its own chooser block type.
        few = count_queries(self, self.articles[FEW].url)
        many = count_queries(self, self.articles[MANY].url)
        assert_query_budget(self, few, many, ARTICLE_QUERIES, "article with body images")

    def test_insights_listing(self):
        self.assert_flat("/insights/", self.add_articles, INSIGHTS_QUERIES)

    def test_author_page(self):
        self.assert_flat(f"/authors/{self.author.slug}/", self.add_articles, AUTHOR_QUERIES)

    def test_video_listing(self):
        self.assert_flat("/videos/", self.add_videos, VIDEOS_QUERIES)


# The page's own queries (routing, bylines, topics, tags, related articles, one
# bulk load of images with their renditions per chooser block type) plus what
# the database store makes SQL: the navigation, settings, private paths and site root paths
# with their tag versions, and one read of the renditions cache each for the
# lead image's picture and its share image. With Wagtail's tags the article
# took 79 queries at 2 images of each kind and the author page 21.
ARTICLE_QUERIES = 29
INSIGHTS_QUERIES = 20
AUTHOR_QUERIES = 16
VIDEOS_QUERIES = 16
