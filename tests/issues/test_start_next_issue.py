from datetime import date

from django.core.exceptions import ValidationError
from django.test import Client, TestCase
from django.urls import reverse
from wagtail.models import PageLogEntry

from issues.editorial import IssueExists, next_friday, next_issue_date, start_issue
from issues.models import IssuePage, ResponseStatus
from tests.factories import (
    build_site,
    make_article,
    make_issue,
    make_question,
    make_response,
    make_video,
)
from tests.issues.editorial_helpers import assert_refused, make_staff

START_URL = reverse("issues_admin:start_next_issue")


class NextIssueDateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()

    def test_next_friday_is_strictly_after(self):
        self.assertEqual(next_friday(date(2026, 2, 6)), date(2026, 2, 13))  # a Friday
        self.assertEqual(next_friday(date(2026, 2, 9)), date(2026, 2, 13))  # a Monday
        self.assertEqual(next_friday(date(2026, 2, 12)), date(2026, 2, 13))  # a Thursday

    def test_the_friday_after_the_latest_issue_drafts_included(self):
        make_issue(self.tree.issues, day=date(2026, 1, 30))
        self.assertEqual(
            next_issue_date(self.tree.issues, today=date(2026, 2, 2)), date(2026, 2, 6)
        )
        start_issue(self.tree.issues, date(2026, 2, 6))
        self.assertEqual(
            next_issue_date(self.tree.issues, today=date(2026, 2, 2)), date(2026, 2, 13)
        )

    def test_never_a_date_already_past(self):
        make_issue(self.tree.issues, day=date(2026, 1, 30))
        # Months later: the next Friday from today, not one in January.
        self.assertEqual(
            next_issue_date(self.tree.issues, today=date(2026, 11, 29)), date(2026, 12, 4)
        )
        # A Friday today is still today's issue.
        self.assertEqual(
            next_issue_date(self.tree.issues, today=date(2026, 12, 4)), date(2026, 12, 4)
        )

    def test_without_any_issue_the_coming_friday(self):
        self.assertEqual(
            next_issue_date(self.tree.issues, today=date(2026, 2, 10)), date(2026, 2, 13)
        )


class StartNextIssueTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.staff = make_staff()
        cls.last = make_issue(
            cls.tree.issues,
            day=date(2026, 2, 6),
            issue_number=140,
            letter="<p>Last week's letter.</p>",
        )
        cls.old_article = make_article(
            cls.tree.insights, title="Before the issue", day=date(2026, 2, 5)
        )
        cls.new_articles = [
            make_article(cls.tree.insights, title="Since, first", day=date(2026, 2, 9)),
            make_article(cls.tree.insights, title="Since, second", day=date(2026, 2, 11)),
        ]
        cls.unpublished = make_article(
            cls.tree.insights, title="Not yet out", day=date(2026, 2, 10)
        )
        cls.unpublished.unpublish()
        cls.video = make_video(cls.tree.videos)
        cls.question = make_question(cls.tree.questions)

    def setUp(self):
        self.client.force_login(self.staff["editor"])

    def start(self, issue_date="2026-02-13", client=None):
        return (client or self.client).post(START_URL, {"issue_date": issue_date})

    def test_the_form_proposes_the_next_friday_and_lists_what_it_offers(self):
        response = self.client.get(START_URL)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'value="2026-12-04"')  # months after the sample issue
        self.assertEqual(IssuePage.objects.count(), 1)

    def test_starts_a_prefilled_draft_and_opens_it(self):
        response = self.start()
        issue = IssuePage.objects.get(issue_date=date(2026, 2, 13))
        self.assertRedirects(response, reverse("wagtailadmin_pages:edit", args=[issue.pk]))
        self.assertFalse(issue.live)
        self.assertTrue(issue.has_unpublished_changes)
        self.assertEqual(issue.slug, "2026-02-13")
        self.assertEqual(issue.issue_number, 141)
        self.assertEqual(issue.owner, self.staff["editor"])
        self.assertEqual(issue.greeting, "Dear Focus reader,")
        self.assertEqual(issue.sign_off, "Team Focus")
        self.assertEqual(issue.letter, "")
        self.assertEqual(
            [block.block_type for block in issue.body],
            [
                "pull_quote",
                "chart_callout",
                "video_feature",
                "question_of_the_week",
                "related_links",
            ],
        )
        video, question, links = (block.value for block in list(issue.body)[2:])
        self.assertEqual(video["video"].pk, self.video.pk)
        self.assertEqual(question["question"].pk, self.question.pk)
        # Live articles since the last issue, newest first; not older ones, not unpublished ones.
        self.assertEqual(
            [link["page"].pk for link in links["links"]],
            [self.new_articles[1].pk, self.new_articles[0].pk],
        )
        self.assertTrue(PageLogEntry.objects.filter(page=issue, action="wagtail.create").exists())
        # The editor opens straight onto a form that renders.
        edit = self.client.get(response["Location"])
        self.assertEqual(edit.status_code, 200)
        self.assertContains(edit, "Since, second")

    def test_refuses_a_date_that_has_an_issue_and_changes_nothing(self):
        before = IssuePage.objects.get(pk=self.last.pk)
        response = self.start("2026-02-06")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "There is already an issue dated 6 February 2026")
        self.assertContains(response, reverse("wagtailadmin_pages:edit", args=[self.last.pk]))
        self.assertEqual(IssuePage.objects.count(), 1)
        after = IssuePage.objects.get(pk=self.last.pk)
        self.assertEqual(after.letter, before.letter)
        self.assertEqual(after.latest_revision_id, before.latest_revision_id)

    def test_the_model_level_guard_never_overwrites(self):
        with self.assertRaises(IssueExists):
            start_issue(self.tree.issues, date(2026, 2, 6))
        self.assertEqual(IssuePage.objects.count(), 1)

    def test_bad_dates_get_a_clear_message(self):
        for value, message in (("", "Enter the issue"), ("next friday", "YYYY-MM-DD")):
            with self.subTest(value=value):
                response = self.start(value)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
        self.assertEqual(IssuePage.objects.count(), 1)

    def test_post_needs_the_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.staff["editor"])
        self.assertEqual(self.start(client=client).status_code, 403)
        self.assertEqual(IssuePage.objects.count(), 1)

    def test_get_never_creates(self):
        self.client.get(START_URL, {"issue_date": "2026-02-13"})
        self.assertEqual(IssuePage.objects.count(), 1)

    def test_refused_to_those_who_may_not_add_issues(self):
        for role in ("contributor", "moderator"):
            with self.subTest(role=role):
                self.client.force_login(self.staff[role])
                for response in (self.client.get(START_URL), self.start()):
                    assert_refused(self, response)
        self.assertEqual(IssuePage.objects.count(), 1)

    def test_button_on_the_issue_archive(self):
        response = self.client.get(reverse("wagtailadmin_explore", args=[self.tree.issues.pk]))
        self.assertContains(response, START_URL)
        other = self.client.get(reverse("wagtailadmin_explore", args=[self.tree.insights.pk]))
        self.assertNotContains(other, START_URL)

    def test_the_started_draft_cannot_be_published_without_a_letter(self):
        self.start()
        issue = IssuePage.objects.get(issue_date=date(2026, 2, 13))
        with self.assertRaises(ValidationError) as refused:
            issue.get_latest_revision().publish()
        self.assertIn("letter", refused.exception.message_dict)
        issue.refresh_from_db()
        self.assertFalse(issue.live)


class WaitingAnswersTests(TestCase):
    """Featured reader answers not yet published bring a Reader responses block."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.staff = make_staff()
        cls.last = make_issue(cls.tree.issues, day=date(2026, 2, 6))
        cls.answered = make_question(cls.tree.questions, title="Last week's question")
        make_response(cls.answered, name="Ana Costa", status=ResponseStatus.FEATURED)
        make_response(cls.answered, name="Ben Ode", status=ResponseStatus.FEATURED)
        make_response(cls.answered, name="Cai Lun", status=ResponseStatus.PENDING)

    def setUp(self):
        self.client.force_login(self.staff["editor"])

    def started(self) -> IssuePage:
        self.client.post(START_URL, {"issue_date": "2026-02-13"})
        return IssuePage.objects.get(issue_date=date(2026, 2, 13))

    def test_the_form_says_answers_are_waiting(self):
        response = self.client.get(START_URL)
        self.assertContains(response, "Reader responses")
        self.assertContains(response, "2 featured")

    def test_the_draft_gets_a_reader_responses_block_before_the_links(self):
        issue = self.started()
        types = [block.block_type for block in issue.body]
        self.assertEqual(types[-2:], ["reader_responses", "related_links"])
        value = list(issue.body)[-2].value
        self.assertEqual(value["question"].pk, self.answered.pk)
        self.assertEqual(value["count"], 2)
        self.assertEqual([r.name for r in value.responses], ["Ana Costa", "Ben Ode"])

    def test_answers_already_published_bring_no_block(self):
        self.answered.responses.update(featured_in=self.last)
        issue = self.started()
        self.assertNotIn("reader_responses", [block.block_type for block in issue.body])
        self.assertNotContains(self.client.get(START_URL), "featured answer")
