"""One email per approver when a page is submitted for approval.

Wagtail sends two on every submission: the approval task's ("submitted for
approval in moderation stage ...") to the task's group and to superusers,
and the workflow's ("submitted to workflow ...") to superusers again. An
editor-in-chief who is a superuser got both for one submission. Focus's
workflow has a single task, whose email says everything, so the workflow's
is switched off; superusers still get the task's.
"""

from __future__ import annotations

from wagtail.models import WorkflowState
from wagtail.signals import workflow_submitted

# The dispatch_uid Wagtail's admin connects its workflow notifier under
# (wagtail.admin.signal_handlers).
WORKFLOW_SUBMITTED_EMAIL_UID = "workflow_state_submitted_email_notification"


def no_workflow_submission_email(sender, instance=None, **kwargs) -> None:
    """Stands in for Wagtail's workflow notifier: the task's email is the one sent."""


def send_one_submission_email() -> None:
    """Replace Wagtail's workflow submission email with nothing, whatever the app order.

    If Wagtail's admin is ready first, its notifier is disconnected; if not,
    the stand-in takes its dispatch_uid, so Wagtail's later connect is skipped
    (Django ignores a second receiver under the same uid and sender).
    """
    workflow_submitted.disconnect(sender=WorkflowState, dispatch_uid=WORKFLOW_SUBMITTED_EMAIL_UID)
    workflow_submitted.connect(
        no_workflow_submission_email,
        sender=WorkflowState,
        dispatch_uid=WORKFLOW_SUBMITTED_EMAIL_UID,
    )
