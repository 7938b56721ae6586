"""Admin hooks for every page type: drafts save with warnings, publishing refuses."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.html import format_html, format_html_join
from wagtail import hooks
from wagtail.models import Page

from home.publishing import publishing_problems
from home.scheduling import REFUSED_ACTION

# The POST keys of the editor's buttons that publish or submit; anything else is a draft save.
STRICT_ACTIONS = ("action-publish", "action-submit", "action-workflow-action")


def is_draft_save(request) -> bool:
    # Autosave asks for JSON and shows its own indicator: no message to pile up.
    return (
        request.method == "POST"
        and request.accepts("text/html")
        and not any(request.POST.get(action) for action in STRICT_ACTIONS)
    )


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_about_draft_gaps(request, page):
    """A draft saved with gaps says what publishing will refuse, while the editor is there."""
    if not is_draft_save(request):
        return None
    problems = publishing_problems(page)
    if problems:
        messages.warning(
            request,
            format_html(
                "Saved as a draft. It cannot be published or submitted for approval until "
                "these are fixed: <ul>{}</ul>",
                format_html_join("", "<li>{}</li>", ((problem,) for problem in problems)),
            ),
        )
    return None


@hooks.register("register_log_actions")
def register_refused_schedule(actions):
    actions.register_action(
        REFUSED_ACTION,
        "Scheduled publishing refused",
        "Not published at its go-live time: it no longer passed the publishing checks",
    )


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_of_failing_pages(request, action_type, objects, action):
    """The listing's bulk Publish runs the editor's checks too: no back door for a draft."""
    if action_type != "publish":
        return None
    refused = []
    for page in objects:
        if not isinstance(page, Page):
            continue
        problems = publishing_problems(page.specific.get_latest_revision_as_object())
        if problems:
            refused.append((page.get_admin_display_title(), problems))
    if not refused:
        return None
    messages.error(
        request,
        format_html(
            "Nothing was published: {}",
            format_html_join(
                " ",
                "“{}” cannot be published yet ({}).",
                ((title, "; ".join(problems)) for title, problems in refused),
            ),
        ),
    )
    return redirect(action.next_url)
