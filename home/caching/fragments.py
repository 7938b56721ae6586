"""Values every page shows (navigation, site settings), kept in the cache.

They change rarely and are cleared with the site tag, so an uncached page
render does not spend queries on them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from .stores import page_cache
from .tags import SITE_TAG, tag_versions

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
