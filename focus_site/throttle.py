"""Counters behind every throttle: fixed windows in one cache, named by one setting.

Each throttle counts under a scope (what is counted: "login-user-address",
"signup-email", ...) and an identity (the client address, a username, an
email). The counts live in the cache ``FOCUS_COUNTERS_CACHE`` names, so a
deployment can give them a cache of their own where page entries cannot evict
them; every app server must share it, or each would count alone.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass

from django.core.cache import BaseCache

from home.caching.stores import counters_cache

KEY_PREFIX = "focus:throttle"


def counters() -> BaseCache:
    return counters_cache()


def key(scope: str, *identity: str) -> str:
    # Hashed: identities are client input (usernames, emails) of any length and
    # alphabet, and cache keys must stay short and plain.
    raw = "\x1f".join(part.strip().lower() for part in identity)
    digest = hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return f"{KEY_PREFIX}:{scope}:{digest}"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    count: int
    retry_after: int


def hit(scope: str, identity: tuple[str, ...], limit: int, window: int) -> Decision:
    """Count one event; allowed while the window's count is at most ``limit``.

    ``add`` opens the window (atomic; the expiry is set once, so steady traffic
    cannot keep extending it) and ``incr`` counts, so simultaneous requests on
    several servers never both read a stale count.
    """
    cache = counters()
    name = key(scope, *identity)
    cache.add(name, 0, timeout=window)
    try:
        count = cache.incr(name)
    except ValueError:
        # The window expired between add and incr: this event opens a new one.
        cache.add(name, 1, timeout=window)
        count = 1
    return Decision(allowed=count <= limit, count=count, retry_after=window)


def reset(scope: str, *identity: str) -> None:
    counters().delete(key(scope, *identity))


def take_back(scope: str, *identity: str) -> None:
    """Uncount one event (one that turned out not to be abuse)."""
    # A missing key (ValueError) means the window has already expired.
    with contextlib.suppress(ValueError):
        counters().decr(key(scope, *identity))
