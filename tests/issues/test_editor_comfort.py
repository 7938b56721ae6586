from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import RequestFactory, SimpleTestCase, TestCase
from django.urls import reverse
from wagtail import blocks
from wagtail.admin.userbar import AccessibilityItem, apply_userbar_hooks
from wagtail.test.utils.form_data import streamfield

from issues.blocks import IssueStreamBlock
from issues.content_checks import FocusContentChecker
from issues.models import IssuePage
from tests.factories import build_site, make_article, make_issue, make_question, make_video
from tests.issues.editorial_helpers import issue_form, make_staff


def leaf_fields(block: blocks.Block, path: str = ""):
    """Every field an editor fills in, with its path, inside a block definition."""
    if isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            yield from leaf_fields(child, f"{path}.{name}")
    elif isinstance(block, blocks.ListBlock):
        yield path, block
        yield from leaf_fields(block.child_block, f"{path}[]")
    else:
        yield path, block


def help_text_of(block: blocks.Block) -> str:
    # Field blocks keep it on their form field; structural blocks on their meta.
    form_field = getattr(block, "field", None)
    return getattr(block.meta, "help_text", None) or getattr(form_field, "help_text", "")


class BlockComfortTests(SimpleTestCase):
    stream = IssueStreamBlock()

    def test_every_field_has_help_text(self):
        missing = [
            f"{name}{path}"
            for name, block in self.stream.child_blocks.items()
            for path, field in leaf_fields(block)
            if not help_text_of(field)
        ]
        self.assertEqual(missing, [])

    def test_every_block_is_grouped_described_and_previewable(self):
        for name, block in self.stream.child_blocks.items():
            with self.subTest(block=name):
                self.assertTrue(block.meta.group)
                self.assertTrue(block.meta.description)
                self.assertTrue(block.is_previewable)

    def test_the_chart_data_is_an_editable_list_of_labelled_points(self):
        data = self.stream.child_blocks["chart_callout"].child_blocks["data"]
        self.assertIsInstance(data, blocks.ListBlock)
        self.assertEqual(list(data.child_block.child_blocks), ["label", "value"])
        self.assertEqual(data.meta.max_num, 24)


class IssueFieldHelpTextTests(SimpleTestCase):
    def test_every_issue_field_has_help_text(self):
        for name in ("issue_date", "issue_number", "summary", "greeting", "letter", "sign_off"):
            with self.subTest(field=name):
                self.assertTrue(IssuePage._meta.get_field(name).help_text)


class BlockPreviewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.staff = make_staff()
        cls.video = make_video(cls.tree.videos)
        cls.question = make_question(cls.tree.questions)

    def test_previews_render_with_the_site_styles_and_real_pages(self):
        self.client.force_login(self.staff["editor"])
        stream = IssuePage._meta.get_field("body").stream_block
        for name, block in stream.child_blocks.items():
            with self.subTest(block=name):
                response = self.client.get(
                    reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix}
                )
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "css/site.css")
                self.assertContains(response, f"block-{name}")
        video_preview = self.client.get(
            reverse("wagtailadmin_block_preview"),
            {"id": stream.child_blocks["video_feature"].definition_prefix},
        )
        self.assertContains(video_preview, self.video.title)
        question_preview = self.client.get(
            reverse("wagtailadmin_block_preview"),
            {"id": stream.child_blocks["question_of_the_week"].definition_prefix},
        )
        self.assertContains(question_preview, self.question.question)


class UnpublishedChoiceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.staff = make_staff()
        cls.article = make_article(cls.tree.insights, title="Still a draft")
        cls.article.unpublish()
        cls.issue = make_issue(cls.tree.issues, day=date(2026, 2, 6))

    def test_the_block_refuses_an_unpublished_page(self):
        block = IssueStreamBlock().child_blocks["related_links"]
        value = block.to_python({"links": [{"page": self.article.pk}]})
        with self.assertRaises(ValidationError) as refused:
            block.clean(value)
        self.assertIn("“Still a draft” is not published yet", str(refused.exception.as_json_data()))

    def test_publishing_says_what_to_do_and_nothing_is_saved(self):
        # Saving a draft that links it is allowed (tests/issues/test_drafts_and_publishing.py).
        self.client.force_login(self.staff["editor"])
        before = IssuePage.objects.get(pk=self.issue.pk).latest_revision_id
        response = self.client.post(
            reverse("wagtailadmin_pages:edit", args=[self.issue.pk]),
            issue_form(
                **{"action-publish": "action-publish"},
                issue_date="2026-02-06",
                body=streamfield(
                    [
                        (
                            "related_links",
                            {
                                "heading": "More",
                                "links": streamfield([("item", {"page": self.article.pk})]),
                            },
                        )
                    ]
                ),
            ),
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "is not published yet: publish it first")
        self.assertEqual(IssuePage.objects.get(pk=self.issue.pk).latest_revision_id, before)


class ContentCheckerTests(TestCase):
    def test_the_hook_swaps_in_focus_rules_in_the_editor_and_the_userbar(self):
        request = RequestFactory().get("/")
        request.user = get_user_model()(is_superuser=True)
        for in_editor in (True, False):
            with self.subTest(in_editor=in_editor):
                items = [AccessibilityItem(in_editor=in_editor)]
                apply_userbar_hooks(request, items, None)
                self.assertIsInstance(items[0], FocusContentChecker)
                self.assertEqual(items[0].in_editor, in_editor)
                config = items[0].get_axe_configuration(request)
                rules = config["options"]["runOnly"]
                for rule in ("image-alt", "heading-order", "link-name", "alt-text-quality"):
                    self.assertIn(rule, rules)
                # The page's main content; an issue's email preview, the whole message.
                self.assertEqual(config["context"]["include"], ["main, body.email-body"])
                self.assertIn("Section (H2)", config["messages"]["heading-order"]["help_text"])

    def test_the_page_editor_runs_them(self):
        tree = build_site()
        issue = make_issue(tree.issues)
        staff = make_staff()
        self.client.force_login(staff["editor"])
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[issue.pk]))
        self.assertContains(response, "image-alt")
        self.assertContains(response, "Chart without a text alternative")
