"""Pages as feed entries: every field a reader app shows, with full content.

Content comes from each page's own feed template
(``templates/feeds/entries/<kind>.html``), which renders the StreamField
through each block's feed rendering; the HTML is then made absolute and
stripped of anything a reader must not run.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from wagtail.blocks import StreamValue
from wagtail.images.models import SourceImageIOError
from wagtail.models import Page

from home.blocks.base import page_pool
from home.editions import active_code
from home.images import stored_rendition
from home.rendering import (
    absolute_url,
    absolutize_html,
    html_to_text,
    share_site_root_paths,
    site_root_paths_shared,
)
from insights.models import InsightArticlePage
from insights.models.pages import bylines_prefetch
from issues.models import IssuePage, VideoPage

from .richtext import page_links_prefetched
from .text import sanitize_html

SUMMARY_MAX_CHARS = 400


@dataclass(frozen=True)
class FeedPerson:
    name: str
    url: str = ""


@dataclass(frozen=True)
class FeedCategory:
    term: str
    label: str
    scheme: str = ""


@dataclass(frozen=True)
class FeedImage:
    url: str
    width: int
    height: int
    mime_type: str
    alt: str = ""


@dataclass(frozen=True)
class FeedVideo:
    watch_url: str
    player_url: str
    duration_seconds: int | None


@dataclass
class FeedEntry:
    id: str
    url: str
    title: str
    published: datetime
    updated: datetime
    summary: str
    content_html: str
    authors: list[FeedPerson] = field(default_factory=list)
    categories: list[FeedCategory] = field(default_factory=list)
    image: FeedImage | None = None
    video: FeedVideo | None = None


# --- loading pages in a fixed number of queries ----------------------------


def articles_for_feed(queryset) -> list[InsightArticlePage]:
    return list(
        queryset.select_related("lead_image").prefetch_related(
            bylines_prefetch(), "topics", "tagged_items__tag", "lead_image__renditions"
        )
    )


def videos_for_feed(queryset) -> list[VideoPage]:
    return list(queryset.for_blocks())


def issues_for_feed(queryset) -> list[IssuePage]:
    return list(queryset)


def preload_streams(streams: Iterable[StreamValue]) -> None:
    """Convert many pages' StreamFields at once: one bulk load per block type.

    Wagtail converts each stream on its own, so chooser blocks cost queries
    per page; gathering the raw values of every stream first keeps a feed's
    query count the same for one entry or a hundred.
    """
    pending: dict[int, tuple[object, list[tuple[StreamValue, int, object]]]] = {}
    for stream in streams:
        if not getattr(stream, "is_lazy", False):
            continue
        for index, raw in enumerate(stream._raw_data):
            if stream._bound_blocks[index] is not None or raw is None:
                continue
            child_block = stream.stream_block.child_blocks.get(raw.get("type"))
            if child_block is None:
                continue
            group = pending.setdefault(id(child_block), (child_block, []))
            group[1].append((stream, index, raw.get("value")))
    for child_block, items in pending.values():
        values = child_block.bulk_to_python([value for _, _, value in items])
        for (stream, index, _), value in zip(items, values, strict=True):
            stream._bound_blocks[index] = StreamValue.StreamChild(
                child_block, value, id=stream._raw_data[index].get("id")
            )


# --- fields shared by every kind of entry ----------------------------------


def entry_id(page: Page, authority: str) -> str:
    """A tag URI (RFC 4151) that survives moves, renames and a change of domain."""
    minted = page.first_published_at or page.latest_revision_created_at or timezone.now()
    return f"tag:{authority},{minted.astimezone(UTC).date():%Y-%m-%d}:page:{page.pk}"


def published_at(page: Page, day: date) -> datetime:
    """The editorial date, at the moment of first publication when that fell on it."""
    first = page.first_published_at
    if first is not None and timezone.localtime(first).date() == day:
        return first
    return timezone.make_aware(datetime.combine(day, time(0, 0)))


def updated_at(page: Page, published: datetime) -> datetime:
    last = page.last_published_at
    return max(published, last) if last else published


def page_url(page: Page, request) -> str:
    # The request's origin, like every other link in the feed (Wagtail's full
    # URL would use the host name stored on the Site instead).
    return absolute_url(page.get_url(request) or "", request)


def feed_image(image, spec: str, request, alt: str = "") -> FeedImage | None:
    if image is None:
        return None
    try:
        rendition = stored_rendition(image, spec)
    except SourceImageIOError:
        # A lost original should cost the entry its picture, not the feed its life.
        return None
    mime_type = mimetypes.guess_type(rendition.file.name)[0] or "image/jpeg"
    return FeedImage(
        url=absolute_url(rendition.url, request),
        width=rendition.width,
        height=rendition.height,
        mime_type=mime_type,
        alt=alt or getattr(image, "default_alt_text", "") or image.title,
    )


def summarise(text: str) -> str:
    text = " ".join((text or "").split())
    if len(text) <= SUMMARY_MAX_CHARS:
        return text
    return text[: SUMMARY_MAX_CHARS - 1].rsplit(" ", 1)[0] + "…"


def render_content(kind: str, page: Page, request, **extra) -> str:
    # The request is passed in the context rather than to render_to_string so
    # that context processors (and their queries) do not run once per entry.
    html = render_to_string(
        f"feeds/entries/{kind}.html", {"page": page, "request": request, **extra}
    )
    return sanitize_html(absolutize_html(html, request))


# --- one builder per kind of page ------------------------------------------


def article_entry(page: InsightArticlePage, request, authority: str) -> FeedEntry:
    published = published_at(page, page.date)
    bylines = list(page.article_authors.all())
    index_url = page.index_url
    return FeedEntry(
        id=entry_id(page, authority),
        url=page_url(page, request),
        title=page.title,
        published=published,
        updated=updated_at(page, published),
        summary=summarise(page.standfirst),
        content_html=render_content("article", page, request, bylines=bylines),
        authors=[
            FeedPerson(link.author.name, absolute_url(link.author.get_absolute_url(), request))
            for link in bylines
        ],
        categories=[
            FeedCategory(
                term=topic.slug,
                label=topic.name,
                scheme=absolute_url(f"{index_url}topics/", request),
            )
            for topic in page.topics.all()
        ]
        + [
            FeedCategory(term=item.tag.name, label=item.tag.name)
            for item in page.tagged_items.all()
        ],
        image=feed_image(page.lead_image, "width-1200", request),
    )


def issue_entry(page: IssuePage, request, authority: str) -> FeedEntry:
    published = published_at(page, page.issue_date)
    summary = page.summary or html_to_text(str(page.letter or ""))
    return FeedEntry(
        id=entry_id(page, authority),
        url=page_url(page, request),
        title=page.title,
        published=published,
        updated=updated_at(page, published),
        summary=summarise(summary),
        content_html=render_content("issue", page, request),
        authors=[FeedPerson(page.sign_off)] if page.sign_off else [],
        categories=[FeedCategory(term="focus-this-week", label=gettext("Focus This Week"))],
    )


def video_entry(page: VideoPage, request, authority: str) -> FeedEntry:
    published = published_at(page, page.date)
    alt = gettext("Video: %(title)s") % {"title": page.title}
    poster = feed_image(page.poster, "fill-1280x720", request, alt=alt)
    categories = [FeedCategory(term="video", label=pgettext("feed category", "Video"))]
    if page.series:
        categories.append(FeedCategory(term=page.series.slug, label=page.series.name))
    if page.category:
        categories.append(FeedCategory(term=page.category, label=page.get_category_display()))
    return FeedEntry(
        id=entry_id(page, authority),
        url=page_url(page, request),
        title=page.title,
        published=published,
        updated=updated_at(page, published),
        summary=summarise(page.description),
        content_html=render_content("video", page, request, poster=poster),
        authors=[FeedPerson(page.host_name)] if page.host_name else [],
        categories=categories,
        image=poster,
        video=FeedVideo(
            watch_url=page.watch_url,
            player_url=page.player_url,
            duration_seconds=page.duration_seconds,
        ),
    )


def build_entries(pages: Sequence[Page], request, authority: str) -> list[FeedEntry]:
    """Entries for already-loaded pages, in the given order."""
    builders = {
        InsightArticlePage: article_entry,
        IssuePage: issue_entry,
        VideoPage: video_entry,
    }
    # An edition's feed holds that edition's pages. The pages their blocks and
    # rich text point at were chosen in English: show each in the feed's
    # edition, as the page itself does (its view sets the same reading locale).
    locales = {page.locale_id for page in pages}
    in_edition = active_code() != settings.LANGUAGE_CODE and len(locales) == 1
    with (
        page_pool.reading(locales.pop()) if in_edition else nullcontext(),
        site_root_paths_shared(request),
    ):
        share_site_root_paths(pages)
        preload_streams(page.body for page in pages if hasattr(page, "body"))
        with page_links_prefetched(pages):
            return [builders[type(page)](page, request, authority) for page in pages]
