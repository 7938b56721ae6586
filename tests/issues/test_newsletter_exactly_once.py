"""Each reader gets the issue exactly once: concurrent senders, a killed sender, a hanging relay.

Senders are real ``manage.py send_issue`` processes talking SMTP to a local
relay (tests/issues/smtp_relay.py) that counts a message only once it has
confirmed it. They need a database other processes can open, so the tests
with more than one process run on PostgreSQL; the in-process ones (relay
timeouts, a stolen claim) run on SQLite too.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from unittest import mock
from urllib.parse import quote

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test import TestCase, TransactionTestCase, override_settings

from issues.models import Delivery, Subscriber
from issues.newsletter.sending import progress, send_issue, send_pending
from tests.factories import build_site, make_issue
from tests.issues.smtp_relay import LocalRelay

ROOT = Path(__file__).resolve().parents[2]
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def subscribe(count: int) -> list[str]:
    emails = [f"reader{n:03}@example.org" for n in range(count)]
    Subscriber.objects.bulk_create(
        Subscriber(email=email, status=Subscriber.Status.CONFIRMED) for email in emails
    )
    return emails


def relay_settings(relay: LocalRelay, **extra):
    return override_settings(
        EMAIL_BACKEND=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=relay.port, **extra
    )


def database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class SenderProcesses:
    """``manage.py send_issue`` in child processes, on this test's database and relay."""

    def __init__(self, relay: LocalRelay, **env: str):
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "focus_site.settings.dev",
            "DEBUG": "0",
            "DATABASE_URL": database_url(),
            "EMAIL_BACKEND": SMTP,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(relay.port),
            **env,
        }
        self.started: list[subprocess.Popen] = []

    def start(self, slug: str, batch_size: int) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "send_issue", slug, f"--batch-size={batch_size}"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.started.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.kill()
            process.communicate(timeout=30)


