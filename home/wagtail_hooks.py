"""Admin hooks for every page type: drafts save with warnings, publishing refuses."""

from __future__ import annotations

from django.contrib import messages
from django.utils.html import format_html, format_html_join
from wagtail import hooks

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
