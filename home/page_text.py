"""A page's own summary in plain text, for search snippets and meta descriptions.

It knows every content type, so like the home page it sits above the apps.
"""

from __future__ import annotations

from wagtail.models import Page

from home.rendering import html_to_text
from insights.models import InsightArticlePage
from issues.models import IssuePage, QuestionPage, VideoPage


def summary_text(page: Page) -> str:
    """The standfirst, summary (else the letter), description or question; else the intro."""
    if isinstance(page, InsightArticlePage):
        return page.standfirst
    if isinstance(page, IssuePage):
        return page.summary or html_to_text(page.letter or "")
    if isinstance(page, VideoPage):
        return page.description
    if isinstance(page, QuestionPage):
        return page.question
    return getattr(page, "intro", "") or ""
