"""Listing pagination that never fails on a bad page number."""

from django.conf import settings
from django.core.paginator import Page, Paginator

from home.caching import cache_query_params


def paginate(request, queryset, per_page: int | None = None) -> Page:
    """One page of results; a missing, non-numeric or out-of-range number is clamped."""
    # The cached copy is keyed on the page number (and no other parameter).
    cache_query_params(request, "page")
    paginator = Paginator(queryset, per_page or settings.FOCUS_LISTING_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))
