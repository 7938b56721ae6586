"""A 繁體 draft converted from the 简体 translation, and the review before publishing."""

from datetime import timedelta
from io import StringIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.models import (
    GroupApprovalTask,
    Locale,
    Page,
    PageLogEntry,
    Workflow,
    WorkflowState,
    WorkflowTask,
    get_page_models,
)
from wagtail_localize.models import StringTranslation, Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from home.traditional_drafts import (
    REVIEW_REFUSED_ACTION,
    ReviewGatedPublishing,
    make_traditional_draft,
    mark_reviewed,
    source_for,
    unreviewed_segments,
)
from tests.factories import build_site, make_issue

# The 简体 text a translator wrote for each English segment.
SIMPLIFIED = {
    "A closely watched call": "一次备受关注的通话",
    "2026-02-06": "2026-02-06",
    "This week in the relationship.": "本周的中美关系：习近平与特朗普通话。",
}


class TranslatedIssueTestCase(TestCase):
    """An English issue with its 简体 translation published and the 繁體 section ready."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.issue = make_issue(cls.tree.issues, title="A closely watched call")
        cls.user = get_user_model().objects.create_superuser("tr", "tr@example.com", "pw")
        hans = Locale.objects.get(language_code="zh-hans")
        source, _ = TranslationSource.get_or_create_from_instance(cls.issue)
        for segment in source.stringsegment_set.select_related("string"):
            StringTranslation.objects.create(
                translation_of=segment.string,
                locale=hans,
                context=segment.context,
                data=SIMPLIFIED.get(segment.string.data, segment.string.data),
                translation_type="manual",
            )
        for page in (cls.tree.home, cls.tree.issues, cls.issue):
            TranslationCreator(cls.user, [hans]).create_translations(page.specific)
            Translation.objects.get(
                source__object_id=page.translation_key, target_locale=hans
            ).save_target(user=cls.user, publish=True)
        cls.hans_issue = cls.issue.get_translation(hans)
        # The 繁體 section must exist for the issue's draft to have a parent.
        hant = Locale.objects.get(language_code="zh-hant")
        for page in (cls.tree.home, cls.tree.issues):
            TranslationCreator(cls.user, [hant]).create_translations(page.specific)

    def setUp(self):
        self.client.force_login(self.user)


class TraditionalDraftTests(TranslatedIssueTestCase):
    def test_the_draft_is_converted_and_not_published(self):
        draft = make_traditional_draft(self.hans_issue, self.user, "s2hk")
        self.assertEqual(draft.locale.language_code, "zh-hant")
        self.assertFalse(draft.live)
        latest = draft.get_latest_revision_as_object()
        self.assertEqual(latest.title, "一次備受關注的通話")
        self.assertIn("本週的中美關係：習近平與特朗普通話。", str(latest.letter))
        converted = unreviewed_segments(draft)
        self.assertTrue(converted.exists())
        self.assertEqual(set(converted.values_list("tool_name", flat=True)), {"OpenCC s2hk"})

    def test_a_variant_is_a_choice(self):
        StringTranslation.objects.filter(
            locale__language_code="zh-hans", data="一次备受关注的通话"
        ).update(data="台湾软件")
        draft = make_traditional_draft(self.hans_issue, self.user, "s2twp")
        self.assertEqual(draft.get_latest_revision_as_object().title, "臺灣軟體")

    def test_publishing_is_refused_until_reviewed(self):
        draft = make_traditional_draft(self.hans_issue, self.user)
        edit_url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
        response = self.client.post(edit_url, {"action": "publish"}, follow=True)
        self.assertContains(response, "converted by OpenCC")
        self.assertFalse(Page.objects.get(pk=draft.pk).live)

        self.assertGreater(mark_reviewed(draft, self.user), 0)
        self.assertFalse(unreviewed_segments(draft).exists())
        # wagtail-localize publishes when the transaction commits.
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(edit_url, {"action": "publish"})
        self.assertTrue(Page.objects.get(pk=draft.pk).live)

    def test_text_written_by_hand_is_kept_when_converting_again(self):
        draft = make_traditional_draft(self.hans_issue, self.user)
        title = unreviewed_segments(draft).get(data="一次備受關注的通話")
        title.data = "一通備受矚目的電話"
        title.translation_type = "manual"
        title.save()
        again = make_traditional_draft(self.hans_issue, self.user)
        self.assertEqual(again.get_latest_revision_as_object().title, "一通備受矚目的電話")

    def test_the_admin_view_offers_variants_and_opens_the_draft(self):
        url = reverse("edition_traditional_draft", args=[self.hans_issue.pk])
        page = self.client.get(url)
        self.assertContains(page, 'value="s2hk"')
        self.assertContains(page, 'value="s2tw"')
        refused = self.client.post(url, {"variant": "t2s"})
        self.assertEqual(refused.status_code, 400)
        self.assertContains(refused, "Choose one of the listed conversions.", status_code=400)
        response = self.client.post(url, {"variant": "s2tw"})
        draft = self.issue.get_translation(Locale.objects.get(language_code="zh-hant"))
        self.assertRedirects(
            response,
            reverse("wagtailadmin_pages:edit", args=[draft.pk]),
            fetch_redirect_response=False,
        )

    def test_the_review_view_confirms_then_marks(self):
        draft = make_traditional_draft(self.hans_issue, self.user)
        url = reverse("edition_traditional_reviewed", args=[draft.pk])
        self.assertContains(self.client.get(url), "converted by OpenCC and not yet reviewed")
        self.assertTrue(unreviewed_segments(draft).exists())
        self.client.post(url)
        self.assertFalse(unreviewed_segments(draft).exists())
        self.assertContains(self.client.get(url), "no converted segments left")

    def test_an_english_page_is_not_convertible(self):
        url = reverse("edition_traditional_draft", args=[self.issue.pk])
        self.assertContains(self.client.get(url), "is not a 简体 translation")
        self.assertEqual(self.client.post(url, {"variant": "s2hk"}).status_code, 400)


class ReviewGateOnEveryPublishPathTests(TranslatedIssueTestCase):
    """Every way a page is published holds back an unreviewed 繁體 machine draft."""

    def setUp(self):
        super().setUp()
        self.draft = make_traditional_draft(self.hans_issue, self.user)
        self.assertTrue(unreviewed_segments(self.draft).exists())

    def assert_not_live(self):
        self.assertFalse(Page.objects.get(pk=self.draft.pk).live)

    def start_workflow(self) -> WorkflowState:
        workflow = Workflow.objects.create(name="繁體 review")
        task = GroupApprovalTask.objects.create(name="Approve")
        task.groups.set([Group.objects.get_or_create(name="Moderators")[0]])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        return workflow.start(self.draft, self.user)

    def test_every_page_type_is_gated(self):
        own = [m for m in get_page_models() if m is not Page and m._meta.app_label != "wagtailcore"]
        self.assertTrue(own)
        for model in own:
            with self.subTest(model=model.__name__):
                self.assertTrue(issubclass(model, ReviewGatedPublishing))

    def test_publishing_a_revision_directly_leaves_a_draft_and_a_record(self):
        revision = self.draft.get_latest_revision()
        revision.publish(user=self.user)
        self.assert_not_live()
        entry = PageLogEntry.objects.get(page=self.draft, action=REVIEW_REFUSED_ACTION)
        self.assertIn("converted by OpenCC", entry.data["problems"][0])
        # Once reviewed, the same call publishes.
        mark_reviewed(self.draft, self.user)
        revision.publish(user=self.user)
        self.assertTrue(Page.objects.get(pk=self.draft.pk).live)

    def test_the_editors_approve_is_refused(self):
        self.start_workflow()
        response = self.client.post(
            reverse("wagtailadmin_pages:edit", args=[self.draft.pk]),
            {"action-workflow-action": "true", "workflow-action-name": "approve"},
            follow=True,
        )
        self.assertContains(response, "converted by OpenCC")
        self.assert_not_live()

    def test_the_dashboards_approve_is_refused(self):
        state = self.start_workflow()
        url = reverse(
            "wagtailadmin_pages:workflow_action",
            args=[self.draft.pk, "approve", state.current_task_state.pk],
        )
        response = self.client.post(url, {"comment": ""}, follow=True)
        self.assertContains(response, "Not approved")
        self.assertContains(response, "converted by OpenCC")
        self.assert_not_live()
        state.refresh_from_db()
        self.assertEqual(state.status, WorkflowState.STATUS_IN_PROGRESS)
        # The approve modal is told where to go, and the message waits there.
        modal = self.client.post(
            url, {"comment": ""}, headers={"x-requested-with": "XMLHttpRequest"}
        )
        self.assertEqual(modal.json()["step"], "success")
        self.assert_not_live()
        # Reviewed, it is approved and published.
        mark_reviewed(self.draft, self.user)
        self.client.post(url, {"comment": ""})
        self.assertTrue(Page.objects.get(pk=self.draft.pk).live)

    def test_the_listings_bulk_publish_is_refused(self):
        url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
        parent = self.draft.get_parent()
        response = self.client.post(
            f"{url}?id={self.draft.pk}&next=/admin/pages/{parent.pk}/", follow=True
        )
        self.assertContains(response, "Nothing was published")
        self.assertContains(response, "converted by OpenCC")
        self.assert_not_live()

    def test_scheduled_publishing_is_refused(self):
        revision = self.draft.get_latest_revision()
        revision.approved_go_live_at = timezone.now() - timedelta(minutes=1)
        revision.save(update_fields=["approved_go_live_at"])
        call_command("publish_scheduled", stdout=StringIO())
        self.assert_not_live()
        revision.refresh_from_db()
        self.assertIsNone(revision.approved_go_live_at)
        entry = PageLogEntry.objects.get(page=self.draft, action="focus.schedule.refused")
        self.assertIn("converted by OpenCC", entry.data["problems"][0])

    def test_the_translation_editors_publish_is_refused(self):
        response = self.client.post(
            reverse("wagtailadmin_pages:edit", args=[self.draft.pk]),
            {"action": "publish"},
            follow=True,
        )
        self.assertContains(response, "converted by OpenCC")
        self.assert_not_live()

    def test_syncing_translations_with_publish_keeps_the_draft(self):
        # wagtail-localize's "Sync translated pages", with "publish immediately".
        url = reverse("wagtail_localize:update_translations", args=[source_for(self.draft).pk])
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, {"publish_translations": "on"})
        self.assertEqual(response.status_code, 302)
        self.assert_not_live()
        self.assertTrue(
            PageLogEntry.objects.filter(page=self.draft, action=REVIEW_REFUSED_ACTION).exists()
        )
        # The 简体 edition, reviewed by its translator, is published as asked.
        self.assertTrue(Page.objects.get(pk=self.hans_issue.pk).live)
