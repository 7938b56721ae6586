"""The sample site carries reader responses in every state, and loads them once."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from home.sample_content import data
from issues.models import IssuePage, QuestionPage, QuestionResponse, ResponseStatus


class SampleResponsesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_sample_content", "--no-admin", stdout=StringIO())

    def test_open_question_has_a_response_in_each_state(self):
        question = QuestionPage.objects.get(slug=data.QUESTION["slug"])
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

    def test_sample_issue_features_last_weeks_answers(self):
        issue = IssuePage.objects.get(slug="2026-02-06")
        page = self.client.get(issue.url)
        self.assertContains(page, "Last week, you answered")
        self.assertContains(page, "— Marcus Feld, Berlin")
        self.assertContains(page, "— Li Na, Beijing")
        question = QuestionPage.objects.get(slug=data.QUESTION["slug"])
        answers = self.client.get(question.url)
        self.assertContains(answers, "— Amelia Hart, Toronto")
        self.assertNotContains(answers, "Nadia Rahman")
