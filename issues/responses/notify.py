"""Telling editors about new answers, without ever failing the reader's request."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from wagtail.models import Site

from home.site_settings import SiteSettings
from issues.models.responses import QuestionResponse

logger = logging.getLogger(__name__)


def recipients() -> list[str]:
    """The configured editors, else the site settings' newsletter address."""
    configured = list(settings.FOCUS_RESPONSES_NOTIFY_EMAILS)
    if configured:
        return configured
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return []
    address = SiteSettings.for_site(site).newsletter_email
    return [address] if address else []


def admin_url(response: QuestionResponse) -> str:
    path = reverse("issues_questionresponse_modeladmin_inspect", args=[response.pk])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def describe(response: QuestionResponse) -> str:
    return (
        f"Question: {response.question.question}\n"
        f"From: {response.byline} <{response.email}>\n"
        f"Sent: {timezone.localtime(response.submitted_at):%Y-%m-%d %H:%M}\n\n"
        f"{response.response}\n\n"
        f"Moderate: {admin_url(response)}\n"
    )


def send_digest(responses: Iterable[QuestionResponse]) -> int:
    """Mail the given answers in one message and mark them notified; returns how many."""
    responses = list(responses)
    to = recipients()
    if not responses or not to:
        return 0
    subject = (
        # Collapsed to one line: a header must not carry a line break.
        f"New answer to the Question of the Week from {' '.join(responses[0].name.split())}"
        if len(responses) == 1
        else f"{len(responses)} new answers to the Question of the Week"
    )
    body = "\n----------------------------------------\n\n".join(describe(r) for r in responses)
    send_mail(subject, body, None, to)
    QuestionResponse.objects.filter(pk__in=[r.pk for r in responses]).update(
        notified_at=timezone.now()
    )
    return len(responses)


@task()
def notify_editors(pk: int) -> bool:
    """Email editors about one stored answer; whether it was mailed.

    A task, so the email leaves from the task worker when one is configured
    (TASKS_BACKEND) and a restart between the answer and the email loses
    nothing; the immediate backend sends it right after the answer is stored.
    """
    try:
        response = QuestionResponse.objects.select_related("question").get(pk=pk)
        return send_digest([response]) > 0
    except Exception:
        # The answer is stored; the digest command retries what was not mailed.
        logger.exception("Could not email editors about reader response %s", pk)
        return False


def notify_new_response(pk: int) -> None:
    """Run after the answer is committed: hand its email to a task, or leave it to the digest."""
    if settings.FOCUS_RESPONSES_NOTIFY != "each":
        return
    try:
        notify_editors.enqueue(pk)
    except Exception:
        # A task queue that cannot be reached must not fail the reader either.
        logger.exception("Could not queue the email to editors about reader response %s", pk)
