"""load_sample_content builds the seed issue completely, and a second run changes nothing."""

import os
from io import StringIO
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from insights.models import Author, InsightArticlePage, Topic
from issues.models import IssuePage, QuestionPage, VideoPage

# Every part of the 2026-02-06 issue as a reader sees it.
SEED_PARTS = [
    "Dear Focus reader,",
    "Presidents Xi Jinping and Donald Trump held a closely watched phone call",
    "Beijing's response was more measured",
    "accused China of conducting a secret nuclear test in 2020",
    "cautioned against what they called",
    ">Chinese-UK diplomacy</a>",
    ">Washington's foreign policy</a>",
    "Territorial integrity and national sovereignty are clearly non-negotiable baselines",
    "The U.S. national debt, now larger than the country&#x27;s GDP",
    "“Is the American Empire Following a Historic Life Cycle?”</a> by Sajjad Ashraf.",
    "Perceptions of China are changing | The Fung Bros",
    "Watch Video",
    "In this episode of China Current, Andrew Fung of the Fung Bros breaks down",
    "Question of the Week",
    "we featured an article by Tian Shichen on Prime Minister Keir Starmer",
    "We want to hear from you!",
    "How should middle powers navigate relations with China amid shifting global alliances",
    "Submit your thoughts to USeditor@chinausfocus.com for a chance to be featured",
    "Prepared by China-US Focus editorial teams in Hong Kong and New York",
    "Team Focus",
]


def snapshot() -> dict:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "authors": Author.objects.count(),
        "topics": Topic.objects.count(),
        "users": get_user_model().objects.count(),
        "sites": Site.objects.count(),
    }


class LoadSampleContentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = StringIO()
        # As `make run` does: development settings, DEBUG on.
        with override_settings(DEBUG=True):
            call_command("load_sample_content", stdout=cls.output)

    def test_reports_progress_and_admin_login(self):
        text = self.output.getvalue()
        self.assertIn("articles: 9 (9 new)", text)
        self.assertIn("log in at /admin/ as 'admin'", text)

    def test_outside_debug_the_admin_gets_the_password_from_the_environment(self):
        get_user_model().objects.filter(username="admin").delete()
        secret = "a long passphrase nobody published"
        output = StringIO()
        with mock.patch.dict(os.environ, {"FOCUS_ADMIN_PASSWORD": secret}):
            call_command("load_sample_content", stdout=output)
        admin = get_user_model().objects.get(username="admin")
        self.assertTrue(admin.is_superuser)
        self.assertTrue(admin.check_password(secret))
        self.assertNotIn(secret, output.getvalue())
        self.assertIn("with the password from FOCUS_ADMIN_PASSWORD", output.getvalue())

    def test_second_run_changes_nothing(self):
        before = snapshot()
        output = StringIO()
        call_command("load_sample_content", stdout=output)
        self.assertEqual(snapshot(), before)
        self.assertIn("articles: 9 (0 new)", output.getvalue())

    def test_seed_issue_shows_every_part(self):
        issue = IssuePage.objects.get(slug="2026-02-06", locale__language_code="en")
        response = self.client.get("/this-week/2026-02-06/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        for part in SEED_PARTS:
            with self.subTest(part=part):
                self.assertIn(part, html)
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

    def test_links_from_the_seed_issue_resolve(self):
        issue = IssuePage.objects.get(slug="2026-02-06", locale__language_code="en")
        chart = next(block.value for block in issue.body if block.block_type == "chart_callout")
        video = next(block.value for block in issue.body if block.block_type == "video_feature")
        question = next(
            block.value for block in issue.body if block.block_type == "question_of_the_week"
        )
        for page in (chart.live_article, video.live_video, question.question_page):
            with self.subTest(page=page.title):
                self.assertEqual(self.client.get(page.url).status_code, 200)
        self.assertEqual(chart.live_article.author_names(), ["Sajjad Ashraf"])

    def test_site_has_content_for_archives_topics_authors(self):
        self.assertGreaterEqual(IssuePage.objects.live().count(), 4)
        self.assertGreaterEqual(InsightArticlePage.objects.live().count(), 9)
        self.assertEqual(VideoPage.objects.live().filter(locale__language_code="en").count(), 2)
        self.assertEqual(QuestionPage.objects.live().filter(locale__language_code="en").count(), 2)
        for url in (
            "/",
            "/this-week/",
            "/insights/",
            "/insights/topics/foreign-policy/",
            "/authors/sajjad-ashraf/",
            "/authors/tian-shichen/",
            "/videos/",
            "/questions/middle-powers-and-china/",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)
        self.assertContains(self.client.get("/this-week/"), 'id="year-2025"')


class SampleAdminOutsideDebugTests(TestCase):
    """A known password is for local DEBUG sites only."""

    def test_without_a_password_it_refuses_before_loading_anything(self):
        pages = Page.objects.count()
        with (
            mock.patch.dict(os.environ, {"FOCUS_ADMIN_PASSWORD": ""}),
            self.assertRaisesMessage(CommandError, "Set FOCUS_ADMIN_PASSWORD"),
        ):
            call_command("load_sample_content", stdout=StringIO())
        self.assertFalse(get_user_model().objects.exists())
        self.assertEqual(Page.objects.count(), pages)

    def test_the_sample_password_or_a_weak_one_is_refused(self):
        for password, message in [
            ("focus-admin", "is the published sample password"),
            ("admin123", "FOCUS_ADMIN_PASSWORD is too weak"),
        ]:
            with (
                self.subTest(password=password),
                mock.patch.dict(os.environ, {"FOCUS_ADMIN_PASSWORD": password}),
                self.assertRaisesMessage(CommandError, message),
            ):
                call_command("load_sample_content", stdout=StringIO())
        self.assertFalse(get_user_model().objects.exists())
