"""Shared check: a page's SQL queries stay within its budget and do not grow with what it shows.

A count includes Wagtail's and Django's own queries (sessions, sites, locales,
renditions), which a release of either may change by one without anything
here getting slower. So the recorded count is a ceiling, not an exact figure,
and what catches a regression is the comparison: the same page with few and
with many items must take the same number of queries, which a query per item
(a byline, a block, a card) breaks at once.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

# Every public page type renders in at most this many queries, uncached.
QUERY_BUDGET = 15


def queries_of(action: Callable[[], object]) -> int:
    """How many queries ``action`` runs."""
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


def count_queries(test: TestCase, url: str) -> int:
    # Warm what is made once and reused (renditions, site root paths, settings).
    test.client.get(url)
    test.client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = test.client.get(url)
    test.assertEqual(response.status_code, 200, url)
    return len(captured.captured_queries)


def assert_query_budget(test: TestCase, few: int, many: int, ceiling: int, label: str) -> None:
    """``few`` and ``many`` queries (with few and many items) are equal and at most ``ceiling``."""
    test.assertLessEqual(few, ceiling, f"{label}: {few} queries, over its budget of {ceiling}")
    test.assertEqual(
        many, few, f"{label}: {few} queries with few items but {many} with many: a query per item"
    )


def assert_fixed_queries(
    test: TestCase, url: str | Callable[[], str], grow: Callable[[], None], ceiling: int
) -> None:
    """The page takes at most ``ceiling`` queries with one item, and no more after ``grow``."""
    test.assertLessEqual(ceiling, QUERY_BUDGET)
    resolve = url if callable(url) else (lambda: url)
    few = count_queries(test, resolve())
    grow()
    assert_query_budget(test, few, count_queries(test, resolve()), ceiling, resolve())
