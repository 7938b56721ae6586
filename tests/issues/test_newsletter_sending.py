"""Sending an issue: headers, confirmed subscribers only, exactly once across a crash."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from io import StringIO
from unittest import mock

from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone
from wagtail.models import GroupPagePermission
from wagtail.test.utils import WagtailTestUtils

from issues.models import Delivery, Subscriber
from issues.newsletter.sending import progress, queue_issue, send_issue, send_pending
from tests.factories import build_site
from tests.issues.newsletter_helpers import BLOCK_MARKERS, issue_with_every_block

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class CrashingBackend(EmailBackend):
    """Accepts ``budget`` messages, then dies as a mail server or process would mid-batch."""

    budget = 0

    def send_messages(self, messages):
        if CrashingBackend.budget <= 0:
            raise ConnectionError("Simulated crash")
        CrashingBackend.budget -= 1
        return super().send_messages(messages)


def interrupt_after_budget(self, messages):
    """Like CrashingBackend, but the operator presses Ctrl-C instead."""
    if CrashingBackend.budget <= 0:
        raise KeyboardInterrupt
    CrashingBackend.budget -= 1
    return EmailBackend.send_messages(self, messages)


def subscribe(*emails: str, status=Subscriber.Status.CONFIRMED) -> list[Subscriber]:
    return [Subscriber.objects.create(email=email, status=status) for email in emails]


class SendIssueTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.issue = issue_with_every_block(cls.tree)

    def test_only_confirmed_subscribers_receive_it_with_both_parts_and_rfc8058_headers(self):
        subscribe("a@example.org", "b@example.org")
        subscribe("pending@example.org", status=Subscriber.Status.PENDING)
        subscribe("gone@example.org", status=Subscriber.Status.UNSUBSCRIBED)
        self.assertEqual(send_issue(self.issue), 2)
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), ["a@example.org", "b@example.org"])
        message = mail.outbox[0]
        unsubscribe = message.extra_headers["List-Unsubscribe"]
        self.assertRegex(unsubscribe, r"^<http://testserver/newsletter/unsubscribe/[^>]+/>$")
        self.assertEqual(
            message.extra_headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click"
        )
        html, mimetype = message.alternatives[0]
        self.assertEqual(mimetype, "text/html")
        self.assertIn(f'href="{unsubscribe[1:-1]}"', html)
        self.assertIn(unsubscribe[1:-1], message.body)
        self.assertIn(BLOCK_MARKERS["table"], message.body)
        # Each reader's link is their own, and it works in one click.
        self.assertNotEqual(
            mail.outbox[0].extra_headers["List-Unsubscribe"],
            mail.outbox[1].extra_headers["List-Unsubscribe"],
        )
        response = self.client.post(unsubscribe[1:-1].removeprefix("http://testserver"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            Subscriber.objects.get(email=message.to[0]).status, Subscriber.Status.UNSUBSCRIBED
        )

    def test_sending_again_sends_nothing_twice(self):
        subscribe("a@example.org", "b@example.org")
        send_issue(self.issue)
        self.assertEqual(send_issue(self.issue), 0)
        self.assertEqual(len(mail.outbox), 2)
        subscribe("late@example.org")
        self.assertEqual(send_issue(self.issue), 1)
        self.assertEqual(mail.outbox[-1].to, ["late@example.org"])

    @override_settings(EMAIL_BACKEND="tests.issues.test_newsletter_sending.CrashingBackend")
    def test_exactly_once_across_a_crash_mid_batch(self):
        emails = [f"reader{n}@example.org" for n in range(25)]
        subscribe(*emails)
        CrashingBackend.budget = 13  # dies in the middle of the second batch of 10
        with self.assertRaises(ConnectionError):
            send_issue(self.issue, batch_size=10)
        self.assertEqual(len(mail.outbox), 13)
        state = progress(self.issue)
        self.assertEqual((state.total, state.sent, state.pending), (25, 13, 12))

        CrashingBackend.budget = 100  # the server is back; re-run
        self.assertEqual(send_issue(self.issue, batch_size=10), 12)
        received = Counter(message.to[0] for message in mail.outbox)
        self.assertEqual(received, Counter(dict.fromkeys(emails, 1)))
        self.assertTrue(progress(self.issue).done)

    @override_settings(EMAIL_BACKEND="tests.issues.test_newsletter_sending.CrashingBackend")
    def test_interrupted_send_puts_the_rest_back_in_the_queue(self):
        emails = [f"reader{n}@example.org" for n in range(7)]
        subscribe(*emails)
        CrashingBackend.budget = 4
        with (
            mock.patch.object(CrashingBackend, "send_messages", interrupt_after_budget),
            self.assertRaises(KeyboardInterrupt),
        ):
            send_issue(self.issue, batch_size=5)
        self.assertEqual(
            Counter(Delivery.objects.values_list("status", flat=True)),
            Counter({"sent": 4, "pending": 3}),
        )
        CrashingBackend.budget = 100
        self.assertEqual(send_issue(self.issue), 3)
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), sorted(emails))

    def test_a_killed_senders_claim_is_taken_over_once_stale_and_never_while_fresh(self):
        subscribe("sent@example.org", "claimed@example.org", "pending@example.org")
        queue_issue(self.issue)
        rows = {d.subscriber.email: d for d in Delivery.objects.select_related("subscriber")}
        # What a sender killed mid-batch leaves behind: one row recorded, one still claimed.
        rows["sent@example.org"].status = Delivery.Status.SENT
        rows["claimed@example.org"].status = Delivery.Status.SENDING
        rows["claimed@example.org"].claimed_at = timezone.now()
        Delivery.objects.bulk_update(rows.values(), ["status", "claimed_at"])

        # A fresh claim may be another sender still at work: leave it alone.
        self.assertEqual(send_pending(self.issue), 1)
        self.assertEqual([m.to for m in mail.outbox], [["pending@example.org"]])
        self.assertFalse(progress(self.issue).done)

        Delivery.objects.filter(status=Delivery.Status.SENDING).update(
            claimed_at=timezone.now() - timedelta(hours=1)
        )
        self.assertEqual(send_pending(self.issue), 1)
        self.assertEqual(mail.outbox[-1].to, ["claimed@example.org"])
        self.assertTrue(progress(self.issue).done)
        self.assertEqual(len(mail.outbox), 2)  # sent@ was never mailed again

    def test_reader_who_leaves_after_queueing_is_not_mailed(self):
        (stays, leaves) = subscribe("stays@example.org", "leaves@example.org")
        queue_issue(self.issue)
        leaves.unsubscribe()
        self.assertEqual(send_pending(self.issue), 1)
        self.assertEqual([m.to for m in mail.outbox], [["stays@example.org"]])
        self.assertEqual(Delivery.objects.get(subscriber=leaves).status, Delivery.Status.FAILED)

    def test_one_delivery_row_per_issue_and_subscriber(self):
        subscribe("a@example.org")
        self.assertEqual(queue_issue(self.issue), 1)
        self.assertEqual(queue_issue(self.issue), 0)
        self.assertEqual(Delivery.objects.count(), 1)

    def test_send_issue_command_with_progress_and_rerun(self):
        subscribe("a@example.org", "b@example.org", "c@example.org")
        out, err = StringIO(), StringIO()
        call_command("send_issue", self.issue.slug, "--batch-size", "2", stdout=out, stderr=err)
        self.assertIn("Sent 3 now; 3 of 3 sent in all", out.getvalue())
        self.assertIn("3/3", err.getvalue())  # the progress bar
        out = StringIO()
        call_command("send_issue", self.issue.slug, stdout=out, stderr=StringIO())
        self.assertIn("Nothing to send: 3 of 3 already sent.", out.getvalue())
        self.assertEqual(len(mail.outbox), 3)

    def test_send_issue_command_in_the_background(self):
        subscribe("a@example.org")
        out = StringIO()
        call_command("send_issue", self.issue.slug, "--background", stdout=out)
        self.assertIn("Queued as task", out.getvalue())
        # The immediate backend of development and tests has run it already.
        self.assertEqual(len(mail.outbox), 1)


class NewsletterAdminTests(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.issue = issue_with_every_block(cls.tree)
        cls.url = f"/admin/newsletter/issues/{cls.issue.pk}/"

    def assert_refused(self, response):
        # Wagtail turns PermissionDenied into a redirect to the dashboard with a message.
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], "/admin/")

    def test_test_send_to_an_address(self):
        self.login()
        subscribe("reader@example.org")
        response = self.client.get(self.url)
        self.assertContains(response, "Send test")
        self.assertContains(response, "1 confirmed subscriber")
        response = self.client.post(self.url, {"action": "test", "address": "editor@example.org"})
        self.assertRedirects(response, self.url)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["editor@example.org"])
        self.assertTrue(mail.outbox[0].subject.startswith("[Test] Focus This Week"))
        self.assertEqual(Delivery.objects.count(), 0)  # a test is not a delivery

    def test_bad_test_address_is_a_form_error(self):
        self.login()
        response = self.client.post(self.url, {"action": "test", "address": "nope"})
        self.assertContains(response, "Enter a valid email address", status_code=400)
        self.assertEqual(len(mail.outbox), 0)
        self.assertEqual(self.client.post(self.url, {"action": "??"}).status_code, 400)

    def test_without_a_task_worker_the_send_is_refused_naming_what_to_set(self):
        # The immediate backend would send inside this request, past gunicorn's timeout.
        self.login()
        subscribe("a@example.org", "b@example.org")
        page = self.client.get(self.url)
        self.assertContains(page, 'id="send-needs-worker"')
        self.assertNotContains(page, 'name="action" value="send"')
        response = self.client.post(self.url, {"action": "send"}, follow=True)
        self.assertContains(response, "TASKS_BACKEND=django_tasks_db.DatabaseBackend")
        self.assertContains(response, "manage.py db_worker")
        self.assertEqual(len(mail.outbox), 0)
        self.assertEqual(Delivery.objects.count(), 0)

    @override_settings(TASKS=DATABASE_TASKS)
    def test_with_the_database_backend_a_worker_does_the_sending(self):
        self.login()
        subscribe("a@example.org", "b@example.org")
        response = self.client.post(self.url, {"action": "send"}, follow=True)
        self.assertContains(response, "Sending to subscribers started (2 newly queued)")
        self.assertContains(response, "0 of 2 sent (0%), 2 waiting")
        self.assertContains(response, '<meta http-equiv="refresh"')  # the page follows progress
        self.assertEqual(len(mail.outbox), 0)  # the request only queued the work
        # The worker would recycle its database connection, which would end this test's
        # transaction; in this process it shares the test's connection instead.
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            call_command(
                "db_worker", "--batch", "--interval", "0", stdout=StringIO(), stderr=StringIO()
            )
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), ["a@example.org", "b@example.org"])
        finished = self.client.get(self.url)
        self.assertContains(finished, "2 of 2 sent (100%)")
        self.assertNotContains(finished, '<meta http-equiv="refresh"')

    def test_previews(self):
        self.login()
        html = self.client.get(f"{self.url}preview/email/")
        self.assertContains(html, 'role="presentation"')
        text = self.client.get(f"{self.url}preview/text/")
        self.assertEqual(text["Content-Type"], "text/plain; charset=utf-8")
        self.assertContains(text, BLOCK_MARKERS["video_feature"])

    def test_button_in_the_page_listing(self):
        self.login()
        response = self.client.get(f"/admin/pages/{self.tree.issues.pk}/")
        self.assertContains(response, self.url)

    def test_editors_without_the_send_permission_can_test_but_not_send(self):
        editors = Group.objects.create(name="Issue editors")
        editors.permissions.add(Permission.objects.get(codename="access_admin"))
        GroupPagePermission.objects.create(
            group=editors,
            page=self.tree.issues,
            permission=Permission.objects.get(codename="change_page"),
        )
        user = self.create_user("editor", password="pw")
        user.groups.add(editors)
        self.client.force_login(user)
        subscribe("a@example.org")
        self.assertContains(self.client.get(self.url), "do not have permission to send")
        self.assert_refused(self.client.post(self.url, {"action": "send"}))
        self.assertEqual(len(mail.outbox), 0)
        user.user_permissions.add(Permission.objects.get(codename="send_issue"))
        self.client.force_login(type(user).objects.get(pk=user.pk))
        with override_settings(TASKS=DATABASE_TASKS):
            self.client.post(self.url, {"action": "send"})
        self.assertEqual(Delivery.objects.filter(issue=self.issue).count(), 1)  # queued

    def test_anonymous_and_unrelated_users_are_kept_out(self):
        self.assertEqual(self.client.get(self.url).status_code, 302)
        outsider = self.create_user("outsider", password="pw")
        outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
        self.client.force_login(outsider)
        self.assert_refused(self.client.post(self.url, {"action": "send"}))
        self.assertEqual(len(mail.outbox), 0)
        self.assertEqual(self.client.get("/admin/newsletter/issues/999999/").status_code, 404)


class SubscriberModelAdminTests(WagtailTestUtils, TestCase):
    def test_listing_filters_search_and_csv_export(self):
        self.login()
        subscribe("alpha@example.org")
        subscribe("beta@example.org", status=Subscriber.Status.PENDING)
        base = "/admin/issues/subscriber/"
        response = self.client.get(base, {"status__exact": "confirmed"})
        self.assertContains(response, "alpha@example.org")
        self.assertNotContains(response, "beta@example.org")
        response = self.client.get(base, {"q": "beta"})
        self.assertContains(response, "beta@example.org")
        self.assertNotContains(response, "alpha@example.org")
        export = self.client.get(base, {"export": "csv"})
        self.assertEqual(export["Content-Type"], "text/csv")
        body = b"".join(export.streaming_content).decode()
        self.assertIn("alpha@example.org", body)
        self.assertIn("beta@example.org", body)
