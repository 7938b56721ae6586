"""Cached feed documents, keyed on each edition's content version.

Any change a feed could show (a page published, unpublished, moved or
deleted; an author, topic or video series edited) bumps the version of the
edition it belongs to, so that edition's cached feeds are rebuilt on their next
request instead of waiting for a timer, and the other editions' stay cached.
Other code that changes what feeds show calls ``invalidate_feeds()``.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest

from home.caching.local_entries import local_entries
from home.caching.schedule import next_scheduled_change
from home.caching.stores import counters_cache
from home.editions import active_code

VERSION_KEY = "focus:feeds:version"


def _cache():
    return caches[settings.FOCUS_FEED_CACHE_ALIAS]


def _version_key(edition: str) -> str:
    return f"{VERSION_KEY}:{edition}"


# Versions this process read a moment ago: (version, when read on _clock).
_recent_versions: dict[str, tuple[float, float]] = {}
_clock = time.monotonic


def content_version(edition: str | None = None, *, reuse_for: float = 0.0) -> float:
    """When anything the edition's feeds show last changed (or the cache started).

    ``edition`` is a language code (``zh-hans``); by default the one being read.
    ``reuse_for`` (seconds) lets a version this process read that recently
    stand in for a read of the shared store, as the page cache's tag versions
    do (``FOCUS_TAG_VERSIONS_REUSE_SECONDS``).
    """
    key = _version_key(edition or active_code())
    now = _clock()
    seen = _recent_versions.get(key)
    if reuse_for > 0 and seen is not None and now - seen[1] <= reuse_for:
        return seen[0]
    cache = counters_cache()
    version = cache.get(key)
    if version is None:
        # A cache that has forgotten the version cannot vouch for older
        # documents, so it starts from now: every feed counts as changed.
        cache.add(key, time.time(), None)
        version = cache.get(key, time.time())
    _recent_versions[key] = (float(version), now)
    return float(version)


def _bump(editions: list[str]) -> None:
    # Versions only move forward, even if two processes' clocks disagree.
    cache = counters_cache()
    for edition in editions:
        version = max(time.time(), content_version(edition) + 0.001)
        cache.set(_version_key(edition), version, None)
        # This process sees its own change at once.
        _recent_versions.pop(_version_key(edition), None)


def invalidate_feeds(edition: str | None = None) -> None:
    """Mark cached feeds stale: one edition's (a language code), or every edition's.

    The hook for anything that changes feed content.
    """
    editions = [edition] if edition else [code for code, _name in settings.LANGUAGES]
    _bump(editions)
    # A feed rebuilt between this call and the commit would still read the old
    # rows and cache them under the new version; bumping again after the
    # commit retires that document too.
    transaction.on_commit(lambda: _bump(editions))


@dataclass(frozen=True)
class CachedFeed:
    body: bytes
    etag: str
    last_modified: datetime
    # When the shared copy ends (its lifetime is cut at scheduled changes).
    expires_at: float | None = None
    # The edition and content version it was built under: the page cache
    # serves the feed's URL while that version stands (``page_cache_feed``).
    edition: str = ""
    version: float | None = None


def cached_feed(key: str, build) -> CachedFeed:
    """The feed document for ``key`` in the edition being read, built once per version.

    The key carries the version, so a document found under it is current
    wherever it is kept: this worker's own copy first, then the shared store.
    """
    edition = active_code()
    version = content_version(edition, reuse_for=settings.FOCUS_TAG_VERSIONS_REUSE_SECONDS)
    cache = _cache()
    cache_key = f"focus:feed:{edition}:{version:.6f}:{key}"
    found = local_entries.get(cache_key)
    if found is not None:
        return found
    found = cache.get(cache_key)
    if found is not None:
        _keep(cache_key, found)
        return found
    body: bytes = build()
    lifetime = _lifetime()
    feed = CachedFeed(
        body=body,
        etag=f'"{hashlib.sha256(body).hexdigest()[:32]}"',
        # The version is no earlier than any change the document reflects.
        last_modified=datetime.fromtimestamp(int(version), tz=UTC),
        expires_at=time.time() + lifetime,
        edition=edition,
        version=version,
    )
    if lifetime >= 1:
        # A lifetime of zero (feeds rebuilt on every request) keeps nothing:
        # writing a document only for the store to drop it costs a write per request.
        cache.set(cache_key, feed, lifetime)
        _keep(cache_key, feed)
    return feed


def page_cache_feed(request: HttpRequest, feed: CachedFeed) -> None:
    """Let the page cache answer this request's URL with ``feed`` while its version stands.

    A feed carries no cache tags (what it lists is the whole edition's), so
    without this the page cache would pass every feed request on to its view,
    behind the full middleware stack, only for the view to find the document
    cached. The page cache instead keeps the response and checks the
    edition's content version on each hit (``is_current``).
    """
    if feed.version is not None:
        request._focus_cache_feed = feed


def request_feed(request: HttpRequest) -> CachedFeed | None:
    return getattr(request, "_focus_cache_feed", None)


def is_current(edition: str, version: float) -> bool:
    """Whether a response built under ``version`` of the edition's feeds still holds."""
    reuse_for = settings.FOCUS_TAG_VERSIONS_REUSE_SECONDS
    return content_version(edition, reuse_for=reuse_for) == version


def _keep(key: str, feed: CachedFeed) -> None:
    # Documents stored before they carried their end are left to the shared store.
    expires_at = getattr(feed, "expires_at", None)
    local_entries.put(key, feed, size=len(feed.body), expires_at=expires_at)


def _lifetime() -> int:
    """The setting, cut at the next scheduled go-live or expiry a feed could list."""
    lifetime = settings.FOCUS_FEED_CACHE_SECONDS
    moment = next_scheduled_change()
    if moment is not None:
        lifetime = min(lifetime, max(1, int(moment - time.time())))
    return lifetime
