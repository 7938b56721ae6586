"""The email edition in the page editor's preview panel, where the Checks panel reads it.

Wagtail's Checks panel (content metrics and the accessibility checker) runs
inside the preview frame, through the userbar a previewed page carries. The
email and its plain-text part are not pages of the site, so in the panel, and
only there, the email gets that userbar before ``</body>`` and the plain text
is shown as a page holding just that text. The checker then reads what
subscribers receive; "Preview in new tab" and the messages sent are unchanged.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from home.editions import html_lang
from issues.newsletter.render import RenderedIssue, issue_edition


def in_preview_panel(request: HttpRequest) -> bool:
    return bool(getattr(request, "in_preview_panel", False))


def email_preview(request: HttpRequest, issue, rendered: RenderedIssue) -> HttpResponse:
    html = rendered.html
    if in_preview_panel(request):
        checker = render_to_string(
            "issues/email/preview_checker.html", {"page": issue}, request=request
        )
        head, body_end, tail = html.rpartition("</body>")
        html = head + checker + body_end + tail if body_end else html + checker
    return HttpResponse(html, content_type="text/html; charset=utf-8")


def text_preview(request: HttpRequest, issue, rendered: RenderedIssue) -> HttpResponse:
    if not in_preview_panel(request):
        return HttpResponse(rendered.text, content_type="text/plain; charset=utf-8")
    context = {
        "page": issue,
        "lang": html_lang(issue_edition(issue)),
        "subject": rendered.subject,
        "text": rendered.text,
    }
    html = render_to_string("issues/email/preview_text.html", context, request=request)
    return HttpResponse(html, content_type="text/html; charset=utf-8")
