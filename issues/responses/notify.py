"""Telling editors about new answers, without ever failing the reader's request."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import connections
from django.urls import reverse
from django.utils import timezone
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


def _notify_one(pk: int, in_thread: bool) -> None:
    try:
        response = QuestionResponse.objects.select_related("question").get(pk=pk)
        send_digest([response])
    except Exception:
        # The answer is stored; the digest command retries what was not mailed.
        logger.exception("Could not email editors about reader response %s", pk)
    finally:
        if in_thread:
            connections.close_all()


def notify_new_response(pk: int) -> None:
    """Run after the answer is committed: email it now, or leave it to the digest."""
    if settings.FOCUS_RESPONSES_NOTIFY != "each":
        return
    if settings.FOCUS_RESPONSES_NOTIFY_ASYNC:
        threading.Thread(
            target=_notify_one, args=(pk, True), name=f"notify-response-{pk}", daemon=True
        ).start()
    else:
        _notify_one(pk, False)
