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

from home.caching.schedule import next_scheduled_change
from home.caching.stores import counters_cache
from home.editions import active_code

VERSION_KEY = "focus:feeds:version"


def _cache():
    return caches[settings.FOCUS_FEED_CACHE_ALIAS]


def _version_key(edition: str) -> str:
    return f"{VERSION_KEY}:{edition}"


def content_version(edition: str | None = None) -> float:
    """When anything the edition's feeds show last changed (or the cache started).

    ``edition`` is a language code (``zh-hans``); by default the one being read.
    """
    key = _version_key(edition or active_code())
    cache = counters_cache()
    version = cache.get(key)
    if version is None:
        # A cache that has forgotten the version cannot vouch for older
        # documents, so it starts from now: every feed counts as changed.
        cache.add(key, time.time(), None)
        version = cache.get(key, time.time())
    return float(version)


def _bump(editions: list[str]) -> None:
    # Versions only move forward, even if two processes' clocks disagree.
    cache = counters_cache()
    for edition in editions:
        version = max(time.time(), content_version(edition) + 0.001)
        cache.set(_version_key(edition), version, None)


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


def cached_feed(key: str, build) -> CachedFeed:
    """The feed document for ``key`` in the edition being read, built once per version."""
    edition = active_code()
    version = content_version(edition)
    cache = _cache()
    cache_key = f"focus:feed:{edition}:{version:.6f}:{key}"
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
    cache.set(cache_key, feed, _lifetime())
    return feed


def _lifetime() -> int:
    """The setting, cut at the next scheduled go-live or expiry a feed could list."""
    lifetime = settings.FOCUS_FEED_CACHE_SECONDS
    moment = next_scheduled_change()
    if moment is not None:
        lifetime = min(lifetime, max(1, int(moment - time.time())))
    return lifetime
