"""Cache tags: named dependencies whose version is the time they last changed.

A cached response remembers when it was rendered; it is served only while
every tag it depends on last changed before that moment. Invalidation is
one write per tag, whatever the number of cached URLs, and works the same on
Redis (shared by every app server) and in local memory (one process).
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import caches
from django.db import models, transaction
from django.http import HttpRequest

# Every cached page shows the navigation and the site settings.
SITE_TAG = "site"
TAG_PREFIX = "focus:tag:"


def page_cache():
    return caches[getattr(settings, "FOCUS_PAGE_CACHE_ALIAS", "default")]


def object_tag(obj: models.Model) -> str:
    """The tag of one object; every page shares the base Page's label."""
    from wagtail.models import Page

    label = "wagtailcore.page" if isinstance(obj, Page) else obj._meta.label_lower
    return f"{label}:{obj.pk}"


def model_tag(model: type[models.Model]) -> str:
    """The tag of a whole model, for listings of every object of it."""
    return f"{model._meta.label_lower}:*"


def tag_request(request: HttpRequest, *tags: str) -> None:
    """Declare what the response to this request shows; untagged responses are not cached."""
    existing = getattr(request, "_focus_cache_tags", None)
    if existing is None:
        existing = request._focus_cache_tags = {SITE_TAG}
    existing.update(tags)


def request_tags(request: HttpRequest) -> set[str]:
    return set(getattr(request, "_focus_cache_tags", None) or ())


def tag_versions(tags: Iterable[str]) -> dict[str, int]:
    """The last-change time (ns) of each tag; a tag the cache lost counts as changed now."""
    tags = list(tags)
    cache = page_cache()
    found = cache.get_many([TAG_PREFIX + tag for tag in tags])
    versions = {}
    now = time.time_ns()
    for tag in tags:
        value = found.get(TAG_PREFIX + tag)
        if value is None:
            # Unknown or evicted: we cannot prove it did not change, so it did.
            cache.add(TAG_PREFIX + tag, now, None)
            value = now
        versions[tag] = int(value)
    return versions


def ensure_tags(tags: Iterable[str], version_ns: int) -> None:
    """Give tags never seen before a version just older than a page rendered now.

    Older cached pages that depended on a lost tag stay invalid: they were
    rendered before this version.
    """
    cache = page_cache()
    tags = list(tags)
    found = cache.get_many([TAG_PREFIX + tag for tag in tags])
    for tag in tags:
        if TAG_PREFIX + tag not in found:
            cache.add(TAG_PREFIX + tag, version_ns, None)


def _bump(tags: set[str]) -> None:
    now = time.time_ns()
    page_cache().set_many({TAG_PREFIX + tag: now for tag in tags}, None)


def invalidate(tags: Iterable[str]) -> None:
    """Mark tags changed now and again when the transaction commits.

    The second write closes the window in which a request could render the
    old rows after the first write and cache them as fresh.
    """
    tags = set(tags)
    if not tags:
        return
    _bump(tags)
    transaction.on_commit(lambda: _bump(tags))
