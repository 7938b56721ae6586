"""The editorial tools work in the edition they are asked about, English by default."""

from datetime import date

from django.test import TestCase

from issues.editorial import newest_video, open_question
from tests.factories import build_site, make_question, make_video, translate_page


class EditorialEditionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.question = make_question(cls.tree.questions)
        cls.video = make_video(cls.tree.videos)
        # Translations are newer rows with the same dates: a lookup that ignored
        # the edition would pick them.
        cls.question_hant = translate_page(cls.question, "zh-hant")
        cls.video_hant = translate_page(cls.video, "zh-hant")

    def test_the_default_is_the_english_edition(self):
        self.assertEqual(open_question(date(2026, 2, 6)), self.question)
        self.assertEqual(newest_video(), self.video)

    def test_an_edition_gets_its_own_pages(self):
        locale_id = self.question_hant.locale_id
        self.assertEqual(open_question(date(2026, 2, 6), locale_id).pk, self.question_hant.pk)
        self.assertEqual(newest_video(locale_id).pk, self.video_hant.pk)
