"""Rendered pieces kept in the page cache, valid while their tags are unchanged.

Site fragments are values every page shows (navigation, site settings): they
change rarely and are cleared with the site tag, so an uncached page render
does not spend queries on them. Page fragments are a published page's
rendered parts (``page_fragment``); listing fragments a long listing's
rendered items for one page number or year (``listing_fragment``).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from .stores import page_cache
from .tags import (
    SITE_TAG,
    cache_until,
    object_tag,
    record_shown,
    rendered,
    request_cache_until,
    tag_versions,
)

T = TypeVar("T")
FRAGMENT_PREFIX = "focus:fragment:"


def site_fragment(name: str, build: Callable[[], T]) -> T:
    """The cached value of ``build()``, rebuilt after anything site-wide changed."""
    cache = page_cache()
    key = FRAGMENT_PREFIX + name
    entry = cache.get(key)
    if entry is not None:
        built_at, value = entry
        if tag_versions([SITE_TAG])[SITE_TAG] < built_at:
            return value
    built_at = time.time_ns()
    value = build()
    cache.set(key, (built_at, value), None)
    return value


# A published page's rendered parts (its blocks, its head), reused between
# uncached renders. See ``docs/performance.md``, "Page fragments".
PAGE_FRAGMENT_PREFIX = "focus:page-fragment:"
# The directories whose files shape a fragment's HTML: a deploy that changes
# any of them starts new keys rather than serving the old markup.
CODE_DIRS = (
    "focus_site/templates",
    "focus_site/locale",
    "home/templates",
    "home/blocks",
    "home/feeds",
    "home/feed_entry.py",
    "home/feed_text.py",
    "home/rendering.py",
    "home/templatetags",
    "home/seo",
    "insights/templates",
    "issues/templates",
    "issues/blocks.py",
)


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the templates, translations and block code this process renders with."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for name in CODE_DIRS:
        base = root / name
        files = sorted(base.rglob("*")) if base.is_dir() else [base]
        for path in files:
            if path.is_file() and path.suffix in (".html", ".txt", ".py", ".mo"):
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def fragments_enabled() -> bool:
    return getattr(settings, "FOCUS_FRAGMENT_CACHE_ENABLED", True)


def fragment_readable(request: HttpRequest | None) -> bool:
    """A reader's request: never a preview, a revision shown in the admin or a POST."""
    return bool(
        fragments_enabled()
        and request is not None
        and request.method in ("GET", "HEAD")
        and not getattr(request, "is_preview", False)
    )


def fragment_cacheable(request: HttpRequest | None, page, *, opted_in: bool | None = None) -> bool:
    """Only a published page as readers get it: never a preview, a draft or a POST.

    ``opted_in`` says whether the caller keeps this page's fragments; by
    default the page type says (``fragment_cached``).
    """
    if opted_in is None:
        opted_in = getattr(page, "fragment_cached", False)
    return bool(
        fragment_readable(request)
        and opted_in
        and page.pk is not None
        and page.live
        and page.live_revision_id is not None
    )


def fragment_key(page, name: str, *address: object) -> str:
    """The code, the page's live revision, the edition read, and ``address``.

    ``address`` is whatever else of the request the fragment shows: its origin
    when it carries absolute URLs, its path when it names the address too.
    """
    parts = (code_version(), name, page.pk, page.live_revision_id, get_language() or "", *address)
    return _hashed_key(PAGE_FRAGMENT_PREFIX, parts)


def _hashed_key(prefix: str, parts: Iterable[object]) -> str:
    raw = "|".join(str(part) for part in parts)
    return prefix + hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()


def page_fragment_key(request: HttpRequest, page, name: str) -> str:
    """The page's live revision, the edition read, and the address it is read at.

    The address (host, scheme, path) is in the key because the head carries
    absolute URLs; the pages that opt in ignore query strings.
    """
    return fragment_key(page, name, request.get_host(), request.is_secure(), request.path)


