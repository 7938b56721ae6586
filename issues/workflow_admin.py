"""Approving from the dashboard says what happened.

Wagtail's "Awaiting your review" panel posts Approve / Request changes to its
workflow action view, which redirects back to the dashboard without a word:
the row just disappears. This view wraps Wagtail's own (through the page
viewset registry, so per-type page viewsets still apply) and, once the task
has been decided, adds a message saying so. It is routed ahead of the admin's
URLs in ``focus_site/urls.py`` at the same address, so Wagtail's reversed URL
(``wagtailadmin_pages:workflow_action``) lands here.

Approving publishes the page when it is the workflow's last step, so a 繁體
machine draft whose OpenCC segments no one has reviewed cannot be approved
here (see home.traditional_drafts); it is refused with a message instead.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin.modal_workflow import render_modal_workflow
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.models import Page, TaskState

from home.traditional_drafts import review_problems

# Wagtail's own route for this URL.
wagtail_workflow_action = page_viewset_registry.as_view("workflow_action", page_id_kwarg="page_id")

WORKFLOW_ACTION_PATH = (
    "admin/pages/workflow/action/<int:page_id>/<slug:action_name>/<int:task_state_id>/"
)


def confirmation(task_state: TaskState, page: Page) -> tuple[str, str] | None:
    """(level, text) for a task just decided; None while it is still in progress."""
    title = page.get_latest_revision_as_object().title
    if task_state.status == TaskState.STATUS_APPROVED:
        if task_state.workflow_state.status == task_state.workflow_state.STATUS_APPROVED:
            if page.live and page.live_revision_id == task_state.revision_id:
                return "success", f"“{title}” approved and published."
            if task_state.revision.approved_go_live_at:
                return "success", f"“{title}” approved; it will go live at its scheduled time."
            return "success", f"“{title}” approved."
        return "success", f"“{title}” approved; it moves to the workflow's next step."
    if task_state.status == TaskState.STATUS_REJECTED:
        requested_by = task_state.workflow_state.requested_by
        who = ""
        if requested_by is not None:
            name = requested_by.get_full_name() or requested_by.get_username()
            who = f" {name} has been told."
        return "warning", f"Changes requested on “{title}”.{who}"
    return None


def workflow_action_with_confirmation(
    request: HttpRequest, page_id: int, action_name: str, task_state_id: int
) -> HttpResponse:
    if request.method == "POST" and action_name == "approve":
        refused = refuse_unreviewed_approval(request, page_id)
        if refused is not None:
            return refused
    states = TaskState.objects.filter(pk=task_state_id, workflow_state__object_id=str(page_id))
    was_open = states.filter(status=TaskState.STATUS_IN_PROGRESS).exists()
    response = wagtail_workflow_action(
        request, page_id=page_id, action_name=action_name, task_state_id=task_state_id
    )
    # Only a POST that decided an open task is confirmed (not the comment form, its
    # errors, or a repeat of an action already taken).
    if request.method != "POST" or not was_open or response.status_code >= 400:
        return response
    task_state = states.select_related(
        "revision", "workflow_state", "workflow_state__requested_by"
    ).first()
    page = Page.objects.filter(pk=page_id).first()
    if task_state is None or page is None:
        return response
    message = confirmation(task_state, page.specific_deferred)
    if message is not None:
        level, text = message
        getattr(messages, level)(request, text)
    return response


def refuse_unreviewed_approval(request: HttpRequest, page_id: int) -> HttpResponse | None:
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return None  # Wagtail's view answers 404
    problems = review_problems(page)
    if not problems:
        return None
    messages.error(request, f"Not approved: {problems[0]}")
    next_url = get_valid_next_url_from_request(request) or reverse("wagtailadmin_home")
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        # The approve modal follows a "success" step's redirect, where the message shows.
        return render_modal_workflow(
            request, "", None, {}, json_data={"step": "success", "redirect": next_url}
        )
    return redirect(next_url)
