"""A 繁體 draft converted from the 简体 translation, and the review before publishing."""

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail_localize.models import StringTranslation, Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from home.traditional_drafts import make_traditional_draft, mark_reviewed, unreviewed_segments
from tests.factories import build_site, make_issue

# The 简体 text a translator wrote for each English segment.
SIMPLIFIED = {
    "A closely watched call": "一次备受关注的通话",
    "2026-02-06": "2026-02-06",
    "This week in the relationship.": "本周的中美关系：习近平与特朗普通话。",
}


class TraditionalDraftTests(TestCase):
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
