"""Cache tags: named dependencies whose version is the time they last changed.

A cached response remembers when it was rendered; it is served only while
every tag it depends on last changed before that moment. Invalidation is
one write per tag, whatever the number of cached URLs, and works the same on
Redis (shared by every app server) and in local memory (one process).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

from django.core.signals import request_started
from django.db import models, transaction
from django.http import HttpRequest

from .stores import counters_cache

# Every cached page shows the navigation and the site settings.
SITE_TAG = "site"
TAG_PREFIX = "focus:tag:"
EPOCH_KEY = "focus:tag-epoch"


def object_tag(obj: models.Model) -> str:
    """The tag of one object; every page shares the base Page's label."""
    from wagtail.models import Page

    if isinstance(obj, Page):
        return page_tag(obj.pk)
    return f"{obj._meta.label_lower}:{obj.pk}"


def page_tag(pk: int) -> str:
    """The tag of the page with this id, whatever its type."""
    return f"wagtailcore.page:{pk}"


def model_tag(model: type[models.Model]) -> str:
    """The tag of a whole model, for listings of every object of it."""
    return f"{model._meta.label_lower}:*"


def tag_request(request: HttpRequest, *tags: str) -> None:
    """Declare what the response to this request shows; untagged responses are not cached."""
    existing = getattr(request, "_focus_cache_tags", None)
    if existing is None:
        existing = request._focus_cache_tags = {SITE_TAG}
    existing.update(tags)


def cache_query_params(request: HttpRequest, *names: str) -> None:
    """Declare which query parameters the response depends on.

    The cached copy is keyed on these alone, so ``?utm_source=…`` or any other
    parameter the page ignores shares one entry. A response to a request with
    a query string is cached only once its view declared (possibly none).
    """
    existing = getattr(request, "_focus_cache_params", None)
    if existing is None:
        existing = request._focus_cache_params = set()
    existing.update(names)


def request_query_params(request: HttpRequest) -> set[str] | None:
    """The declared query parameters, or None when the view declared nothing."""
    return getattr(request, "_focus_cache_params", None)


def cache_until(request: HttpRequest, moment: float | None) -> None:
    """The response shows something that changes by itself at ``moment`` (a Unix time)."""
    if moment is None:
        return
    current = getattr(request, "_focus_cache_until", None)
    request._focus_cache_until = moment if current is None else min(current, moment)


def request_cache_until(request: HttpRequest) -> float | None:
    return getattr(request, "_focus_cache_until", None)


class _Rendered(threading.local):
    """Tags of objects loaded while rendering the current request (blocks' pages, images).

    Blocks load what they show in bulk, without the request at hand; they
    record it here so the cached page depends on what it actually showed,
    known at once, without waiting for Wagtail's reference index.
    """

    def __init__(self):
        self.tags: set[str] = set()

    def reset(self, **kwargs) -> None:
        self.tags = set()


rendered = _Rendered()
request_started.connect(rendered.reset, dispatch_uid="focus_cache_rendered_reset")


def record_shown(objects: Iterable[models.Model]) -> None:
    """The current response shows these objects and the rows prefetched with them."""
    for obj in objects:
        if obj is None:
            continue
        rendered.tags.add(object_tag(obj))
        # Rows joined in with it (a question's prompting article, a video's
        # series) are shown too: depend on them without waiting for the index.
        for joined in getattr(obj._state, "fields_cache", {}).values():
            if isinstance(joined, models.Model):
                rendered.tags.add(object_tag(joined))
        # Bylines prefetched with an article name their authors: depend on them.
        for rows in getattr(obj, "_prefetched_objects_cache", {}).values():
            for row in rows:
                if not isinstance(row, models.Model):
                    continue
                rendered.tags.add(object_tag(row))
                for field in row._meta.concrete_fields:
                    value = getattr(row, field.attname, None)
                    if field.is_relation and value is not None and field.related_model:
                        rendered.tags.add(f"{_label(field.related_model)}:{value}")


def _label(model: type[models.Model]) -> str:
    from wagtail.models import Page

    return "wagtailcore.page" if issubclass(model, Page) else model._meta.label_lower


def request_tags(request: HttpRequest) -> set[str]:
    tags = set(getattr(request, "_focus_cache_tags", None) or ())
    return tags | rendered.tags if tags else tags


class _RecentVersions:
    """Tag versions this process read a moment ago, for the page-cache hit path.

    A hit reads its entry and then its tags' versions: two trips to the shared
    store. Reusing versions read within the last ``FOCUS_TAG_VERSIONS_REUSE_SECONDS``
    (half a second in production) saves the second trip on busy pages, and
    delays another worker's edit by at most that long, well inside the two
    seconds in which every worker must show it. An edit made in this process
    forgets the versions it bumps at once.
    """

    # Tags are per object: bound what a long-running worker keeps.
    MAX_TAGS = 50_000
    clock = staticmethod(time.monotonic)

    def __init__(self):
        self.versions: dict[str, tuple[int, float]] = {}
        # When this process last saw the epoch (every read of the store does).
        self.epoch_seen_at = float("-inf")

    def read(self, tags: list[str], max_age: float) -> dict[str, int]:
        now = self.clock()
        if not tags:
            # Only the epoch is wanted (before a render): read it now and then.
            if now - self.epoch_seen_at > max_age:
                _read_versions([])
                self.epoch_seen_at = now
            return {}
        known = self.versions
        stale = [tag for tag in tags if (seen := known.get(tag)) is None or now - seen[1] > max_age]
        if stale:
            if len(known) > self.MAX_TAGS:
                known.clear()
            for tag, version in _read_versions(stale).items():
                known[tag] = (version, now)
            self.epoch_seen_at = now
        return {tag: known[tag][0] for tag in tags}

    def forget(self, tags: Iterable[str]) -> None:
        for tag in tags:
            self.versions.pop(tag, None)


recent_versions = _RecentVersions()


def tag_versions(tags: Iterable[str], *, reuse_for: float = 0.0) -> dict[str, int]:
    """The last-change time (ns) of each tag.

    A tag never changed since the counters cache started counts as changed
    at that start (the epoch, written once). Tags live in the counters cache,
    which page entries cannot evict; if that cache is emptied (a restart of a
    store without persistence), the epoch restarts too, so every page cached
    before counts as stale: nothing can prove its tags did not change.

    ``reuse_for`` (seconds) lets versions this process read that recently
    stand in for a fresh read (see ``_RecentVersions``).
    """
    tags = list(tags)
    if reuse_for > 0:
        return recent_versions.read(tags, reuse_for)
    return _read_versions(tags)


def _read_versions(tags: list[str]) -> dict[str, int]:
    cache = counters_cache()
    found = cache.get_many([EPOCH_KEY, *(TAG_PREFIX + tag for tag in tags)])
    epoch = found.get(EPOCH_KEY)
    if epoch is None:
        cache.add(EPOCH_KEY, time.time_ns(), None)
        epoch = cache.get(EPOCH_KEY, time.time_ns())
    return {tag: int(found.get(TAG_PREFIX + tag, epoch)) for tag in tags}


def _bump(tags: set[str]) -> None:
    now = time.time_ns()
    counters_cache().set_many({TAG_PREFIX + tag: now for tag in tags}, None)
    recent_versions.forget(tags)


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
