"""Authors and topics: shared records that articles point to."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from home.caching.urls import paginated
from home.feed_entry import FORMATS


class Author(TranslatableMixin, index.Indexed, models.Model):
    """A contributor. ``affiliation`` is the current one; articles keep their own."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=120,
        help_text="Used in /authors/<slug>/; a translation keeps the original's.",
    )
    affiliation = models.CharField(
        max_length=255, blank=True, help_text="Current role, e.g. Independent Scholar."
    )
    bio = RichTextField(blank=True, features=["bold", "italic", "link"])
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A square portrait works best.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("affiliation"),
        FieldPanel("bio"),
        FieldPanel("photo"),
    ]
    # A translation keeps the slug, so /zh-hant/authors/<slug>/ is the same author.
    override_translatable_fields = [SynchronizedField("slug")]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("affiliation"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        # Unique within an edition; a translation keeps the original's slug.
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_author_slug_locale")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("author_detail", kwargs={"slug": self.slug})

    @classmethod
    def cache_paths_for(cls, ids) -> list[str]:
        """What the CDN purges when these authors change: the author list, each
        author's paginated page and feeds (home/caching/urls.py)."""
        authors = cls.objects.filter(pk__in=ids).annotate(
            live_articles=models.Count(
                "article_links__page",
                filter=models.Q(article_links__page__live=True),
                distinct=True,
            )
        )
        paths: list[str] = []
        for author in authors:
            paths += [
                reverse("author_list"),
                *paginated(author.get_absolute_url(), author.live_articles),
                *feed_paths("feed_author", author.slug),
            ]
        return paths


class Topic(TranslatableMixin, models.Model):
    """A section of Insights, e.g. Foreign Policy."""

    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80)
    description = models.TextField(blank=True, max_length=600)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    # A translation keeps the slug: topic URLs match across editions.
    override_translatable_fields = [SynchronizedField("slug")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        # Unique within an edition; a translation keeps the original's slug.
        constraints = [
            models.UniqueConstraint(fields=["name", "locale"], name="unique_topic_name_locale"),
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_topic_slug_locale"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def cache_paths_for(cls, ids) -> list[str]:
        """What the CDN purges when these topics change: their feeds.

        Their pages under the Insights index are the index's own sub-pages
        (``InsightsIndexPage.cache_paths``).
        """
        paths: list[str] = []
        for topic in cls.objects.filter(pk__in=ids):
            paths += feed_paths("feed_topic", topic.slug)
        return paths


def feed_paths(name: str, slug: str) -> list[str]:
    """One topic's or author's feed, in every format."""
    return [reverse(name, kwargs={"slug": slug, "fmt": fmt}) for fmt in FORMATS]
