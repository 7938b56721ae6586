"""Sending an issue to every confirmed subscriber, exactly once each.

The ``Delivery`` table is the ledger. ``queue_issue`` adds a pending row per
confirmed subscriber (the unique constraint makes a second call a no-op);
``send_pending`` renders the issue once and hands messages to the mail
backend a batch at a time, marking each row sent as soon as the backend has
accepted its message. If sending fails mid-batch (the mail server goes away,
the process is interrupted), the accepted messages are marked before the
error propagates, so a re-run sends only what is still pending.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
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

    @property
    def percent(self) -> int:
        return round(100 * self.sent / self.total) if self.total else 0

    @property
    def done(self) -> bool:
        return self.total > 0 and self.pending == 0


def unsubscribe_url(subscriber: Subscriber) -> str:
    return absolute_url(reverse("newsletter_unsubscribe", args=[unsubscribe_token(subscriber)]))


def build_message(
    rendered: RenderedIssue, to: str, unsubscribe: str, connection=None
) -> EmailMultiAlternatives:
    """One subscriber's copy: text and HTML parts, with RFC 8058 one-click headers."""
    personal = rendered.for_unsubscribe_url(unsubscribe)
    message = EmailMultiAlternatives(
        subject=personal.subject,
        body=personal.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        connection=connection,
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
    """Create a pending delivery for each confirmed subscriber not yet queued; how many new."""
    before = Delivery.objects.filter(issue=issue).count()
    subscriber_ids = Subscriber.objects.confirmed().values_list("pk", flat=True)
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
    )
    return Progress(**counts)


def _mark_sent(ids: Iterable[int]) -> None:
    ids = list(ids)
    if ids:
        Delivery.objects.filter(pk__in=ids).update(
            status=Delivery.Status.SENT, sent_at=timezone.now()
        )


def send_pending(
    issue: IssuePage,
    batch_size: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """Send every pending delivery of the issue; returns how many were sent now."""
    batch_size = batch_size or settings.NEWSLETTER_BATCH_SIZE
    if not Delivery.objects.filter(issue=issue, status=Delivery.Status.PENDING).exists():
        return 0
    rendered = render_issue(issue)
    sent_total = 0
    last_pk = 0
    while True:
        accepted: list[int] = []
        skipped: list[int] = []
        failure: BaseException | None = None
        connection = get_connection()
        with transaction.atomic():
            # Locked rows belong to another sender working on the same issue (PostgreSQL);
            # skipping them keeps two senders from mailing anyone twice.
            batch = list(
                Delivery.objects.filter(issue=issue, status=Delivery.Status.PENDING, pk__gt=last_pk)
                .select_related("subscriber")
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("pk")[:batch_size]
            )
            if not batch:
                return sent_total
            last_pk = batch[-1].pk
            try:
                connection.open()
                for delivery in batch:
                    subscriber = delivery.subscriber
                    if subscriber.status != Subscriber.Status.CONFIRMED:
                        # Left after the send was queued: never mail them.
                        skipped.append(delivery.pk)
                        continue
                    message = build_message(
                        rendered, subscriber.email, unsubscribe_url(subscriber), connection
                    )
                    if connection.send_messages([message]) != 1:
                        raise RuntimeError(f"The mail backend refused delivery {delivery.pk}.")
                    accepted.append(delivery.pk)
            except BaseException as error:  # re-raised below, once recorded
                failure = error
            # Committed even when sending failed: what the backend accepted is never resent.
            _mark_sent(accepted)
            if skipped:
                Delivery.objects.filter(pk__in=skipped).update(
                    status=Delivery.Status.FAILED, error="Unsubscribed before sending"
                )
        connection.close()
        if failure is not None:
            raise failure
        sent_total += len(accepted)
        if on_progress is not None:
            on_progress(len(accepted) + len(skipped))


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
