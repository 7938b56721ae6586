from datetime import date, datetime, timedelta
from io import StringIO
from unittest import mock

from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Revision,
    WorkflowState,
)
from wagtail.permissions import policy_registry
from wagtail.test.utils.form_data import rich_text

from insights.models import InsightArticlePage
from issues.models import IssuePage
from issues.roles import (
    CONTRIBUTORS,
    EDITORS,
    MODERATORS,
    WORKFLOW_NAME,
    ensure_editorial_roles,
)
from tests.factories import build_site, make_article, make_author, make_issue
from tests.issues.editorial_helpers import assert_refused, issue_form, make_staff, make_user


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


class RolesSetupTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()

    def test_groups_and_workflow_are_created_once(self):
        out = StringIO()
        call_command("setup_editorial_roles", stdout=out)
        self.assertIn("workflow created, 2 sections attached", out.getvalue())
        again = ensure_editorial_roles()
        self.assertEqual(again.groups_created, [])
        self.assertEqual(again.permissions_added, 0)
        self.assertFalse(again.workflow_created)
        self.assertEqual(again.workflow_pages_added, 0)
        for name in (EDITORS, CONTRIBUTORS, MODERATORS):
            self.assertTrue(Group.objects.filter(name=name).exists())
        for index in (self.tree.issues, self.tree.insights):
            self.assertEqual(index.get_workflow().name, WORKFLOW_NAME)
        task = self.tree.issues.get_workflow().tasks.get().specific
        self.assertEqual([group.name for group in task.groups.all()], [EDITORS])

    def test_moderators_lose_wagtails_default_page_permissions(self):
        ensure_editorial_roles()
        moderators = Group.objects.get(name=MODERATORS)
        self.assertFalse(GroupPagePermission.objects.filter(group=moderators).exists())
        # What remains is the admin and reader responses.
        self.assertEqual(
            set(moderators.permissions.values_list("codename", flat=True)),
            {"access_admin", "view_questionresponse", "change_questionresponse"},
        )

    def test_editors_lose_wagtails_default_rights_on_the_root_page(self):
        editors = Group.objects.get(name=EDITORS)  # created by Wagtail's own migrations
        root = Page.get_first_root_node()
        self.assertTrue(GroupPagePermission.objects.filter(group=editors, page=root).exists())
        report = ensure_editorial_roles()
        self.assertFalse(GroupPagePermission.objects.filter(group=editors, page=root).exists())
        self.assertGreaterEqual(report.permissions_removed, 1)
        # Their rights over the publication hang on the home page instead.
        self.assertEqual(
            set(
                GroupPagePermission.objects.filter(group=editors).values_list(
                    "page_id", "permission__codename"
                )
            ),
            {
                (self.tree.home.pk, f"{action}_page")
                for action in ("add", "change", "publish", "lock", "unlock")
            },
        )

    def test_contributors_choose_documents_but_never_upload_them(self):
        ensure_editorial_roles()
        contributors = Group.objects.get(name=CONTRIBUTORS)
        # A right granted by an earlier version of the roles is taken back on the next run.
        GroupCollectionPermission.objects.create(
            group=contributors,
            collection=Collection.get_first_root_node(),
            permission=Permission.objects.get(codename="add_document"),
        )
        ensure_editorial_roles()
        user = make_user("writer", CONTRIBUTORS)
        documents = policy_registry.get_by_type(get_document_model())
        self.assertFalse(documents.user_has_permission(user, "add"))
        self.assertTrue(documents.user_has_permission(user, "choose"))
        images = policy_registry.get_by_type(get_image_model())
        self.assertTrue(images.user_has_permission(user, "add"))
        self.client.force_login(user)
        assert_refused(self, self.client.get(reverse("wagtaildocs:add_multiple")))
        upload = SimpleUploadedFile("notes.txt", b"Plain notes.", content_type="text/plain")
        response = self.client.post(
            reverse("wagtaildocs:add_multiple"), {"files[]": upload, "title": "Notes"}
        )
        self.assertNotEqual(response.status_code, 200)
        self.assertFalse(get_document_model().objects.exists())

    def test_wagtails_starter_workflow_is_approved_by_editors_not_moderators(self):
        # Created by Wagtail's own migrations.
        moderators = Group.objects.get(name=MODERATORS)
        starter = GroupApprovalTask.objects.get(name="Moderators approval", groups=moderators)
        self.assertEqual(ensure_editorial_roles().tasks_reassigned, 1)
        self.assertEqual([group.name for group in starter.groups.all()], [EDITORS])
        self.assertFalse(GroupApprovalTask.objects.filter(groups=moderators).exists())

    def test_refuses_to_run_without_the_sections(self):
        self.tree.issues.delete()
        with self.assertRaises(LookupError):
            ensure_editorial_roles()


class GroupPermissionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.staff = make_staff()
        cls.author = make_author()
        cls.issue = make_issue(cls.tree.issues, day=date(2026, 2, 6))
        cls.article = make_article(cls.tree.insights, authors=[cls.author])

    def login(self, role):
        self.client.force_login(self.staff[role])

    def article_form(self, **overrides):
        from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

        fields = {
            "title": "A contributor's draft",
            "slug": "a-contributors-draft",
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
        }
        fields.update(overrides)
        return nested_form_data(fields)

    def test_contributor_drafts_an_article_and_submits_it_but_cannot_publish(self):
        self.login("contributor")
        add_url = reverse(
            "wagtailadmin_pages:add", args=["insights", "insightarticlepage", self.tree.insights.pk]
        )
        self.assertEqual(self.client.get(add_url).status_code, 200)
        self.client.post(add_url, self.article_form(**{"action-publish": "publish"}))
        article = InsightArticlePage.objects.get(slug="a-contributors-draft")
        self.assertFalse(article.live)
        response = self.client.get(edit_url(article))
        self.assertNotContains(response, 'name="action-publish"')
        self.assertContains(response, 'name="action-submit"')
        self.client.post(edit_url(article), self.article_form(**{"action-submit": "submit"}))
        state = WorkflowState.objects.for_instance(article).get()
        self.assertEqual(state.status, WorkflowState.STATUS_IN_PROGRESS)
        self.assertFalse(InsightArticlePage.objects.get(pk=article.pk).live)

    def test_contributor_cannot_touch_issues_or_others_articles(self):
        self.login("contributor")
        before = self.issue.latest_revision_id
        assert_refused(self, self.client.get(edit_url(self.issue)))
        assert_refused(self, self.client.post(edit_url(self.issue), issue_form(title="Hijacked")))
        assert_refused(self, self.client.get(edit_url(self.article)))
        add_issue = reverse(
            "wagtailadmin_pages:add", args=["issues", "issuepage", self.tree.issues.pk]
        )
        assert_refused(self, self.client.get(add_issue))
        issue = IssuePage.objects.get(pk=self.issue.pk)
        self.assertEqual((issue.title, issue.latest_revision_id), (self.issue.title, before))
        # Hidden from the explorer: asking for the archive lands on the Insights index.
        response = self.client.get(reverse("wagtailadmin_explore", args=[self.tree.issues.pk]))
        self.assertRedirects(
            response,
            reverse("wagtailadmin_explore", args=[self.tree.insights.pk]),
            fetch_redirect_response=False,
        )

    def test_contributor_cannot_manage_snippets(self):
        self.login("contributor")
        response = self.client.get(reverse("wagtailsnippets_insights_author:add"))
        assert_refused(self, response)

    def test_moderator_has_no_page_permissions(self):
        self.login("moderator")
        self.assertEqual(self.client.get(reverse("wagtailadmin_home")).status_code, 200)
        for page in (self.issue, self.article):
            assert_refused(self, self.client.get(edit_url(page)))

    def test_editor_can_edit_and_publish_anything_in_the_publication(self):
        self.login("editor")
        response = self.client.post(
            edit_url(self.issue),
            issue_form(title="Edited", issue_date="2026-02-06", **{"action-publish": "publish"}),
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(IssuePage.objects.get(pk=self.issue.pk).title, "Edited")
        self.assertEqual(self.client.get(edit_url(self.article)).status_code, 200)
        self.assertEqual(
            self.client.get(reverse("wagtailsnippets_insights_author:add")).status_code, 200
        )


class IssueChecksTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.staff = make_staff()

    def setUp(self):
        self.client.force_login(self.staff["editor"])
        self.add_url = reverse(
            "wagtailadmin_pages:add", args=["issues", "issuepage", self.tree.issues.pk]
        )

    def test_an_issue_is_not_published_without_a_letter(self):
        for letter in ("", "<p></p>", "<p> &nbsp; </p>"):
            with self.subTest(letter=letter):
                response = self.client.post(
                    self.add_url,
                    issue_form(letter=rich_text(letter), **{"action-publish": "publish"}),
                )
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Write the editor")
                self.assertFalse(IssuePage.objects.live().exists())

    def test_an_issue_is_not_submitted_without_a_letter(self):
        response = self.client.post(
            self.add_url, issue_form(letter=rich_text(""), **{"action-submit": "submit"})
        )
        self.assertContains(response, "Write the editor")
        self.assertFalse(IssuePage.objects.exists())

    def test_a_draft_may_wait_for_its_letter(self):
        response = self.client.post(self.add_url, issue_form(letter=rich_text("")))
        self.assertEqual(response.status_code, 302)
        self.assertFalse(IssuePage.objects.get().live)

    def test_an_issue_needs_a_date_even_as_a_draft(self):
        for action in ({}, {"action-publish": "publish"}):
            with self.subTest(action=action):
                response = self.client.post(self.add_url, issue_form(issue_date="", **action))
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Give the issue its date")
        self.assertFalse(IssuePage.objects.exists())


class WorkflowAndScheduleTests(TestCase):
    """From submission to a scheduled go-live, as the editors' week runs."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.staff = make_staff()
        cls.issue = make_issue(cls.tree.issues, day=date(2026, 2, 13))
        cls.issue.unpublish()

    def test_submit_approve_publish(self):
        self.client.force_login(self.staff["editor"])
        self.client.post(
            edit_url(self.issue),
            issue_form(title="Ready", issue_date="2026-02-13", **{"action-submit": "submit"}),
        )
        state = WorkflowState.objects.for_instance(self.issue).get()
        self.assertEqual(state.status, WorkflowState.STATUS_IN_PROGRESS)
        self.assertFalse(IssuePage.objects.get(pk=self.issue.pk).live)

        # The editor-in-chief sees it awaiting review, then approves it.
        self.client.force_login(self.staff["chief"])
        dashboard = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(dashboard, "Awaiting your review")
        self.assertContains(dashboard, "Ready")
        task_state = state.current_task_state
        response = self.client.post(
            reverse(
                "wagtailadmin_pages:workflow_action",
                args=[self.issue.pk, "approve", task_state.pk],
            ),
            {"comment": ""},
        )
        self.assertEqual(response.status_code, 302)
        state.refresh_from_db()
        self.assertEqual(state.status, WorkflowState.STATUS_APPROVED)
        issue = IssuePage.objects.get(pk=self.issue.pk)
        self.assertTrue(issue.live)
        self.assertEqual(issue.title, "Ready")

    def test_a_contributor_cannot_approve(self):
        self.client.force_login(self.staff["editor"])
        self.client.post(
            edit_url(self.issue),
            issue_form(issue_date="2026-02-13", **{"action-submit": "submit"}),
        )
        task_state = WorkflowState.objects.for_instance(self.issue).get().current_task_state
        self.client.force_login(self.staff["contributor"])
        self.client.post(
            reverse(
                "wagtailadmin_pages:workflow_action",
                args=[self.issue.pk, "approve", task_state.pk],
            ),
            {"comment": ""},
        )
        self.assertFalse(IssuePage.objects.get(pk=self.issue.pk).live)

    def test_scheduled_issue_goes_live_with_publish_scheduled(self):
        self.client.force_login(self.staff["editor"])
        go_live = timezone.localtime() + timedelta(days=2)
        response = self.client.post(
            edit_url(self.issue),
            issue_form(
                title="Scheduled",
                issue_date="2026-02-13",
                go_live_at=go_live.strftime("%Y-%m-%d %H:%M"),
                **{"action-publish": "publish"},
            ),
        )
        self.assertEqual(response.status_code, 302)
        issue = IssuePage.objects.get(pk=self.issue.pk)
        self.assertFalse(issue.live)
        revision = Revision.page_revisions.get(approved_go_live_at__isnull=False)
        self.assertEqual(int(revision.object_id), issue.pk)

        # The dashboard lists it while it waits.
        dashboard = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(dashboard, "Scheduled to go live")
        self.assertContains(dashboard, "Scheduled")

        # Before its time the command leaves it alone...
        call_command("publish_scheduled", stdout=StringIO())
        self.assertFalse(IssuePage.objects.get(pk=issue.pk).live)

        # ...and once the time has come (as the cron job would see it), it goes live.
        later = go_live + timedelta(minutes=5)
        with mock.patch("django.utils.timezone.now", return_value=later):
            call_command("publish_scheduled", stdout=StringIO())
        issue = IssuePage.objects.get(pk=issue.pk)
        self.assertTrue(issue.live)
        self.assertEqual(issue.title, "Scheduled")
        self.assertFalse(Revision.page_revisions.filter(approved_go_live_at__isnull=False).exists())
        self.assertIsInstance(later, datetime)
