"""Videos: series such as China Current, and each episode's page."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext, pgettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, PageManager, PageQuerySet, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from home.blocks import player_url, watch_url
from home.feed_entry import (
    FeedCategory,
    FeedEntry,
    FeedPerson,
    FeedVideo,
    entry_id,
    feed_image,
    page_url,
    published_at,
    render_content,
    summarise,
    updated_at,
)
from home.page_types import ResultType
from home.pagination import paginate
from home.privacy import public_only
from home.routing import OwnAddressMixin
from home.structured_data import JsonLd
from home.traditional_drafts import ReviewGatedPublishing

VIDEO_ID_PATTERNS = {
    "youtube": re.compile(r"^[A-Za-z0-9_-]{11}$"),
    "vimeo": re.compile(r"^[0-9]{6,12}$"),
}


class VideoSeries(TranslatableMixin, models.Model):
    """A recurring video series with its host."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120)
    host = models.CharField(max_length=120, blank=True, help_text="e.g. James Chau")
    description = models.TextField(blank=True, max_length=800)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("host"), FieldPanel("description")]
    override_translatable_fields = [SynchronizedField("slug")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name_plural = "video series"
        # Unique within an edition; a translation keeps the original's slug.
        constraints = [
            models.UniqueConstraint(fields=["name", "locale"], name="unique_series_name_locale"),
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_series_slug_locale"),
        ]

    def __str__(self) -> str:
        return self.name


class VideoQuerySet(PageQuerySet):
    def for_blocks(self) -> VideoQuerySet:
        """A video as blocks and listings show it: poster (with renditions) and series."""
        return self.select_related("poster", "series").prefetch_related("poster__renditions")


VideoManager = PageManager.from_queryset(VideoQuerySet)


class VideoIndexPage(OwnAddressMixin, ReviewGatedPublishing, Page):
    """/videos/: every video, newest first."""

    intro = models.TextField(blank=True, max_length=600)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["issues.VideoPage"]
    max_count = 1
    # Its pages' feed, advertised on it (home/feeds/discovery.py).
    feed_section = "videos"

    class Meta:
        verbose_name = "Video index page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        videos = public_only(VideoPage.objects.child_of(self).live().for_blocks())
        videos = videos.order_by("-date", "-pk")
        context["videos"] = paginate(request, videos)
        return context


class VideoPage(OwnAddressMixin, ReviewGatedPublishing, Page):
    """One video. Provider and id are stored so it renders with no network."""

    PROVIDERS = [("youtube", "YouTube"), ("vimeo", "Vimeo")]
    CATEGORIES = [
        ("culture", "Culture"),
        ("lifestyle", "Lifestyle"),
        ("innovation", "Innovation"),
        ("social-good", "Social Good"),
    ]

    # Indexed: listings and feeds sort by it.
    date = models.DateField("Publication date", default=timezone.localdate, db_index=True)
    series = models.ForeignKey(
        VideoSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="videos"
    )
    episode_number = models.PositiveIntegerField(null=True, blank=True)
    category = models.CharField(max_length=20, choices=CATEGORIES, blank=True)
    host = models.CharField(
        max_length=120, blank=True, help_text="Leave empty to use the series' host."
    )
    guests = models.CharField(
        max_length=255, blank=True, help_text="e.g. Andrew Fung (The Fung Bros)"
    )
    provider = models.CharField(max_length=20, choices=PROVIDERS, default="youtube")
    video_id = models.CharField(
        max_length=32,
        help_text="The id in the video's address: for youtube.com/watch?v=ABC123def45 it is "
        "ABC123def45.",
    )
    poster = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Shown until the reader presses play, and in emails and feeds.",
    )
    duration_seconds = models.PositiveIntegerField(
        null=True, blank=True, help_text="Length in seconds, e.g. 754 for 12:34."
    )
    description = models.TextField(max_length=1000)
    transcript = RichTextField(blank=True, features=["bold", "italic", "link"])

    objects = VideoManager()

    content_panels = [
        *Page.content_panels,
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("series"), FieldPanel("episode_number")]),
                FieldRowPanel([FieldPanel("host"), FieldPanel("guests")]),
                FieldRowPanel([FieldPanel("date"), FieldPanel("category")]),
            ],
            heading="Series and people",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("provider"), FieldPanel("video_id")]),
                FieldPanel("poster"),
                FieldPanel("duration_seconds"),
            ],
            heading="Video",
        ),
        FieldPanel("transcript"),
    ]
    # The video itself is the same in every edition.
    override_translatable_fields = [SynchronizedField("video_id")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("description"),
        index.SearchField("transcript"),
        index.SearchField("guests"),
        index.FilterField("date"),
    ]
    parent_page_types = ["issues.VideoIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "Video page"

    def clean(self):
        pattern = VIDEO_ID_PATTERNS.get(self.provider)
        if pattern and not pattern.match(self.video_id or ""):
            raise ValidationError(
                {
                    "video_id": f"That does not look like a {self.get_provider_display()} "
                    "video id: paste only the id, not the whole address."
                }
            )
        super().clean()

    @property
    def topic_title(self) -> str:
        return self.title.split(" | ", 1)[0]

    @property
    def guest_title(self) -> str:
        parts = self.title.split(" | ", 1)
        return parts[1] if len(parts) == 2 else ""

    @property
    def host_name(self) -> str:
        return self.host or (self.series.host if self.series else "")

    @property
    def player_url(self) -> str:
        return player_url(self.provider, self.video_id)

    @property
    def watch_url(self) -> str:
        return watch_url(self.provider, self.video_id)

    @property
    def duration_display(self) -> str:
        if not self.duration_seconds:
            return ""
        minutes, seconds = divmod(self.duration_seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"

    @property
    def duration_iso(self) -> str:
        """ISO 8601 duration, e.g. PT12M34S, for machine-readable markup."""
        if not self.duration_seconds:
            return ""
        minutes, seconds = divmod(self.duration_seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return "PT" + (f"{hours}H" if hours else "") + f"{minutes}M{seconds}S"

    # --- what the site-wide feeds, search and SEO ask of a page type ----------
    # (docs/architecture.md lists them; home/page_types.py finds the types.)

    og_type = "video.other"
    feed_section = "videos"
    search_result = ResultType(
        "video",
        pgettext_lazy("search result type", "Video"),
        pgettext_lazy("search result type", "Videos"),
        date_field="date",
        order=3,
    )

    def summary_text(self) -> str:
        return self.description

    def share_image(self):
        return self.poster

    def structured_data(self, request, url: str, description: str, image: str, trail) -> JsonLd:
        data: JsonLd = {
            "@type": "VideoObject",
            "name": self.title,
            "description": description,
            "url": url,
            "thumbnailUrl": [image],
            "uploadDate": self.date.isoformat(),
            "embedUrl": self.player_url,
        }
        if self.duration_iso:
            data["duration"] = self.duration_iso
        if self.series_id:
            data["isPartOf"] = {"@type": "CreativeWorkSeries", "name": self.series.name}
        return data

    feed_date_field = "date"

    @classmethod
    def feed_pages(cls, queryset, limit: int) -> list[VideoPage]:
        return list(queryset.order_by("-date", "-pk")[:limit].for_blocks())

    def feed_date(self):
        return self.date

    def feed_entry(self, request, authority: str) -> FeedEntry:
        published = published_at(self, self.date)
        alt = gettext("Video: %(title)s") % {"title": self.title}
        poster = feed_image(self.poster, "fill-1280x720", request, alt=alt)
        categories = [FeedCategory(term="video", label=pgettext("feed category", "Video"))]
        if self.series:
            categories.append(FeedCategory(term=self.series.slug, label=self.series.name))
        if self.category:
            categories.append(FeedCategory(term=self.category, label=self.get_category_display()))
        return FeedEntry(
            id=entry_id(self, authority),
            url=page_url(self, request),
            title=self.title,
            published=published,
            updated=updated_at(self, published),
            summary=summarise(self.description),
            content_html=render_content("video", self, request, poster=poster),
            authors=[FeedPerson(self.host_name)] if self.host_name else [],
            categories=categories,
            image=poster,
            video=FeedVideo(
                watch_url=self.watch_url,
                player_url=self.player_url,
                duration_seconds=self.duration_seconds,
            ),
        )
