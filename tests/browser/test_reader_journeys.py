"""What readers do, done the way they do it: following links, clicking, typing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

# Each test gets a fresh copy of the sample site (the ``sample_site`` fixture),
# with the database open to it: no django_db mark, no flush afterwards.
pytestmark = [pytest.mark.browser]

ISSUE_PATH = "/this-week/2026-02-06/"


def test_home_to_issue_to_article_to_author_to_topic(sample_site, page, recorder):
    page.goto(sample_site + "/")
    page.get_by_role("link", name=re.compile("Read this week’s issue")).click()
    expect(page).to_have_url(sample_site + ISSUE_PATH)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "A closely watched call, and a nuclear charge"
    )

    callout = page.locator("figure.chart-callout")
    expect(callout.get_by_role("img")).to_have_attribute("aria-label", re.compile("Q4 2011: 99.4%"))
    callout.locator(".learn-more a").click()
    article_title = "Is the American Empire Following a Historic Life Cycle?"
    expect(page.get_by_role("heading", level=1)).to_have_text(article_title)

    page.locator(".byline").get_by_role("link", name="Sajjad Ashraf").click()
    expect(page).to_have_url(sample_site + "/authors/sajjad-ashraf/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sajjad Ashraf")

    page.get_by_role("link", name=article_title).click()
    topic_link = page.locator(".kicker a").first
    topic = topic_link.text_content().strip()
    topic_link.click()
    expect(page).to_have_url(re.compile(r"/insights/topics/[\w-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(topic)
    expect(page.get_by_role("link", name=article_title)).to_be_visible()
    assert recorder.blocked == [] and recorder.console_errors == []


def test_archive_by_year(sample_site, page):
    page.goto(sample_site + "/this-week/")
    page.get_by_role("navigation", name="Years").get_by_role("link", name="2026").click()
    expect(page).to_have_url(sample_site + "/this-week/2026/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2026")
    year = page.locator("section[aria-labelledby='year-2026-heading']")
    expect(year.get_by_role("heading", level=2)).to_have_text("2026")
    dates = year.locator("time").evaluate_all("nodes => nodes.map(n => n.dateTime)")
    assert len(dates) >= 2 and dates == sorted(dates, reverse=True), dates
    year.get_by_role("link", name="A closely watched call, and a nuclear charge").click()
    expect(page).to_have_url(sample_site + ISSUE_PATH)


def test_video_player_loads_only_after_the_click(sample_site, page, recorder):
    page.goto(sample_site + "/videos/")
    page.locator("main").get_by_role("link", name=re.compile("Perceptions of China")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Perceptions of China")
    page.wait_for_load_state("networkidle")
    expect(page.locator("iframe")).to_have_count(0)
    assert recorder.blocked == []

    page.get_by_role("link", name=re.compile("Play video")).click()
    player = page.locator(".video-player iframe")
    expect(player).to_have_attribute(
        "src", re.compile(r"^https://www\.youtube-nocookie\.com/embed/")
    )
    expect(player).to_have_attribute("title", re.compile("Perceptions of China"))
    expect(player).to_be_focused()
    # The player is asked for only now; the test browser refuses it, which proves the ask.
    page.wait_for_timeout(500)
    assert any("youtube-nocookie.com" in url for url in recorder.blocked), recorder.blocked


def test_question_page_from_home(sample_site, page):
    page.goto(sample_site + "/")
    page.get_by_role("link", name="Answer the question").click()
    expect(page).to_have_url(re.compile(r"/questions/[\w-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("How should middle powers")
    panel = page.locator("section.question-panel")
    expect(panel.get_by_role("heading", level=2)).to_have_text("Share your answer")
    expect(panel.get_by_role("link", name=re.compile("@"))).to_have_attribute(
        "href", re.compile("^mailto:")
    )


def focus_ring(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            const box = el.getBoundingClientRect();
            return {
                tag: el.tagName, text: (el.innerText || '').trim().slice(0, 60), id: el.id,
                outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
                top: box.top, bottom: box.bottom, visible: box.width > 0 && box.height > 0,
            };
        }"""
    )


def test_keyboard_only_skip_link_and_visible_focus(sample_site, page):
    page.goto(sample_site + "/")
    page.keyboard.press("Tab")
    ring = focus_ring(page)
    assert ring["text"] == "Skip to content", ring
    # Hidden off-screen until focused, then on screen with a focus outline.
    assert ring["visible"] and ring["top"] >= 0, ring
    assert ring["outline"] != "none" and ring["width"] >= 2, ring

    page.keyboard.press("Enter")
    expect(page).to_have_url(sample_site + "/#main")
    assert focus_ring(page)["id"] == "main"

    # From the main landmark, Tab walks the content; every stop shows its focus.
    seen = []
    for _ in range(8):
        page.keyboard.press("Tab")
        ring = focus_ring(page)
        seen.append(ring["text"])
        assert ring["tag"] in {"A", "BUTTON", "INPUT", "SUMMARY", "SELECT", "TEXTAREA"}, ring
        assert ring["visible"] and ring["outline"] != "none" and ring["width"] >= 2, ring
    assert seen[0] == "A closely watched call, and a nuclear charge", seen

    # Enter on a focused link follows it.
    page.goto(sample_site + "/#main")
    page.locator("main").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(sample_site + ISSUE_PATH)
