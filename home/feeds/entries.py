"""Pages as feed entries, whatever their types, written in a feed's format.

Each page type builds its own entry (``feed_entry``, see home/feed_entry.py).
An entry once written is kept whole as a page fragment, per format, and
reused by every rebuild of every feed that lists the page until something it
shows changes (``build_items``); only the entries written afresh load their
pages in full. This module loads those pages' StreamFields and rich-text
links at once, so a feed's query count stays the same for one entry or a
hundred.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from wagtail.blocks import StreamValue
from wagtail.models import Page

from home.blocks.base import page_pool
from home.caching.fragments import fragments_enabled, fragments_fetched, kept_fragment
from home.caching.tags import page_tag
from home.editions import active_code
from home.feed_entry import (
    FeedCandidate,
    entry_cacheable,
    entry_fragment_key,
    entry_item_keys,
    entry_updated,
)
from home.rendering import share_site_root_paths, site_root_paths_shared

from .formats import entry_text
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


def build_items(
    candidates: Sequence[FeedCandidate | Page], request, authority: str, fmt: str
) -> list[tuple[datetime, str]]:
    """Each page's entry written in ``fmt``, with its updated date, in the given order.

    ``candidates`` are what ``newest_pages`` picks, or pages loaded in full for
    the types that keep no entry (``entries_kept``). The entries kept
    whole are read in one trip to the store; the others' pages are loaded in
    full, one ``feed_pages`` per page type, and their entries written and kept.
    A kept entry depends on what it showed when written (the page, its
    authors, topics, images, the pages its content links to, the site), as
    every page fragment does, so no rebuild after a change it shows reuses it.
    """
    keys = entry_item_keys(request, candidates, fmt, authority)
    with fragments_fetched(keys.values()) as kept:
        kept_pks = {pk for pk, key in keys.items() if key in kept}
        unkept = [page for page in candidates if page.pk not in kept_pks]
        # Pages of types that keep nothing came in full already.
        full = {page.pk: page for page in unkept if not isinstance(page, FeedCandidate)}
        full.update(_load_in_full([page for page in unkept if isinstance(page, FeedCandidate)]))
        with _writing(list(full.values()), request):
            items = []
            tz = timezone.get_current_timezone()
            for page in candidates:
                if page.pk not in kept_pks and page.pk not in full:
                    continue  # unpublished between being picked and being loaded
                written = full.get(page.pk, page)

                def write(written=written) -> str:
                    return entry_text(fmt, written.feed_entry(request, authority))

                if page.pk in keys:
                    # Keyed above for the pages that may keep their entries.
                    text = kept_fragment(request, keys[page.pk], write, [page_tag(page.pk)])
                else:
                    text = write()
                items.append((entry_updated(page, tz), str(text)))
    return items


def entries_kept(model: type[Page]) -> bool:
    """Whether the type's entries are kept whole (``feed_fragment_cached``), so a feed
    picks its pages first and loads only those it writes afresh."""
    return fragments_enabled() and getattr(model, "feed_fragment_cached", False)


def _load_in_full(candidates: Sequence[FeedCandidate]) -> dict[int, Page]:
    """The pages with what their entries show, one ``feed_pages`` per page type."""
    by_model: dict[type[Page], list[int]] = defaultdict(list)
    for candidate in candidates:
        by_model[candidate.model].append(candidate.pk)
    loaded: dict[int, Page] = {}
    for model, ids in by_model.items():
        for page in model.feed_pages(model.objects.filter(pk__in=ids), len(ids)):
            loaded[page.pk] = page
    return loaded


def _writing(pages: list[Page], request):
    """What writing these pages' entries needs loaded, or nothing when none is written."""
    if not pages:
        return nullcontext()
    return _entries_prepared(pages, request)


@contextmanager
def _entries_prepared(pages: Sequence[Page], request) -> Iterator[None]:
    """Loaded for these pages' entries: their blocks, links and kept contents, in bulk."""
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
                yield
