"""This worker's own copies of page entries and feed documents, checked as the shared ones are.

A page entry is correct for as long as none of its tags changed after its
rendering started, whichever process holds it: the tag versions, not the
entry's storage, say whether it may be served. So a worker keeps the entries it
served most recently in its own memory and serves them again without a trip
to the shared store, after the same freshness check (shared tag versions,
read at most ``FOCUS_TAG_VERSIONS_REUSE_SECONDS`` ago) and never past the
lifetime the shared entry was given. An edit through any worker bumps the
shared versions, and every worker's copy stops being served. Feed documents
are kept the same way: their key carries the edition's content version, read
from the shared store, so a copy is only ever found under a current version.

Bounded by ``FOCUS_PAGE_CACHE_LOCAL_BYTES`` of page content per worker, least
recently served first out; 0 turns it off (the default where the page cache
itself is per process, in development and tests).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from django.conf import settings


def _budget() -> int:
    return int(getattr(settings, "FOCUS_PAGE_CACHE_LOCAL_BYTES", 0))


class LocalEntries:
    def __init__(self):
        self._entries: OrderedDict[str, tuple[object, float, int]] = OrderedDict()
        self._bytes = 0
        # gunicorn's threaded workers share one process.
        self._lock = threading.Lock()

    def get(self, key: str):
        if not self._entries:
            return None
        with self._lock:
            item = self._entries.get(key)
            if item is None:
                return None
            entry, expires_at, size = item
            if expires_at <= time.time():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: str, value, *, size: int, expires_at: float | None) -> None:
        """Keep ``value`` (``size`` bytes) until ``expires_at``, the shared copy's end."""
        budget = _budget()
        if budget <= 0 or expires_at is None or size > budget:
            return
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (value, expires_at, size)
            self._bytes += size
            while self._bytes > budget:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: str) -> None:
        _entry, _expires_at, size = self._entries.pop(key)
        self._bytes -= size

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)


local_entries = LocalEntries()
