"""Fixtures for the browser layer: one Chromium per run, a live server, the sample site."""

from __future__ import annotations

import os
from collections.abc import Iterator
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import DEFAULT_DB_ALIAS
from django.test.utils import setup_databases, teardown_databases
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


@pytest.fixture
def sample_site(live_server) -> str:
    """The sample site served by the live server; returns its base URL."""
    load_sample_site()
    return live_server.url


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
