"""Issue, video and question pages render in a fixed number of queries."""

from datetime import date, timedelta

from django.test import TestCase

from tests.factories import build_site, make_article, make_issue, make_question, make_video
from tests.query_budget import assert_fixed_queries

MANY = 20


class IssuesQueryBudgetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.issue = make_issue(cls.tree.issues, day=date(2026, 2, 6))
        cls.video = make_video(cls.tree.videos)
        cls.question = make_question(
            cls.tree.questions, prompted_by=make_article(cls.tree.insights)
        )

    def test_issue_archive(self):
        def grow():
            for n in range(1, MANY):
                make_issue(self.tree.issues, day=date(2025, 1, 3) + timedelta(weeks=n))

        assert_fixed_queries(self, "/this-week/", grow, ISSUE_ARCHIVE_QUERIES)

    def test_video_listing(self):
        def grow():
            for n in range(1, MANY):
                make_video(self.tree.videos, title=f"Topic {n} | Guest {n}")

        assert_fixed_queries(self, "/videos/", grow, VIDEO_LISTING_QUERIES)

    def test_video_page(self):
        def grow():
            for n in range(1, MANY):
                make_video(self.tree.videos, title=f"Topic {n} | Guest {n}")

        assert_fixed_queries(self, self.video.url, grow, VIDEO_PAGE_QUERIES)

    def test_question_listing(self):
        def grow():
            for n in range(1, MANY):
                make_question(self.tree.questions, title=f"Question {n}")

        assert_fixed_queries(self, "/questions/", grow, QUESTION_LISTING_QUERIES)

    def test_question_page(self):
        def grow():
            for n in range(1, MANY):
                make_question(self.tree.questions, title=f"Question {n}")

        assert_fixed_queries(self, self.question.url, grow, QUESTION_PAGE_QUERIES)


ISSUE_ARCHIVE_QUERIES = 7
VIDEO_LISTING_QUERIES = 9
VIDEO_PAGE_QUERIES = 8
QUESTION_LISTING_QUERIES = 8
QUESTION_PAGE_QUERIES = 8
