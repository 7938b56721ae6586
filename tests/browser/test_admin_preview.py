"""The page editor's preview and Checks panels, in Chromium.

An issue previews in each of its modes (web page, email, plain text) and every
other page type previews as its page, framed by the admin under the
Content-Security-Policy previews get; "Preview in new tab" shows the styled
email with its preheader hidden; the Checks panel (Wagtail's content metrics
and accessibility checker, which run inside the preview frame) reports real
figures, and a real problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import expect
from wagtail.models import Page, get_page_models

from home.blocks.raw import stream
from insights.models import InsightArticlePage
from issues.content_checks import FocusContentChecker
from issues.models import IssuePage
from issues.newsletter.render import render_issue
from tests.browser import tools
from tests.browser.admin_tools import PASSWORD, log_in, module_live_server

# Each test drives its own page against the module's site; none writes to the
# database.
pytestmark = [pytest.mark.browser]

VIEWPORT = {"width": 1400, "height": 1000}


@dataclass
class Site:
    base_url: str
    issue_edit_url: str
    issue_title: str
    # Every page type's edit URL, with the page's title.
    edit_urls: dict[str, tuple[str, str]]
    # An article whose latest draft skips heading levels.
    faulty_edit_url: str


@pytest.fixture(scope="module")
def site(chromium, sample_snapshot, django_db_blocker) -> Iterator[Site]:
    # The email's images and links use the public origin: here, the live server.
    with (
        django_db_blocker.unblock(),
        module_live_server() as live_server,
        override_settings(WAGTAILADMIN_BASE_URL=live_server.url),
    ):
        sample_snapshot.restore()
        yield build_site(live_server)


def build_site(live_server) -> Site:
    get_user_model().objects.create_superuser("previewer", "p@focus.example", PASSWORD)
    issue = (
        IssuePage.objects.live().filter(locale__language_code="en").order_by("-issue_date").first()
    )
    # Make the email's image renditions now: two preview requests at once (the
    # panel and its refresh) can both create one, and Wagtail's losing thread
    # deletes the file the winner's row points to.
    render_issue(issue)
    edit_urls = {}
    for model in get_page_models():
        if model is Page:
            continue
        page = model.objects.live().filter(locale__language_code="en").order_by("path").first()
        if page is not None:
            edit_urls[model._meta.label_lower] = (
                reverse("wagtailadmin_pages:edit", args=[page.pk]),
                page.title,
            )
    # What an editor can type: a sub-heading (H4) straight after the title.
    faulty = InsightArticlePage.objects.filter(locale__language_code="en").order_by("path").last()
    text = "<p>" + "Both sides called the talks candid and useful. " * 20 + "</p>"
    faulty.body = stream(("paragraph", "<h4>Where this leaves Manila</h4>" + text))
    faulty.save_revision()
    return Site(
        base_url=live_server.url,
        faulty_edit_url=reverse("wagtailadmin_pages:edit", args=[faulty.pk]),
        issue_edit_url=reverse("wagtailadmin_pages:edit", args=[issue.pk]),
        issue_title=issue.title,
        edit_urls=edit_urls,
    )


@pytest.fixture(autouse=True)
def database_open_to_the_server(django_db_blocker) -> Iterator[None]:
    # The live server answers from the module's database while each test runs.
    with django_db_blocker.unblock():
        yield


@pytest.fixture(scope="module")
def signed_in(chromium, site) -> Iterator[tuple]:
    """One browser context for the module, signed in once."""
    recorder = tools.Recorder()
    context = tools.new_context(chromium, recorder, viewport=VIEWPORT)
    context.set_default_timeout(20_000)
    page = context.new_page()
    log_in(page, site.base_url, "previewer")
    yield context, recorder
    context.close()


@pytest.fixture
def editor_page(signed_in):
    context, recorder = signed_in
    recorder.reset()
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    yield page, recorder
    page.close()


def open_side_panel(page, name: str) -> None:
    """Open a side panel; the editor reopens the last one used, so it may be open already."""
    toggle = page.get_by_role("button", name=name)
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")


def open_preview(page, url: str):
    page.goto(url)
    open_side_panel(page, "Toggle preview")
    return page.frame_locator("#w-preview-iframe")


def choose_mode(page, label: str) -> None:
    page.get_by_label("Preview mode").select_option(label=label)


def test_an_issue_previews_as_web_page_email_and_plain_text(site, editor_page):
    page, recorder = editor_page
    frame = open_preview(page, site.base_url + site.issue_edit_url)
    expect(frame.get_by_role("heading", level=1)).to_have_text(site.issue_title)

    choose_mode(page, "Email")
    expect(page.locator("#w-preview-iframe")).to_have_attribute("src", re.compile("mode=email"))
    frame = page.frame_locator("#w-preview-iframe")
    expect(frame.locator("table[role=presentation]").first).to_be_visible()
    expect(frame.get_by_text(site.issue_title).first).to_be_visible()
    # The preheader is for the inbox's summary line, never shown in the message.
    expect(frame.locator(".preheader")).to_be_hidden()

    choose_mode(page, "Email, plain text")
    expect(page.locator("#w-preview-iframe")).to_have_attribute("src", re.compile("mode=text"))
    frame = page.frame_locator("#w-preview-iframe")
    expect(frame.locator("body")).to_contain_text(site.issue_title.upper())
    expect(frame.locator("body")).to_contain_text("Read on the web: http")

    assert recorder.console_errors == []
    assert recorder.blocked == []


def test_email_preview_in_a_new_tab_is_styled_with_the_preheader_hidden(site, editor_page):
    page, recorder = editor_page
    open_preview(page, site.base_url + site.issue_edit_url)
    expect(page.locator("#w-preview-iframe")).to_have_attribute("src", re.compile("preview"))
    # What "Preview in new tab" opens in Email mode: the form as the panel last sent it.
    email = page.context.new_page()
    email.goto(site.base_url + site.issue_edit_url + "preview/?mode=email")
    expect(email.locator(".preheader")).to_be_hidden()
    # The email's styles apply: its tinted page and the masthead's rule.
    background = email.locator("body").evaluate("body => getComputedStyle(body).backgroundColor")
    assert background == "rgb(241, 239, 233)"
    rule = email.locator(".masthead").evaluate("td => getComputedStyle(td).borderBottomColor")
    assert rule == "rgb(158, 27, 31)"
    email.close()
    assert recorder.console_errors == []


@pytest.mark.parametrize(
    "label",
    sorted(model._meta.label_lower for model in get_page_models() if model is not Page),
)
def test_every_page_type_previews_as_its_page(site, editor_page, label):
    page, recorder = editor_page
    if label not in site.edit_urls:
        pytest.fail(f"the sample site has no live {label} to preview")
    url, title = site.edit_urls[label]
    frame = open_preview(page, site.base_url + url)
    expect(frame.locator("main")).to_be_visible()
    expect(frame.locator("main h1").first).to_be_visible()
    expect(frame.locator("main")).not_to_be_empty()
    assert recorder.console_errors == []


PREVIEW_MODES = {"Web page": "", "Email": "mode=email", "Email, plain text": "mode=text"}

METRICS = {
    "[data-content-word-count]": "-",
    "[data-content-reading-time]": "-",
    "[data-content-readability-score]": "-",
    "[data-content-checker-count]": "",
}


def forget_metrics(page) -> None:
    """Put the Checks panel back to its blank state, so what shows next is a fresh run's."""
    page.evaluate(
        """(blanks) => {
          for (const [selector, blank] of Object.entries(blanks)) {
            for (const element of document.querySelectorAll(selector)) element.textContent = blank;
          }
        }""",
        METRICS,
    )


