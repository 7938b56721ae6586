"""The sample site carries reader responses in every state, and loads them once."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from home.sample_content import data
from issues.models import QuestionPage, QuestionResponse, ResponseStatus


class SampleResponsesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_sample_content", "--no-admin", stdout=StringIO())

    def test_open_question_has_a_response_in_each_state(self):
        question = QuestionPage.objects.get(slug=data.QUESTION["slug"], locale__language_code="en")
        states = set(
            QuestionResponse.objects.filter(question=question).values_list("status", flat=True)
        )
        self.assertEqual(states, set(ResponseStatus.values))

    def test_second_run_adds_nothing(self):
        before = QuestionResponse.objects.count()
        out = StringIO()
        call_command("load_sample_content", "--no-admin", stdout=out)
        self.assertEqual(QuestionResponse.objects.count(), before)
        self.assertIn(f"reader responses: {before} (0 new)", out.getvalue())

    def test_question_pages_show_their_featured_answers(self):
        closed = QuestionPage.objects.get(
            slug=data.EARLIER_QUESTION["slug"], locale__language_code="en"
        )
        page = self.client.get(closed.url)
        self.assertContains(page, "This question is closed")
        self.assertContains(page, "— Marcus Feld, Berlin")
        self.assertContains(page, "— Li Na, Beijing")
        question = QuestionPage.objects.get(slug=data.QUESTION["slug"], locale__language_code="en")
        answers = self.client.get(question.url)
        self.assertContains(answers, "— Amelia Hart, Toronto")
        self.assertNotContains(answers, "Nadia Rahman")
