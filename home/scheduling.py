"""Scheduled publishing checks a page again when it is due to go live.

A page is checked when an editor schedules it, but much can change before
its go-live time: an article it links may be unscheduled or deleted. A due
page whose rules now fail is **not published**: its schedule is cancelled
(it stays a draft, its live version if any stays as it was), the reasons
are written to its history, and its owner and the editor who scheduled it
are emailed. Publishing it late, or silently dropping a link, would reach
readers in a state no editor approved.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page, Revision

from home.publishing import publishing_problems

logger = logging.getLogger(__name__)
REFUSED_ACTION = "focus.schedule.refused"


@dataclass(frozen=True)
class Refusal:
    revision: Revision
    page: Page
    problems: list[str]


def due_page_revisions():
    return (
        Revision.objects.page_revisions()
        .filter(approved_go_live_at__lt=timezone.now())
        .select_related("user")
        .order_by("approved_go_live_at")
    )


def failing_due_revisions() -> list[Refusal]:
    """Due page revisions whose content would be refused if published now."""
    refusals = []
    for revision in due_page_revisions():
        page = revision.as_object()
        problems = publishing_problems(page, at=revision.approved_go_live_at)
        if problems:
            refusals.append(Refusal(revision=revision, page=page, problems=problems))
    return refusals


def refuse(refusal: Refusal) -> None:
    """Cancel the schedule, record why and tell the people who can fix it."""
    revision, page = refusal.revision, refusal.page
    due = revision.approved_go_live_at
    revision.approved_go_live_at = None
    # Wagtail logs the cancellation itself when only this field is saved.
    revision.save(update_fields=["approved_go_live_at"])
    log(
        instance=page,
        action=REFUSED_ACTION,
        data={"problems": refusal.problems, "go_live_at": due.isoformat()},
        revision=revision,
    )
    logger.warning(
        "Not publishing %r (page %s) at its scheduled time: %s",
        page.title,
        page.pk,
        "; ".join(refusal.problems),
    )
    recipients = sorted(
        {
            user.email
            for user in (getattr(page, "owner", None), revision.user)
            if user is not None and user.email
        }
    )
    if recipients:
        send_mail(
            subject=f"Not published: “{page.title}” was due at {timezone.localtime(due):%H:%M}",
            message=(
                f"“{page.title}” was scheduled to go live on "
                f"{timezone.localtime(due):%-d %B %Y at %H:%M}, but it no longer passes the "
                "checks for publishing, so it has not been published and its schedule is "
                "cancelled:\n\n"
                + "\n".join(f"- {problem}" for problem in refusal.problems)
                + "\n\nFix these in the editor, then publish or schedule it again:\n"
                + f"{settings.WAGTAILADMIN_BASE_URL}/admin/pages/{page.pk}/edit/\n"
            ),
            from_email=None,
            recipient_list=recipients,
            fail_silently=True,
        )
