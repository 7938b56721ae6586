"""Resolving the page links of many rich texts in one go.

Wagtail resolves the internal links of each rich text on its own (a query or
two per paragraph), so a feed's query count would grow with its entries.
While ``page_links_prefetched()`` is active, the page link handler reads
from pages fetched once for the whole feed; everywhere else it behaves
exactly like Wagtail's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils.html import escape
from wagtail import blocks, hooks
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.rich_text import RichText
from wagtail.rich_text.pages import PageLinkHandler
from wagtail.rich_text.rewriters import FIND_A_TAG, extract_attrs

from home.caching.tags import record_shown
from home.editions import edition_q
from home.privacy import public_only
from home.rendering import share_site_root_paths

_prefetched: ContextVar[dict[str, Page] | None] = ContextVar("focus_feed_pages", default=None)
# Linked page id -> its live translation in the edition being read.
_localized: ContextVar[dict[int, Page] | None] = ContextVar("focus_feed_localized", default=None)


class PrefetchedPageLinkHandler(PageLinkHandler):
    @classmethod
    def get_many(cls, attrs_list: list[dict]) -> list[Page]:
        pages = _prefetched.get()
        if pages is None:
            return super().get_many(attrs_list)
        missing = [attrs for attrs in attrs_list if str(attrs.get("id")) not in pages]
        if missing:
            # Links the gathering did not see still resolve, at the usual cost.
            for attrs, page in zip(missing, super().get_many(missing), strict=True):
                pages[str(attrs.get("id"))] = page
        return [pages.get(str(attrs.get("id"))) for attrs in attrs_list]

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        if _prefetched.get() is None:
            return super().expand_db_attributes_many(attrs_list)
        # Wagtail points each link at the linked page's translation in the
        # edition being read (``page.localized``), at a locale lookup and a
        # translation lookup per link; the feed looked them all up at once.
        localized = _localized.get() or {}
        linked = cls.get_many(attrs_list)
        shown = [localized.get(page.pk, page) if page else None for page in linked]
        # A feed entry kept as a fragment depends on the pages its links point
        # to, and on the translations it shows them as.
        record_shown([*linked, *shown])
        return [f'<a href="{escape(page.url)}">' if page else "<a>" for page in shown]


def register() -> None:
    # A late order, so this replaces the core page link handler rather than
    # being replaced by it.
    hooks.register(
        "register_rich_text_features",
        lambda features: features.register_link_type(PrefetchedPageLinkHandler),
        order=100,
    )


def _rich_texts(value, seen: set[int], streams: bool = False) -> Iterator[str]:
    """Every stored rich text reachable from a block value or page, once.

    Only the pages being rendered (``streams=True``) have their StreamFields
    read: a page a block merely points to shows its rich text fields at most,
    and reading its stream would cost the queries this module saves.
    """
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, RichText):
        yield value.source
    elif isinstance(value, Page):
        deferred = value.get_deferred_fields()
        for field in value._meta.concrete_fields:
            if field.attname in deferred:
                continue
            if isinstance(field, RichTextField):
                yield getattr(value, field.attname) or ""
            elif streams and isinstance(field, StreamField):
                yield from _rich_texts(getattr(value, field.attname), seen)
    elif isinstance(value, blocks.StreamValue):
        for child in value:
            yield from _rich_texts(child.value, seen)
    elif isinstance(value, blocks.StructValue | dict):
        for item in value.values():
            yield from _rich_texts(item, seen)
    elif isinstance(value, blocks.list_block.ListValue | list | tuple):
        for item in value:
            yield from _rich_texts(item, seen)


def linked_page_ids(values: Iterable) -> set[str]:
    seen: set[int] = set()
    ids: set[str] = set()
    for value in values:
        for source in _rich_texts(value, seen, streams=True):
            for match in FIND_A_TAG.finditer(source):
                attrs = extract_attrs(match.group(1))
                if attrs.get("linktype") == "page" and attrs.get("id"):
                    ids.add(attrs["id"])
    return ids


@contextmanager
def page_links_prefetched(values: Iterable) -> Iterator[None]:
    """Resolve every page link inside ``values`` (pages, streams) with one lookup."""
    ids = linked_page_ids(values)
    pages = {}
    if ids:
        numeric = [int(pk) for pk in ids if pk.isdigit()]
        pages = {
            str(page.pk): page
            for page in Page.objects.filter(pk__in=numeric).defer_streamfields().specific()
        }
    localized = localized_pages(list(pages.values()))
    share_site_root_paths([*pages.values(), *localized.values()])
    token = _prefetched.set(pages)
    localized_token = _localized.set(localized)
    try:
        yield
    finally:
        _localized.reset(localized_token)
        _prefetched.reset(token)


def localized_pages(pages: list[Page]) -> dict[int, Page]:
    """Each page's live translation in the edition being read, in one query."""
    if not pages:
        return {}
    translations = {
        page.translation_key: page
        for page in public_only(Page.objects.live())
        .filter(edition_q(), translation_key__in={page.translation_key for page in pages})
        .only("id", "url_path", "translation_key", "locale_id", "content_type_id")
    }
    return {
        page.pk: translations[page.translation_key]
        for page in pages
        if page.translation_key in translations
    }
