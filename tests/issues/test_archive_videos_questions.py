from datetime import date

from django.core.exceptions import ValidationError
from django.test import TestCase
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text

from home.models import HomePage
from issues.models import (
    IssueIndexPage,
    QuestionIndexPage,
    QuestionPage,
    VideoIndexPage,
    VideoPage,
)
from tests.factories import (
    build_site,
    make_article,
    make_image,
    make_issue,
    make_question,
    make_video,
)


class IssueArchiveTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        make_issue(cls.tree.issues, day=date(2025, 12, 19), title="December issue")
        make_issue(cls.tree.issues, day=date(2026, 1, 30), title="January issue")
        make_issue(cls.tree.issues, day=date(2026, 2, 6), title="February issue")
        draft = make_issue(cls.tree.issues, day=date(2026, 2, 13), title="Draft issue")
        draft.unpublish()

    def test_grouped_by_year_newest_first_without_drafts(self):
        html = self.client.get("/this-week/").content.decode()
        self.assertLess(html.index('id="year-2026"'), html.index('id="year-2025"'))
        self.assertLess(html.index("February issue"), html.index("January issue"))
        self.assertNotIn("Draft issue", html)
        self.assertIn('href="/this-week/2025/"', html)


class VideoPageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()

    def test_tree_rules(self):
        self.assertAllowedParentPageTypes(VideoPage, {VideoIndexPage})
        self.assertAllowedParentPageTypes(VideoIndexPage, {HomePage})
        self.assertEqual(VideoIndexPage.max_count, 1)

    def test_renders_poster_and_click_to_load_player_from_stored_data(self):
        video = make_video(self.tree.videos)
        self.assertPageIsRenderable(video)
        html = self.client.get(video.url).content.decode()
        self.assertNotIn("<iframe", html)
        self.assertIn('data-video-player="https://www.youtube-nocookie.com/embed/sampleFung1', html)
        self.assertIn('href="https://www.youtube.com/watch?v=sampleFung1"', html)
        self.assertIn("China Current", html)
        self.assertIn("James Chau", html)
        self.assertIn("15:12", html)
        self.assertEqual(
            (video.topic_title, video.guest_title),
            ("Perceptions of China are changing", "The Fung Bros"),
        )
        self.assertEqual(video.duration_iso, "PT15M12S")

    def test_listing(self):
        make_video(self.tree.videos, title="First | Guest")
        make_video(self.tree.videos, title="Second | Guest")
        response = self.client.get("/videos/")
        self.assertContains(response, "First | Guest")
        self.assertContains(response, "Second | Guest")

    def test_video_id_is_validated(self):
        video = VideoPage(
            title="T | G",
            slug="t",
            video_id="https://youtu.be/x",
            poster=make_image(),
            description="D",
        )
        with self.assertRaises(ValidationError) as caught:
            video.full_clean()
        self.assertIn("video_id", caught.exception.message_dict)

    def test_can_create_in_the_admin(self):
        self.login()
        poster = make_image("Poster")
        self.assertCanCreate(
            self.tree.videos,
            VideoPage,
            nested_form_data(
                {
                    "title": "Topic | Guest",
                    "slug": "topic-guest",
                    "description": "About the video.",
                    "date": "2026-02-04",
                    "provider": "youtube",
                    "video_id": "abcDEF12345",
                    "poster": poster.pk,
                    "duration_seconds": "600",
                    "transcript": rich_text("<p>Words.</p>"),
                }
            ),
        )


class QuestionPageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.article = make_article(cls.tree.insights, title="Starmer in Beijing")

    def test_tree_rules(self):
        self.assertAllowedParentPageTypes(QuestionPage, {QuestionIndexPage})
        self.assertAllowedParentPageTypes(QuestionIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(IssueIndexPage, {HomePage})

    def test_open_question_shows_context_article_and_how_to_respond(self):
        question = make_question(self.tree.questions, prompted_by=self.article)
        self.assertPageIsRenderable(question)
        response = self.client.get(question.url)
        self.assertContains(response, "How should middle powers navigate relations with China?")
        self.assertContains(response, f'href="{self.article.url}"')
        self.assertContains(response, "Share your answer")
        self.assertContains(response, "mailto:")

    def test_closed_question_says_so(self):
        question = make_question(self.tree.questions, closing_date=date(2020, 1, 1))
        self.assertFalse(question.is_open)
        self.assertContains(self.client.get(question.url), "This question is closed")

    def test_unpublished_context_article_is_not_linked(self):
        question = make_question(self.tree.questions, prompted_by=self.article)
        self.article.unpublish()
        self.assertNotContains(self.client.get(question.url), "Starmer in Beijing")

    def test_can_create_in_the_admin(self):
        self.login()
        self.assertCanCreate(
            self.tree.questions,
            QuestionPage,
            nested_form_data(
                {
                    "title": "Middle powers",
                    "slug": "middle-powers",
                    "question": "How should middle powers navigate relations with China?",
                    "context": rich_text("<p>Why we ask.</p>"),
                    "prompted_by": self.article.pk,
                    "date": "2026-02-06",
                    "how_to_respond": rich_text("<p>Write to us.</p>"),
                }
            ),
        )
