"""The next moment a page changes by itself: a scheduled go-live or expiry.

Wagtail's ``publish_scheduled`` command publishes and unpublishes such pages,
and its signals clear the cache then; capping every entry's lifetime at the
next scheduled change keeps pages right even if the command runs late.
"""

from __future__ import annotations

import time

from django.db.models import Min
from django.utils import timezone

from .stores import page_cache
from .tags import tag_versions

SCHEDULE_TAG = "schedule"
SCHEDULE_KEY = "focus:fragment:next-scheduled-change"


def _compute() -> float | None:
    from wagtail.models import Page, Revision

    now = timezone.now()
    moments = [
        Revision.page_revisions.filter(approved_go_live_at__gt=now).aggregate(
            at=Min("approved_go_live_at")
        )["at"],
        Page.objects.filter(live=True, expire_at__gt=now).aggregate(at=Min("expire_at"))["at"],
    ]
    moments = [moment.timestamp() for moment in moments if moment is not None]
    return min(moments) if moments else None


def next_scheduled_change() -> float | None:
    """Unix time of the next scheduled publication or expiry, or None.

    Kept in the page cache; rebuilt when it has passed or when scheduling
    changed (the schedule tag, bumped by saving a scheduled revision or page).
    """
    cache = page_cache()
    entry = cache.get(SCHEDULE_KEY)
    now = time.time()
    if entry is not None:
        built_at_ns, moment = entry
        passed = moment is not None and moment <= now
        if not passed and tag_versions([SCHEDULE_TAG])[SCHEDULE_TAG] < built_at_ns:
            return moment
    built_at_ns = time.time_ns()
    moment = _compute()
    cache.set(SCHEDULE_KEY, (built_at_ns, moment), None)
    return moment
