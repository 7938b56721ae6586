"""Keep private pages (and everything below them) out of public lists.

Wagtail's ``PageQuerySet.public()`` reads every view restriction on each
call: one query per listing. The restricted paths are kept as a site
fragment instead (cleared when a restriction changes, which bumps the site
tag), so listings exclude private sections at no extra query.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from wagtail.models import PageViewRestriction

from home.caching.fragments import site_fragment


def private_paths() -> list[str]:
    return site_fragment(
        "private-paths",
        lambda: sorted(set(PageViewRestriction.objects.values_list("page__path", flat=True))),
    )


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
