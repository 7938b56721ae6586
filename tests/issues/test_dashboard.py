from datetime import date, timedelta

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from issues.editorial import issue_gaps, start_issue
from issues.models import IssuePage, ResponseStatus
from tests.factories import (
    build_site,
    list_items,
    make_article,
    make_issue,
    make_question,
    make_response,
    make_video,
    stream,
)
from tests.issues.editorial_helpers import make_staff
from tests.query_budget import assert_query_budget, queries_of

DASHBOARD = reverse("wagtailadmin_home")


class DashboardTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.staff = make_staff()
        cls.last = make_issue(cls.tree.issues, day=date(2026, 2, 6))
        cls.article = make_article(
            cls.tree.insights, title="The newest analysis", day=date(2026, 2, 10)
        )
        cls.draft_article = make_article(
            cls.tree.insights, title="A draft analysis", day=date(2026, 2, 11)
        )
        cls.draft_article.unpublish()
        cls.video = make_video(cls.tree.videos)

    def dashboard(self, role="editor"):
        self.client.force_login(self.staff[role])
        response = self.client.get(DASHBOARD)
        self.assertEqual(response.status_code, 200)
        return response

    def test_draft_issue_panel_lists_what_the_issue_lacks(self):
        issue = start_issue(self.tree.issues, date(2026, 2, 13))
        response = self.dashboard()
        self.assertContains(response, "The issue in progress")
        self.assertContains(response, reverse("wagtailadmin_pages:edit", args=[issue.pk]))
        self.assertContains(response, "Focus This Week, 13 February 2026")
        for gap in (
            "The editor&#x27;s letter is empty.",
            "The pull quote has no words.",
            "The chart callout has no headline.",
            "No Question of the Week is chosen.",
        ):
            self.assertContains(response, gap)
        # Pre-filled parts are not reported as missing.
        self.assertNotContains(response, "No video is featured.")
        self.assertNotContains(response, "No related links.")

    def test_the_panel_reads_the_latest_draft_not_the_first_save(self):
        issue = start_issue(self.tree.issues, date(2026, 2, 13))
        question = make_question(self.tree.questions)
        issue = IssuePage.objects.get(pk=issue.pk)
        issue.title = "The finished draft"
        issue.summary = "A summary."
        issue.letter = "<p>The week.</p>"
        issue.body = stream(
            ("pull_quote", {"quote": "Words."}),
            ("chart_callout", {"headline": "Debt", "data": [], "source_note": "FRED"}),
            ("video_feature", {"video": self.video.pk}),
            ("question_of_the_week", {"question": question.pk}),
            ("related_links", {"links": list_items([{"page": self.article.pk}])}),
        )
        issue.save_revision(clean=False)
        self.assertEqual(issue_gaps(issue), [])
        response = self.dashboard()
        self.assertContains(response, "The finished draft")
        self.assertContains(response, "Everything is in place")

    def test_with_no_draft_the_panel_offers_the_next_issue(self):
        response = self.dashboard()
        self.assertContains(response, "No issue is in progress.")
        # The start button posts the proposed date, with the CSRF token.
        self.assertContains(response, 'name="csrfmiddlewaretoken"')
        friday = timezone.localdate() + timedelta(days=(4 - timezone.localdate().weekday()) % 7)
        self.assertContains(response, f'name="issue_date" value="{friday:%Y-%m-%d}"')
        self.assertContains(response, reverse("issues_admin:start_next_issue"))

    def test_open_question_panel(self):
        response = self.dashboard()
        self.assertContains(response, "No question is open")
        closed = make_question(
            self.tree.questions,
            title="A closed question",
            closing_date=timezone.localdate() - timedelta(days=1),
        )
        open_ = make_question(self.tree.questions, title="The open question")
        response = self.dashboard()
        self.assertContains(response, "Open Question of the Week")
        self.assertContains(response, "The open question")
        self.assertContains(response, open_.question)
        self.assertContains(response, reverse("wagtailadmin_pages:edit", args=[open_.pk]))
        self.assertNotContains(response, closed.title)

    def test_scheduled_pages_panel(self):
        response = self.dashboard()
        self.assertContains(response, "Nothing is scheduled.")
        go_live = timezone.now() + timedelta(days=3)
        self.draft_article.go_live_at = go_live
        self.draft_article.save_revision(approved_go_live_at=go_live)
        response = self.dashboard()
        self.assertContains(response, "Scheduled to go live")
        self.assertContains(
            response, reverse("wagtailadmin_pages:edit", args=[self.draft_article.pk])
        )
        self.assertContains(response, f"{timezone.localtime(go_live):%-d %B %Y, %H:%M}")

    def test_latest_insights_panel_shows_drafts_and_live_articles(self):
        response = self.dashboard()
        self.assertContains(response, "Latest Insights")
        self.assertContains(response, "The newest analysis")
        self.assertContains(response, "A draft analysis")
        self.assertContains(response, "draft")

    def test_a_contributor_sees_only_the_insights_panel(self):
        start_issue(self.tree.issues, date(2026, 2, 13))
        make_question(self.tree.questions, title="The open question")
        response = self.dashboard("contributor")
        self.assertContains(response, "Latest Insights")
        self.assertNotContains(response, "The issue in progress")
        self.assertNotContains(response, "Focus This Week, 13 February 2026")
        self.assertNotContains(response, "Open Question of the Week")
        self.assertNotContains(response, "Scheduled to go live")
        self.assertNotContains(response, reverse("issues_admin:start_next_issue"))

    def test_a_moderator_sees_none_of_the_editorial_panels(self):
        response = self.dashboard("moderator")
        for heading in ("The issue in progress", "Latest Insights", "Scheduled to go live"):
            self.assertNotContains(response, heading)

    def test_the_dashboard_query_count_is_fixed(self):
        start_issue(self.tree.issues, date(2026, 2, 13))
        make_question(self.tree.questions)
        self.dashboard()
        few = queries_of(lambda: self.client.get(DASHBOARD))
        for day in range(5):
            make_article(self.tree.insights, title=f"More {day}", day=date(2026, 2, 1 + day))
        many = queries_of(lambda: self.client.get(DASHBOARD))
        assert_query_budget(self, few, many, DASHBOARD_QUERIES, "dashboard")