def _declared(request: HttpRequest) -> set[str]:
    return set(getattr(request, "_focus_cache_tags", None) or ())


def _fresh_entries(found: dict[str, dict]) -> dict[str, dict]:
    """The entries none of whose tags changed since they were built.

    One read of the tag versions for all of them, which also starts the tag
    epoch if the counters cache is new (see ``tag_versions``), so whatever is
    built after it counts from then.
    """
    now = time.time()
    live = {
        key: entry
        for key, entry in found.items()
        if entry.get("until") is None or entry["until"] > now
    }
    versions = tag_versions(sorted({tag for entry in live.values() for tag in entry["tags"]}))
    skew_ns = int(getattr(settings, "FOCUS_PAGE_CACHE_CLOCK_SKEW", 0.5) * 1e9)
    return {
        key: entry
        for key, entry in live.items()
        if all(versions[tag] < entry["built_at"] - skew_ns for tag in entry["tags"])
    }


# Fragments read together ahead of their renders (``fragments_fetched``):
# key -> the fresh entry, or None for a key known to need a render.
_fetched: ContextVar[dict[str, dict | None] | None] = ContextVar(
    "focus_fetched_fragments", default=None
)


@contextmanager
def fragments_fetched(keys: Iterable[str]) -> Iterator[set[str]]:
    """Read many fragments in one trip to the store, and their tags in one more.

    Meanwhile ``page_fragment`` takes these keys from what was read instead of
    asking the store one key at a time. Yields the keys found fresh, so the
    caller can skip loading what only their renders need. Inside another
    such block, the keys read there stay known too (a feed's whole entries,
    then the contents of those it writes afresh).
    """
    keys = list(dict.fromkeys(keys))
    fresh = _fresh_entries(page_cache().get_many(keys)) if keys else {}
    known = dict(_fetched.get() or {})
    known.update((key, fresh.get(key)) for key in keys)
    token = _fetched.set(known)
    try:
        yield set(fresh)
    finally:
        _fetched.reset(token)


def page_fragment(
    request: HttpRequest,
    page,
    name: str,
    build: Callable[[], str],
    tags: Iterable[str] = (),
    *,
    key: str | None = None,
    opted_in: bool | None = None,
) -> str:
    """``build()``'s HTML for this page, reused until a tag it depends on changes.

    The fragment depends on the page itself, the site tag (settings,
    navigation, privacy), ``tags``, and every tag recorded or declared while
    it was built (the pages, images and authors its blocks loaded). A hit
    hands those tags, and any moment the fragment expires at, on to the
    request, so a cached copy of the whole page depends on them too.

    ``key`` replaces the page's address-bound key (``page_fragment_key``)
    for a fragment that reads less of the request; ``opted_in`` as in
    ``fragment_cacheable``.
    """
    if not fragment_cacheable(request, page, opted_in=opted_in):
        return build()
    key = key or page_fragment_key(request, page, name)
    return kept_fragment(request, key, build, [object_tag(page), *tags])


