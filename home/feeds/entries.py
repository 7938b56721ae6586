"""Loaded pages as feed entries, whatever their types.

Each page type builds its own entry (``feed_entry``, see home/feed_entry.py);
this module loads many pages' StreamFields and rich-text links at once, so a
feed's query count stays the same for one entry or a hundred.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import nullcontext

from django.conf import settings
from wagtail.blocks import StreamValue
from wagtail.models import Page

from home.blocks.base import page_pool
from home.caching.fragments import fragments_fetched
from home.editions import active_code
from home.feed_entry import FeedEntry, entry_cacheable, entry_fragment_key
from home.rendering import share_site_root_paths, site_root_paths_shared

from .richtext import page_links_prefetched


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


def build_entries(pages: Sequence[Page], request, authority: str) -> list[FeedEntry]:
    """Entries for already-loaded pages, in the given order."""
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
        keys = {
            page.pk: entry_fragment_key(request, page)
            for page in pages
            if entry_cacheable(request, page)
        }
        # Every entry's kept content in one read of the store; only the entries
        # rendered afresh need their blocks and rich-text links loaded.
        with fragments_fetched(keys.values()) as kept:
            fresh = [page for page in pages if keys.get(page.pk) not in kept]
            preload_streams(page.body for page in fresh if hasattr(page, "body"))
            with page_links_prefetched(fresh):
                return [page.feed_entry(request, authority) for page in pages]
