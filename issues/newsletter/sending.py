"""Sending an issue to every confirmed subscriber, exactly once each.

The ``Delivery`` table is the ledger. ``queue_issue`` adds a pending row per
confirmed subscriber (the unique constraint makes a second call a no-op).
``send_pending`` renders the issue once, claims a batch of rows (status
*sending*, so a second sender leaves them alone) and marks each row *sent*
the moment the mail backend has accepted its message.

- An error mid-batch (the mail server goes away, Ctrl-C) puts the rows not
  yet handed over back to *pending*; a re-run sends exactly those.
- A sender killed outright leaves its claimed rows in *sending*; once the
  claim is older than ``NEWSLETTER_CLAIM_TIMEOUT`` the next run takes them
  over. At most one of them (the message in flight at the kill, accepted
  but not yet recorded) can then reach its reader twice; none is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from home.rendering import absolute_url
from issues.models import Delivery, IssuePage, Subscriber

from .render import RenderedIssue, render_issue
from .tokens import unsubscribe_token


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int
    pending: int
    failed: int
    sending: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.sent / self.total) if self.total else 0

    @property
    def done(self) -> bool:
        return self.total > 0 and self.pending == 0 and self.sending == 0


def unsubscribe_url(subscriber: Subscriber) -> str:
    return absolute_url(reverse("newsletter_unsubscribe", args=[unsubscribe_token(subscriber)]))


def build_message(
    rendered: RenderedIssue, to: str, unsubscribe: str, mail_connection=None
) -> EmailMultiAlternatives:
    """One subscriber's copy: text and HTML parts, with RFC 8058 one-click headers."""
    personal = rendered.for_unsubscribe_url(unsubscribe)
    message = EmailMultiAlternatives(
        subject=personal.subject,
        body=personal.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        connection=mail_connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": "Focus This Week <this-week.focus>",
            "Precedence": "bulk",
        },
    )
    message.attach_alternative(personal.html, "text/html")
    return message


def queue_issue(issue: IssuePage) -> int:
    """Queue the issue for its edition's confirmed subscribers not yet queued; how many new."""
    before = Delivery.objects.filter(issue=issue).count()
    # Each edition's issue goes to that edition's subscribers only.
    subscriber_ids = (
        Subscriber.objects.confirmed()
        .filter(edition=issue.locale.language_code)
        .values_list("pk", flat=True)
    )
    Delivery.objects.bulk_create(
        [Delivery(issue=issue, subscriber_id=pk) for pk in subscriber_ids.iterator()],
        batch_size=1000,
        ignore_conflicts=True,
    )
    return Delivery.objects.filter(issue=issue).count() - before


def progress(issue: IssuePage) -> Progress:
    counts = Delivery.objects.filter(issue=issue).aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(status=Delivery.Status.SENT)),
        pending=Count("pk", filter=Q(status=Delivery.Status.PENDING)),
        failed=Count("pk", filter=Q(status=Delivery.Status.FAILED)),
        sending=Count("pk", filter=Q(status=Delivery.Status.SENDING)),
    )
    return Progress(**counts)


def _claim(issue: IssuePage, batch_size: int) -> list[Delivery]:
    """Take the next pending deliveries for this sender, so no other sender takes them."""
    stale = timezone.now() - timedelta(seconds=settings.NEWSLETTER_CLAIM_TIMEOUT)
    # A claim this old belongs to a sender that died (killed, machine lost): take it over.
    Delivery.objects.filter(
        issue=issue, status=Delivery.Status.SENDING, claimed_at__lt=stale
    ).update(status=Delivery.Status.PENDING)
    with transaction.atomic():
        # On PostgreSQL, rows another sender is claiming right now are skipped, not shared.
        batch = list(
            Delivery.objects.filter(issue=issue, status=Delivery.Status.PENDING)
            .select_related("subscriber")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")[:batch_size]
        )
        Delivery.objects.filter(pk__in=[d.pk for d in batch]).update(
            status=Delivery.Status.SENDING, claimed_at=timezone.now()
        )
    return batch


def _record_sent(pk: int) -> None:
    """Mark one delivery sent, committed before the next message goes out."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The commit need not wait for the disk: it survives this process dying,
            # and only a crash of the database server itself could lose the last
            # fraction of a second of marks. Waiting would cost a disk flush per message.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        Delivery.objects.filter(pk=pk).update(status=Delivery.Status.SENT, sent_at=timezone.now())


def _send_batch(rendered: RenderedIssue, batch: list[Delivery]) -> int:
    """Send a claimed batch, recording each message as soon as the backend accepts it."""
    sent = 0
    done: set[int] = set()
    mail_connection = get_connection()
    try:
        mail_connection.open()
        for delivery in batch:
            subscriber = delivery.subscriber
            if subscriber.status != Subscriber.Status.CONFIRMED:
                # Left after the send was queued: never mail them.
                Delivery.objects.filter(pk=delivery.pk).update(
                    status=Delivery.Status.FAILED, error="Unsubscribed before sending"
                )
                done.add(delivery.pk)
                continue
            message = build_message(
                rendered, subscriber.email, unsubscribe_url(subscriber), mail_connection
            )
            if mail_connection.send_messages([message]) != 1:
                raise RuntimeError(f"The mail backend refused delivery {delivery.pk}.")
            _record_sent(delivery.pk)
            done.add(delivery.pk)
            sent += 1
    except BaseException:
        # Whatever stopped us, the messages never handed over go back in the queue.
        unsent = [d.pk for d in batch if d.pk not in done]
        Delivery.objects.filter(pk__in=unsent, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.PENDING, claimed_at=None
        )
        raise
    finally:
        mail_connection.close()
    return sent


def send_pending(
    issue: IssuePage,
    batch_size: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """Send every pending delivery of the issue; returns how many were sent now."""
    batch_size = batch_size or settings.NEWSLETTER_BATCH_SIZE
    pending = Delivery.objects.filter(
        issue=issue, status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]
    )
    if not pending.exists():
        return 0
    rendered = render_issue(issue)
    sent_total = 0
    while batch := _claim(issue, batch_size):
        sent_total += _send_batch(rendered, batch)
        if on_progress is not None:
            on_progress(len(batch))
    return sent_total


def send_issue(
    issue: IssuePage,
    batch_size: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """Queue the issue for every confirmed subscriber and send what is pending."""
    queue_issue(issue)
    return send_pending(issue, batch_size=batch_size, on_progress=on_progress)


def send_test(issue: IssuePage, address: str) -> None:
    """The issue as a subscriber gets it, to one address; no delivery is recorded."""
    subscriber = Subscriber.objects.filter(email=address.strip().lower()).first()
    link = unsubscribe_url(subscriber) if subscriber else absolute_url(reverse("newsletter_signup"))
    message = build_message(render_issue(issue), address, link)
    message.subject = f"[Test] {message.subject}"
    message.send()
