"""Keep private pages (and everything below them) out of public lists.

Wagtail's ``PageQuerySet.public()`` reads every view restriction on each
call: one query per listing. The restricted paths are kept as a site
fragment instead (cleared when a restriction changes, which bumps the site
tag), so listings exclude private sections at no extra query.
"""

from __future__ import annotations

import threading

from django.core.signals import request_finished, request_started
from django.db.models import Q, QuerySet
from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction

from home.caching.fragments import site_fragment


class _Memo(threading.local):
    """The paths, read once per request: a page's blocks ask for each page they show."""

    paths: list[str] | None = None

    def forget(self, **kwargs) -> None:
        self.paths = None


_memo = _Memo()
request_started.connect(_memo.forget, dispatch_uid="focus_private_paths_started")
request_finished.connect(_memo.forget, dispatch_uid="focus_private_paths_finished")
for _signal in (post_save, post_delete):
    _signal.connect(
        _memo.forget,
        sender=PageViewRestriction,
        dispatch_uid=f"focus_private_paths_{_signal is post_save}",
    )


def private_paths() -> list[str]:
    if _memo.paths is None:
        _memo.paths = site_fragment(
            "private-paths",
            lambda: sorted(set(PageViewRestriction.objects.values_list("page__path", flat=True))),
        )
    return _memo.paths


def is_public(page) -> bool:
    """False for a page in a private section; no query (the paths are a site fragment)."""
    path = getattr(page, "path", "") or ""
    return not any(path.startswith(private) for private in private_paths())


def public_only(queryset: QuerySet) -> QuerySet:
    """The queryset without pages in a private section."""
    condition = Q()
    for path in private_paths():
        condition |= Q(path__startswith=path)
    return queryset.exclude(condition) if condition else queryset
