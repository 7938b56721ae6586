"""The checks themselves: each one fails on a page that breaks its rule, so a
green audit means something."""

from __future__ import annotations

import pytest

from tests.browser import tools

pytestmark = pytest.mark.browser

BROKEN_PAGE = """<!DOCTYPE html>
<html><head><title>Broken</title></head>
<body>
<img src="https://cdn.example.com/tracker.png">
<p style="color:#ddd;background:#fff">Faint text</p>
<script>console.error("something broke")</script>
</body></html>"""


def test_outside_requests_are_refused_and_recorded(chromium):
    recorder = tools.Recorder()
    context = tools.new_context(chromium, recorder)
    page = context.new_page()
    page.set_content(BROKEN_PAGE, wait_until="load")
    context.close()
    assert recorder.blocked == ["https://cdn.example.com/tracker.png"]
    assert any("something broke" in error for error in recorder.console_errors)


def test_axe_reports_missing_language_alt_text_and_contrast(chromium):
    page = chromium.new_page()
    page.set_content(BROKEN_PAGE)
    found = {violation["id"] for violation in tools.run_axe(page)}
    page.close()
    assert {"html-has-lang", "image-alt", "color-contrast", "landmark-one-main"} <= found


def test_nu_checker_reports_invalid_html(browser_tools, tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><html lang=en><title>x</title><figure><p>a</figure><li>")
    valid = tmp_path / "valid.html"
    valid.write_text("<!DOCTYPE html><html lang=en><title>x</title><p>fine</p>")
    errors = tools.vnu_errors([broken, valid])
    assert errors[broken.resolve()], errors
    assert errors[valid.resolve()] == []
