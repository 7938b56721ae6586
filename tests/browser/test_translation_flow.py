"""A translator's flow in the admin: an English-only issue translated into 简体 with
wagtail-localize and published, then converted into a 繁體 draft that cannot be
published before review."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from issues.models import IssuePage
from tests.browser import tools
from tests.browser.test_editor_journey import log_in

# Each test gets a fresh copy of the sample site (the ``sample_site`` fixture),
# with the database open to it: no django_db mark, no flush afterwards.
pytestmark = [pytest.mark.browser]

SIMPLIFIED_TITLE = "军控条约走到尽头"
TRADITIONAL_TITLE = "軍控條約走到盡頭"


def test_translate_publish_and_convert(editor, sample_site, page):
    base = sample_site
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, base)
    english = IssuePage.objects.get(slug="2026-01-30", locale__language_code="en")

    # wagtail-localize: submit the English issue for translation into 简体.
    page.goto(f"{base}/admin/localize/submit/page/{english.pk}/")
    page.get_by_label("简体中文").check()
    page.locator("input[type=submit][value=Submit]").click()
    # The translation editor shows the English source beside the translation.
    expect(page.get_by_text("English to 简体中文 translation").first).to_be_visible()
    expect(
        page.get_by_role("tabpanel", name="Content").get_by_text("Arms control runs out")
    ).to_be_visible()
    page.get_by_role("button", name="Translate").first.click()
    page.locator("textarea").first.fill(SIMPLIFIED_TITLE)
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text(SIMPLIFIED_TITLE)).to_be_visible()
    page.screenshot(path=tools.SCREENSHOT_DIR / "admin-translation-editor.png")
    page.get_by_role("button", name="Publish in 简体中文").click()
    page.wait_for_load_state("load")

    simplified = IssuePage.objects.get(slug="2026-01-30", locale__language_code="zh-hans")
    page.goto(f"{base}/zh-hans/this-week/2026-01-30/")
    expect(page.locator("h1")).to_have_text(SIMPLIFIED_TITLE)
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")

    # OpenCC: a 繁體 draft from the 简体 text, Taiwan characters chosen.
    page.goto(f"{base}/admin/editions/{simplified.pk}/traditional-draft/")
    page.get_by_label("Traditional Chinese, Taiwan variant characters").check()
    page.get_by_role("button", name="Make the 繁體 draft").click()
    expect(page.get_by_text("is a 繁體 draft converted by OpenCC")).to_be_visible()
    expect(page.get_by_text(TRADITIONAL_TITLE).first).to_be_visible()
    page.get_by_role("button", name="Publish in 繁體中文").click()
    expect(page.get_by_text("still need review")).to_be_visible()
    traditional = IssuePage.objects.get(slug="2026-01-30", locale__language_code="zh-hant")
    assert not traditional.live
    assert page.context.request.get(f"{base}/zh-hant/this-week/2026-01-30/").status == 404
