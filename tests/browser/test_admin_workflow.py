"""The editors' weekly jobs in the real admin: a half-written issue that saves and
autosaves but cannot be published, chart rows pasted from a spreadsheet, sending
from the editor, and moderating a reader's answer from its Inspect view.

Every test fails on any console error in any admin page it visits.
"""

from __future__ import annotations

import re
import time
from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError
from playwright.sync_api import expect

from issues.models import IssueIndexPage, IssuePage, QuestionResponse, ResponseStatus, Subscriber
from tests.browser.conftest import EDITOR_PASSWORD, EDITOR_USERNAME

# Each test gets a fresh copy of the sample site (the ``sample_site`` fixture),
# with the database open to it: no django_db mark, no flush afterwards.
pytestmark = [pytest.mark.browser]

SAMPLE_ISSUE = date(2026, 2, 6)


@pytest.fixture
def admin(editor, page, recorder, sample_site):
    """A logged-in editor's page; leaving an edited form asks "leave?", and they say yes."""
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(sample_site + "/admin/login/")
    page.get_by_label("Username").fill(EDITOR_USERNAME)
    page.get_by_label("Password").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(sample_site + "/admin/")
    yield page
    assert recorder.console_errors == [], recorder.console_errors
    assert recorder.blocked == [], recorder.blocked


