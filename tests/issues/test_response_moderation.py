"""Editors moderating reader responses in the admin, and the published result."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache, caches
from django.test import TestCase
from wagtail.models import GroupPagePermission

from issues.models import QuestionResponse, ResponseStatus
from tests.factories import build_site, make_issue, make_question, make_response, stream

INDEX = "/admin/issues/questionresponse/"
BULK = "/admin/issues/questionresponse/bulk/"


def assertDenied(test: TestCase, response) -> None:
    """Wagtail's admin answers a refused view by sending the user back to the dashboard."""
    test.assertEqual(response.status_code, 302)
    test.assertEqual(response["Location"], "/admin/")


def editor(username: str, *codenames: str):
    """An admin user whose group holds only the given response permissions."""
    user = get_user_model().objects.create_user(username, f"{username}@focus.example", "pw")
    group = Group.objects.create(name=f"{username} group")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        group.permissions.add(Permission.objects.get(codename=codename))
    user.groups.add(group)
    return user


class ModerationAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.question = make_question(cls.tree.questions, title="Middle powers")
        cls.other = make_question(cls.tree.questions, title="Arms control", question="Arms?")
        cls.superuser = get_user_model().objects.create_superuser("boss", "b@f.example", "pw")

    def setUp(self):
        self.client.force_login(self.superuser)

    def test_listing_filters_search_and_menu(self):
        make_response(self.question, "Ana Costa")
        make_response(self.question, "Ben Okafor", status=ResponseStatus.FEATURED)
        make_response(self.other, "Chen Jie", response="Arms control is urgent.")
        home = self.client.get("/admin/")
        self.assertContains(home, "Reader responses")
        listing = self.client.get(INDEX)
        self.assertEqual(listing.status_code, 200)
        for name in ("Ana Costa", "Ben Okafor", "Chen Jie"):
            self.assertContains(listing, name)
        self.assertContains(listing, 'form="bulk-moderation"')
        by_status = self.client.get(INDEX, {"status__exact": "featured"})
        self.assertContains(by_status, "Ben Okafor")
        self.assertNotContains(by_status, "Ana Costa")
        self.assertContains(listing, f"?question__page_ptr__exact={self.other.pk}")
        by_question = self.client.get(INDEX, {"question__page_ptr__exact": self.other.pk})
        self.assertContains(by_question, "Chen Jie")
        self.assertNotContains(by_question, "Ana Costa")
        searched = self.client.get(INDEX, {"q": "urgent"})
        self.assertContains(searched, "Chen Jie")
        self.assertNotContains(searched, "Ana Costa")
        QuestionResponse.objects.filter(name="Chen Jie").update(
            submitted_at=datetime(2025, 1, 1, tzinfo=UTC)
        )
        dated = self.client.get(
            INDEX,
            {
                "submitted_at__gte": "2026-01-01 00:00:00+00:00",
                "submitted_at__lt": "2100-01-01 00:00:00+00:00",
            },
        )
        self.assertContains(dated, "Ana Costa")
        self.assertNotContains(dated, "Chen Jie")

    def test_inspect_shows_everything_escaped(self):
        response = make_response(self.question, "Eve", response="<script>x()</script>")
        page = self.client.get(f"{INDEX}inspect/{response.pk}/")
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "eve@example.org")
        self.assertContains(page, "&lt;script&gt;x()&lt;/script&gt;")
        self.assertNotContains(page, "<script>x()</script>")

    def test_no_add_button_responses_come_from_readers(self):
        self.assertNotContains(self.client.get(INDEX), f"{INDEX}create/")
        assertDenied(self, self.client.get(f"{INDEX}create/"))

    def test_bulk_actions_approve_feature_and_reject(self):
        first = make_response(self.question, "Ana Costa")
        second = make_response(self.question, "Ben Okafor")
        third = make_response(self.question, "Chen Jie")
        for action, status in (
            ("approve", ResponseStatus.APPROVED),
            ("feature", ResponseStatus.FEATURED),
            ("reject", ResponseStatus.REJECTED),
        ):
            with self.subTest(action=action):
                done = self.client.post(
                    BULK,
                    {"action": action, "ids": [first.pk, second.pk], "next": f"{INDEX}?q=a"},
                    follow=True,
                )
                self.assertEqual(done.redirect_chain[-1][0], f"{INDEX}?q=a")
                self.assertContains(done, f"2 responses {status.label.lower()}")
                first.refresh_from_db()
                self.assertEqual(first.status, status)
                self.assertIsNotNone(first.moderated_at)
        third.refresh_from_db()
        self.assertEqual(third.status, ResponseStatus.PENDING)

    def test_bulk_refuses_bad_input_without_a_500(self):
        response = make_response(self.question)
        cases = [
            {"action": "delete", "ids": [response.pk]},
            {"action": "feature"},
            {"action": "feature", "ids": ["abc", "-1"]},
            {"action": "feature", "ids": [response.pk], "next": "https://evil.example/"},
        ]
        for data in cases:
            with self.subTest(data=data):
                result = self.client.post(BULK, data)
                self.assertEqual(result.status_code, 302)
                self.assertEqual(result["Location"], INDEX)
        self.assertEqual(self.client.get(BULK).status_code, 405)

    def test_edit_view_trims_a_response_and_keeps_the_original(self):
        issue = make_issue(self.tree.issues)
        response = make_response(
            self.question, "Ana Costa", response="A long first part. A short second part."
        )
        url = f"{INDEX}edit/{response.pk}/"
        self.assertEqual(self.client.get(url).status_code, 200)
        saved = self.client.post(
            url,
            {
                "status": "featured",
                "featured_in": issue.pk,
                "moderation_notes": "Trimmed to the second sentence.",
                "name": "Ana Costa",
                "affiliation": "Lisbon",
                "response": "A short second part.",
            },
        )
        self.assertEqual(saved.status_code, 302)
        response.refresh_from_db()
        self.assertEqual(response.response, "A short second part.")
        self.assertEqual(response.original_response, "A long first part. A short second part.")
        self.assertEqual(response.status, ResponseStatus.FEATURED)
        self.assertEqual(response.featured_in_id, issue.pk)
        self.assertIsNotNone(response.moderated_at)
        self.assertEqual(response.email, "ana@example.org")
        self.assertTrue(response.was_edited)

    def test_edit_view_refuses_an_empty_or_over_long_response(self):
        response = make_response(self.question)
        url = f"{INDEX}edit/{response.pk}/"
        for text in ("", "x" * 3001):
            with self.subTest(length=len(text)):
                result = self.client.post(
                    url, {"status": "featured", "name": "Ana", "response": text}
                )
                self.assertEqual(result.status_code, 200)
                response.refresh_from_db()
                self.assertEqual(response.status, ResponseStatus.PENDING)

    def test_csv_export(self):
        make_response(self.question, "Ana Costa", response='=HYPERLINK("http://x")')
        make_response(self.question, "Ben Okafor", status=ResponseStatus.FEATURED)
        export = self.client.get(INDEX, {"export": "csv"})
        self.assertEqual(export.status_code, 200)
        self.assertEqual(export["Content-Type"], "text/csv")
        self.assertIn('filename="reader-responses.csv"', export["Content-Disposition"])
        rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
        self.assertEqual(rows[0][:4], ["Submitted At", "Question", "Status", "Name"])
        self.assertEqual(len(rows), 3)
        names = {row[3] for row in rows[1:]}
        self.assertEqual(names, {"Ana Costa", "Ben Okafor"})
        formula = next(row for row in rows if row[3] == "Ana Costa")[6]
        self.assertEqual(formula, '\'=HYPERLINK("http://x")')


class ModerationPermissionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.question = make_question(cls.tree.questions)
        cls.response = make_response(cls.question)

    def test_editor_without_permission_sees_and_changes_nothing(self):
        self.client.force_login(editor("plain"))
        self.assertNotContains(self.client.get("/admin/"), "Reader responses")
        assertDenied(self, self.client.get(INDEX))
        assertDenied(self, self.client.get(f"{INDEX}inspect/{self.response.pk}/"))
        assertDenied(self, self.client.get(f"{INDEX}edit/{self.response.pk}/"))
        assertDenied(self, self.client.get(INDEX, {"export": "csv"}))
        assertDenied(self, self.client.post(BULK, {"action": "feature", "ids": [self.response.pk]}))
        self.response.refresh_from_db()
        self.assertEqual(self.response.status, ResponseStatus.PENDING)

    def test_viewer_can_list_and_inspect_but_not_change(self):
        self.client.force_login(editor("viewer", "view_questionresponse"))
        listing = self.client.get(INDEX)
        self.assertEqual(listing.status_code, 200)
        self.assertNotContains(listing, 'id="bulk-moderation"')
        inspect = self.client.get(f"{INDEX}inspect/{self.response.pk}/")
        self.assertEqual(inspect.status_code, 200)
        assertDenied(self, self.client.get(f"{INDEX}edit/{self.response.pk}/"))
        assertDenied(self, self.client.post(BULK, {"action": "feature", "ids": [self.response.pk]}))

    def test_moderator_can_change(self):
        self.client.force_login(
            editor("moderator", "view_questionresponse", "change_questionresponse")
        )
        self.assertContains(self.client.get(INDEX), 'id="bulk-moderation"')
        self.client.post(BULK, {"action": "feature", "ids": [self.response.pk]})
        self.response.refresh_from_db()
        self.assertEqual(self.response.status, ResponseStatus.FEATURED)

    def test_anonymous_is_sent_to_login(self):
        self.assertEqual(self.client.get(INDEX).status_code, 302)
        self.assertEqual(
            self.client.post(BULK, {"action": "feature", "ids": [self.response.pk]}).status_code,
            302,
        )


