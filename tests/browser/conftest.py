"""Fixtures for the browser layer: one Chromium per run, a live server, the sample site."""

from __future__ import annotations

import os
from collections.abc import Iterator
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from wagtail.models import Page

from tests.browser import tools

# Playwright's sync API keeps an event loop in this thread; the ORM calls made
# between browser steps are still synchronous, so Django's guard is a false alarm.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

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
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(tools.CHROMIUM), args=tools.LAUNCH_ARGS
        )
        yield browser
        browser.close()


def restore_initial_data() -> None:
    """Bring back what migrations create (root page, collection, locale) after a flush.

    Transactional tests flush the database when they end; a test's own set-up
    restores it, but module-wide fixtures run before that set-up.
    """
    if Page.get_first_root_node() is None:
        connection.creation.deserialize_db_from_string(connection._test_serialized_contents)


def load_sample_site() -> None:
    restore_initial_data()
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
