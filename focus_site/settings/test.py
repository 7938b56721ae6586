"""Test runs: fast hashing, in-memory email, no collected static files needed."""

import os

from .base import *

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
# Tests render templates without running collectstatic.
STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
}
# One folder per test process when the suite runs in several (PYTEST_XDIST_WORKER).
MEDIA_ROOT = BASE_DIR / "var" / "test-media" / os.environ.get("PYTEST_XDIST_WORKER", "main")
# Each test builds its own pages; the page cache is switched on where tested.
FOCUS_PAGE_CACHE_ENABLED = False
# One process, one clock. With a margin for other servers' clocks, a value
# derived from the rows (a listing's length) would be rebuilt for half a second
# after each change, and a query count would depend on how fast the test ran.
FOCUS_PAGE_CACHE_CLOCK_SKEW = 0
# Tests change tag versions behind the cache's back (emptying the counters,
# other processes); a hit reads them every time. The gunicorn freshness proof
# runs production settings, reuse included.
FOCUS_TAG_VERSIONS_REUSE_SECONDS = 0
FOCUS_PAGE_CACHE_UNTAGGED_SECONDS = 0
FOCUS_FRAGMENT_CACHE_ENABLED = False
# Without DATABASE_URL, tests never name the development database (db.sqlite3,
# which `make run` fills): Django tests on an in-memory copy, and anything that
# opened a connection outside it would find an empty file under var/ instead.
if not env("DATABASE_URL"):
    DATABASES["default"]["NAME"] = str(BASE_DIR / "var" / "test-outside.sqlite3")
