"""The background side of sending, through Django's tasks framework."""

from __future__ import annotations

from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from issues.models import IssuePage

from .sending import queue_issue, send_issue

# Sending to thousands takes minutes; a web request is cut off after 30 seconds
# (gunicorn's timeout), which would leave a batch claimed until its claim timed out.
NO_WORKER = (
    "Sending to all subscribers runs in the background, and this site has no task "
    "worker: set TASKS_BACKEND=django_tasks_db.DatabaseBackend and keep "
    "`manage.py db_worker` running, or send from a shell with "
    "`manage.py send_issue <issue date>`."
)


class NoBackgroundWorker(Exception):
    """The tasks backend would run the send inside the calling request."""


@task()
def send_issue_task(issue_id: int) -> int:
    """Send an issue to every confirmed subscriber; safe to run again (exactly-once)."""
    issue = IssuePage.objects.live().filter(pk=issue_id).first()
    if issue is None:
        return 0
    return send_issue(issue.specific)


def sends_in_background() -> bool:
    """Whether enqueueing the send hands it to a worker (not run it here and now)."""
    return not isinstance(send_issue_task.get_backend(), ImmediateBackend)


def start_sending(issue: IssuePage) -> int:
    """From a web request: queue every confirmed subscriber and hand the send to a worker.

    Returns how many deliveries were newly queued; raises NoBackgroundWorker
    (its message names what to set) when no worker would take the send.
    """
    if not sends_in_background():
        raise NoBackgroundWorker(NO_WORKER)
    added = queue_issue(issue)
    send_issue_task.enqueue(issue.pk)
    return added
