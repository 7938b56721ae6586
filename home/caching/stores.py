"""The two caches: evictable page entries, and what must survive a flood of them.

Every piece of code that reaches a cache for pages or for counters goes
through these two functions, so the aliases are chosen in one place
(``FOCUS_PAGE_CACHE_ALIAS`` and ``FOCUS_COUNTERS_CACHE``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import BaseCache, caches


def page_cache() -> BaseCache:
    """Rendered pages, feed documents, site fragments: may be evicted at any time."""
    return caches[getattr(settings, "FOCUS_PAGE_CACHE_ALIAS", "default")]


def counters_cache() -> BaseCache:
    """Tag versions, the feed version and throttle counts: never evicted by page entries."""
    return caches[getattr(settings, "FOCUS_COUNTERS_CACHE", "counters")]