# The open question panel counts its pending responses: one query. Editors hold their
# page rights on the home page, not on the tree's root, so Wagtail's admin loads that
# page (and its site) as the editor's explorable root: two queries. Most of the
# rest are Wagtail's own admin queries: a ceiling, not an exact figure.
DASHBOARD_QUERIES = 41


class OpenQuestionPendingResponsesTests(TestCase):
    """The open question's panel counts answers awaiting moderation, for moderators too."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.staff = make_staff()
        cls.question = make_question(cls.tree.questions, title="The open question")
        other = make_question(
            cls.tree.questions,
            title="Closed",
            closing_date=timezone.localdate() - timedelta(days=3),
        )
        for n, (question, status) in enumerate(
            [
                (cls.question, ResponseStatus.PENDING),
                (cls.question, ResponseStatus.PENDING),
                (cls.question, ResponseStatus.FEATURED),
                (other, ResponseStatus.PENDING),
            ]
        ):
            make_response(question, f"Reader {n}", status)

    def test_count_and_link_to_the_filtered_moderation_list(self):
        for role in ("editor", "moderator"):
            with self.subTest(role=role):
                self.client.force_login(self.staff[role])
                response = self.client.get(DASHBOARD)
                self.assertContains(response, "2 responses awaiting moderation")
                link = (
                    f"/admin/issues/questionresponse/?question__page_ptr__exact={self.question.pk}"
                    "&amp;status__exact=pending"
                )
                self.assertContains(response, link)
                listing = self.client.get(link.replace("&amp;", "&"))
                self.assertContains(listing, "Reader 0")
                self.assertContains(listing, "Reader 1")
                self.assertNotContains(listing, "Reader 2")
                self.assertNotContains(listing, "Reader 3")

    def test_contributors_do_not_see_the_count(self):
        self.client.force_login(self.staff["contributor"])
        self.assertNotContains(self.client.get(DASHBOARD), "awaiting moderation")
