"""Signing up, confirming (double opt-in) and leaving in one click, with bad input handled."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

from django.core import mail
from django.core.signing import TimestampSigner
from django.test import Client, TestCase, override_settings
from django.utils import timezone

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

    def test_malformed_email_gets_a_clear_message(self):
        for bad in ("", "not-an-email", "a@b", "x" * 250 + "@example.org"):
            with self.subTest(email=bad):
                response = self.client.post("/newsletter/", {"email": bad})
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, 'role="alert"', status_code=400)
        self.assertFalse(Subscriber.objects.exists())
        self.assertEqual(len(mail.outbox), 0)

    def test_duplicate_confirmed_address_is_told_so(self):
        Subscriber.objects.create(email="reader@example.org", status=Subscriber.Status.CONFIRMED)
        response = self.client.post("/newsletter/", {"email": "READER@example.org"})
        self.assertContains(response, "already subscribed", status_code=400)
        self.assertEqual(Subscriber.objects.count(), 1)
        self.assertEqual(len(mail.outbox), 0)

    def test_pending_address_signing_up_again_gets_a_fresh_link_but_is_not_flooded(self):
        self.client.post("/newsletter/", {"email": "reader@example.org"})
        response = self.client.post("/newsletter/", {"email": "reader@example.org"})
        self.assertContains(response, "a few minutes ago")
        self.assertEqual(Subscriber.objects.count(), 1)
        self.assertEqual(len(mail.outbox), 1)
        Subscriber.objects.update(confirmation_sent_at=timezone.now() - timedelta(minutes=11))
        response = self.client.post("/newsletter/", {"email": "reader@example.org"})
        self.assertContains(response, "We have sent a confirmation link")
        self.assertEqual(len(mail.outbox), 2)
        # Both links work: the first click confirms, the second finds it done.
        self.assertContains(
            self.client.get(link_in(mail.outbox[0], "confirm")), "You are subscribed"
        )
        self.assertContains(
            self.client.get(link_in(mail.outbox[1], "confirm")), "You are subscribed"
        )

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
        response = self.client.get(link_in(mail.outbox[0], "confirm"))
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
        self.client.get(link_in(mail.outbox[0], "confirm"))
        subscriber.refresh_from_db()
        self.assertEqual(subscriber.status, Subscriber.Status.CONFIRMED)

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
                self.assertEqual(self.client.post(url).status_code, 400 if "unsub" in url else 405)
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