def wait_for(condition, timeout: float = 60, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting for {what}")
        time.sleep(0.02)


def sent_count(output: str) -> int:
    # The command's summary line: "Sent N now; ..."
    line = next(line for line in output.splitlines() if line.startswith("Sent "))
    return int(line.split()[1])


class ExactlyOnceAcrossProcessesTests(TransactionTestCase):
    # Wagtail's root page comes from a migration; keep it for the tests that follow.
    serialized_rollback = True

    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest(
                "Needs PostgreSQL: the senders are separate processes, which cannot open "
                "the in-memory SQLite test database."
            )
        tree = build_site()
        self.issue = make_issue(tree.issues)

    def assert_exactly_once(self, relay: LocalRelay, emails: list[str]) -> None:
        self.assertEqual(relay.received(), Counter(dict.fromkeys(emails, 1)))
        state = progress(self.issue)
        self.assertEqual((state.total, state.sent), (len(emails), len(emails)))
        self.assertTrue(state.done)
        self.assertFalse(Delivery.objects.exclude(claim_token=None).exists())

    def test_a_second_sender_started_mid_batch_never_sends_what_the_first_holds(self):
        # The relay holds the first sender's second message until the second sender has
        # claimed its batch and connected: by then the first claim is older than the
        # timeout, so without a heartbeat the second sender would take it over.
        emails = subscribe(40)
        with LocalRelay(delay=0.05, stall_at=2) as relay:
            senders = SenderProcesses(
                relay,
                NEWSLETTER_CLAIM_TIMEOUT="1",
                NEWSLETTER_CLAIM_HEARTBEAT="0.2",
                EMAIL_TIMEOUT="120",
            )
            try:
                first = senders.start(self.issue.slug, batch_size=20)
                self.assertTrue(relay.stalled.wait(60), "the first sender never reached the relay")
                second = senders.start(self.issue.slug, batch_size=20)
                wait_for(lambda: relay.connections >= 2, timeout=120, what="the second sender")
                relay.release()
                outputs = [process.communicate(timeout=120) for process in (first, second)]
            finally:
                senders.stop_all()
            for process, (_out, err) in zip((first, second), outputs, strict=True):
                self.assertEqual(process.returncode, 0, err)
            # Both really sent: the second worked beside the first, not after it.
            self.assertEqual([sent_count(out) for out, _ in outputs], [20, 20])
            self.assert_exactly_once(relay, emails)

    def test_a_sender_killed_mid_batch_is_taken_over_once_its_claim_goes_stale(self):
        emails = subscribe(30)
        with LocalRelay(stall_at=5) as relay:
            senders = SenderProcesses(
                relay, NEWSLETTER_CLAIM_TIMEOUT="4", NEWSLETTER_CLAIM_HEARTBEAT="0.2"
            )
            try:
                victim = senders.start(self.issue.slug, batch_size=20)
                # The fifth message is on the wire, not yet confirmed: kill the sender there.
                self.assertTrue(relay.stalled.wait(60), "the sender never reached the relay")
                os.kill(victim.pid, signal.SIGKILL)
                victim.wait(timeout=30)
            finally:
                senders.stop_all()
            relay.release()
            wait_for(lambda: relay.dropped, what="the relay to drop the unconfirmed message")
            self.assertEqual(len(relay.accepted), 4)

            with relay_settings(relay, NEWSLETTER_CLAIM_TIMEOUT=4):
                # Moments after the kill the claim is fresh: it may be a live sender.
                self.assertEqual(send_pending(self.issue, batch_size=20), 10)
                self.assertEqual(progress(self.issue).sending, 16)
                time.sleep(4.1)
                self.assertEqual(send_pending(self.issue, batch_size=20), 16)
            self.assert_exactly_once(relay, emails)

    def test_a_relay_hanging_longer_than_the_claim_timeout_causes_no_second_send(self):
        # The issue's scenario: a slow relay and a "Resume" click while the first sender waits.
        emails = subscribe(30)
        with LocalRelay(stall_at=3, stall_for=5) as relay:
            senders = SenderProcesses(
                relay,
                NEWSLETTER_CLAIM_TIMEOUT="1",
                NEWSLETTER_CLAIM_HEARTBEAT="0.2",
                EMAIL_TIMEOUT="20",
            )
            try:
                first = senders.start(self.issue.slug, batch_size=20)
                self.assertTrue(relay.stalled.wait(60), "the sender never reached the relay")
                time.sleep(1.5)  # the first sender's claim is now older than the timeout
                with relay_settings(relay, NEWSLETTER_CLAIM_TIMEOUT=1):
                    resumed = send_pending(self.issue, batch_size=20)
                out, err = first.communicate(timeout=120)
            finally:
                senders.stop_all()
            self.assertEqual(first.returncode, 0, err)
            self.assertEqual(resumed, 10)  # only the rows nobody held
            self.assertEqual(sent_count(out), 20)
            self.assertEqual(relay.dropped, [])
            self.assert_exactly_once(relay, emails)


class FencedClaimTests(TestCase):
    """In one process, so on SQLite as well as PostgreSQL."""

    @classmethod
    def setUpTestData(cls):
        cls.issue = make_issue(build_site().issues)

    def test_a_relay_that_never_answers_times_out_and_a_rerun_sends_the_rest_once(self):
        emails = subscribe(8)
        with LocalRelay(stall_at=3) as relay, relay_settings(relay, EMAIL_TIMEOUT=1):
            started = time.monotonic()
            with self.assertRaises(OSError):  # socket.timeout / SMTPServerDisconnected
                send_issue(self.issue, batch_size=5)
            self.assertLess(time.monotonic() - started, 30)
            state = progress(self.issue)
            self.assertEqual((state.sent, state.pending, state.sending), (2, 6, 0))
            relay.release()
            self.assertEqual(send_pending(self.issue, batch_size=5), 6)
            self.assertEqual(relay.received(), Counter(dict.fromkeys(emails, 1)))
            # The message the relay never confirmed was dropped, then sent once by the re-run.
            self.assertEqual(len(relay.dropped), 1)
            self.assertIn(relay.dropped[0], emails)

    def test_a_sender_whose_claim_was_taken_over_stops_and_leaves_the_rows_alone(self):
        subscribe(6)
        thief = uuid.uuid4()

        class TakenOverMidBatch(EmailBackend):
            """While the third message is on its way, another sender takes the batch over."""

            def send_messages(self, messages):
                if len(mail.outbox) == 2:
                    Delivery.objects.filter(status=Delivery.Status.SENDING).update(
                        claim_token=thief
                    )
                return super().send_messages(messages)

        with mock_backend(TakenOverMidBatch):
            self.assertEqual(send_issue(self.issue, batch_size=6), 2)
        # The third message was already in flight; nothing after it went out.
        self.assertEqual(len(mail.outbox), 3)
        self.assertEqual(
            Counter(Delivery.objects.values_list("status", flat=True)),
            Counter({"sent": 2, "sending": 4}),
        )
        # The new owner's rows are untouched: not marked sent, not put back.
        self.assertEqual(Delivery.objects.filter(claim_token=thief).count(), 4)

    def test_a_row_taken_over_before_its_turn_is_never_sent_by_the_old_owner(self):
        subscribe(4)
        thief = uuid.uuid4()

        class TakenOverAhead(EmailBackend):
            def send_messages(self, messages):
                if len(mail.outbox) == 1:
                    last = Delivery.objects.order_by("pk").last()
                    Delivery.objects.filter(pk=last.pk).update(claim_token=thief)
                return super().send_messages(messages)

        with mock_backend(TakenOverAhead):
            self.assertEqual(send_issue(self.issue, batch_size=4), 3)
        self.assertEqual(len(mail.outbox), 3)
        last = Delivery.objects.order_by("pk").last()
        self.assertEqual((last.status, last.claim_token), ("sending", thief))
        self.assertNotIn(last.subscriber.email, [m.to[0] for m in mail.outbox])


def mock_backend(backend_class):
    """Route the sender's mail connection to a backend class defined in a test."""
    return mock.patch(
        "issues.newsletter.sending.get_connection",
        side_effect=lambda *args, **kwargs: backend_class(),
    )
