"""Signing up, confirming (double opt-in) and leaving in one click, with bad input handled."""

from __future__ import annotations

import re
from unittest import mock

from django.core import mail
from django.core.signing import TimestampSigner
from django.test import Client, TestCase, override_settings

from issues.models import Subscriber
from issues.newsletter.tokens import CONFIRM_SALT, confirm_token, unsubscribe_token
from tests.factories import build_site, make_issue, stream


def link_in(message, kind: str) -> str:
    match = re.search(rf"http://testserver(/newsletter/{kind}/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


class SignupTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()

    def test_signup_form_is_on_every_page_and_its_own_page(self):
        self.assertContains(self.client.get("/"), 'action="/newsletter/"')
        response = self.client.get("/newsletter/")
        self.assertContains(response, 'name="email"')

    def test_signup_block_renders_a_form_on_the_page(self):
        issue = make_issue(
            self.tree.issues,
            body=stream(
                ("newsletter_signup", {"heading": "Join us", "button_label": "Sign me up"})
            ),
        )
        response = self.client.get(issue.url)
        self.assertContains(response, 'class="newsletter-signup"')
        self.assertContains(response, "Sign me up</button>")
        self.assertContains(response, 'name="source" value="block"')
        self.client.post("/newsletter/", {"email": "blockreader@example.org", "source": "block"})
        self.assertEqual(Subscriber.objects.get().source, "block")

    def test_signup_stores_a_pending_subscriber_and_sends_a_confirmation(self):
        response = self.client.post(
            "/newsletter/", {"email": " Reader@Example.ORG ", "source": "footer"}
        )
        self.assertContains(response, "Check your inbox")
        subscriber = Subscriber.objects.get()
        self.assertEqual(subscriber.email, "reader@example.org")
        self.assertEqual(subscriber.status, Subscriber.Status.PENDING)
        self.assertEqual(subscriber.source, "footer")
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["reader@example.org"])
        self.assertIn("/newsletter/confirm/", mail.outbox[0].body)

    def test_a_mail_relay_that_fails_gets_a_clear_503_and_keeps_the_signup(self):
        Subscriber.objects.create(email="confirmed@example.org", status="confirmed")
        for email in ("new@example.org", "confirmed@example.org"):
            with (
                self.subTest(email=email),
                mock.patch(
                    "django.core.mail.backends.locmem.EmailBackend.send_messages",
                    side_effect=ConnectionRefusedError("relay down"),
                ),
                self.assertLogs("issues.newsletter.views", "ERROR"),
            ):
                response = self.client.post("/newsletter/", {"email": email})
                self.assertContains(response, "could not send the email", status_code=503)
                self.assertEqual(response["Retry-After"], "300")
        self.assertEqual(
            Subscriber.objects.get(email="new@example.org").status, Subscriber.Status.PENDING
        )

    def test_malformed_email_gets_a_clear_message(self):
        for bad in ("", "not-an-email", "a@b", "x" * 250 + "@example.org"):
            with self.subTest(email=bad):
                response = self.client.post("/newsletter/", {"email": bad})
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, 'role="alert"', status_code=400)
        self.assertFalse(Subscriber.objects.exists())
        self.assertEqual(len(mail.outbox), 0)

    def test_known_and_unknown_addresses_get_the_same_answer(self):
        Subscriber.objects.create(email="confirmed@example.org", status="confirmed")
        Subscriber.objects.create(email="pending@example.org", status="pending")
        Subscriber.objects.create(email="left@example.org", status="unsubscribed")
        answers = {}
        for who in ("confirmed", "pending", "left", "new"):
            response = self.client.post("/newsletter/", {"email": f"{who}@example.org"})
            answers[who] = (
                response.status_code,
                response.content.decode().replace(f"{who}@example.org", "ADDRESS"),
            )
        self.assertEqual(answers["new"][0], 200)
        self.assertEqual(len(set(answers.values())), 1, "the page tells who is on the list")
        self.assertEqual(Subscriber.objects.count(), 4)
        # Each inbox got one email; only the confirmed one's says it is already subscribed.
        by_inbox = {message.to[0]: message for message in mail.outbox}
        self.assertEqual(len(mail.outbox), 4)
        notice = by_inbox["confirmed@example.org"]
        self.assertIn("already subscribed", notice.subject)
        self.assertIn("/newsletter/unsubscribe/", notice.body)
        self.assertNotIn("/newsletter/confirm/", notice.body)
        for who in ("pending", "left", "new"):
            self.assertIn("/newsletter/confirm/", by_inbox[f"{who}@example.org"].body)
        self.assertEqual(Subscriber.objects.get(email="confirmed@example.org").status, "confirmed")

    @override_settings(FOCUS_SIGNUP_EMAIL_RATE_LIMIT=2, FOCUS_SIGNUP_RATE_WINDOW=3600)
    def test_one_inbox_gets_a_few_emails_then_the_same_answer_and_no_more(self):
        answers = []
        for n in range(4):
            # From a different address each time: the per-email limit still holds.
            response = self.client.post(
                "/newsletter/", {"email": "reader@example.org"}, REMOTE_ADDR=f"198.51.100.{n}"
            )
            answers.append((response.status_code, response.content))
        self.assertEqual(len(set(answers)), 1)
        self.assertEqual(answers[0][0], 200)
        self.assertEqual(len(mail.outbox), 2)
        self.assertEqual(Subscriber.objects.count(), 1)
        # Both links work: the first confirms, the second finds it done.
        self.client.post(link_in(mail.outbox[0], "confirm"))
        self.assertContains(
            self.client.get(link_in(mail.outbox[1], "confirm")), "You are subscribed"
        )

    @override_settings(FOCUS_SIGNUP_RATE_LIMIT=3, FOCUS_SIGNUP_RATE_WINDOW=3600)
    def test_signups_are_limited_per_client_address(self):
        for n in range(3):
            response = self.client.post(
                "/newsletter/", {"email": f"reader{n}@example.org"}, REMOTE_ADDR="203.0.113.9"
            )
            self.assertEqual(response.status_code, 200)
        refused = self.client.post(
            "/newsletter/", {"email": "reader9@example.org"}, REMOTE_ADDR="203.0.113.9"
        )
        self.assertContains(refused, "Too many signups", status_code=429)
        self.assertEqual(refused["Retry-After"], "3600")
        self.assertFalse(Subscriber.objects.filter(email="reader9@example.org").exists())
        self.assertEqual(len(mail.outbox), 3)
        other = self.client.post(
            "/newsletter/", {"email": "reader9@example.org"}, REMOTE_ADDR="192.0.2.1"
        )
        self.assertEqual(other.status_code, 200)

    def test_honeypot_stores_nothing(self):
        response = self.client.post("/newsletter/", {"email": "bot@example.org", "website": "x"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Subscriber.objects.exists())
        self.assertEqual(len(mail.outbox), 0)

    def test_signup_without_csrf_token_only_asks_the_owner_to_confirm(self):
        # Every page carries the form and stays cacheable, so signup takes no
        # CSRF token; double opt-in means a forged POST subscribes nobody.
        client = Client(enforce_csrf_checks=True)
        response = client.post("/newsletter/", {"email": "a@example.org"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Subscriber.objects.get(email="a@example.org").status, "pending")
        self.assertEqual(len(mail.outbox), 1)
        self.assertNotIn("csrftoken", response.cookies)

    def test_wrong_method_is_405(self):
        self.assertEqual(self.client.put("/newsletter/").status_code, 405)


class ConfirmAndUnsubscribeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_site()

    def test_full_flow_signup_confirm_unsubscribe_without_logging_in(self):
        self.client.post("/newsletter/", {"email": "reader@example.org"})
        confirm = link_in(mail.outbox[0], "confirm")
        # The link's page asks; the reader's click on its button confirms. The
        # token authorises it, so no cookie or CSRF token is needed.
        response = Client(enforce_csrf_checks=True).post(confirm)
        self.assertContains(response, "You are subscribed")
        subscriber = Subscriber.objects.get()
        self.assertEqual(subscriber.status, Subscriber.Status.CONFIRMED)
        self.assertIsNotNone(subscriber.confirmed_at)

        unsubscribe = f"/newsletter/unsubscribe/{unsubscribe_token(subscriber)}/"
        page = self.client.get(unsubscribe)
        self.assertContains(page, '<form method="post"')
        subscriber.refresh_from_db()
        self.assertEqual(subscriber.status, Subscriber.Status.CONFIRMED)  # a GET only asks

        # RFC 8058: the mail client POSTs with no cookie and no CSRF token.
        one_click = Client(enforce_csrf_checks=True)
        response = one_click.post(
            unsubscribe,
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        self.assertContains(response, "You are unsubscribed")
        subscriber.refresh_from_db()
        self.assertEqual(subscriber.status, Subscriber.Status.UNSUBSCRIBED)
        # Again: still fine, still unsubscribed.
        self.assertEqual(one_click.post(unsubscribe).status_code, 200)

    def test_unsubscribed_reader_can_come_back_through_opt_in(self):
        subscriber = Subscriber.objects.create(
            email="reader@example.org", status=Subscriber.Status.UNSUBSCRIBED
        )
        self.client.post("/newsletter/", {"email": "reader@example.org"})
        subscriber.refresh_from_db()
        self.assertEqual(subscriber.status, Subscriber.Status.PENDING)
        self.client.post(link_in(mail.outbox[0], "confirm"))
        subscriber.refresh_from_db()
        self.assertEqual(subscriber.status, Subscriber.Status.CONFIRMED)

    def test_following_the_confirmation_link_only_asks(self):
        # Mail systems' link scanners open every link in a message.
        self.client.post("/newsletter/", {"email": "reader@example.org"})
        confirm = link_in(mail.outbox[0], "confirm")
        for _ in range(2):
            response = self.client.get(confirm)
            self.assertContains(response, "Confirm your subscription")
            self.assertContains(response, '<form method="post">')
            self.assertContains(response, "reader@example.org")
        self.assertEqual(self.client.head(confirm).status_code, 405)
        self.assertEqual(Subscriber.objects.get().status, Subscriber.Status.PENDING)
        self.assertContains(self.client.post(confirm), "You are subscribed")
        self.assertEqual(Subscriber.objects.get().status, Subscriber.Status.CONFIRMED)
        # Once confirmed, the link says so, on GET and POST alike.
        self.assertContains(self.client.get(confirm), "You are subscribed")
        self.assertContains(self.client.post(confirm), "You are subscribed")

    def test_bad_tokens_get_a_page_that_says_so(self):
        subscriber = Subscriber.objects.create(email="reader@example.org")
        good = confirm_token(subscriber)
        for url in (
            "/newsletter/confirm/garbage/",
            f"/newsletter/confirm/{good}x/",
            f"/newsletter/confirm/{unsubscribe_token(subscriber)}/",  # wrong kind of token
            "/newsletter/unsubscribe/garbage/",
            f"/newsletter/unsubscribe/{good}/",
            "/newsletter/unsubscribe/1:abc/",
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(response, "This link does not work", status_code=400)
                self.assertContains(response, "not valid", status_code=400)
                self.assertEqual(self.client.post(url).status_code, 400)
        subscriber.refresh_from_db()
        self.assertEqual(subscriber.status, Subscriber.Status.PENDING)

    @override_settings(NEWSLETTER_CONFIRM_MAX_AGE=60)
    def test_expired_confirmation_says_it_expired(self):
        subscriber = Subscriber.objects.create(email="reader@example.org")
        with mock.patch("time.time", return_value=1_000_000):
            token = TimestampSigner(salt=CONFIRM_SALT).sign(str(subscriber.pk))
        response = self.client.get(f"/newsletter/confirm/{token}/")
        self.assertContains(response, "has expired", status_code=400)
        self.assertContains(response, "Sign up again", status_code=400)

    def test_token_for_a_deleted_subscriber(self):
        subscriber = Subscriber.objects.create(email="reader@example.org")
        token = unsubscribe_token(subscriber)
        subscriber.delete()
        response = self.client.post(f"/newsletter/unsubscribe/{token}/")
        self.assertContains(response, "no longer on our list", status_code=400)
