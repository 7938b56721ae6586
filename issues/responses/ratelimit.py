"""Per-client submission limits, counted in the counters cache."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from home.caching.stores import counters_cache


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the proxy header the settings name."""
    header = settings.FOCUS_CLIENT_IP_HEADER
    if header:
        # A proxy appends the address it saw, so the last entry is the one it vouches for.
        forwarded = [part.strip() for part in request.META.get(header, "").split(",")]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after: int


def hit(request: HttpRequest, scope: str = "question-response") -> RateDecision:
    """Count one attempt by this client; refuse once the window's limit is passed.

    A fixed window: ``add`` starts it (atomic, sets the expiry once) and
    ``incr`` counts, so simultaneous requests cannot both read a stale count.
    """
    limit = settings.FOCUS_RESPONSES_RATE_LIMIT
    window = settings.FOCUS_RESPONSES_RATE_WINDOW
    key = f"focus-rate:{scope}:{client_ip(request)}"
    cache = counters_cache()
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:
        # The window expired between add and incr: this attempt opens a new one.
        cache.add(key, 1, timeout=window)
        count = 1
    return RateDecision(allowed=count <= limit, retry_after=window)
