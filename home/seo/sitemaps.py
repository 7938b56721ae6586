"""sitemap.xml: every live page, plus the author and topic pages outside the tree.

Each edition has its own sitemap (``/sitemap.xml``, ``/zh-hans/sitemap.xml``,
``/zh-hant/sitemap.xml``) listing that edition's pages. Every page names its
translations with ``<xhtml:link rel="alternate" hreflang>`` (itself included,
as search engines ask, and the English page as ``x-default``).
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from wagtail.contrib.sitemaps import Sitemap as PageSitemap
from wagtail.models import Locale, Page

from home.editions import edition_q, html_lang
from home.rendering import absolute_url
from insights.models import Author, InsightsIndexPage, Topic


class PagesSitemap(PageSitemap):
    """The edition's live pages, at the addresses their canonical links give."""

    def items(self):
        root = self.get_wagtail_site().root_page
        # The edition's own home page: a translation of the site's root.
        home = Page.objects.filter(edition_q(), translation_key=root.translation_key).first()
        if home is None:
            return Page.objects.none()
        return (
            home.get_descendants(inclusive=True)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        items = list(self.paginator.page(page).object_list)
        alternates = self._alternates(items)
        urls, last_mods = [], set()
        for item in items:
            for url in item.get_sitemap_urls(self.request):
                # Wagtail writes the Site record's hostname; canonical links and
                # feeds use the host the request came in on, and all must agree.
                url["location"] = absolute_url(urlsplit(url["location"]).path, self.request)
                # A page's sub-pages (the archive's years) name their own, or none.
                url.setdefault("alternates", alternates.get(item.translation_key, []))
                urls.append(url)
                last_mods.add(url.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls

    def _alternates(self, pages: list[Page]) -> dict:
        """translation_key -> hreflang links of every live translation, in two queries."""
        codes = dict(Locale.objects.values_list("pk", "language_code"))
        translations = defaultdict(list)
        for translation in (
            Page.objects.live()
            .public()
            .filter(translation_key__in={page.translation_key for page in pages})
            .only("id", "url_path", "translation_key", "locale_id", "content_type_id")
            .order_by("locale_id")
        ):
            translations[translation.translation_key].append(translation)
        alternates = {}
        for key, pages_of_key in translations.items():
            if len(pages_of_key) < 2:
                continue  # a page in one edition only has no alternates to name
            links = []
            for translation in pages_of_key:
                code = codes.get(translation.locale_id, "")
                location = absolute_url(translation.get_url(self.request) or "", self.request)
                links.append({"lang_code": html_lang(code), "location": location})
                if code == settings.LANGUAGE_CODE:
                    links.append({"lang_code": "x-default", "location": location})
            alternates[key] = links
        return alternates


class TopicSitemap(Sitemap):
    """/insights/topics/<slug>/, dated by the topic's newest published article."""

    def items(self):
        return list(
            Topic.objects.filter(edition_q())
            .annotate(lastmod=Max("articles__last_published_at", filter=Q(articles__live=True)))
            .order_by("slug")
        )

    def location(self, topic: Topic) -> str:
        index = self._index()
        return InsightsIndexPage.topic_url(index.url, topic.slug) if index else ""

    def lastmod(self, topic: Topic):
        return topic.lastmod

    def _index(self):
        if not hasattr(self, "_index_page"):
            self._index_page = InsightsIndexPage.objects.live().filter(edition_q()).first()
        return self._index_page

    def get_urls(self, *args, **kwargs):
        # Topics live under the Insights index; without one there are no topic pages.
        return super().get_urls(*args, **kwargs) if self._index() else []


class AuthorSitemap(Sitemap):
    """/authors/<slug>/, dated by the author's newest published article."""

    def items(self):
        return list(
            Author.objects.filter(edition_q())
            .annotate(
                lastmod=Max(
                    "article_links__page__last_published_at",
                    filter=Q(article_links__page__live=True),
                )
            )
            .order_by("slug")
        )

    def lastmod(self, author: Author):
        return author.lastmod


# Classes, not instances: each request (and so each edition) gets its own,
# with nothing remembered from another edition's request.
SITEMAPS = {"pages": PagesSitemap, "topics": TopicSitemap, "authors": AuthorSitemap}
