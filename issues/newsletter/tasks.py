"""The background side of sending, through Django's tasks framework."""

from __future__ import annotations

from django_tasks import task

from issues.models import IssuePage

from .sending import send_issue


@task()
def send_issue_task(issue_id: int) -> int:
    """Send an issue to every confirmed subscriber; safe to run again (exactly-once)."""
    issue = IssuePage.objects.live().filter(pk=issue_id).first()
    if issue is None:
        return 0
    return send_issue(issue.specific)