def kept_fragment(
    request: HttpRequest, key: str, build: Callable[[], str], tags: Iterable[str]
) -> str:
    """The fragment kept under ``key`` while fresh, else ``build()``'s HTML, kept.

    What every kind of fragment shares once its caller has decided the
    request may read fragments and named the key: the fragment depends on the
    site tag, ``tags`` and every tag recorded or declared while it was built;
    a hit hands them, and the moment it expires, on to the request.
    """
    cache = page_cache()
    fetched = _fetched.get()
    if fetched is not None and key in fetched:
        entry = fetched[key]
    else:
        found = cache.get(key)
        entry = _fresh_entries({} if found is None else {key: found}).get(key)
    if entry is not None:
        rendered.tags.update(entry["tags"])
        cache_until(request, entry.get("until"))
        return SafeString(entry["html"])
    built_at = time.time_ns()
    outer_tags, rendered.tags = rendered.tags, set()
    outer_declared = _declared(request)
    outer_until = request_cache_until(request)
    request._focus_cache_until = None
    try:
        html = build()
        until = request_cache_until(request)
        shown = rendered.tags | (
            set(getattr(request, "_focus_cache_tags", None) or ()) - outer_declared
        )
    finally:
        rendered.tags = outer_tags | rendered.tags
        request._focus_cache_until = outer_until
    cache_until(request, until)
    depends = sorted({SITE_TAG, *tags, *shown})
    rendered.tags.update(depends)
    lifetime = float(getattr(settings, "FOCUS_PAGE_CACHE_SECONDS", 3600))
    if until is not None:
        lifetime = min(lifetime, until - time.time())
    if lifetime >= 1:
        cache.set(
            key,
            {"built_at": built_at, "tags": depends, "until": until, "html": str(html)},
            int(lifetime),
        )
    return html


# A listing's rendered items (a year of issues, an author's articles on one
# page number), reused between uncached renders so a hit loads none of its
# rows. See ``docs/performance.md``, "Page fragments".
LISTING_FRAGMENT_PREFIX = "focus:listing-fragment:"


@dataclass(frozen=True)
class Listing:
    """What a listing fragment shows, named before any of its rows is loaded.

    ``parts`` name the items (the index page and the year, the author, the
    page size and number); ``tags`` are what the listing's rows depend on,
    as the page cache has them; ``shown`` gives the rows the render loaded,
    once it has, so the fragment also depends on what they joined in (an
    article's topics, its bylines' authors, its images).
    """

    name: str
    parts: tuple
    tags: tuple[str, ...]
    shown: Callable[[], Iterable[models.Model]] = tuple


def listing_fragment_key(request: HttpRequest, listing: Listing) -> str:
    """The code, the edition read, the host and scheme, and the listing's ``parts``.

    The host is in the key because a link to a page of another site is
    absolute, and which site is "another" depends on the host answering.
    """
    parts = (
        code_version(),
        listing.name,
        get_language() or "",
        request.get_host(),
        request.is_secure(),
        *listing.parts,
    )
    return _hashed_key(LISTING_FRAGMENT_PREFIX, parts)


def listing_fragment(
    request: HttpRequest | None, listing: Listing, build: Callable[[], str]
) -> str:
    """``build()``'s HTML for this listing, reused until a tag it depends on changes.

    ``build`` loads the rows (they are loaded lazily, so a hit never does);
    the rows it loaded are recorded as shown, so the fragment, and a cached
    copy of the whole page, depends on them and what came with them.
    """

    def build_and_record() -> str:
        html = build()
        record_shown(listing.shown())
        return html

    if not fragment_readable(request):
        return build_and_record()
    return kept_fragment(
        request, listing_fragment_key(request, listing), build_and_record, listing.tags
    )


class FragmentCachedPageMixin:
    """A page type whose head and content are kept as page fragments.

    ``fragment_context`` computes what only the fragments show (prefetches,
    listings): it runs when a fragment is rendered, never on a hit.
    """

    fragment_cached = True

    def fragment_context(self, request: HttpRequest) -> dict:
        return {}

    def fragment_tags(self) -> list[str]:
        """What the fragments show besides the page and what its blocks loaded.

        Not the parent: previous and next links change only when a neighbour
        does, and a change to a page clears its neighbours' own tags (see
        ``home.caching.invalidation``). The parent's tag would also tie every
        sibling to each scheduled change in the section and shorten its life.
        """
        return []


def prepared_context(page, request: HttpRequest) -> dict:
    """The page's ``fragment_context``, computed at most once per request."""
    method = getattr(page, "fragment_context", None)
    if method is None:
        return {}
    cached = getattr(page, "_focus_fragment_context", None)
    if cached is None:
        cached = page._focus_fragment_context = method(request)
    return cached
