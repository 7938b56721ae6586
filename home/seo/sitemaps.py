"""sitemap.xml: every live page, plus the author and topic pages outside the tree."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from wagtail.contrib.sitemaps import Sitemap as PageSitemap

from home.rendering import absolute_url
from insights.models import Author, InsightsIndexPage, Topic


class PagesSitemap(PageSitemap):
    """Every live page, at the same address its canonical link gives."""

    def _urls(self, page, protocol, domain):
        # Wagtail writes the Site record's hostname; canonical links and feeds
        # use the host the request came in on, and the two must agree.
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            url["location"] = absolute_url(urlsplit(url["location"]).path, self.request)
        return urls


class TopicSitemap(Sitemap):
    """/insights/topics/<slug>/, dated by the topic's newest published article."""

    def items(self):
        return list(
            Topic.objects.annotate(
                lastmod=Max("articles__last_published_at", filter=Q(articles__live=True))
            ).order_by("slug")
        )

    def location(self, topic: Topic) -> str:
        index = self._index()
        return f"{index.url}topics/{topic.slug}/" if index else ""

    def lastmod(self, topic: Topic):
        return topic.lastmod

    def _index(self):
        if not hasattr(self, "_index_page"):
            self._index_page = InsightsIndexPage.objects.live().first()
        return self._index_page

    def get_urls(self, *args, **kwargs):
        # Topics live under the Insights index; without one there are no topic pages.
        return super().get_urls(*args, **kwargs) if self._index() else []


class AuthorSitemap(Sitemap):
    """/authors/<slug>/, dated by the author's newest published article."""

    def items(self):
        return list(
            Author.objects.annotate(
                lastmod=Max(
                    "article_links__page__last_published_at",
                    filter=Q(article_links__page__live=True),
                )
            ).order_by("slug")
        )

    def lastmod(self, author: Author):
        return author.lastmod


SITEMAPS = {"pages": PagesSitemap, "topics": TopicSitemap(), "authors": AuthorSitemap()}
