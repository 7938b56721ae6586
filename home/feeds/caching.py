"""Cached feed documents, keyed on a site-wide content version.

Any change a feed could show (a page published, unpublished, moved or
deleted; an author, topic or video series edited) bumps the version, so every
cached feed is rebuilt on its next request instead of waiting for a timer.
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

from home.caching.stores import counters_cache

VERSION_KEY = "focus:feeds:version"


def _cache():
    return caches[settings.FOCUS_FEED_CACHE_ALIAS]


def content_version() -> float:
    """The time of the last change to anything a feed shows (or of the cache's start)."""
    # Kept with the counters: a flood of page entries must not evict it.
    cache = counters_cache()
    version = cache.get(VERSION_KEY)
    if version is None:
        # A cache that has forgotten the version cannot vouch for older
        # documents, so it starts from now: every feed counts as changed.
        cache.add(VERSION_KEY, time.time(), None)
        version = cache.get(VERSION_KEY, time.time())
    return float(version)


def _bump() -> None:
    # Versions only move forward, even if two processes' clocks disagree.
    counters_cache().set(VERSION_KEY, max(time.time(), content_version() + 0.001), None)


def invalidate_feeds() -> None:
    """Mark every cached feed stale: the hook for anything that changes feed content."""
    _bump()
    # A feed rebuilt between this call and the commit would still read the old
    # rows and cache them under the new version; bumping again after the
    # commit retires that document too.
    transaction.on_commit(_bump)


@dataclass(frozen=True)
class CachedFeed:
    body: bytes
    etag: str
    last_modified: datetime


def cached_feed(key: str, build) -> CachedFeed:
    """The feed document for ``key`` at the current content version, built once."""
    version = content_version()
    cache = _cache()
    cache_key = f"focus:feed:{version:.6f}:{key}"
    found = cache.get(cache_key)
    if found is not None:
        return found
    body: bytes = build()
    feed = CachedFeed(
        body=body,
        etag=f'"{hashlib.sha256(body).hexdigest()[:32]}"',
        # The version is no earlier than any change the document reflects.
        last_modified=datetime.fromtimestamp(int(version), tz=UTC),
    )
    cache.set(cache_key, feed, settings.FOCUS_FEED_CACHE_SECONDS)
    return feed
