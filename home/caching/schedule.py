"""When cached responses must expire because a page changes by itself.

Wagtail's ``publish_scheduled`` command publishes pages approved to go live
and unpublishes pages past their expiry; its signals clear the cache then.
Until that moment the pages showing such a page must not be cached past it,
and only those: each pending change caps the entries tagged with what it
touches (the page, its ancestors' listings, the pages citing it), never
every entry of the site. Questions closing cap their own pages through
``cache_until``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.utils import timezone
from wagtail.models import Page, Revision

from .invalidation import forward_reference_tags, tags_for_change
from .stores import page_cache
from .tags import tag_versions

SCHEDULE_TAG = "schedule"
SCHEDULE_KEY = "focus:fragment:scheduled-changes"


def _compute() -> dict[str, float]:
    """Each tag touched by a pending scheduled change, with the earliest such moment.

    A change touches the page, the pages listing or citing it (its ancestors,
    pages referencing it) and the listings of what it shows (an author's page
    lists the author's articles): the tags its publication would clear.
    """
    now = timezone.now()
    changes = [
        (revision.as_object(), revision.approved_go_live_at)
        for revision in Revision.page_revisions.filter(approved_go_live_at__gt=now)
    ]
    changes += [
        (page, page.expire_at)
        for page in Page.objects.filter(live=True, expire_at__gt=now).specific()
    ]
    by_tag: dict[str, float] = {}
    for page, moment in changes:
        moment = moment.timestamp()
        for tag in tags_for_change(page) | forward_reference_tags(page):
            by_tag[tag] = min(by_tag.get(tag, moment), moment)
    return by_tag


def scheduled_changes() -> dict[str, float]:
    """Tag → Unix time of the next scheduled change touching it.

    Kept in the page cache; rebuilt when its earliest moment has passed or
    when scheduling or the page tree changed (the schedule tag, bumped by
    saving a scheduled revision and by every page change).
    """
    cache = page_cache()
    entry = cache.get(SCHEDULE_KEY)
    now = time.time()
    if entry is not None:
        built_at_ns, by_tag = entry
        passed = bool(by_tag) and min(by_tag.values()) <= now
        if not passed and tag_versions([SCHEDULE_TAG])[SCHEDULE_TAG] < built_at_ns:
            return by_tag
    built_at_ns = time.time_ns()
    by_tag = _compute()
    cache.set(SCHEDULE_KEY, (built_at_ns, by_tag), None)
    return by_tag


def next_change_for(tags: Iterable[str]) -> float | None:
    """Unix time of the next scheduled change touching any of these tags, or None."""
    by_tag = scheduled_changes()
    moments = [by_tag[tag] for tag in tags if tag in by_tag]
    return min(moments) if moments else None


def next_scheduled_change() -> float | None:
    """Unix time of the next scheduled change anywhere (what a feed may list), or None."""
    by_tag = scheduled_changes()
    return min(by_tag.values()) if by_tag else None
