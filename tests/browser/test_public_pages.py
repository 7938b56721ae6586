"""Every public page type in headless Chromium, at phone and desktop widths:
zero axe-core violations (WCAG 2.2 A/AA and best practice, light and dark
schemes), zero Nu HTML Checker errors, zero requests off this machine and
zero console errors. A screenshot of each lands in var/screenshots/.

The site is visited once for the whole module (loading the sample site and
starting Java are the slow parts); each check is then its own test per page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.browser import tools
from tests.browser.public_pages import EXPECTED_STATUS, FORMS_IN_ERROR, PAGE_TYPES

# The tests only read what the module's visit recorded: no database of their own
# (and no flush after each of them).
pytestmark = [pytest.mark.browser]


@dataclass
class Visit:
    url: str
    status: int
    html_file: Path
    axe: dict[str, list[dict]] = field(default_factory=dict)
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    html_errors: list[str] = field(default_factory=list)


def visit(
    context, recorder: tools.Recorder, name: str, url: str, width: str, form: str | None = None
) -> Visit | None:
    """Load ``url`` (and, given a form selector, send that form empty) and audit it.

    None when the page has no such form.
    """
    recorder.reset()
    recorder.expected_error_urls.add(url)
    page = context.new_page()
    response = page.goto(url, wait_until="load")
    if form:
        target = page.locator(form).first
        if not page.locator(form).count():
            page.close()
            return None
        target.evaluate("form => { form.noValidate = true; }")
        with page.expect_navigation(wait_until="load") as sent:
            target.locator("[type=submit]").first.click()
        response = sent.value
    html_file = tools.BROWSER_WORK_DIR / f"{name}.html"
    html_file.write_text(response.text(), encoding="utf-8")
    result = Visit(url=url, status=response.status, html_file=html_file)
    page.screenshot(path=tools.SCREENSHOT_DIR / f"{name}-{width}.png", full_page=True)
    result.axe[f"{width}, light"] = tools.run_axe(page)
    if width == "desktop":
        # The dark scheme changes colours only, so only contrast needs a second look.
        page.emulate_media(color_scheme="dark")
        result.axe["desktop, dark: contrast"] = tools.run_axe(page, rules=["color-contrast"])
    page.close()
    result.blocked = list(recorder.blocked)
    result.console_errors = list(recorder.console_errors)
    return result


def crawl(chromium, base_url: str, paths: dict[str, str]) -> dict[str, Visit | None]:
    visits: dict[str, Visit | None] = {}
    targets = [(name, path, None) for name, path in paths.items()] + [
        (name, paths[page_type], form) for name, (page_type, form) in FORMS_IN_ERROR.items()
    ]
    for width, viewport in reversed(tools.VIEWPORTS.items()):
        recorder = tools.Recorder()
        context = tools.new_context(chromium, recorder, viewport=viewport)
        for name, path, form in targets:
            done = visit(context, recorder, name, base_url + path, width, form)
            if done is None:
                visits[name] = None
            elif width == "desktop":  # desktop comes first
                visits[name] = done
            elif visits[name] is not None:
                # One record per page type; both widths must be clean.
                visits[name].axe.update(done.axe)
                visits[name].blocked += done.blocked
                visits[name].console_errors += done.console_errors
        context.close()
    return visits


@pytest.fixture(scope="module")
def audit(chromium, sample_snapshot, sample_server, django_db_blocker) -> dict[str, Visit | None]:
    tools.SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    tools.BROWSER_WORK_DIR.mkdir(parents=True, exist_ok=True)
    # The live server answers from this database: keep it open for the whole visit.
    with django_db_blocker.unblock():
        sample_snapshot.restore()
        paths = {name: find() for name, find in PAGE_TYPES.items()}
        visits = crawl(chromium, sample_server.url, paths)
    found = [v for v in visits.values() if v is not None]
    errors = tools.vnu_errors([v.html_file for v in found])
    for result in found:
        result.html_errors = errors.get(result.html_file.resolve(), [])
    return visits


EVERYTHING = [*PAGE_TYPES, *FORMS_IN_ERROR]


def visited(audit, name: str) -> Visit:
    if audit[name] is None:
        # Listed ahead of time so the form is audited the day it lands.
        pytest.skip(f"{name}: the form is not on its page yet")
    return audit[name]


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_answers_with_expected_status(audit, name):
    assert visited(audit, name).status == EXPECTED_STATUS.get(name, 200), audit[name].url


@pytest.mark.parametrize("name", FORMS_IN_ERROR)
def test_form_sent_empty_shows_its_errors(audit, name):
    result = visited(audit, name)
    assert result.status in {200, 400}, result.status
    html = result.html_file.read_text(encoding="utf-8")
    assert 'aria-invalid="true"' in html or "errorlist" in html, "no error message shown"


@pytest.mark.parametrize("name", EVERYTHING)
def test_no_accessibility_violations(audit, name):
    result = visited(audit, name)
    assert set(result.axe) == {"phone, light", "desktop, light", "desktop, dark: contrast"}
    found = {where: found for where, found in result.axe.items() if found}
    assert not found, "\n".join(
        f"{result.url} ({where}):\n{tools.describe_axe(v)}" for where, v in found.items()
    )


@pytest.mark.parametrize("name", EVERYTHING)
def test_valid_html(audit, name):
    result = visited(audit, name)
    assert result.html_file.stat().st_size > 0
    assert not result.html_errors, "\n".join(result.html_errors)


@pytest.mark.parametrize("name", EVERYTHING)
def test_no_third_party_requests(audit, name):
    assert not visited(audit, name).blocked, audit[name].blocked


@pytest.mark.parametrize("name", EVERYTHING)
def test_no_console_errors(audit, name):
    assert not visited(audit, name).console_errors, audit[name].console_errors


def test_screenshots_at_both_widths(audit):
    for name in PAGE_TYPES:
        for width in tools.VIEWPORTS:
            shot = tools.SCREENSHOT_DIR / f"{name}-{width}.png"
            assert shot.stat().st_size > 1000, shot
