"""Readers answering the Question of the Week: the form, its refusals, storage, email."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from io import StringIO
from unittest import mock

from django.core import mail
from django.core.cache import cache, caches
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from django.utils import timezone

from focus_site import throttle
from issues.models import QuestionResponse, ResponseStatus
from issues.responses.forms import ResponseForm
from tests.factories import build_site, make_question


def answer(**overrides) -> dict:
    data = {
        "name": "Li Wei",
        "email": "li.wei@example.org",
        "affiliation": "Shanghai",
        "response": "Middle powers should hedge, not choose.",
        "consent": "on",
        "token": str(uuid.uuid4()),
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


class ResponseTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.question = make_question(cls.tree.questions)

    def setUp(self):
        cache.clear()
        caches["counters"].clear()  # rate-limit counts live here

    def post(self, client: Client | None = None, **overrides):
        return (client or self.client).post(self.question.url, answer(**overrides))


class ResponseFormPageTests(ResponseTestCase):
    def test_open_question_shows_an_accessible_form_and_the_email_alternative(self):
        response = self.client.get(self.question.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<form class="response-form" method="post"')
        self.assertContains(response, 'name="csrfmiddlewaretoken"')
        for field in ("name", "email", "affiliation", "response", "consent"):
            self.assertContains(response, f'<label for="id_{field}"')
        self.assertContains(response, 'aria-describedby="id_response_helptext"')
        self.assertContains(response, 'type="hidden" name="token"')
        self.assertContains(response, 'class="response-form__trap" aria-hidden="true"')
        self.assertContains(response, "mailto:USeditor@chinausfocus.com")

    def test_each_rendering_carries_a_fresh_token(self):
        first = self.client.get(self.question.url).context["response_form"]
        second = self.client.get(self.question.url).context["response_form"]
        self.assertNotEqual(first.initial["token"], second.initial["token"])

    def test_closed_question_says_so_and_has_no_form(self):
        closed = make_question(
            self.tree.questions, closing_date=timezone.localdate() - timedelta(days=1)
        )
        response = self.client.get(closed.url)
        self.assertContains(response, "This question is closed")
        self.assertNotContains(response, "response-form")


class SubmissionTests(ResponseTestCase):
    def test_submission_is_stored_and_redirects_303_to_thanks(self):
        data = answer()
        response = self.client.post(self.question.url, data)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(response["Location"], f"{self.question.url}?answered=1#respond")
        stored = QuestionResponse.objects.get()
        self.assertEqual(stored.question_id, self.question.pk)
        self.assertEqual(stored.name, "Li Wei")
        self.assertEqual(stored.email, "li.wei@example.org")
        self.assertEqual(stored.affiliation, "Shanghai")
        self.assertEqual(stored.response, data["response"])
        self.assertEqual(stored.original_response, data["response"])
        self.assertTrue(stored.consent_to_publish)
        self.assertEqual(stored.status, ResponseStatus.PENDING)
        self.assertEqual(str(stored.submission_token), data["token"])
        thanks = self.client.get(response["Location"])
        self.assertContains(thanks, "Thank you for your answer")
        self.assertNotContains(thanks, '<form class="response-form"')

    def test_replayed_post_shows_thanks_again_and_stores_nothing_more(self):
        data = answer()
        first = self.client.post(self.question.url, data)
        replay = self.client.post(self.question.url, data)
        self.assertEqual(first.status_code, 303)
        self.assertEqual(replay.status_code, 303)
        self.assertEqual(replay["Location"], first["Location"])
        self.assertEqual(QuestionResponse.objects.count(), 1)

    def test_whitespace_is_trimmed(self):
        self.post(name="  Li Wei  ", response="\n  An answer.  \n")
        stored = QuestionResponse.objects.get()
        self.assertEqual((stored.name, stored.response), ("Li Wei", "An answer."))

    def test_response_text_is_escaped_when_shown(self):
        self.post(response='<script>alert("x")</script> & <b>bold</b>', name="<i>Eve</i>")
        stored = QuestionResponse.objects.get()
        stored.status = ResponseStatus.FEATURED
        stored.save()
        page = self.client.get(self.question.url)
        self.assertNotContains(page, '<script>alert("x")</script>')
        self.assertNotContains(page, "<i>Eve</i>")
        self.assertContains(page, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;")
        self.assertContains(page, "&lt;i&gt;Eve&lt;/i&gt;")


class BadInputTests(ResponseTestCase):
    def assertRefused(self, response, *messages, status=400):
        self.assertEqual(response.status_code, status)
        self.assertContains(response, "Please correct the following", status_code=status)
        for message in messages:
            self.assertContains(response, message, status_code=status)
        self.assertFalse(QuestionResponse.objects.exists())

    def test_empty_fields(self):
        response = self.post(name="", email="", response="   ", consent=None)
        self.assertRefused(
            response,
            "Please enter your name.",
            "Please enter your email address.",
            "Please write your answer.",
            "Please agree to publication, or email us instead.",
        )
        self.assertContains(response, 'aria-invalid="true"', status_code=400)
        self.assertContains(response, 'id="id_name_error"', status_code=400)

    def test_over_long_fields(self):
        response = self.post(name="N" * 121, affiliation="A" * 161, response="R" * 3001)
        self.assertRefused(
            response,
            "Please shorten your name to 120 characters or fewer.",
            "Please shorten this to 160 characters or fewer.",
            "Please shorten your answer to 3000 characters or fewer (it has 3001).",
        )

    def test_answer_at_the_limit_is_accepted(self):
        self.assertEqual(self.post(response="R" * 3000).status_code, 303)

    def test_malformed_email(self):
        for email in ("not-an-address", "a@b", "li wei@example.org", "x@" + "e" * 300 + ".org"):
            with self.subTest(email=email):
                self.assertRefused(self.post(email=email), "Please enter a valid email address")

    def test_line_breaks_and_control_characters_in_names(self):
        response = self.post(name="Eve\r\nBcc: all@example.org", affiliation="City\x07")
        self.assertRefused(
            response,
            "Please write your name on one line, without special characters.",
            "Please write your affiliation or city on one line, without special characters.",
        )

    def test_null_characters_are_refused(self):
        self.assertRefused(self.post(response="An answer\x00"), "Null characters are not allowed.")

    def test_missing_consent(self):
        self.assertRefused(self.post(consent=None), "Please agree to publication")

    def test_what_the_reader_typed_is_kept(self):
        response = self.post(consent=None, response="Keep my words")
        self.assertContains(response, "Keep my words", status_code=400)

    def test_missing_or_forged_form_token(self):
        for token in (None, "", "not-a-uuid"):
            with self.subTest(token=token):
                response = self.post(token=token)
                self.assertRefused(response, "This form had expired")
                # A fresh token lets the reader send the same text again.
                new_token = response.context["response_form"]["token"].value()
                self.assertEqual(str(uuid.UUID(new_token)), new_token)

    def test_closed_question_refuses_with_403(self):
        closed = make_question(
            self.tree.questions, closing_date=timezone.localdate() - timedelta(days=1)
        )
        response = self.client.post(closed.url, answer())
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "Answers to this question closed on", status_code=403)
        self.assertFalse(QuestionResponse.objects.exists())

    def test_question_closing_today_is_still_open(self):
        today = make_question(self.tree.questions, closing_date=timezone.localdate())
        self.assertEqual(self.client.post(today.url, answer()).status_code, 303)

    def test_missing_or_forged_csrf_token_is_refused(self):
        client = Client(enforce_csrf_checks=True)
        self.assertEqual(self.post(client).status_code, 403)
        client.get(self.question.url)  # sets the CSRF cookie
        forged = answer(csrfmiddlewaretoken="x" * 64)
        self.assertEqual(client.post(self.question.url, forged).status_code, 403)
        self.assertFalse(QuestionResponse.objects.exists())

    def test_valid_csrf_token_is_accepted(self):
        client = Client(enforce_csrf_checks=True)
        page = client.get(self.question.url)
        token = page.context["csrf_token"]
        response = client.post(self.question.url, answer(csrfmiddlewaretoken=str(token)))
        self.assertEqual(response.status_code, 303)
        self.assertEqual(QuestionResponse.objects.count(), 1)

    def test_odd_query_strings_and_methods_never_fail(self):
        self.assertEqual(self.client.get(f"{self.question.url}?answered=<x>").status_code, 200)
        self.assertEqual(self.client.post(self.question.url, {}).status_code, 400)
        self.assertEqual(
            self.client.post(
                self.question.url, {"response": ["a", "b"], "consent": "x"}
            ).status_code,
            400,
        )


class HoneypotTests(ResponseTestCase):
    def test_filled_honeypot_looks_accepted_but_stores_nothing(self):
        response = self.post(website="http://spam.example")
        self.assertEqual(response.status_code, 303)
        self.assertFalse(QuestionResponse.objects.exists())
        self.assertEqual(len(mail.outbox), 0)

    def test_honeypot_field_is_hidden_from_people(self):
        form = ResponseForm()
        self.assertEqual(form.fields["website"].widget.attrs["tabindex"], "-1")


@override_settings(FOCUS_RESPONSES_RATE_LIMIT=3, FOCUS_RESPONSES_RATE_WINDOW=600)
class RateLimitTests(ResponseTestCase):
    def test_refused_past_the_limit_with_429_and_a_clear_message(self):
        for _ in range(3):
            self.assertEqual(self.post().status_code, 303)
        refused = self.post(response="My fourth answer")
        self.assertEqual(refused.status_code, 429)
        self.assertEqual(refused["Retry-After"], "600")
        self.assertContains(
            refused, "You have sent several answers in a short time", status_code=429
        )
        self.assertContains(refused, "Please wait 10 minutes", status_code=429)
        # The reader's text comes back so nothing is lost.
        self.assertContains(refused, "My fourth answer", status_code=429)
        self.assertEqual(QuestionResponse.objects.count(), 3)

    def test_limit_is_per_client(self):
        for _ in range(3):
            self.post()
        other = self.client.post(self.question.url, answer(), REMOTE_ADDR="10.0.0.2")
        self.assertEqual(other.status_code, 303)

    @override_settings(FOCUS_TRUSTED_PROXY_COUNT=1)
    def test_behind_a_proxy_the_address_it_appended_is_counted(self):
        # Each answer claims a new first address; the proxy's entry stays the same.
        for n in range(3):
            self.client.post(
                self.question.url, answer(), HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 10.0.0.9"
            )
        same = self.client.post(
            self.question.url, answer(), HTTP_X_FORWARDED_FOR="2.2.2.2, 10.0.0.9"
        )
        other = self.client.post(self.question.url, answer(), HTTP_X_FORWARDED_FOR="10.0.0.10")
        self.assertEqual(same.status_code, 429)
        self.assertEqual(other.status_code, 303)

    def test_ipv6_clients_are_counted_per_64(self):
        for n in range(3):
            self.client.post(self.question.url, answer(), REMOTE_ADDR=f"2001:db8:5:6::{n + 1}")
        same_network = self.client.post(
            self.question.url, answer(), REMOTE_ADDR="2001:db8:5:6:ffff::1"
        )
        other = self.client.post(self.question.url, answer(), REMOTE_ADDR="2001:db8:5:7::1")
        self.assertEqual(same_network.status_code, 429)
        self.assertEqual(other.status_code, 303)

    def test_window_expiry_lets_the_client_answer_again(self):
        for _ in range(3):
            self.post()
        self.assertEqual(self.post().status_code, 429)
        throttle.counters().clear()  # what the window's expiry does
        self.assertEqual(self.post().status_code, 303)


class NotificationTests(ResponseTestCase):
    def test_editors_get_one_email_per_new_response_after_commit(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.post()
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["USeditor@chinausfocus.com"])
        self.assertIn("Li Wei", message.subject)
        self.assertIn("Middle powers should hedge, not choose.", message.body)
        stored = QuestionResponse.objects.get()
        self.assertIn(f"/admin/issues/questionresponse/inspect/{stored.pk}/", message.body)
        self.assertIsNotNone(stored.notified_at)

    @override_settings(FOCUS_RESPONSES_NOTIFY_EMAILS=["a@focus.example", "b@focus.example"])
    def test_configured_recipients(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.post()
        self.assertEqual(mail.outbox[0].to, ["a@focus.example", "b@focus.example"])

    def test_replay_sends_no_second_email(self):
        data = answer()
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(self.question.url, data)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(self.question.url, data)
        self.assertEqual(len(mail.outbox), 1)

    def test_mail_server_down_does_not_break_the_submission(self):
        with (
            mock.patch(
                "issues.responses.notify.send_mail", side_effect=ConnectionRefusedError("down")
            ),
            self.assertLogs("issues.responses.notify", "ERROR") as logs,
            self.captureOnCommitCallbacks(execute=True),
        ):
            response = self.post()
        self.assertEqual(response.status_code, 303)
        stored = QuestionResponse.objects.get()
        self.assertIsNone(stored.notified_at)
        self.assertIn("Could not email editors", logs.output[0])

    @override_settings(FOCUS_RESPONSES_NOTIFY="digest")
    def test_digest_mode_sends_nothing_per_response(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.post()
        self.assertEqual(len(mail.outbox), 0)


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
NOTIFY_TASK = "issues.responses.notify.notify_editors"


class NotificationTaskTests(ResponseTestCase):
    """The email leaves through the tasks framework, never from a thread of the request."""

    @override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
    def test_answering_enqueues_one_task_that_sends_the_email(self):
        from django_tasks import default_task_backend

        from issues.responses.notify import notify_editors

        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(self.post().status_code, 303)
        stored = QuestionResponse.objects.get()
        # Wagtail queues its own (the reference index); the answer adds exactly one.
        queued = [r for r in default_task_backend.results if r.task.func == notify_editors.func]
        self.assertEqual(len(queued), 1)
        self.assertEqual(queued[0].args, [stored.pk])
        self.assertEqual(len(mail.outbox), 0)  # queued, not yet sent
        self.assertIs(queued[0].task.call(*queued[0].args, **queued[0].kwargs), True)
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("Li Wei", mail.outbox[0].subject)
        self.assertIsNotNone(QuestionResponse.objects.get().notified_at)

    @override_settings(TASKS=DATABASE_TASKS)
    def test_the_database_worker_sends_it(self):
        from django_tasks_db.models import DBTaskResult

        with self.captureOnCommitCallbacks(execute=True):
            self.post()
        queued = DBTaskResult.objects.filter(task_path=NOTIFY_TASK)
        self.assertEqual(queued.count(), 1)
        self.assertEqual(len(mail.outbox), 0)
        # As in the newsletter's worker test: in this process the worker shares
        # the test's connection rather than ending its transaction.
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            call_command(
                "db_worker", "--batch", "--interval", "0", stdout=StringIO(), stderr=StringIO()
            )
        self.assertEqual(len(mail.outbox), 1)
        self.assertIsNotNone(QuestionResponse.objects.get().notified_at)
        self.assertEqual(queued.get().status, "SUCCESSFUL")

    @override_settings(TASKS=DATABASE_TASKS)
    def test_a_failed_send_in_the_worker_is_logged_and_left_for_the_digest(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.post()
        with (
            mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"),
            mock.patch(
                "issues.responses.notify.send_mail", side_effect=ConnectionRefusedError("down")
            ),
            self.assertLogs("issues.responses.notify", "ERROR") as logs,
        ):
            call_command(
                "db_worker", "--batch", "--interval", "0", stdout=StringIO(), stderr=StringIO()
            )
        self.assertIn("Could not email editors", logs.output[0])
        self.assertIsNone(QuestionResponse.objects.get().notified_at)

    def test_a_task_queue_that_fails_does_not_fail_the_answer(self):
        with (
            # A task is a frozen dataclass: the queue is stood in for as a whole.
            mock.patch("issues.responses.notify.notify_editors") as task,
            self.assertLogs("issues.responses.notify", "ERROR") as logs,
            self.captureOnCommitCallbacks(execute=True),
        ):
            task.enqueue.side_effect = ConnectionError("queue down")
            response = self.post()
        self.assertEqual(response.status_code, 303)
        self.assertEqual(QuestionResponse.objects.count(), 1)
        self.assertIn("Could not queue", logs.output[0])


class DigestCommandTests(ResponseTestCase):
    @override_settings(FOCUS_RESPONSES_NOTIFY="digest")
    def test_digest_mails_unnotified_responses_once(self):
        from django.core.management import call_command

        for name in ("Ana", "Ben"):
            self.post(name=name)
        call_command("send_response_digest", stdout=mock.MagicMock())
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].subject, "2 new answers to the Question of the Week")
        self.assertIn("Ana", mail.outbox[0].body)
        self.assertIn("Ben", mail.outbox[0].body)
        call_command("send_response_digest", stdout=mock.MagicMock())
        self.assertEqual(len(mail.outbox), 1)
        self.assertFalse(QuestionResponse.objects.filter(notified_at=None).exists())

    def test_digest_with_mail_server_down_keeps_responses_for_the_next_run(self):
        from django.core.management import CommandError, call_command

        self.post()
        with (
            mock.patch(
                "issues.responses.notify.send_mail", side_effect=ConnectionRefusedError("down")
            ),
            self.assertRaises(CommandError),
        ):
            call_command("send_response_digest", stdout=mock.MagicMock())
        self.assertTrue(QuestionResponse.objects.filter(notified_at=None).exists())


class FeaturedOnQuestionPageTests(ResponseTestCase):
    def test_only_featured_answers_are_published(self):
        for status in ResponseStatus.values:
            self.post(name=f"Reader {status}", response=f"Answer {status}")
            QuestionResponse.objects.filter(name=f"Reader {status}").update(status=status)
        page = self.client.get(self.question.url)
        self.assertContains(page, "Readers' answers")
        self.assertContains(page, "Answer featured")
        self.assertContains(page, "— Reader featured, Shanghai")
        for status in ("pending", "approved", "rejected"):
            self.assertNotContains(page, f"Answer {status}")
        self.assertNotContains(page, "li.wei@example.org")


class DateSanityTests(TestCase):
    def test_question_pages_without_closing_date_are_open(self):
        tree = build_site()
        question = make_question(tree.questions, date=date(2020, 1, 1))
        self.assertTrue(question.is_open)