def expect_real_metrics(page) -> tuple[int, int]:
    """The panel's figures are a run's results: (words, issues found).

    The panel need not be open: the checks run with the preview, into its markup.
    """
    words = page.locator("[data-content-word-count]")
    expect(words).to_have_text(re.compile(r"^\d+$"))
    assert int(words.inner_text()) > 100
    expect(page.locator("[data-content-reading-time]")).to_have_text(re.compile(r"\d+ mins?"))
    expect(page.locator("[data-content-readability-score]")).to_have_text(
        re.compile(r"^(Good|Fair|Complex)$")
    )
    count = page.locator("[data-content-checker-count]").last
    expect(count).to_have_text(re.compile(r"^\d+$"))
    return int(words.inner_text()), int(count.inner_text())


@pytest.mark.parametrize("mode", list(PREVIEW_MODES))
def test_checks_panel_reports_real_metrics_and_issues(site, editor_page, mode):
    """In every preview mode the metrics and the checker's count come from that mode's content."""
    page, recorder = editor_page
    open_preview(page, site.base_url + site.issue_edit_url)
    web_words, _issues = expect_real_metrics(page)
    if PREVIEW_MODES[mode]:
        forget_metrics(page)
        choose_mode(page, mode)
        expect(page.locator("#w-preview-iframe")).to_have_attribute(
            "src", re.compile(PREVIEW_MODES[mode])
        )
        words, _issues = expect_real_metrics(page)
        # The message (masthead, letter, every block, footer) is not the web page's text.
        assert words != web_words
    open_side_panel(page, "Toggle checks")
    expect(page.locator("[data-content-word-count]")).to_be_visible()
    assert recorder.console_errors == []


def test_checks_panel_names_a_fault_an_editor_made(site, editor_page):
    """A draft whose rich text jumps from the title (h1) to an H4 is reported, by rule."""
    page, _recorder = editor_page
    open_preview(page, site.base_url + site.faulty_edit_url)
    open_side_panel(page, "Toggle checks")
    _words, issues = expect_real_metrics(page)
    assert issues > 0
    rule = FocusContentChecker.axe_messages["heading-order"]["error_name"]
    expect(page.locator("[data-checks-panel] [data-content-checker-name]")).to_contain_text([rule])
