"""The counters cache on the database: one row per number, changed in one statement.

Django's ``DatabaseCache.incr`` reads the value and writes it back, so two
workers counting at once both write the same number and one count is lost: a
crowd of failed logins or answers would be undercounted by its throttle.
Here every write is a single SQL statement on a table of plain numbers
(``UPDATE … SET value = value + %s … RETURNING``, ``INSERT … ON CONFLICT``),
atomic on SQLite and PostgreSQL alike, so N simultaneous increments give N.

It holds what the counters alias holds: numbers (throttle counts, cache-tag
versions in nanoseconds, feed versions in seconds). Anything else is refused.
The table comes from a migration (``home.CacheCounter``).
"""

from __future__ import annotations

import random
import time
from decimal import Decimal

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import connections

TABLE = "focus_cache_counter"
# One write in this many also removes expired rows (ended throttle windows).
PURGE_EVERY = 200
# A row that has not expired (its expiry a Unix time, NULL for never).
UNEXPIRED = "(expires IS NULL OR expires > %s)"


def _number(value):
    # PostgreSQL's numeric comes back as Decimal; SQLite's as int or float.
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _checked(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"The counters cache holds numbers only, not {type(value).__name__}.")
    return value


class DatabaseCounters(BaseCache):
    """A cache backend for numbers only, with atomic ``add``, ``incr`` and ``decr``."""

    def __init__(self, location, params):
        super().__init__(params)
        self.using = (params.get("OPTIONS") or {}).get("DATABASE", "default")

    def validate_key(self, key):
        # Django's check is memcached's rules (length, control characters), and
        # it only warns; a row here takes any key. Every key is made by Focus
        # (tag names, counter names), and checking each character of the eighty
        # tags a feed's entries depend on cost more than the read itself.
        pass

    def _cursor(self):
        return connections[self.using].cursor()

    def _expiry(self, timeout):
        # A Unix time, None for never; Django's "0: expire now" is already past.
        return self.get_backend_timeout(timeout)

    def _maybe_purge(self, cursor) -> None:
        if random.randrange(PURGE_EVERY) == 0:
            cursor.execute(f"DELETE FROM {TABLE} WHERE expires <= %s", [time.time()])

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._cursor() as cursor:
            cursor.execute(
                f"SELECT value FROM {TABLE} WHERE cache_key = %s AND {UNEXPIRED}",
                [key, time.time()],
            )
            row = cursor.fetchone()
        return default if row is None else _number(row[0])

    def get_many(self, keys, version=None):
        if not keys:
            return {}
        names = {self.make_and_validate_key(key, version=version): key for key in keys}
        marks = ", ".join(["%s"] * len(names))
        with self._cursor() as cursor:
            cursor.execute(
                f"SELECT cache_key, value FROM {TABLE} "
                f"WHERE cache_key IN ({marks}) AND {UNEXPIRED}",
                [*names, time.time()],
            )
            rows = cursor.fetchall()
        return {names[name]: _number(value) for name, value in rows}

    def has_key(self, key, version=None):
        return self.get(key, version=version) is not None

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} (cache_key, value, expires) VALUES (%s, %s, %s) "
                "ON CONFLICT (cache_key) DO UPDATE "
                "SET value = excluded.value, expires = excluded.expires",
                [key, _checked(value), self._expiry(timeout)],
            )
            self._maybe_purge(cursor)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        for key, value in data.items():
            self.set(key, value, timeout, version=version)
        return []

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        """Store the value unless the key holds an unexpired one; True if stored."""
        key = self.make_and_validate_key(key, version=version)
        with self._cursor() as cursor:
            # An expired row is taken over in the same statement, so two
            # workers opening a new window at once cannot both succeed.
            cursor.execute(
                f"INSERT INTO {TABLE} (cache_key, value, expires) VALUES (%s, %s, %s) "
                "ON CONFLICT (cache_key) DO UPDATE SET value = excluded.value, "
                f"expires = excluded.expires WHERE {TABLE}.expires IS NOT NULL "
                f"AND {TABLE}.expires <= %s RETURNING cache_key",
                [key, _checked(value), self._expiry(timeout), time.time()],
            )
            stored = cursor.fetchone() is not None
            self._maybe_purge(cursor)
        return stored

    def incr(self, key, delta=1, version=None):
        """Add ``delta`` in one statement and return the new value; ValueError if missing."""
        name = self.make_and_validate_key(key, version=version)
        with self._cursor() as cursor:
            cursor.execute(
                f"UPDATE {TABLE} SET value = value + %s "
                f"WHERE cache_key = %s AND {UNEXPIRED} RETURNING value",
                [_checked(delta), name, time.time()],
            )
            row = cursor.fetchone()
        if row is None:
            raise ValueError(f"Key '{key}' not found.")
        return _number(row[0])

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._cursor() as cursor:
            cursor.execute(
                f"UPDATE {TABLE} SET expires = %s WHERE cache_key = %s AND {UNEXPIRED}",
                [self._expiry(timeout), key, time.time()],
            )
            return cursor.rowcount > 0

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE cache_key = %s", [key])
            return cursor.rowcount > 0

    def delete_many(self, keys, version=None):
        for key in keys:
            self.delete(key, version=version)

    def clear(self):
        with self._cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")
