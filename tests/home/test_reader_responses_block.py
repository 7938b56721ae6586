"""The reader responses block: featured answers in four renderings, at a fixed query cost."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.test import RequestFactory, TestCase

from home.blocks import ReaderResponsesBlock
from issues.models import ResponseStatus
from tests.factories import build_site, make_issue, make_question, make_response, stream
from tests.query_budget import assert_query_budget, queries_of


class ReaderResponsesBlockTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.question = make_question(cls.tree.questions, question="Hedge or choose?")
        make_response(cls.question, "Ana Costa", ResponseStatus.FEATURED, response="Hedge <b>.")
        make_response(cls.question, "Ben Okafor", ResponseStatus.FEATURED, affiliation="")
        make_response(cls.question, "Chen Jie", ResponseStatus.FEATURED)
        make_response(cls.question, "Dana Pending", ResponseStatus.PENDING)
        make_response(cls.question, "Eli Approved", ResponseStatus.APPROVED)
        make_response(cls.question, "Fay Rejected", ResponseStatus.REJECTED)

    def value(self, **raw):
        block = ReaderResponsesBlock()
        return block, block.to_python({"question": self.question.pk, **raw})

    def render(self, mode: str, **raw) -> str:
        block, value = self.value(**raw)
        request = RequestFactory().get("/")
        return str(block.render_as(value, mode, {"request": request}))

    def test_every_rendering_shows_featured_answers_only_escaped(self):
        for mode in ("web", "email", "feed", "text"):
            with self.subTest(mode=mode):
                html = self.render(mode, heading="You answered", count=5)
                self.assertIn("Ana Costa, Lisbon", html)
                self.assertIn("— Ben Okafor\n" if mode == "text" else "— Ben Okafor<", html)
                self.assertIn("Chen Jie", html)
                for hidden in ("Dana Pending", "Eli Approved", "Fay Rejected", "@example.org"):
                    self.assertNotIn(hidden, html)
                if mode == "text":
                    self.assertIn("YOU ANSWERED", html)
                    self.assertIn("“Hedge <b>.”", html)  # plain text: not escaped
                    self.assertIn(f"http://testserver{self.question.url}", html)
                else:
                    self.assertIn("Hedge &lt;b&gt;.", html)
                    self.assertNotIn("<b>", html)
                    self.assertIn("You answered", html)

    def test_email_rendering_is_table_based_with_inline_styles(self):
        html = self.render("email")
        self.assertIn('<table role="presentation"', html)
        self.assertIn('style="', html)
        self.assertNotIn("<script", html)
        self.assertNotIn("class=", html)

    def test_count_limits_the_answers_in_submission_order(self):
        html = self.render("web", count=2)
        self.assertIn("Ana Costa", html)
        self.assertIn("Ben Okafor", html)
        self.assertNotIn("Chen Jie", html)

    def test_count_is_bounded(self):
        block = ReaderResponsesBlock()
        for count in (0, 11):
            with self.subTest(count=count), self.assertRaises(ValidationError):
                block.clean(block.to_python({"question": self.question.pk, "count": count}))

    def test_nothing_renders_for_an_unpublished_question_or_no_featured_answers(self):
        empty = make_question(self.tree.questions)
        block = ReaderResponsesBlock()
        self.assertEqual(str(block.render(block.to_python({"question": empty.pk}))).strip(), "")
        self.question.unpublish()
        try:
            self.assertEqual(self.render("web").strip(), "")
        finally:
            self.question.save_revision().publish()


class ReaderResponsesQueryTests(TestCase):
    """An issue with many reader responses blocks costs the same queries as one with one."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        questions = [make_question(cls.tree.questions) for _ in range(4)]
        for question in questions:
            for number in range(3):
                make_response(question, f"Reader {number}", ResponseStatus.FEATURED)
        block = ("reader_responses", {"question": questions[0].pk, "count": 3})
        cls.one = make_issue(cls.tree.issues, day=date(2026, 2, 6), body=stream(block))
        cls.many = make_issue(
            cls.tree.issues,
            day=date(2026, 2, 13),
            body=stream(
                *[
                    ("reader_responses", {"question": question.pk, "count": 3})
                    for question in questions * 3
                ]
            ),
        )

    def test_query_count_is_fixed(self):
        self.client.get(self.one.url)
        self.client.get(self.many.url)
        few_count = queries_of(lambda: self.client.get(self.one.url))
        many_count = queries_of(lambda: self.client.get(self.many.url))
        assert_query_budget(
            self, few_count, many_count, READER_RESPONSES_ISSUE_QUERIES, "issue with responses"
        )
        one, many = self.client.get(self.one.url), self.client.get(self.many.url)
        self.assertEqual(one.content.count(b'class="reader-response"'), 3)
        self.assertEqual(many.content.count(b'class="reader-response"'), 36)


# A ceiling: one block and twelve cost the same.
READER_RESPONSES_ISSUE_QUERIES = 9
