"""The counters cache without Redis: numbers in a table, each change one atomic statement."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.core.cache import caches
from django.test import SimpleTestCase, TestCase, override_settings

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 6
EACH = 50

COUNTERS = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "counters": {"BACKEND": "home.caching.counters.DatabaseCounters", "KEY_PREFIX": "t"},
}


@override_settings(CACHES=COUNTERS)
class DatabaseCountersTests(TestCase):
    def setUp(self):
        self.cache = caches["counters"]

    def test_numbers_round_trip_exactly(self):
        # Tag versions are nanoseconds (19 digits), feed versions fractional seconds.
        version_ns = time.time_ns()
        feed_version = 1764500000.123456
        self.cache.set_many({"tag": version_ns, "feed": feed_version}, None)
        self.assertEqual(
            self.cache.get_many(["tag", "feed", "none"]),
            {
                "tag": version_ns,
                "feed": feed_version,
            },
        )
        self.assertIsInstance(self.cache.get("tag"), int)

    def test_add_incr_decr_follow_the_cache_api(self):
        self.assertRaises(ValueError, self.cache.incr, "window")
        self.assertTrue(self.cache.add("window", 0, 60))
        self.assertFalse(self.cache.add("window", 5, 60))
        self.assertEqual([self.cache.incr("window") for _ in range(3)], [1, 2, 3])
        self.assertEqual(self.cache.incr("window", 10), 13)
        self.assertEqual(self.cache.decr("window"), 12)
        self.assertTrue(self.cache.delete("window"))
        self.assertIsNone(self.cache.get("window"))
        self.assertEqual(self.cache.get("window", "gone"), "gone")

    def test_an_expired_number_is_gone_and_add_takes_its_place(self):
        self.cache.set("window", 7, 60)
        self.assertTrue(self.cache.touch("window", 0))  # expires at once
        self.assertIsNone(self.cache.get("window"))
        self.assertRaises(ValueError, self.cache.incr, "window")
        self.assertTrue(self.cache.add("window", 1, 60))
        self.assertEqual(self.cache.get("window"), 1)

    def test_only_numbers_are_stored(self):
        for value in ("3", [3], True):
            with self.assertRaises(TypeError):
                self.cache.set("key", value)
        self.assertIsNone(self.cache.get("key"))


def _scratch_database(tmp: Path):
    """A database of the test's own (SQLite file, or PostgreSQL when DATABASE_URL names it)."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        return f"sqlite:///{tmp / 'counters.sqlite3'}", lambda: None
    import psycopg

    parts = urlsplit(base)
    admin = urlunsplit(parts._replace(path="/postgres"))
    name = f"{parts.path.lstrip('/')}_counters_{secrets.token_hex(3)}"[:60]

    def run(sql: str) -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql)

    run(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), lambda: run(
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    )


class ConcurrentIncrementTests(SimpleTestCase):
    """Processes counting at once, as gunicorn workers throttling one crowd do."""

    def test_simultaneous_increments_from_many_processes_are_all_counted(self):
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            url, drop = _scratch_database(Path(tmp))
            try:
                env = {
                    **os.environ,
                    "DJANGO_SETTINGS_MODULE": "focus_site.settings.test",
                    "DATABASE_URL": url,
                    "FOCUS_CACHE_STORE": "database",
                }
                env.pop("REDIS_URL", None)
                command = [sys.executable, "-m", "tests.home.counter_worker"]
                subprocess.run([*command, "create"], cwd=ROOT, env=env, check=True)
                workers = [
                    subprocess.Popen(
                        [*command, "incr", str(EACH)],
                        cwd=ROOT,
                        env=env,
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        text=True,
                    )
                    for _ in range(PROCESSES)
                ]
                for worker in workers:
                    self.assertEqual(worker.stdout.readline().strip(), "ready")
                for worker in workers:  # every process starts counting at once
                    worker.stdin.write("go\n")
                    worker.stdin.flush()
                seen = []
                for worker in workers:
                    out, _err = worker.communicate(timeout=120)
                    self.assertEqual(worker.returncode, 0)
                    seen += json.loads(out.strip().splitlines()[-1])
            finally:
                drop()
        # Every increment counted once: the values handed out are exactly 1..N.
        total = PROCESSES * EACH
        self.assertEqual(sorted(seen), list(range(1, total + 1)))
