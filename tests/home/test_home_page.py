from datetime import date

from django.test import TestCase
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from insights.models import InsightsIndexPage
from issues.models import IssueIndexPage, QuestionIndexPage, VideoIndexPage
from tests.factories import build_site, make_article, make_issue, make_question, make_video


class HomePageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()

    def test_tree_rules(self):
        self.assertAllowedSubpageTypes(
            HomePage, {IssueIndexPage, InsightsIndexPage, VideoIndexPage, QuestionIndexPage}
        )
        self.assertEqual(HomePage.max_count, 1)

    def test_shows_latest_issue_insights_video_and_open_question(self):
        make_issue(self.tree.issues, day=date(2026, 1, 30), title="Older issue")
        latest = make_issue(self.tree.issues, day=date(2026, 2, 6), title="Latest issue")
        article = make_article(self.tree.insights, title="Newest insight")
        video = make_video(self.tree.videos)
        make_question(
            self.tree.questions, question="Closed question?", closing_date=date(2020, 1, 1)
        )
        open_question = make_question(self.tree.questions, question="Open question?")
        self.assertPageIsRenderable(self.tree.home)
        response = self.client.get("/")
        self.assertContains(response, f'href="{latest.url}"')
        self.assertNotContains(response, "Older issue")
        self.assertContains(response, article.title)
        self.assertContains(response, video.title)
        self.assertContains(response, "Open question?")
        self.assertNotContains(response, "Closed question?")
        self.assertContains(response, f'href="{open_question.url}"')

    def test_empty_site_still_renders(self):
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "No articles yet.")

    def test_header_navigation_lists_sections_and_marks_the_current_one(self):
        response = self.client.get("/insights/")
        self.assertContains(response, '<a href="/this-week/">Focus This Week</a>', html=True)
        self.assertContains(response, 'href="/insights/" aria-current="page"')


class NotFoundTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_site()

    def test_unknown_paths_get_the_designed_404(self):
        for url in ("/no-such-page/", "/this-week/1999-01-01/", "/insights/topics/x/y/z/"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 404)
                self.assertContains(response, "We could not find that page", status_code=404)
                self.assertContains(response, 'lang="en"', status_code=404)
