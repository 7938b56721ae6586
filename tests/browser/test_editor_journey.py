"""An editor builds a weekly issue in the Wagtail admin, from every issue block
type, previews it, publishes it and finds it on the site."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from issues.models import IssueIndexPage, IssuePage
from tests.browser import tools
from tests.browser.conftest import EDITOR_PASSWORD, EDITOR_USERNAME

# Each test gets a fresh copy of the sample site (the ``sample_site`` fixture),
# with the database open to it: no django_db mark, no flush afterwards.
pytestmark = [pytest.mark.browser]

TITLE = "Editors at work"
ISSUE_DATE = "2026-03-13"
BLOCKS = ["Pull quote", "Chart callout", "Related links", "Video feature", "Question of the week"]


def log_in(page, base_url: str) -> None:
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Username").fill(EDITOR_USERNAME)
    page.get_by_label("Password").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(base_url + "/admin/")


def add_block(page, label: str, blocks_so_far: int) -> None:
    # The stream's last "+" sits after its last block: new blocks go to the end.
    # Lists inside blocks (chart data, links) have "+" buttons of their own,
    # marked data-streamfield-list-add; they add list items, not blocks.
    buttons = page.locator("#body-root button.c-sf-add-button:not([data-streamfield-list-add])")
    # A new block's trailing "+" appears once it has been inserted: wait for it,
    # or the next block would go in before it.
    expect(buttons).to_have_count(blocks_so_far + 1)
    buttons.last.click()
    # Each "+" owns a picker; the one just opened is the newest in the page.
    page.get_by_role("option", name=label, exact=True).last.click()


def choose_page(page, button, title: str, search: str | None = None) -> None:
    button.click()
    modal = page.locator(".modal-content")
    if search:
        modal.get_by_placeholder("Search").fill(search)
    modal.get_by_role("link", name=title, exact=True).click()
    expect(modal).to_be_hidden()


def test_editor_builds_previews_and_publishes_an_issue(
    editor, sample_site, page, settings, chromium
):
    base = sample_site
    # Autosave posts in the background while the editor types; the test database
    # (one in-memory SQLite connection shared with the server thread) cannot take
    # two writes at once, and an explicit save racing a background one is flaky.
    # The editor's own "Save draft" is what this journey proves.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    # Leaving the editor asks "leave this page?"; an editor who has saved says yes.
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, base)

    parent = IssueIndexPage.objects.get(locale__language_code="en")
    # One allowed child type: "add child page" opens the issue form directly.
    page.goto(f"{base}/admin/pages/{parent.pk}/add_subpage/")
    expect(page).to_have_url(re.compile(r"/admin/pages/add/issues/issuepage/\d+/$"))

    page.locator("#id_title").fill(TITLE)
    page.locator("#id_issue_date").fill(ISSUE_DATE)
    page.keyboard.press("Escape")  # the date picker covers the fields below
    page.locator("#id_summary").fill("An issue built in the browser, block by block.")
    page.locator("[data-contentpath='letter'] [contenteditable='true']").click()
    page.keyboard.type("This week we built an issue by hand.")

    for count, label in enumerate(BLOCKS):
        add_block(page, label, count)
    expect(page.locator("input[name='body-count']")).to_have_value(str(len(BLOCKS)))

    page.locator("[name='body-0-value-quote']").fill("Words worth repeating.")
    page.locator("[name='body-0-value-speaker']").fill("A. Speaker")

    page.locator("[name='body-1-value-headline']").fill("Debt keeps rising")
    page.locator("[name='body-1-value-data_label']").fill("Debt, % of GDP")
    data = page.locator("[data-contentpath='data']")
    data.locator("button.c-sf-add-button").first.click()
    page.locator("[name='body-1-value-data-0-value-label']").fill("2024")
    page.locator("[name='body-1-value-data-0-value-value']").fill("120")
    data.locator("button.c-sf-add-button").last.click()
    page.locator("[name='body-1-value-data-1-value-label']").fill("2025")
    page.locator("[name='body-1-value-data-1-value-value']").fill("124.5")
    page.locator("[name='body-1-value-source_note']").fill("FRED")
    starmer = "Starmer in Beijing: Recalibration or a One-Off Gesture?"
    choose_page(
        page, page.get_by_role("button", name="Choose a page (Insight article)"), starmer, "Starmer"
    )

    page.locator("[name='body-2-value-heading']").fill("Read more")
    soybeans = "Soybeans, Summits and the Price of Stability"
    links = page.locator("[data-contentpath='links']")
    choose_page(page, links.get_by_role("button", name="Choose a page"), soybeans, "Soybeans")

    video = "Perceptions of China are changing | The Fung Bros"
    choose_page(
        page, page.get_by_role("button", name="Choose a page (Video page)"), video, "Perceptions"
    )
    question_button = page.get_by_role("button", name="Choose a page (Question page)")
    choose_page(page, question_button, "Middle powers and China", "middle powers")

    page.locator("footer").get_by_role("button", name="Save draft").click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"), timeout=30_000)
    draft = IssuePage.objects.get(title=TITLE)
    assert not draft.live

    # Preview renders the form as it stands, before anything is published.
    page.get_by_role("button", name="Toggle preview").click()
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Preview in new tab").click()
    preview = opened.value
    expect(preview.get_by_role("heading", level=1)).to_have_text(TITLE, timeout=30_000)
    expect(preview.locator("figure.pull-quote blockquote")).to_contain_text("Words worth")
    preview.close()

    page.locator("footer .w-dropdown__toggle").click()
    page.locator("button[name=action-publish]").click()
    expect(page.locator(".messages")).to_contain_text(f"Page '{TITLE}' has been published.")

    issue = IssuePage.objects.get(title=TITLE)
    assert issue.live and issue.slug == ISSUE_DATE
    assert [block.block_type for block in issue.body] == [
        "pull_quote",
        "chart_callout",
        "related_links",
        "video_feature",
        "question_of_the_week",
    ]

    # A reader, not logged in, finds it on the site.
    recorder = tools.Recorder()
    reader = tools.new_context(chromium, recorder).new_page()
    reader.goto(f"{base}/this-week/{ISSUE_DATE}/")
    main = reader.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(main.locator("figure.pull-quote blockquote")).to_have_text("Words worth repeating.")
    chart = main.locator("figure.chart-callout")
    expect(chart.get_by_role("img")).to_have_attribute("aria-label", re.compile("2024: 120"))
    expect(chart.get_by_role("link", name=re.compile("Starmer in Beijing"))).to_be_visible()
    expect(main.locator(".related-links").get_by_role("link", name=soybeans)).to_be_visible()
    expect(main.locator(".video-feature").get_by_role("heading", name=video)).to_be_visible()
    expect(main.locator(".question-panel")).to_contain_text("How should middle powers")
    violations = tools.run_axe(reader)
    assert violations == [], tools.describe_axe(violations)
    assert recorder.blocked == [] and recorder.console_errors == []

    # And it leads the archive.
    reader.goto(f"{base}/this-week/")
    expect(reader.locator(".archive-list a").first).to_have_text(TITLE)
    reader.context.close()
