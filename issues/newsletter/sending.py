"""Sending an issue to every confirmed subscriber, exactly once each.

The ``Delivery`` table is the ledger. ``queue_issue`` adds a pending row per
confirmed subscriber (the unique constraint makes a second call a no-op).
``send_pending`` renders the issue once, then repeatedly claims a batch of
rows and sends it:

- **A claim carries the sender's identity.** Claiming sets the rows to
  *sending* with a fresh ``claim_token``; every later write the sender makes
  to them (holding a row just before its message goes out, marking it *sent*
  once the mail backend has accepted it, putting unsent rows back) is an
  ``UPDATE … WHERE claim_token = <mine>``. A sender whose rows were taken
  over finds that update matching nothing and stops: it can neither send
  another message from the batch nor overwrite the new owner's state.
- **A live sender keeps its claim fresh.** A heartbeat thread renews
  ``claimed_at`` every ``NEWSLETTER_CLAIM_HEARTBEAT`` seconds, so however
  long the mail relay makes it wait, no other sender (a second worker, a
  "Resume" click) sees the claim as abandoned.
- **A dead sender's claim is taken over.** A sender killed outright stops
  renewing; once its claim is older than ``NEWSLETTER_CLAIM_TIMEOUT`` the next
  sender claims those rows under its own token. The message the killed
  sender had in flight was never confirmed by the relay, so the relay drops
  it with the broken connection, and the new owner sends it once.
- An error mid-batch (the relay times out after ``EMAIL_TIMEOUT`` or goes
  away, Ctrl-C) puts the rows not yet accepted back to *pending*; a re-run
  sends exactly those.

What remains outside any ledger's reach: a relay that accepted a message
but whose "250 OK" never arrived (RFC 1047), and a sender frozen (not dead)
for longer than ``NEWSLETTER_CLAIM_TIMEOUT`` while its message was in
flight; the latter is logged as an error naming the delivery.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation

from home.rendering import absolute_url
from issues.models import Delivery, IssuePage, Subscriber

from .render import RenderedIssue, render_issue
from .tokens import unsubscribe_token

logger = logging.getLogger(__name__)


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
    """The subscriber's one-click link, on their edition's pages (``/zh-hans/…``)."""
    with translation.override(subscriber.edition or settings.LANGUAGE_CODE):
        path = reverse("newsletter_unsubscribe", args=[unsubscribe_token(subscriber)])
    return absolute_url(path)


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


class ClaimLost(Exception):
    """Another sender took this sender's rows over: it must stop sending them."""

    def __init__(self, delivery_pk: int, sent: int):
        super().__init__(f"Delivery {delivery_pk} was taken over by another sender.")
        self.sent = sent  # messages of the batch accepted before the loss was seen


def _claimable(stale) -> Q:
    # Pending rows, and rows whose sender stopped renewing its claim (killed, machine lost).
    return Q(status=Delivery.Status.PENDING) | Q(
        status=Delivery.Status.SENDING, claimed_at__lt=stale
    )


def _claim(issue: IssuePage, batch_size: int) -> tuple[uuid.UUID, list[Delivery]]:
    """Take the next deliveries under a fresh token, so no other sender sends them."""
    token = uuid.uuid4()
    now = timezone.now()
    claimable = _claimable(now - timedelta(seconds=settings.NEWSLETTER_CLAIM_TIMEOUT))
    with transaction.atomic():
        # On PostgreSQL, rows another sender is claiming right now are skipped, not shared.
        candidates = list(
            Delivery.objects.filter(issue=issue)
            .filter(claimable)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")
            .values_list("pk", "status")[:batch_size]
        )
        if not candidates:
            return token, []
        # The condition is checked again as the rows are written: SQLite has no row locks,
        # and only this update decides which sender a row belongs to.
        Delivery.objects.filter(pk__in=[pk for pk, _ in candidates]).filter(claimable).update(
            status=Delivery.Status.SENDING, claim_token=token, claimed_at=now
        )
    taken_over = sum(1 for _, status in candidates if status == Delivery.Status.SENDING)
    if taken_over:
        logger.warning(
            "Took over %d deliveries of issue %s whose sender stopped renewing its claim",
            taken_over,
            issue.pk,
        )
    batch = list(
        Delivery.objects.filter(claim_token=token, status=Delivery.Status.SENDING)
        .select_related("subscriber")
        .order_by("pk")
    )
    return token, batch


def _fenced(token: uuid.UUID, pk: int | None = None):
    """This sender's rows still being sent (or one of them): writes through it fail once lost."""
    rows = Delivery.objects.filter(claim_token=token, status=Delivery.Status.SENDING)
    return rows if pk is None else rows.filter(pk=pk)


