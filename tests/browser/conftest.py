"""Fixtures for the browser layer: one Chromium per run, a live server, the sample site.

Loading the sample site takes tens of seconds (some twenty thousand queries:
translations, revisions, search indexing). Each test process loads it once,
keeps a copy of the database as it then stands, and hands every test or module
that needs the site a fresh copy of that (under a second): PostgreSQL clones it
as a template database, SQLite copies it with its backup API.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test.utils import setup_databases, teardown_databases
from pytest_django.live_server_helper import LiveServer
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page

from tests.browser import tools

# Playwright's sync API keeps an event loop in this thread; the ORM calls made
# between browser steps are still synchronous, so Django's guard is a false alarm.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The database names as configured, read before any test database replaces them.
NAMES_OUTSIDE_TESTS = {alias: db["NAME"] for alias, db in settings.DATABASES.items()}

EDITOR_USERNAME = "editor"
EDITOR_PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(scope="session")
def browser_tools() -> None:
    """Skip where Chromium, Java or the npm tools are missing; fail instead under
    `make test` and CI, which install them."""
    missing = tools.missing_tools()
    if missing:
        message = f"browser tests need {', '.join(missing)}: run `make browser-deps`"
        if os.environ.get("CI") or os.environ.get("FOCUS_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def chromium(browser_tools) -> Iterator:
    from playwright.sync_api import expect, sync_playwright

    # Two shared cores: give assertions the same patience as actions.
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(tools.CHROMIUM), args=tools.LAUNCH_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def module_database(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The test database, for a module that builds its site once in a module fixture.

    pytest-django creates the test database only when a collected test asks for
    it (``db``, ``transactional_db``, ``live_server`` or a ``django_db`` mark).
    Such a module's tests only read what its fixture recorded and ask for none:
    run on its own, the module would otherwise reach the configured database
    rather than a test one. Create it here in that case (once for the run).
    """
    if settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"] != NAMES_OUTSIDE_TESTS[DEFAULT_DB_ALIAS]:
        yield  # pytest-django set it up for the run's other tests
        return
    with django_db_blocker.unblock():
        config = setup_databases(
            verbosity=0, interactive=False, aliases={DEFAULT_DB_ALIAS}, serialized_aliases=set()
        )
    yield
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=0)


def restore_wagtail_roots() -> None:
    """Put back what Wagtail's migrations create, once a transactional test's
    flush has removed it: the default locale, the root collection and page.

    (Django's serialized rollback cannot do it here: Playwright's event loop
    gives the test a fresh connection wrapper without Django's saved copy.)
    """
    if Page.get_first_root_node() is not None:
        return
    # Content types and permissions, as after migrate; idempotent.
    emit_post_migrate_signal(verbosity=0, interactive=False, db=DEFAULT_DB_ALIAS)
    # Every edition's locale, as the migrations create them.
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant(code))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    Page.add_root(instance=Page(title="Root", slug="root"))


def load_sample_site() -> None:
    restore_wagtail_roots()
    call_command("load_sample_content", "--no-admin", stdout=StringIO())


class SampleSnapshot:
    """The test database as it stands once the sample site is loaded, to copy back.

    On PostgreSQL a template database named after the test database; on SQLite
    (an in-memory database, shared with the live server's thread) a second
    in-memory database filled through the backup API.
    """

    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.name = connection.settings_dict["NAME"]
        self.template = f"{self.name}_sample"
        self.copy: sqlite3.Connection | None = None

    def take(self) -> None:
        if self.vendor == "postgresql":
            self._end_other_connections()
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {self._quoted(self.template)}")
                cursor.execute(
                    f"CREATE DATABASE {self._quoted(self.template)}"
                    f" TEMPLATE {self._quoted(self.name)}"
                )
        else:
            connection.ensure_connection()
            self.copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(self.copy)

    def restore(self) -> None:
        if self.vendor == "postgresql":
            self._end_other_connections()
            with connection._nodb_cursor() as cursor:
                # FORCE: a request thread may connect again after the ending above.
                cursor.execute(f"DROP DATABASE {self._quoted(self.name)} WITH (FORCE)")
                cursor.execute(
                    f"CREATE DATABASE {self._quoted(self.name)}"
                    f" TEMPLATE {self._quoted(self.template)}"
                )
        else:
            connection.ensure_connection()
            self.copy.backup(connection.connection)

    def discard(self) -> None:
        if self.vendor == "postgresql":
            # Django drops the test database next, and refuses while anyone is on it.
            self._end_other_connections()
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {self._quoted(self.template)}")
        elif self.copy is not None:
            self.copy.close()

    def _end_other_connections(self) -> None:
        """PostgreSQL copies a database, or drops one, only when nobody is connected to it.

        This thread's connections close here; a live server's request threads
        close theirs after each request (CONN_MAX_AGE is 0 in tests), and any
        still open (a request the browser left in flight) are ended.
        """
        connections.close_all()
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [self.name],
            )

    @staticmethod
    def _quoted(name: str) -> str:
        return connection.ops.quote_name(name)


@pytest.fixture(scope="session")
def sample_snapshot(module_database, django_db_blocker) -> Iterator[SampleSnapshot]:
    """The sample site, loaded once for this test process and kept as a snapshot."""
    snapshot = SampleSnapshot()
    with django_db_blocker.unblock():
        load_sample_site()
        snapshot.take()
    yield snapshot
    with django_db_blocker.unblock():
        snapshot.discard()


@pytest.fixture(scope="session")
def sample_server(sample_snapshot) -> Iterator[LiveServer]:
    """A live server for the sample site's tests, started once for this test process.

    Not pytest-django's ``live_server``: that makes each test transactional, and
    the flush after each (seconds on PostgreSQL) is wasted on a database the
    next test replaces with a fresh copy anyway.
    """
    server = LiveServer("localhost")
    yield server
    server.stop()


@pytest.fixture
def sample_site(sample_snapshot, sample_server, django_db_blocker) -> Iterator[str]:
    """A fresh copy of the sample site, served by the live server; yields its base URL.

    The database stays open to the test and the server's threads while it runs.
    """
    with django_db_blocker.unblock():
        sample_snapshot.restore()
        yield sample_server.url


@pytest.fixture
def editor(sample_site):
    return get_user_model().objects.create_superuser(
        EDITOR_USERNAME, "editor@focus.example", EDITOR_PASSWORD
    )


@pytest.fixture
def recorder() -> tools.Recorder:
    return tools.Recorder()


@pytest.fixture
def context(chromium, recorder) -> Iterator:
    context = tools.new_context(chromium, recorder, viewport=tools.VIEWPORTS["desktop"])
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()
