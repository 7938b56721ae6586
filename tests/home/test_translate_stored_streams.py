"""Translating a page whose stored blocks lack some child values.

Bulk content (generate_bulk_content, through home.blocks.raw) stores only the
children it sets, and older revisions lack children added since. Such a page
must translate in wagtail-localize like any other.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import TestCase
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.models import Locale, get_page_models
from wagtail_localize.models import StringTranslation, Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from home.blocks.base import CompleteStructBlock
from tests.factories import (
    build_site,
    list_items,
    make_article,
    make_issue,
    make_question,
    stream,
)


def struct_blocks(block):
    """Every StructBlock reachable from ``block``."""
    if isinstance(block, blocks.StructBlock):
        yield block
        children = block.child_blocks.values()
    elif isinstance(block, blocks.StreamBlock):
        children = block.child_blocks.values()
    elif isinstance(block, blocks.ListBlock):
        children = [block.child_block]
    else:
        children = []
    for child in children:
        yield from struct_blocks(child)


class SparseStreamTranslationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.user = get_user_model().objects.create_superuser("tr", "tr@example.com", "pw")
        article = make_article(cls.tree.insights, title="Empire")
        question = make_question(cls.tree.questions)
        # As generate_bulk_content writes them: only some of each block's values.
        cls.issue = make_issue(
            cls.tree.issues,
            title="A closely watched call",
            body=stream(
                (
                    "related_links",
                    {"heading": "Read more", "links": list_items([{"page": article.pk}])},
                ),
                ("question_of_the_week", {"question": question.pk}),
                ("heading", {"text": "What comes next"}),
            ),
        )

    def test_a_page_with_sparse_blocks_translates_and_publishes(self):
        hans = Locale.objects.get(language_code="zh-hans")
        for page in (self.tree.home, self.tree.issues, self.issue):
            TranslationCreator(self.user, [hans]).create_translations(page.specific)
        source = TranslationSource.objects.get(object_id=self.issue.translation_key)
        texts = {segment.string.data for segment in source.stringsegment_set.all()}
        self.assertLessEqual({"Read more", "What comes next"}, texts)
        translated = {"Read more": "延伸阅读", "What comes next": "接下来"}
        for segment in source.stringsegment_set.select_related("string"):
            StringTranslation.objects.create(
                translation_of=segment.string,
                locale=hans,
                context=segment.context,
                data=translated.get(segment.string.data, segment.string.data),
            )
        translation = Translation.objects.get(source=source, target_locale=hans)
        with self.captureOnCommitCallbacks(execute=True):
            translation.save_target(user=self.user, publish=True)
        chinese = self.issue.get_translation(hans)
        self.assertTrue(chinese.live)
        response = self.client.get(chinese.url)
        self.assertContains(response, "延伸阅读")
        self.assertContains(response, "接下来")

    def test_every_struct_block_of_every_page_completes_its_values(self):
        seen = 0
        for model in get_page_models():
            for field in model._meta.get_fields():
                if isinstance(field, StreamField):
                    for block in struct_blocks(field.stream_block):
                        seen += 1
                        with self.subTest(block=type(block).__name__):
                            self.assertIsInstance(block, CompleteStructBlock)
        self.assertGreater(seen, 5)

    def test_missing_text_reads_as_empty(self):
        body = type(self.issue).body.field.stream_block
        value = body.to_python([{"type": "heading", "value": {}}])[0].value
        self.assertEqual(value["text"], "")
