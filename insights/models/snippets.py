"""Authors and topics: shared records that articles point to."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField


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
