"""Approving from the dashboard says what happened.

Wagtail's "Awaiting your review" panel posts Approve / Request changes to its
workflow action view, which redirects back to the dashboard without a word:
the row just disappears. This view wraps Wagtail's own (through the page
viewset registry, so per-type page viewsets still apply) and, once the task
has been decided, adds a message saying so. It is routed ahead of the admin's
URLs in ``focus_site/urls.py`` at the same address, so Wagtail's reversed URL
(``wagtailadmin_pages:workflow_action``) lands here.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.models import Page, TaskState

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
