"""A Contributor writes an Insights article from a blank form (author and image
through their choosers, a topic, a paragraph) and submits it; an Editor approves
it from the dashboard, where it waits at the top, and is told it is published."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import override_settings
from playwright.sync_api import expect

from insights.models import InsightArticlePage, InsightsIndexPage
from issues.roles import CONTRIBUTORS, EDITORS
from tests.browser import tools
from tests.browser.admin_tools import PASSWORD, choose_in_modal, log_in, module_live_server

pytestmark = [pytest.mark.browser]

TITLE = "Middle powers hedge, and say so"
VIEWPORT = {"width": 1400, "height": 1000}


@pytest.fixture(scope="module")
def server(chromium, sample_snapshot, django_db_blocker) -> Iterator:
    # The contributor's typing would start autosaves racing the explicit submit;
    # what this journey proves is the submit and the approval.
    with (
        django_db_blocker.unblock(),
        module_live_server() as live_server,
        override_settings(WAGTAIL_AUTOSAVE_INTERVAL=0),
    ):
        sample_snapshot.restore()
        model = get_user_model()
        for username, group in (("writer", CONTRIBUTORS), ("chief", EDITORS)):
            user = model.objects.create_user(username, f"{username}@focus.example", PASSWORD)
            user.groups.add(Group.objects.get(name=group))
        yield live_server


@pytest.fixture(autouse=True)
def database_open_to_the_server(django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock():
        yield


def new_page(chromium, recorder):
    context = tools.new_context(chromium, recorder, viewport=VIEWPORT)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def pick_a_topic(page) -> None:
    """Topics are a multiple select, or checkboxes: pick the first either way."""
    checkboxes = page.locator("input[type=checkbox][name=topics]")
    if checkboxes.count():
        checkboxes.first.check()
    else:
        select = page.locator("select[name=topics]")
        select.select_option(index=0)


def test_contributor_submits_and_editor_approves_from_the_dashboard(chromium, server):
    base = server.url
    recorder = tools.Recorder()

    # The contributor, from a blank form.
    writer = new_page(chromium, recorder)
    log_in(writer, base, "writer")
    index = InsightsIndexPage.objects.get(locale__language_code="en")
    writer.goto(f"{base}/admin/pages/{index.pk}/add_subpage/")
    expect(writer).to_have_url(re.compile(r"/admin/pages/add/insights/insightarticlepage/\d+/$"))
    writer.locator("#id_title").fill(TITLE)
    writer.locator("#id_standfirst").fill("Between Washington and Beijing, nobody picks a side.")
    writer.locator("#id_article_authors-0-author-chooser").get_by_role(
        "button", name="Choose author"
    ).click()
    author = choose_in_modal(writer)
    writer.get_by_role("button", name="Choose an image").click()
    choose_in_modal(writer)
    pick_a_topic(writer)
    writer.locator("#body-root button.c-sf-add-button").first.click()
    writer.get_by_role("option", name="Text", exact=True).last.click()
    expect(writer.locator("input[name='body-count']")).to_have_value("1")
    editable = writer.locator("#body-root .Draftail-Editor [contenteditable='true']").first
    editable.click()
    writer.keyboard.type("Hedging is the policy, not the lack of one.")
    expect(editable).to_contain_text("Hedging is the policy")
    # Draftail writes its hidden field a moment after typing stops.
    expect(writer.locator("input[name='body-0-value']")).to_have_value(re.compile("Hedging"))
    writer.locator("footer .w-dropdown__toggle").click()
    writer.locator("button[name=action-submit]").click()
    # Submitted, the contributor is back at the section's listing.
    expect(writer).to_have_url(f"{base}/admin/pages/{index.pk}/")
    expect(writer.locator(".messages")).to_contain_text("submitted for moderation")
    writer.context.close()

    article = InsightArticlePage.objects.get(title=TITLE)
    assert not article.live

    # The editor, from the dashboard.
    chief = new_page(chromium, recorder)
    log_in(chief, base, "chief")
    first_panel = chief.locator("main section.w-panel").first
    expect(first_panel).to_contain_text("Awaiting your review")
    row = first_panel.locator("tr", has_text=TITLE)
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name="Approve", exact=True).click()
    expect(chief.locator(".messages")).to_contain_text(f"“{TITLE}” approved and published.")
    chief.context.close()

    article = InsightArticlePage.objects.get(pk=article.pk)
    assert article.live
    assert [link.author.name for link in article.article_authors.all()] == [author]
    assert article.lead_image is not None
    assert article.topics.count() == 1
    assert "Hedging is the policy" in str(article.body)
    assert recorder.console_errors == []
    assert recorder.blocked == []
