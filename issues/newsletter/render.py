"""An issue as its subscribers receive it: inlined-CSS HTML and a plain-text part.

Both parts come from the same StreamField the web page uses, through each
block's ``email.html`` and ``text.txt``. The issue is rendered once; each
subscriber's unsubscribe link is substituted afterwards, so sending to many
readers costs one render.
"""

from __future__ import annotations

from dataclasses import dataclass

import css_inline
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Site

from home.blocks.base import page_pool
from home.editions import html_lang
from home.rendering import absolute_url, absolutize_html
from home.site_settings import SiteSettings

# Stands in for the per-subscriber unsubscribe address until a message is built.
UNSUBSCRIBE_PLACEHOLDER = "https://unsubscribe.invalid/focus-placeholder"

# No network at render time: every style is in the template.
_INLINER = css_inline.CSSInliner(
    keep_at_rules=True,  # the dark-scheme media query cannot be inlined; it stays in <style>
    load_remote_stylesheets=False,
)


@dataclass(frozen=True)
class RenderedIssue:
    subject: str
    html: str
    text: str

    def for_unsubscribe_url(self, url: str) -> RenderedIssue:
        return RenderedIssue(
            subject=self.subject,
            html=self.html.replace(UNSUBSCRIBE_PLACEHOLDER, url),
            text=self.text.replace(UNSUBSCRIBE_PLACEHOLDER, url),
        )


def issue_subject(issue) -> str:
    # Rendered in the issue's edition (render_issue), so the name is that edition's.
    return gettext("Focus This Week: %(title)s") % {"title": issue.title}


def signup_url() -> str:
    return absolute_url(reverse("newsletter_signup"))


def site_settings_for(issue) -> SiteSettings:
    site = issue.get_site() if issue.pk else None
    site = site or Site.objects.filter(is_default_site=True).first()
    return SiteSettings.for_site(site) if site is not None else SiteSettings()


def issue_edition(issue) -> str:
    """The edition an issue belongs to (its locale's language code)."""
    locale = getattr(issue, "locale", None) if issue.locale_id else None
    return locale.language_code if locale is not None else settings.LANGUAGE_CODE


def render_issue(issue) -> RenderedIssue:
    """The issue's email, with ``UNSUBSCRIBE_PLACEHOLDER`` where each reader's link goes.

    Rendered in the issue's edition: its interface text and dates in that
    language, and its links (web version, signup) under that edition's prefix.
    """
    edition = issue_edition(issue)
    # Chosen pages and rich-text page links go to the edition's translations.
    with translation.override(edition), page_pool.reading(issue.locale_id):
        return _render_issue(issue, edition)


def _render_issue(issue, edition: str) -> RenderedIssue:
    context = {
        "lang": html_lang(edition),
        "page": issue,
        "issue": issue,
        "site_settings": site_settings_for(issue),
        "web_url": absolute_url(issue.url) if issue.pk and issue.live else "",
        "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
        "signup_url": signup_url(),
        "subject": issue_subject(issue),
    }
    # No request: links use the public origin, never the host an editor previews from.
    html = render_to_string("issues/email/issue.html", context)
    html = _INLINER.inline(absolutize_html(html))
    text = render_to_string("issues/email/issue.txt", context)
    return RenderedIssue(subject=context["subject"], html=html, text=text.strip() + "\n")
