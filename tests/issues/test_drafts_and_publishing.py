"""Drafts save half-written; publishing, submitting and scheduled go-live refuse."""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import StringIO

from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry
from wagtail.test.utils.form_data import rich_text, streamfield

from home.blocks.base import going_live_at
from home.publishing import publishing_problems
from home.scheduling import REFUSED_ACTION
from issues.blocks import IssueStreamBlock
from issues.models import IssuePage
from issues.newsletter.render import render_issue
from tests.factories import build_site, list_items, make_article, make_issue, stream
from tests.issues.editorial_helpers import issue_form, make_staff

HALF_CHART = (
    "chart_callout",
    {"headline": "Debt", "data": streamfield([("item", {"label": "2024", "value": "120"})])},
)


def half_written(**overrides) -> dict:
    """Only a title and half a chart: no letter, one data point, no source."""
    fields = {
        "title": "Half written",
        "issue_date": "2026-03-06",
        "letter": rich_text(""),
        "body": streamfield([HALF_CHART]),
    }
    return issue_form(**{**fields, **overrides})


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def schedule(page, when) -> None:
    """Publish ``page`` with a future go-live, as the editor's schedule does."""
    page.go_live_at = when
    page.save_revision().publish()
    page.refresh_from_db()


class PartialDraftTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.staff = make_staff()
        cls.issue = make_issue(cls.tree.issues, day=date(2026, 3, 6))

    def setUp(self):
        self.client.force_login(self.staff["editor"])

    def latest(self) -> IssuePage:
        return IssuePage.objects.get(pk=self.issue.pk).get_latest_revision_as_object()

    def test_save_draft_keeps_half_a_chart_and_warns(self):
        response = self.client.post(edit_url(self.issue), half_written())
        self.assertRedirects(response, edit_url(self.issue), fetch_redirect_response=False)
        draft = self.latest()
        self.assertEqual(draft.title, "Half written")
        chart = draft.body[0].value
        self.assertEqual(chart.points, [("2024", 120)])
        warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
        self.assertEqual(len(warnings), 1)
        self.assertIn("cannot be published or submitted for approval", warnings[0])
        self.assertIn("Add at least two data points", warnings[0])
        self.assertIn("Write the editor&#x27;s letter", warnings[0])
        # The live issue is untouched.
        self.assertEqual(IssuePage.objects.get(pk=self.issue.pk).title, self.issue.title)

    def test_the_editor_shows_what_the_saved_draft_lacks(self):
        self.client.post(edit_url(self.issue), half_written())
        page = self.client.get(edit_url(self.issue))
        self.assertContains(page, "data-publishing-checks")
        self.assertContains(page, "Body, block 1 (Chart callout) › Data: Add at least two data")
        self.assertContains(page, "Body, block 1 (Chart callout) › Source note: This field is")

    def test_a_complete_issue_shows_no_checks(self):
        page = self.client.get(edit_url(self.issue))
        self.assertNotContains(page, "data-publishing-checks")

    def test_autosave_saves_the_partial_draft(self):
        response = self.client.post(
            edit_url(self.issue), half_written(), headers={"accept": "application/json"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(json.loads(response.content)["success"])
        self.assertEqual(self.latest().title, "Half written")
        # Autosave shows its own indicator; no message waits for the next page.
        self.assertEqual(list(get_messages(response.wsgi_request)), [])

    def test_publish_is_refused_with_what_is_missing(self):
        before = IssuePage.objects.get(pk=self.issue.pk).latest_revision_id
        response = self.client.post(
            edit_url(self.issue), half_written(**{"action-publish": "action-publish"})
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Add at least two data points, or choose an uploaded chart")
        self.assertContains(response, "Write the editor&#x27;s letter: an issue cannot go out")
        # The message at the top lists every block problem too.
        self.assertContains(
            response, "<li>Body, block 1 (Chart callout) › Data: Add at least two data points"
        )
        self.assertContains(response, "<li>Body, block 1 (Chart callout) › Source note: This")
        self.assertEqual(IssuePage.objects.get(pk=self.issue.pk).latest_revision_id, before)

    def test_submitting_for_approval_is_refused_too(self):
        self.client.force_login(self.staff["contributor"])
        article = make_article(self.tree.insights, title="Draft by contributor")
        article.unpublish()
        self.client.force_login(self.staff["editor"])
        response = self.client.post(
            edit_url(self.issue), half_written(**{"action-submit": "action-submit"})
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Add at least two data points")
        self.assertIsNone(IssuePage.objects.get(pk=self.issue.pk).current_workflow_state)

    def test_the_listings_bulk_publish_is_refused_too(self):
        self.client.post(edit_url(self.issue), half_written())
        url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
        response = self.client.post(
            f"{url}?id={self.issue.pk}&next=/admin/pages/{self.tree.issues.pk}/", follow=True
        )
        self.assertContains(response, "Nothing was published")
        self.assertContains(response, "Add at least two data points")
        self.assertEqual(IssuePage.objects.get(pk=self.issue.pk).title, self.issue.title)

    def test_new_issue_with_only_a_title_saves_as_draft(self):
        response = self.client.post(
            reverse("wagtailadmin_pages:add", args=["issues", "issuepage", self.tree.issues.pk]),
            half_written(issue_date="2026-03-13", title="Only a title"),
        )
        created = IssuePage.objects.get(issue_date=date(2026, 3, 13))
        self.assertRedirects(response, edit_url(created), fetch_redirect_response=False)
        self.assertFalse(created.live)


class ScheduledLinkTests(TestCase):
    """A draft may link an article due later; publishing refuses only what will not be live."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.staff = make_staff()
        cls.issue = make_issue(cls.tree.issues, day=date(2026, 3, 6))
        cls.article = make_article(cls.tree.insights, title="Thursday's article")
        cls.article.unpublish()

    def setUp(self):
        self.client.force_login(self.staff["editor"])

    def links_form(self, **overrides) -> dict:
        links = streamfield([("item", {"page": self.article.pk, "url": "", "label": ""})])
        return issue_form(
            issue_date="2026-03-06",
            body=streamfield([("related_links", {"heading": "Read more", "links": links})]),
            **overrides,
        )

    def test_a_draft_may_link_an_unpublished_article(self):
        response = self.client.post(edit_url(self.issue), self.links_form())
        self.assertEqual(response.status_code, 302)
        warnings = " ".join(str(m) for m in get_messages(response.wsgi_request))
        self.assertIn("“Thursday&#x27;s article” is not published yet", warnings)

    def test_publishing_now_refuses_an_article_that_is_only_a_draft(self):
        response = self.client.post(
            edit_url(self.issue), self.links_form(**{"action-publish": "action-publish"})
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "is not published yet")

    def test_an_article_scheduled_before_the_issue_goes_live_is_fine(self):
        thursday = timezone.now() + timedelta(days=1)
        schedule(self.article, thursday)
        friday = (thursday + timedelta(days=1)).astimezone(timezone.get_current_timezone())
        response = self.client.post(
            edit_url(self.issue),
            self.links_form(
                **{"action-publish": "action-publish"}, go_live_at=f"{friday:%Y-%m-%d %H:%M}"
            ),
        )
        self.assertEqual(response.status_code, 302, response.content[:0])
        issue = IssuePage.objects.get(pk=self.issue.pk)
        self.assertIsNotNone(issue.scheduled_revision)

    def test_an_article_scheduled_after_the_issue_is_refused(self):
        schedule(self.article, timezone.now() + timedelta(days=3))
        friday = timezone.localtime(timezone.now() + timedelta(days=1))
        response = self.client.post(
            edit_url(self.issue),
            self.links_form(
                **{"action-publish": "action-publish"}, go_live_at=f"{friday:%Y-%m-%d %H:%M}"
            ),
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "goes live on")
        self.assertContains(response, "after this page")

    def test_publishing_now_refuses_an_article_scheduled_for_later(self):
        schedule(self.article, timezone.now() + timedelta(days=1))
        response = self.client.post(
            edit_url(self.issue), self.links_form(**{"action-publish": "action-publish"})
        )
        # Block errors reach the page as JSON for the stream's widgets.
        self.assertContains(response, "Thursday&#x27;s article\\u201d goes live on")

    def test_the_rule_is_the_blocks_own(self):
        schedule(self.article, timezone.now() + timedelta(hours=5))
        block = IssueStreamBlock().child_blocks["related_links"]
        value = block.to_python(
            {"heading": "More", "links": list_items([{"page": self.article.pk}])}
        )
        with going_live_at(timezone.now() + timedelta(hours=6)):
            block.clean(value)  # live by then: accepted
        with (
            self.assertRaises(ValidationError) as refused,
            going_live_at(timezone.now() + timedelta(hours=4)),
        ):
            block.clean(value)
        self.assertIn("goes live on", json.dumps(refused.exception.as_json_data()))

    def test_public_renderings_never_link_a_page_that_is_not_live(self):
        schedule(self.article, timezone.now() + timedelta(days=1))
        body = stream(
            (
                "related_links",
                {
                    "heading": "Read more",
                    "links": list_items(
                        [{"page": self.article.pk}, {"url": "https://example.org/", "label": "Out"}]
                    ),
                },
            ),
            (
                "chart_callout",
                {
                    "headline": "Debt",
                    "data": list_items(
                        [{"label": "a", "value": "1"}, {"label": "b", "value": "2"}]
                    ),
                    "source_note": "FRED",
                    "article": self.article.pk,
                },
            ),
            ("pull_quote", {"quote": "Words.", "source_page": self.article.pk}),
        )
        live = make_issue(self.tree.issues, day=date(2026, 3, 13), body=body)
        path = f"/insights/{self.article.slug}/"
        web = self.client.get(live.url).content.decode()
        rendered = render_issue(live)
        feed = "".join(str(b.block.render_as(b.value, "feed")) for b in live.body)
        for name, text in (
            ("web", web),
            ("email", rendered.html),
            ("text", rendered.text),
            ("feed", feed),
        ):
            with self.subTest(rendering=name):
                self.assertNotIn(path, text)
                self.assertIn("https://example.org/", text)


class ScheduledGoLiveTests(TestCase):
    """publish_scheduled checks a due page again; one that now fails is held back."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.staff = make_staff()
        cls.article = make_article(cls.tree.insights, title="Linked article")

    def scheduled_issue(self, article_pk: int) -> IssuePage:
        issue = make_issue(self.tree.issues, day=date(2026, 3, 20), owner=self.staff["editor"])
        issue.unpublish()
        issue.body = stream(
            ("related_links", {"heading": "Read", "links": list_items([{"page": article_pk}])})
        )
        revision = issue.save_revision(user=self.staff["chief"])
        # Scheduled an hour ago (when everything passed); due now.
        revision.approved_go_live_at = timezone.now() - timedelta(minutes=1)
        revision.save(update_fields=["approved_go_live_at"])
        return issue

    def test_a_page_that_still_passes_goes_live(self):
        issue = self.scheduled_issue(self.article.pk)
        call_command("publish_scheduled", stdout=StringIO())
        self.assertTrue(IssuePage.objects.get(pk=issue.pk).live)

    def test_a_page_that_now_fails_is_held_back_logged_and_its_editors_told(self):
        issue = self.scheduled_issue(self.article.pk)
        self.article.unpublish()  # the linked article was withdrawn meanwhile
        out = StringIO()
        call_command("publish_scheduled", stdout=out)
        issue = IssuePage.objects.get(pk=issue.pk)
        self.assertFalse(issue.live)
        self.assertIsNone(issue.scheduled_revision)
        self.assertIn("Not publishing", out.getvalue())
        entry = PageLogEntry.objects.get(page=issue, action=REFUSED_ACTION)
        self.assertIn("“Linked article” is not published yet", entry.data["problems"][0])
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(sorted(mail.outbox[0].to), ["chief@focus.example", "editor@focus.example"])
        self.assertIn("Linked article", mail.outbox[0].body)
        # Run again: nothing more to refuse, nobody mailed twice.
        call_command("publish_scheduled", stdout=StringIO())
        self.assertEqual(len(mail.outbox), 1)

    def test_a_dry_run_only_reports(self):
        issue = self.scheduled_issue(self.article.pk)
        self.article.unpublish()
        out = StringIO()
        call_command("publish_scheduled", "--dryrun", stdout=out)
        self.assertIn("dry run: left scheduled", out.getvalue())
        self.assertIsNotNone(IssuePage.objects.get(pk=issue.pk).scheduled_revision)
        self.assertEqual(mail.outbox, [])

    def test_problems_of_a_complete_issue_are_none(self):
        issue = make_issue(self.tree.issues, day=date(2026, 3, 27))
        self.assertEqual(publishing_problems(issue), [])
