"""Listing pagination that never fails on a bad page number, and stays flat at any depth.

``paginate`` is Django's paginator: a ``COUNT`` and an ``OFFSET`` per page,
both as slow as the listing is long. Large listings (every article, a topic,
an author) use ``paginate_listing`` instead: the key of the first item of
every page is worked out once and kept in the cache until something the
listing shows changes (its cache tags), so a page costs one indexed query
however deep it is, and ``?page=400`` keeps its plain, shareable address.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils.functional import cached_property

from home.caching import cache_query_params
from home.caching.derived import cached_by_tags


def paginate(request, queryset, per_page: int | None = None) -> Page:
    """One page of results; a missing, non-numeric or out-of-range number is clamped."""
    # The cached copy is keyed on the page number (and no other parameter).
    cache_query_params(request, "page")
    paginator = Paginator(queryset, per_page or settings.FOCUS_LISTING_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


# (descending, last field) -> lookup for "comes after the key, in this order".
STEPS = {(True, False): "lt", (True, True): "lte", (False, False): "gt", (False, True): "gte"}


def _field(name: str) -> tuple[str, bool]:
    """An ordering term split into its field and whether it descends."""
    return name.lstrip("-"), name.startswith("-")


def at_or_after(ordering: Sequence[str], key: Sequence) -> Q:
    """Rows at or after ``key`` in ``ordering`` (a keyset condition).

    The first field also gets a plain range condition (``date <= d``) so the
    database can start from its index instead of testing every row.
    """
    fields = [_field(name) for name in ordering]
    first, first_desc = fields[0]
    condition = Q(**{f"{first}__{'lte' if first_desc else 'gte'}": key[0]})
    either = Q()
    for position, (name, descending) in enumerate(fields):
        equal = {earlier: key[i] for i, (earlier, _d) in enumerate(fields[:position])}
        last = position == len(fields) - 1
        # The last field is unique: its own row is where the page starts.
        step = STEPS[descending, last]
        either |= Q(**equal, **{f"{name}__{step}": key[position]})
    return condition & either


class KeysetPaginator(Paginator):
    """A paginator told each page's first key: no ``COUNT``, no ``OFFSET``."""

    def __init__(self, queryset: QuerySet, per_page: int, ordering: Sequence[str], starts, total):
        super().__init__(queryset.order_by(*ordering), per_page)
        self.ordering = list(ordering)
        self.starts = starts
        self.total = total

    @cached_property
    def count(self) -> int:
        return self.total

    def page(self, number) -> Page:
        number = self.validate_number(number)
        if not self.starts:
            return self._get_page([], number, self)
        rows = self.object_list.filter(at_or_after(self.ordering, self.starts[number - 1]))
        # Loaded when first iterated: the page's number, neighbours and count
        # come from the kept keys, so a page whose items are a kept listing
        # fragment never loads them.
        return self._get_page(rows[: self.per_page], number, self)


def listing_starts(
    queryset: QuerySet, ordering: Sequence[str], per_page: int
) -> tuple[list[tuple], int]:
    """The key of every page's first item, and how many items there are, in one query."""
    fields = [_field(name)[0] for name in ordering]
    keys = list(
        queryset.select_related(None)
        .prefetch_related(None)
        .order_by(*ordering)
        .values_list(*fields)
    )
    return keys[::per_page], len(keys)


def paginate_listing(
    request,
    queryset: QuerySet,
    *,
    name: str,
    tags: Iterable[str],
    ordering: Sequence[str] = ("-date", "-pk"),
    per_page: int | None = None,
) -> Page:
    """One page of a long listing, as ``paginate`` but at the cost of the first page.

    ``name`` identifies the listing (its page, topic or author) and ``tags``
    what it shows, so a publish, unpublish, move or restriction rebuilds the
    page keys. ``ordering`` must end with a unique field, so every item has
    one place.
    """
    cache_query_params(request, "page")
    per_page = per_page or settings.FOCUS_LISTING_PAGE_SIZE
    starts, total = cached_by_tags(
        f"listing:{name}:{per_page}:{','.join(ordering)}",
        tags,
        lambda: listing_starts(queryset, ordering, per_page),
    )
    paginator = KeysetPaginator(queryset, per_page, ordering, starts, total)
    return paginator.get_page(request.GET.get("page"))