class FullLoopTests(TestCase):
    """A reader answers; an editor features it; it is published on both pages."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.question = make_question(cls.tree.questions)
        cls.moderator = editor("moderator", "view_questionresponse", "change_questionresponse")
        # The moderator also edits issues.
        GroupPagePermission.objects.create(
            group=cls.moderator.groups.get(),
            page=cls.tree.issues,
            permission=Permission.objects.get(codename="change_page"),
        )

    def setUp(self):
        cache.clear()
        caches["counters"].clear()  # rate-limit counts live here

    def test_submit_moderate_publish(self):
        reader = self.client_class()
        form = reader.get(self.question.url).context["response_form"]
        sent = reader.post(
            self.question.url,
            {
                "name": "Priya Nair",
                "email": "priya@example.org",
                "affiliation": "Bangalore",
                "response": "Hedge carefully.\n\nAnd talk to everyone.",
                "consent": "on",
                "token": form.initial["token"],
            },
        )
        self.assertEqual(sent.status_code, 303)
        self.assertContains(reader.get(sent["Location"]), "Thank you for your answer")
        self.assertNotContains(reader.get(self.question.url), "Hedge carefully.")

        self.client.force_login(self.moderator)
        stored = QuestionResponse.objects.get()
        listing = self.client.get(INDEX, {"status__exact": "pending"})
        self.assertContains(listing, "Priya Nair")
        self.client.post(BULK, {"action": "feature", "ids": [stored.pk]})

        published = reader.get(self.question.url)
        self.assertContains(published, "<p>Hedge carefully.</p>\n\n<p>And talk to everyone.</p>")
        self.assertContains(published, "— Priya Nair, Bangalore")

        issue = make_issue(
            self.tree.issues,
            body=stream(
                ("reader_responses", {"question": self.question.pk, "heading": "You answered"})
            ),
        )
        in_issue = reader.get(issue.url)
        self.assertContains(in_issue, 'class="reader-responses"')
        self.assertContains(in_issue, "You answered")
        self.assertContains(in_issue, "And talk to everyone.")
        self.assertContains(in_issue, "— Priya Nair, Bangalore")
        self.assertNotContains(in_issue, "priya@example.org")


class FeaturedInTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.question = make_question(cls.tree.questions)

    def test_publishing_an_issue_records_the_answers_it_features(self):
        shown = [
            make_response(self.question, f"Reader {n}", ResponseStatus.FEATURED) for n in range(3)
        ]
        pending = make_response(self.question, "Not yet", ResponseStatus.PENDING)
        issue = make_issue(
            self.tree.issues,
            body=stream(("reader_responses", {"question": self.question.pk, "count": 2})),
        )
        later = make_issue(
            self.tree.issues,
            day=issue.issue_date.replace(day=13),
            body=stream(("reader_responses", {"question": self.question.pk, "count": 3})),
        )
        featured_in = {
            r.name: r.featured_in_id
            for r in QuestionResponse.objects.filter(question=self.question)
        }
        self.assertEqual(
            featured_in,
            {
                shown[0].name: issue.pk,
                shown[1].name: issue.pk,
                shown[2].name: later.pk,
                pending.name: None,
            },
        )


class EditorialRolesTests(TestCase):
    """The editorial groups: moderators and editors moderate, contributors never see answers."""

    @classmethod
    def setUpTestData(cls):
        from tests.issues.editorial_helpers import make_staff

        cls.tree = build_site()
        cls.staff = make_staff()
        cls.response = make_response(make_question(cls.tree.questions))

    def test_moderator_and_editor_moderate(self):
        for role in ("moderator", "editor"):
            with self.subTest(role=role):
                self.client.force_login(self.staff[role])
                self.assertContains(self.client.get(INDEX), 'id="bulk-moderation"')
                self.client.post(BULK, {"action": "approve", "ids": [self.response.pk]})
                self.response.refresh_from_db()
                self.assertEqual(self.response.status, ResponseStatus.APPROVED)
                QuestionResponse.objects.update(status=ResponseStatus.PENDING)

    def test_contributor_sees_no_responses(self):
        self.client.force_login(self.staff["contributor"])
        assertDenied(self, self.client.get(INDEX))


class InspectModerationTests(TestCase):
    """Approve, Feature and Reject from the Inspect view, through the bulk actions' view."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.question = make_question(cls.tree.questions, title="Middle powers")
        cls.superuser = get_user_model().objects.create_superuser("boss", "b@f.example", "pw")

    def setUp(self):
        self.client.force_login(self.superuser)
        self.response = make_response(self.question, "Ana Costa")
        self.inspect_url = f"{INDEX}inspect/{self.response.pk}/"

    def test_the_inspect_view_offers_the_three_actions_on_the_bulk_view(self):
        page = self.client.get(self.inspect_url)
        self.assertContains(page, f'action="{BULK}"')
        self.assertContains(page, f'name="ids" value="{self.response.pk}"')
        for action in ("approve", "feature", "reject"):
            self.assertContains(page, f'name="action" value="{action}"')

    def test_each_action_returns_to_the_answer_with_a_confirmation(self):
        for action, status in (
            ("feature", ResponseStatus.FEATURED),
            ("reject", ResponseStatus.REJECTED),
            ("approve", ResponseStatus.APPROVED),
        ):
            with self.subTest(action=action):
                done = self.client.post(
                    BULK,
                    {"action": action, "ids": [self.response.pk], "next": self.inspect_url},
                    follow=True,
                )
                self.assertEqual(done.redirect_chain[-1][0], self.inspect_url)
                self.assertContains(done, f"Ana Costa’s response {status.label.lower()}.")
                self.response.refresh_from_db()
                self.assertEqual(self.response.status, status)
                # The current state's button is the one that is off.
                self.assertContains(done, f'value="{action}" disabled')

    def test_pressing_again_says_nothing_changed(self):
        data = {"action": "feature", "ids": [self.response.pk], "next": self.inspect_url}
        self.client.post(BULK, data)
        again = self.client.post(BULK, data, follow=True)
        self.assertContains(again, "Ana Costa’s response was already featured.")

    def test_a_viewer_sees_no_moderation_buttons(self):
        self.client.force_login(editor("viewer", "view_questionresponse"))
        page = self.client.get(self.inspect_url)
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "data-moderate-one")

    def test_row_buttons_sit_under_the_name(self):
        listing = self.client.get(INDEX).content.decode()
        at = listing.index(f'href="{self.inspect_url}"')
        cell = listing[listing.rindex("<td", 0, at) : at]
        # The buttons follow the name in its cell, not the narrow checkbox's.
        self.assertIn("Ana Costa", cell)
        self.assertNotIn('type="checkbox"', cell)
