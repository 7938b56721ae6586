"""A contributor submits an article; each approver is told once; an editor approves
from the dashboard, where the work awaiting review comes first, and is told it is done."""

from __future__ import annotations

from collections import Counter
from html import unescape

from django.contrib.messages import get_messages
from django.core import mail
from django.test import TestCase
from django.urls import resolve, reverse
from wagtail.admin.signal_handlers import register_signal_handlers
from wagtail.models import TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from insights.models import InsightArticlePage
from issues.workflow_admin import workflow_action_with_confirmation
from tests.factories import build_site, make_author
from tests.issues.editorial_helpers import make_staff, make_user


class ApprovalWorkflowTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.staff = make_staff()
        # An administrator outside the Editors group: Wagtail mails superusers too.
        cls.admin = make_user("admin", superuser=True)
        cls.author = make_author()

    def submit_article(self) -> InsightArticlePage:
        self.client.force_login(self.staff["contributor"])
        add_url = reverse(
            "wagtailadmin_pages:add", args=["insights", "insightarticlepage", self.tree.insights.pk]
        )
        data = nested_form_data(
            {
                "title": "A contributor's article",
                "slug": "a-contributors-article",
                "standfirst": "The argument in brief.",
                "article_authors": inline_formset([{"author": self.author.pk, "affiliation": ""}]),
                "date": "2026-02-10",
                "kind": "analysis",
                "tags": "",
                "lead_image_caption": "",
                "lead_image_credit": "",
                "body": streamfield([("paragraph", rich_text("<p>Text.</p>"))]),
                "related_articles": inline_formset([]),
                "go_live_at": "",
                "expire_at": "",
                "action-submit": "submit",
            }
        )
        self.assertEqual(self.client.post(add_url, data).status_code, 302)
        return InsightArticlePage.objects.get(slug="a-contributors-article")

    def post(self, url: str, data: dict) -> tuple:
        """POST as the logged-in user; the response and the messages it added."""
        # Messages left from earlier steps (not followed redirects) are dropped first.
        self.client.cookies.pop("messages", None)
        response = self.client.post(url, data)
        # Wagtail's own messages come HTML-escaped.
        return response, [unescape(str(m)).strip() for m in get_messages(response.wsgi_request)]

    def task_state(self, article) -> TaskState:
        return WorkflowState.objects.for_instance(article).get().current_task_state

    def action_url(self, article, action: str) -> str:
        return reverse(
            "wagtailadmin_pages:workflow_action",
            args=[article.pk, action, self.task_state(article).pk],
        )

    def test_one_submission_sends_each_approver_one_email(self):
        mail.outbox.clear()
        self.submit_article()
        recipients = Counter(address for message in mail.outbox for address in message.to)
        self.assertEqual(
            recipients,
            {
                "editor@focus.example": 1,
                "chief@focus.example": 1,
                "admin@focus.example": 1,
            },
        )
        self.assertIn("submitted for approval", mail.outbox[0].subject)

    def test_wagtails_workflow_email_stays_off_whichever_app_is_ready_first(self):
        # Wagtail's admin connecting its notifiers (again) after ours changes nothing.
        register_signal_handlers()
        mail.outbox.clear()
        self.submit_article()
        self.assertEqual(len(mail.outbox), 3)
        self.assertFalse(any("submitted to workflow" in m.subject for m in mail.outbox))

    def test_awaiting_review_heads_the_reviewers_dashboard(self):
        article = self.submit_article()
        self.client.force_login(self.staff["chief"])
        html = unescape(self.client.get(reverse("wagtailadmin_home")).content.decode())
        self.assertIn("Awaiting your review", html)
        self.assertIn(article.title, html)
        self.assertLess(html.index("Awaiting your review"), html.index("The issue in progress"))
        # A contributor reviews nothing: no such panel.
        self.client.force_login(self.staff["contributor"])
        self.assertNotContains(
            self.client.get(reverse("wagtailadmin_home")), "Awaiting your review"
        )

    def test_the_dashboards_approve_goes_through_the_confirming_view(self):
        article = self.submit_article()
        match = resolve(self.action_url(article, "approve"))
        self.assertIs(match.func, workflow_action_with_confirmation)

    def test_approving_from_the_dashboard_publishes_and_confirms(self):
        article = self.submit_article()
        self.client.force_login(self.staff["chief"])
        url = self.action_url(article, "approve")
        dashboard = reverse("wagtailadmin_home")
        response, said = self.post(url, {"next": dashboard})
        self.assertRedirects(response, dashboard, fetch_redirect_response=False)
        article.refresh_from_db()
        self.assertTrue(article.live)
        self.assertEqual(said, ["“A contributor's article” approved and published."])
        # The contributor hears it was approved, once.
        self.assertEqual(
            [m.to for m in mail.outbox if "approved" in m.subject], [["contributor@focus.example"]]
        )
        # Sending it again changes nothing and confirms nothing.
        _, said = self.post(url, {"next": dashboard})
        self.assertEqual(
            said, ["The page 'A contributor's article' is not currently awaiting moderation."]
        )

    def test_requesting_changes_confirms_and_keeps_the_draft(self):
        article = self.submit_article()
        self.client.force_login(self.staff["editor"])
        response, said = self.post(
            self.action_url(article, "reject"),
            {"comment": "Cite the readout.", "next": reverse("wagtailadmin_home")},
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(InsightArticlePage.objects.get(pk=article.pk).live)
        self.assertEqual(
            said, ["Changes requested on “A contributor's article”. contributor has been told."]
        )

    def test_the_comment_form_and_a_contributor_get_no_confirmation(self):
        article = self.submit_article()
        url = self.action_url(article, "approve")
        self.client.force_login(self.staff["chief"])
        self.assertEqual(self.client.get(url).status_code, 200)
        self.client.force_login(self.staff["contributor"])
        response, said = self.post(url, {"next": reverse("wagtailadmin_home")})
        self.assertNotEqual(response.status_code, 200)
        self.assertFalse(InsightArticlePage.objects.get(pk=article.pk).live)
        self.assertNotIn("approved", " ".join(said))
