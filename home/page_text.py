"""A page's own summary in plain text, for search snippets and meta descriptions.

Each page type says what summarises it with its ``summary_text`` method (the
standfirst, the issue's summary, the video's description...); pages without
one are summarised by their intro, if any.
"""

from __future__ import annotations

from wagtail.models import Page


def summary_text(page: Page) -> str:
    """The page type's own summary; else the intro."""
    own = getattr(page, "summary_text", None)
    if own is not None:
        return own()
    return getattr(page, "intro", "") or ""