def _fast_commit() -> None:
    if connection.vendor == "postgresql":
        # The commit need not wait for the disk: it survives this process dying,
        # and only a crash of the database server itself could lose the last
        # fraction of a second of marks. Waiting would cost a disk flush per message.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _hold(pk: int, token: uuid.UUID) -> bool:
    """Just before a message goes out: is its row still ours? (Renews it if so.)"""
    with transaction.atomic():
        _fast_commit()
        return _fenced(token, pk).update(claimed_at=timezone.now()) == 1


def _record_sent(pk: int, token: uuid.UUID) -> bool:
    """Mark one delivery sent, committed before the next message goes out; False if lost."""
    with transaction.atomic():
        _fast_commit()
        return (
            _fenced(token, pk).update(
                status=Delivery.Status.SENT, sent_at=timezone.now(), claim_token=None
            )
            == 1
        )


def _release(token: uuid.UUID) -> int:
    """Put this sender's unsent rows back in the queue (never rows another sender now holds)."""
    return _fenced(token).update(status=Delivery.Status.PENDING, claim_token=None, claimed_at=None)


def heartbeat_interval() -> float:
    # Several renewals fit in one timeout, so one slow renewal does not lose the claim.
    interval = min(settings.NEWSLETTER_CLAIM_HEARTBEAT, settings.NEWSLETTER_CLAIM_TIMEOUT / 3)
    return max(0.05, interval)


class _Heartbeat:
    """Renews a claim from a thread of its own while the sender waits on the mail relay."""

    def __init__(self, token: uuid.UUID, interval: float):
        self.token = token
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"newsletter-claim-{token}", daemon=True
        )

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    if not _fenced(self.token).update(claimed_at=timezone.now()):
                        return  # every row is sent, released or taken over: nothing to keep
                except Exception:
                    # The sender's own fenced writes notice if the claim is lost meanwhile.
                    logger.exception("Could not renew the claim %s", self.token)
        finally:
            # This thread's own database connection; the sender's is untouched.
            connection.close()


def _send_batch(rendered: RenderedIssue, token: uuid.UUID, batch: list[Delivery]) -> int:
    """Send a claimed batch, recording each message as soon as the backend accepts it."""
    sent = 0
    mail_connection = get_connection()
    try:
        with _Heartbeat(token, heartbeat_interval()):
            mail_connection.open()
            for delivery in batch:
                subscriber = delivery.subscriber
                if subscriber.status != Subscriber.Status.CONFIRMED:
                    # Left after the send was queued: never mail them.
                    _fenced(token, delivery.pk).update(
                        status=Delivery.Status.FAILED,
                        error="Unsubscribed before sending",
                        claim_token=None,
                    )
                    continue
                if not _hold(delivery.pk, token):
                    raise ClaimLost(delivery.pk, sent)
                message = build_message(
                    rendered, subscriber.email, unsubscribe_url(subscriber), mail_connection
                )
                if mail_connection.send_messages([message]) != 1:
                    raise RuntimeError(f"The mail backend refused delivery {delivery.pk}.")
                if not _record_sent(delivery.pk, token):
                    logger.error(
                        "Delivery %s was taken over while its message was in flight; "
                        "its reader may receive the issue twice",
                        delivery.pk,
                    )
                    raise ClaimLost(delivery.pk, sent)
                sent += 1
    except BaseException:
        # Whatever stopped us, the messages never handed over go back in the queue.
        _release(token)
        raise
    finally:
        mail_connection.close()
    return sent


def send_pending(
    issue: IssuePage,
    batch_size: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """Send every pending delivery of the issue; returns how many were sent now.

    Stops early, with a warning in the log, if another sender took over this
    one's rows: the new owner sends them.
    """
    batch_size = batch_size or settings.NEWSLETTER_BATCH_SIZE
    pending = Delivery.objects.filter(
        issue=issue, status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]
    )
    if not pending.exists():
        return 0
    rendered = render_issue(issue)
    sent_total = 0
    while True:
        token, batch = _claim(issue, batch_size)
        if not batch:
            break
        try:
            sent_total += _send_batch(rendered, token, batch)
        except ClaimLost as lost:
            logger.warning("Stopped sending issue %s: %s", issue.pk, lost)
            sent_total += lost.sent
            break
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
    if subscriber is not None:
        link = unsubscribe_url(subscriber)
    else:
        with translation.override(issue.locale.language_code):
            link = absolute_url(reverse("newsletter_signup"))
    message = build_message(render_issue(issue), address, link)
    message.subject = f"[Test] {message.subject}"
    message.send()
