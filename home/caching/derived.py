"""Values derived from many rows (a listing's length, its page boundaries), kept in the cache.

Counting or walking ten thousand articles on every render is what made deep
listing pages slow; the answer only changes when something the listing shows
changes, and the cache tags already say when that is. A value is stored with
the moment its build started and served while every tag it depends on last
changed before that moment, exactly as a cached page is.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings

from .stores import page_cache
from .tags import SITE_TAG, tag_versions

T = TypeVar("T")
DERIVED_PREFIX = "focus:derived:"


def cached_by_tags(name: str, tags: Iterable[str], build: Callable[[], T]) -> T:
    """The cached value of ``build()``, rebuilt after any of ``tags`` (or the site) changed.

    The site tag is always included: a view restriction added or removed
    changes which pages any listing may show.
    """
    wanted = sorted({SITE_TAG, *tags})
    cache = page_cache()
    key = DERIVED_PREFIX + name
    entry = cache.get(key)
    if entry is not None:
        built_at, value = entry
        # As for pages: another server's clock may run a little behind ours.
        fresh_before = built_at - int(settings.FOCUS_PAGE_CACHE_CLOCK_SKEW * 1e9)
        if all(version < fresh_before for version in tag_versions(wanted).values()):
            return value
    built_at = time.time_ns()
    value = build()
    # Evictable like a page: losing it costs one rebuild, never a stale answer.
    cache.set(key, (built_at, value), None)
    return value
