"""A page as a feed entry: the entry's shape and the helpers each page type's
``feed_entry`` builds it with, plus ``FeedScope``, what one feed holds.

Every page type that appears in feeds offers (see docs/architecture.md):

- ``feed_date_field``: the name of the editorial date the feed sorts by, and
  ``feed_date()``, its value;
- ``feed_pages(queryset, limit)``, a classmethod: the newest ``limit`` pages
  of ``queryset``, loaded with what their entries show in a fixed number of
  queries;
- ``feed_entry(request, authority)``: the page as a ``FeedEntry``.

Content comes from each page's own feed template
(``templates/feeds/entries/<kind>.html``), which renders the StreamField
through each block's feed rendering; the HTML is then made absolute and
stripped of anything a reader must not run. Site feeds (home/feeds/) gather
these entries; this module knows no page type.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, tzinfo

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext
from wagtail.blocks import StreamValue, StructValue
from wagtail.blocks.list_block import ListValue
from wagtail.images.models import SourceImageIOError
from wagtail.models import Page

from home.caching.fragments import fragment_cacheable, fragment_key, page_fragment
from home.caching.tags import record_shown
from home.editions import in_edition_by_scan
from home.feed_text import sanitize_html
from home.images import stored_rendition
from home.page_types import page_types_offering
from home.rendering import absolute_url, absolutize_html

SUMMARY_MAX_CHARS = 400
SECTIONS = ("all", "issues", "insights", "videos")
FORMATS = ("rss", "atom", "json")


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


def entry_id(page: Page, authority: str) -> str:
    """A tag URI (RFC 4151) that survives moves, renames and a change of domain."""
    minted = page.first_published_at or page.latest_revision_created_at or timezone.now()
    return f"tag:{authority},{minted.astimezone(UTC).date():%Y-%m-%d}:page:{page.pk}"


def published_at(page: Page, day: date, tz: tzinfo | None = None) -> datetime:
    """The editorial date, at the moment of first publication when that fell on it.

    ``tz`` is the current time zone, for a caller that dates many entries:
    looking it up is most of the cost of dating one. (As ``localtime`` and
    ``make_aware`` with it.)
    """
    tz = tz or timezone.get_current_timezone()
    first = page.first_published_at
    if first is not None and first.astimezone(tz).date() == day:
        return first
    return datetime.combine(day, time(0, 0), tzinfo=tz)


def updated_at(page: Page, published: datetime) -> datetime:
    last = page.last_published_at
    return max(published, last) if last else published


def entry_updated(page: Page, tz: tzinfo | None = None) -> datetime:
    """The entry's updated date, from the few columns ``newest_pages`` loads."""
    return updated_at(page, published_at(page, page.feed_date(), tz))


# What choosing a feed's entries and finding their kept texts reads of a page:
# its order (the editorial date, then first publication and id), whether it
# is live, its live revision (the fragments' key) and its edition.
CANDIDATE_FIELDS = (
    "id",
    "live",
    "live_revision_id",
    "locale_id",
    "first_published_at",
    "last_published_at",
    "latest_revision_created_at",
)


@dataclass(frozen=True, slots=True)
class FeedCandidate:
    """A page as a feed picks it (``newest_pages``): its order, its keys and its type.

    Plain values rather than a model instance: building twenty pages cost more
    than reading their kept entries.
    """

    model: type[Page]
    pk: int
    live: bool
    live_revision_id: int | None
    locale_id: int
    first_published_at: datetime | None
    last_published_at: datetime | None
    latest_revision_created_at: datetime | None
    date: date

    def feed_date(self) -> date:
        return self.date

    @property
    def feed_fragment_cached(self) -> bool:
        # Whether the type keeps its entries (``entry_cacheable``).
        return getattr(self.model, "feed_fragment_cached", False)


def newest_pages(queryset: QuerySet, limit: int) -> list[FeedCandidate]:
    """The newest ``limit`` pages of ``queryset``, with only what picks and keys them.

    The entries of a feed are mostly kept whole (``entry_item_keys``); only
    those that are not load their page in full (``feed_pages``).
    """
    model = queryset.model
    field = model.feed_date_field
    rows = queryset.order_by(f"-{field}", "-pk").values_list(*CANDIDATE_FIELDS, field)
    return [FeedCandidate(model, *row) for row in rows[:limit]]


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


# An entry's content, kept as a page fragment (home/caching/fragments.py).
FEED_ENTRY_FRAGMENT = "feed-entry"


def entry_cacheable(request, page: Page) -> bool:
    """Whether the page type keeps its entries' content (``feed_fragment_cached``).

    Types whose content loads blocks or links opt in; one that renders from
    its own row (a video) would spend more on reading its fragment back.
    """
    return fragment_cacheable(request, page, opted_in=getattr(page, "feed_fragment_cached", False))


