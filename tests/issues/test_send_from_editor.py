"""Sending from where editors work: the issue editor, the message after publishing, the listing."""

from __future__ import annotations

from datetime import date

from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from issues.models import Delivery, IssuePage, Subscriber
from issues.newsletter.sending import queue_issue
from tests.factories import build_site, make_issue
from tests.issues.editorial_helpers import issue_form, make_staff


def subscribers(confirmed: int, pending: int = 0) -> list[Subscriber]:
    made = [
        Subscriber.objects.create(email=f"reader{n}@example.org", status="confirmed")
        for n in range(confirmed)
    ]
    for n in range(pending):
        Subscriber.objects.create(email=f"waiting{n}@example.org")
    return made


class EditorActionsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.staff = make_staff()
        cls.issue = make_issue(cls.tree.issues, day=date(2026, 3, 6))
        subscribers(confirmed=2, pending=1)

    def edit(self, user, issue=None):
        self.client.force_login(user)
        return self.client.get(reverse("wagtailadmin_pages:edit", args=[(issue or self.issue).pk]))

    def test_an_editor_sees_both_actions_with_the_subscriber_count(self):
        response = self.edit(self.staff["editor"])
        newsletter = reverse("newsletter_issue", args=[self.issue.pk])
        self.assertContains(response, f'href="{newsletter}#test-send"')
        self.assertContains(response, "Send a test")
        self.assertContains(response, f'href="{newsletter}#send"')
        self.assertContains(response, "Send to 2 subscribers")

    def test_a_draft_offers_only_the_test(self):
        self.issue.unpublish()
        response = self.edit(self.staff["editor"])
        self.assertContains(response, "Send a test")
        self.assertNotContains(response, "Send to 2 subscribers")

    def test_the_action_follows_the_send(self):
        queue_issue(self.issue)
        first = Delivery.objects.filter(issue=self.issue).order_by("pk").first()
        Delivery.objects.filter(pk=first.pk).update(status=Delivery.Status.SENT)
        self.assertContains(self.edit(self.staff["editor"]), "Sending 1 of 2")
        Delivery.objects.filter(issue=self.issue).update(status=Delivery.Status.SENT)
        self.assertContains(self.edit(self.staff["editor"]), "Sent to 2")

    def test_other_page_types_have_no_send_actions(self):
        self.client.force_login(self.staff["editor"])
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.tree.insights.pk]))
        self.assertNotContains(response, "Send a test")

    def test_publishing_offers_sending_next(self):
        self.client.force_login(self.staff["editor"])
        response = self.client.post(
            reverse("wagtailadmin_pages:edit", args=[self.issue.pk]),
            issue_form(issue_date="2026-03-06", **{"action-publish": "action-publish"}),
        )
        self.assertEqual(response.status_code, 302)
        offers = [m for m in get_messages(response.wsgi_request) if "send it" in str(m)]
        self.assertEqual(len(offers), 1)
        self.assertIn("is live: send it to subscribers.", str(offers[0]))
        newsletter = reverse("newsletter_issue", args=[self.issue.pk])
        self.assertIn(f'href="{newsletter}#test-send"', str(offers[0]))
        self.assertIn(f'href="{newsletter}#send"', str(offers[0]))
        self.assertIn("Send to 2 subscribers", str(offers[0]))

    def test_a_test_send_mails_the_latest_saved_version(self):
        self.client.force_login(self.staff["editor"])
        self.client.post(
            reverse("wagtailadmin_pages:edit", args=[self.issue.pk]),
            issue_form(issue_date="2026-03-06", title="Retitled in the draft"),
        )
        response = self.client.post(
            reverse("newsletter_issue", args=[self.issue.pk]),
            {"action": "test", "address": "me@focus.example"},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("Retitled in the draft", mail.outbox[0].alternatives[0][0])


def from_translation_buttons(sql: str) -> bool:
    return "wagtail_localize_translatableobject" in sql or (
        'FROM "wagtailcore_locale" WHERE NOT' in sql
    )


class IssueListingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.staff = make_staff()
        subscribers(confirmed=3)

    def listing(self):
        self.client.force_login(self.staff["editor"])
        return self.client.get(reverse("wagtailadmin_explore", args=[self.tree.issues.pk]))

    def test_each_issue_shows_its_date_and_send_status(self):
        unsent = make_issue(self.tree.issues, day=date(2026, 2, 27))
        sending = make_issue(self.tree.issues, day=date(2026, 3, 6))
        sent = make_issue(self.tree.issues, day=date(2026, 3, 13))
        for issue in (sending, sent):
            queue_issue(issue)
        Delivery.objects.filter(issue=sent).update(status=Delivery.Status.SENT)
        first = Delivery.objects.filter(issue=sending).order_by("pk").first()
        Delivery.objects.filter(pk=first.pk).update(status=Delivery.Status.SENT)
        response = self.listing()
        self.assertContains(response, "13 Mar 2026")
        self.assertContains(response, "27 Feb 2026")
        html = response.content.decode()
        self.assertIn('data-send-status="sent"', html)
        self.assertIn("Sent to 3", html)
        self.assertIn("Sending 1 of 3", html)
        self.assertIn("Not sent", html)
        # Newest first.
        self.assertLess(html.index(sent.title), html.index(sending.title))
        self.assertLess(html.index(sending.title), html.index(unsent.title))

    def test_the_query_count_does_not_grow_with_issues(self):
        for day in (6, 13):
            queue_issue(make_issue(self.tree.issues, day=date(2026, 3, day)))
        self.listing()  # warm caches that are filled once
        with CaptureQueriesContext(connection) as few:
            self.listing()
        for day in (20, 27):
            queue_issue(make_issue(self.tree.issues, day=date(2026, 3, day)))
        for day in (3, 10):
            make_issue(self.tree.issues, day=date(2026, 4, day))
        with CaptureQueriesContext(connection) as more:
            self.listing()
        # wagtail-localize's "Translate" row button checks each page on its own
        # (two queries a row, upstream); everything else must not grow.
        ours_more, ours_few = (
            [q["sql"] for q in captured if not from_translation_buttons(q["sql"])]
            for captured in (more, few)
        )
        self.assertEqual(len(ours_more), len(ours_few), [sql[:120] for sql in ours_more])
        self.assertLessEqual(len(more) - len(few), 2 * 4)
        self.assertEqual(IssuePage.objects.count(), 6)