def wait_for(predicate, page, timeout: float = 20.0):
    """Poll the database while the browser works (autosave runs in the background)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = predicate()
        except OperationalError:
            # SQLite's in-memory test database, shared with the server thread,
            # refuses a read while that thread is writing: ask again.
            result = None
        if result:
            return result
        page.wait_for_timeout(250)
    raise AssertionError("timed out waiting for the database")


def add_block(page, label: str) -> None:
    page.locator("#body-root button.c-sf-add-button:not([data-streamfield-list-add])").last.click()
    page.get_by_role("option", name=label, exact=True).last.click()


def open_more_actions(page) -> None:
    page.locator("footer .w-dropdown__toggle").click()


def test_a_half_written_issue_saves_and_autosaves_but_publishing_says_what_is_missing(
    admin, sample_site, settings
):
    page = admin
    base = sample_site
    parent = IssueIndexPage.objects.get(locale__language_code="en")
    page.goto(f"{base}/admin/pages/{parent.pk}/add_subpage/")
    # The unsaved-changes watcher (which starts autosave) takes its first
    # snapshot of the form once ready; typing before then goes unnoticed.
    expect(page.locator("body.ready")).to_be_attached()
    page.wait_for_timeout(1000)
    page.locator("#id_title").fill("Half written")
    page.locator("#id_issue_date").fill("2026-03-13")
    page.keyboard.press("Escape")
    add_block(page, "Chart callout")
    page.locator("[name='body-0-value-headline']").fill("Debt keeps rising")
    data = page.locator("[data-contentpath='data']")
    data.locator("button.c-sf-add-button").first.click()
    page.locator("[name='body-0-value-data-0-value-label']").fill("2024")
    page.locator("[name='body-0-value-data-0-value-value']").fill("120")

    # Autosave keeps the half chart: the page exists as a draft, with its one point.
    def autosaved():
        issue = IssuePage.objects.filter(title="Half written").first()
        if issue is None:
            return None
        draft = issue.get_latest_revision_as_object()
        chart = list(draft.body)[0].value if len(draft.body) else None
        return issue if chart is not None and len(chart.points) == 1 else None

    # The unsaved-changes watcher compares the form with a snapshot it takes
    # once started; on a busy machine that may be after the edits above, so
    # keep making a small edit until autosave notices one.
    issue = None
    for attempt in range(4):
        page.locator("[name='body-0-value-data_label']").fill(f"Debt, % of GDP{' ' * attempt}")
        try:
            issue = wait_for(autosaved, page, timeout=8)
            break
        except AssertionError:
            continue
    assert issue is not None, "autosave never saved the draft"
    assert not issue.live
    expect(page).to_have_url(re.compile(rf"/admin/pages/{issue.pk}/edit/$"), timeout=20_000)
    expect(page.get_by_text("Autosave is paused")).to_be_hidden()

    # From here on, explicit saves only: two writers at once would collide in
    # the test database (one SQLite connection shared with the server thread).
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    page.goto(f"{base}/admin/pages/{issue.pk}/edit/")
    checks = page.locator("[data-publishing-checks]")
    expect(checks).to_contain_text("Add at least two data points")
    expect(checks).to_contain_text("Write the editor's letter")

    page.locator("[name='body-0-value-source_note']").fill("FRED")
    page.locator("footer").get_by_role("button", name="Save draft").click()
    warning = page.locator(".messages .warning")
    expect(warning).to_contain_text("Saved as a draft. It cannot be published")
    expect(warning).to_contain_text("Add at least two data points")
    assert (
        IssuePage.objects.get(pk=issue.pk)
        .get_latest_revision_as_object()
        .body[0]
        .value["source_note"]
        == "FRED"
    )

    open_more_actions(page)
    page.locator("button[name=action-publish]").click()
    refusal = page.locator(".messages .error")
    expect(refusal).to_contain_text("could not be saved due to validation errors")
    expect(refusal).to_contain_text("Body, block 1 (Chart callout) › Data: Add at least two")
    expect(refusal).to_contain_text("Letter: Write the editor's letter")
    expect(page.locator("#body-root")).to_contain_text(
        "Add at least two data points, or choose an uploaded chart image."
    )
    expect(page.locator("[data-contentpath='letter']")).to_contain_text(
        "Write the editor's letter: an issue cannot go out without it."
    )
    assert not IssuePage.objects.get(pk=issue.pk).live


def test_chart_rows_pasted_from_a_spreadsheet(admin, sample_site, settings):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    page = admin
    issue = IssuePage.objects.get(issue_date=SAMPLE_ISSUE, locale__language_code="en")
    chart_index = [block.block_type for block in issue.body].index("chart_callout")
    page.goto(f"{sample_site}/admin/pages/{issue.pk}/edit/")
    paste = page.locator(f"[name='body-{chart_index}-value-paste']")
    paste.scroll_into_view_if_needed()

    paste.fill("Year\tDebt\n2022\t97.1\n2023\t1,099.5\n2024\t120")
    page.locator("footer").get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages .success")).to_be_visible()
    draft = IssuePage.objects.get(pk=issue.pk).get_latest_revision_as_object()
    chart = list(draft.body)[chart_index].value
    assert [(label, str(value)) for label, value in chart.points] == [
        ("2022", "97.1"),
        ("2023", "1099.5"),
        ("2024", "120"),
    ]
    # The points are in the list, and the box is empty for the next paste.
    expect(page.locator(f"[name='body-{chart_index}-value-data-2-value-label']")).to_have_value(
        "2024"
    )
    expect(page.locator(f"[name='body-{chart_index}-value-paste']")).to_have_value("")

    page.locator(f"[name='body-{chart_index}-value-paste']").fill("Year\tDebt\n2025\tn/a")
    page.locator("footer").get_by_role("button", name="Save draft").click()
    expect(page.locator("#body-root")).to_contain_text(
        "Row 2 (“2025; n/a”): value: Enter a number."
    )
    # Nothing was lost: the saved points are still the pasted three.
    draft = IssuePage.objects.get(pk=issue.pk).get_latest_revision_as_object()
    assert len(list(draft.body)[chart_index].value.points) == 3


def test_send_a_test_and_send_to_subscribers_from_the_editor(admin, sample_site, settings):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    # As in production: the send is queued for the database task worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    page = admin
    for n in range(2):
        Subscriber.objects.create(email=f"reader{n}@example.org", status="confirmed")
    issue = IssuePage.objects.get(issue_date=SAMPLE_ISSUE, locale__language_code="en")
    mail.outbox.clear()

    page.goto(f"{sample_site}/admin/pages/{issue.pk}/edit/")
    open_more_actions(page)
    expect(page.get_by_role("link", name="Send to 2 subscribers")).to_be_visible()
    page.get_by_role("link", name="Send a test").click()
    expect(page).to_have_url(re.compile(rf"/admin/newsletter/issues/{issue.pk}/#test-send$"))
    expect(page.get_by_label("Send a test to")).to_have_value("editor@focus.example")
    page.get_by_role("button", name="Send test").click()
    expect(page.locator(".messages")).to_contain_text("Test sent to editor@focus.example.")
    assert [m.to for m in mail.outbox] == [["editor@focus.example"]]
    assert mail.outbox[0].subject.startswith("[Test]")

    # Publishing offers the send next.
    page.goto(f"{sample_site}/admin/pages/{issue.pk}/edit/")
    open_more_actions(page)
    page.locator("button[name=action-publish]").click()
    offer = page.locator(".messages").get_by_text("is live: send it to subscribers.")
    expect(offer).to_be_visible()
    page.locator(".messages").get_by_role("link", name="Send to 2 subscribers").click()
    expect(page).to_have_url(re.compile(rf"/admin/newsletter/issues/{issue.pk}/#send$"))
    page.get_by_role("button", name="Send to 2 subscribers").click()
    expect(page.locator(".messages")).to_contain_text("Sending to subscribers started")
    # The worker takes the queued send, as `manage.py db_worker` does in production.
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())
    assert sorted(m.to[0] for m in mail.outbox[1:]) == [
        "reader0@example.org",
        "reader1@example.org",
    ]

    # The issue listing shows each issue's date and where its send stands.
    page.goto(f"{sample_site}/admin/pages/{issue.get_parent().pk}/")
    row = page.locator("tr", has_text=issue.title)
    expect(row).to_contain_text("6 Feb 2026")
    expect(row.locator("[data-send-status]")).to_have_text("Sent to 2")


def test_moderate_an_answer_from_its_inspect_view(admin, sample_site):
    page = admin
    answer = QuestionResponse.objects.filter(status=ResponseStatus.PENDING).first()
    page.goto(f"{sample_site}/admin/issues/questionresponse/")
    # Row buttons are whole words, not squashed fragments.
    buttons = page.locator("table.listing td a.button")
    expect(buttons.first).to_be_visible()
    for index in range(buttons.count()):
        fits = buttons.nth(index).evaluate(
            "b => b.scrollWidth <= b.clientWidth + 1 && b.getBoundingClientRect().width >= 40"
        )
        assert fits, buttons.nth(index).inner_text()
    page.goto(f"{sample_site}/admin/issues/questionresponse/inspect/{answer.pk}/")
    expect(page.locator("main")).to_contain_text(answer.response[:40])
    page.get_by_role("button", name="Feature").click()
    expect(page.locator(".messages")).to_contain_text(f"{answer.name}’s response featured.")
    expect(page).to_have_url(re.compile(rf"/inspect/{answer.pk}/$"))
    expect(page.get_by_role("button", name="Feature")).to_be_disabled()
    answer.refresh_from_db()
    assert answer.status == ResponseStatus.FEATURED
