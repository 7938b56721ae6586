"""Shared check: a page's SQL query count is fixed and within the budget."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

# Every public page type renders in at most this many queries, uncached.
QUERY_BUDGET = 15


def count_queries(test: TestCase, url: str) -> int:
    # Warm what is made once and reused (renditions, site root paths, settings).
    test.client.get(url)
    test.client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = test.client.get(url)
    test.assertEqual(response.status_code, 200, url)
    return len(captured.captured_queries)


def assert_fixed_queries(
    test: TestCase, url: str | Callable[[], str], grow: Callable[[], None], expected: int
) -> None:
    """The page takes ``expected`` queries with one item and still after ``grow`` adds more."""
    test.assertLessEqual(expected, QUERY_BUDGET)
    resolve = url if callable(url) else (lambda: url)
    test.assertEqual(count_queries(test, resolve()), expected, f"{resolve()} with one item")
    grow()
    test.assertEqual(count_queries(test, resolve()), expected, f"{resolve()} with many items")