def entry_fragment_key(request, page: Page) -> str:
    """The same for every feed and format that lists the page in this edition.

    The content's links are made absolute with the request's origin, so the
    origin is in the key; the feed's own address is not.
    """
    return fragment_key(page, FEED_ENTRY_FRAGMENT, request.get_host(), request.is_secure())


# An entry written in one format, metadata and content, as a page fragment.
FEED_ITEM_FRAGMENT = "feed-item"


def entry_item_keys(request, pages, fmt: str, authority: str) -> dict[int, str]:
    """Where each page that keeps its entries has it, as the ``fmt`` documents hold it.

    The same for every feed listing the page. Besides the content's origin,
    the text carries the entry's id, minted with the site's domain
    (``authority``). The request's part is read once for all the pages.
    """
    address = (request.get_host(), request.is_secure(), authority)
    name = f"{FEED_ITEM_FRAGMENT}:{fmt}"
    return {
        page.pk: fragment_key(page, name, *address)
        for page in pages
        if entry_cacheable(request, page)
    }


def render_content(kind: str, page: Page, request, **extra) -> str:
    """The entry's HTML, rendered once per published revision and edition.

    Reused by every feed rebuild until something it shows changes: the page,
    the site, and every object recorded while rendering it (see
    ``page_fragment``). The feed loads the blocks of all its entries before
    any is rendered, so what they loaded is recorded here, per entry.
    """

    def build() -> str:
        # The request is passed in the context rather than to render_to_string so
        # that context processors (and their queries) do not run once per entry.
        html = render_to_string(
            f"feeds/entries/{kind}.html", {"page": page, "request": request, **extra}
        )
        # The page's joined and prefetched rows (lead image, bylines and their
        # authors, a video's series), what its blocks loaded, and the extras.
        record_shown([page])
        record_shown(loaded_objects([getattr(page, "body", None), *extra.values()]))
        return sanitize_html(absolutize_html(html, request))

    if not entry_cacheable(request, page):
        return build()
    return page_fragment(
        request,
        page,
        FEED_ENTRY_FRAGMENT,
        build,
        key=entry_fragment_key(request, page),
        opted_in=True,
    )


def loaded_objects(values: Iterable) -> Iterator[models.Model]:
    """Every model instance held in already-loaded block values (streams, structs, lists)."""
    seen: set[int] = set()
    stack = list(values)
    while stack:
        value = stack.pop()
        if value is None or id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, models.Model):
            yield value
        elif isinstance(value, StreamValue):
            stack.extend(child.value for child in value)
        elif isinstance(value, StructValue | dict):
            stack.extend(value.values())
        elif isinstance(value, ListValue | list | tuple):
            stack.extend(value)


# --- what one feed holds ---------------------------------------------------


@dataclass
class FeedScope:
    """One feed's identity and contents, whatever its format."""

    key: str  # "all", "issues", "topics/foreign-policy", "authors/jane-doe"
    title: str
    description: str
    html_path: str  # the HTML page the feed follows

    # What the feed draws from: one queryset per page type, each of a model
    # offering feed entries.
    sources: list[QuerySet] = field(default_factory=list)

    def feed_path(self, fmt: str) -> str:
        if self.key in SECTIONS:
            return reverse("feed_section", kwargs={"section": self.key, "fmt": fmt})
        kind, slug = self.key.split("/", 1)
        name = "feed_topic" if kind == "topics" else "feed_author"
        return reverse(name, kwargs={"slug": slug, "fmt": fmt})


def feed_page_types() -> list[type[Page]]:
    """Every page type that offers feed entries."""
    return page_types_offering("feed_entry")


def live_pages(model) -> QuerySet:
    # Feeds read these newest first until they have enough: by the date index,
    # not the locale's (see ``in_edition_by_scan``). No query of its own: the
    # query count stays pinned.
    return in_edition_by_scan(model.objects.live().public())


def index_path(model, fallback: str, request) -> str:
    """The edition's section index's path, looked up once per request."""
    memo = request.__dict__.setdefault("_focus_feed_index_paths", {})
    if model not in memo:
        index = in_edition_by_scan(model.objects.live()).only("id", "url_path").first()
        memo[model] = (index.get_url(request) if index is not None else None) or fallback
    return memo[model]


def home_path() -> str:
    """The edition's home page: ``/`` in English, ``/zh-hans/`` in 简体."""
    return reverse("wagtail_serve", args=[""])


def section_scope(key: str, section_title: str, description: str, index, page, request):
    """A section's feed: its pages of one type, following its index page.

    Titles come already translated, so each edition reads its own: 本周聚焦 · 中美聚焦.
    """
    site_name = pgettext("site name", settings.WAGTAIL_SITE_NAME)
    return FeedScope(
        key=key,
        title=f"{section_title} · {site_name}",
        description=description,
        html_path=index_path(index, home_path(), request),
        sources=[live_pages(page)],
    )
