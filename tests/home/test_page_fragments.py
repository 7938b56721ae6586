"""Page fragments: reused between uncached renders, never after a change they show.

The page cache is off here and the fragment cache on, so every response is
rendered, and each test first proves the page is served from its fragments
(fewer queries than a full render) before making the change.
"""

from datetime import timedelta

from django.core.cache import caches
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from home.caching.fragments import PAGE_FRAGMENT_PREFIX
from home.models import SiteSettings
from issues.models import QuestionResponse, ResponseStatus
from tests.factories import (
    build_site,
    list_items,
    make_article,
    make_author,
    make_image,
    make_issue,
    make_question,
    make_response,
    make_topic,
    make_video,
    stream,
    translate_page,
)

FRAGMENTS_ON = override_settings(
    FOCUS_PAGE_CACHE_ENABLED=False,
    FOCUS_FRAGMENT_CACHE_ENABLED=True,
    FOCUS_PAGE_CACHE_CLOCK_SKEW=0,
)


def chart_image_and_video(article, chart, video) -> list[tuple[str, dict]]:
    """An issue's blocks that show another page, an image and a video: what fragments depend on."""
    return [
        (
            "chart_callout",
            {
                "headline": "Debt",
                "data": list_items([{"label": "A", "value": "1"}, {"label": "B", "value": "2"}]),
                "source_note": "FRED",
                "article": article.pk,
            },
        ),
        ("image", {"image": chart.pk, "alt_text": "", "caption": "", "credit": ""}),
        ("video_feature", {"video": video.pk, "blurb": "", "cta_label": "Watch"}),
    ]


class FragmentTestCase(TestCase):
    def setUp(self):
        caches["default"].clear()
        caches["counters"].clear()

    def render(self, url: str) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return len(captured.captured_queries), response.content.decode()

    def full_render_queries(self, url: str) -> int:
        with self.settings(FOCUS_FRAGMENT_CACHE_ENABLED=False):
            return self.render(url)[0]

    def warm(self, *urls: str) -> None:
        """Render each URL until it is served from its fragments, which a stale copy would be."""
        for url in urls:
            self.client.get(url)
            hit, _html = self.render(url)
            self.assertLess(hit, self.full_render_queries(url), f"{url}: fragments not used")

    def assert_shows(self, url: str, present=(), absent=()) -> None:
        _count, html = self.render(url)
        for text in present:
            self.assertIn(text, html, url)
        for text in absent:
            self.assertNotIn(text, html, url)


@FRAGMENTS_ON
class FragmentFreshnessTests(FragmentTestCase):
    """Each kind of change a block or a page part shows clears the fragments showing it."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.topic = make_topic("Peace & Security", slug="peace-security")
        cls.author = make_author("Ana Palacio", affiliation="Former Minister")
        cls.lead = make_image("Lead", description="Leaders at the table")
        cls.article = make_article(
            cls.tree.insights,
            title="Original article title",
            authors=[cls.author],
            topics=[cls.topic],
            lead_image=cls.lead,
        )
        cls.chart = make_image("Chart", description="Debt rising since 2011")
        cls.video = make_video(cls.tree.videos, title="Perceptions are changing | Guests")
        cls.question = make_question(
            cls.tree.questions,
            prompted_by=cls.article,
            question="Should middle powers pick a side?",
        )
        cls.issue = make_issue(
            cls.tree.issues,
            body=stream(
                *chart_image_and_video(cls.article, cls.chart, cls.video),
                (
                    "question_of_the_week",
                    {
                        "question": cls.question.pk,
                        "heading": "Question of the Week",
                        "invitation": "Tell us",
                    },
                ),
                (
                    "reader_responses",
                    {"question": cls.question.pk, "heading": "You said", "intro": "", "count": 3},
                ),
            ),
        )
        cls.response = make_response(
            cls.question,
            name="Rui Costa",
            response="Balance is the only sane course.",
            status=ResponseStatus.FEATURED,
            featured_in=cls.issue,
        )
        # Created on first use otherwise, which itself (rightly) clears the cache.
        cls.settings_row = SiteSettings.for_site(Site.objects.get(is_default_site=True))

    def test_a_linked_article_retitled(self):
        self.warm(self.issue.url, self.article.url, "/")
        self.article.title = "A better article title"
        self.article.save_revision().publish()
        for url in (self.issue.url, self.article.url, "/"):
            self.assert_shows(url, present=["A better article title"], absent=["Original article"])

    def test_a_linked_article_unpublished(self):
        self.warm(self.issue.url, "/")
        self.article.unpublish()
        self.assert_shows(self.issue.url, absent=["Original article title", "Learn more in"])
        self.assert_shows("/", absent=["Original article title"])

    def test_a_linked_article_made_private(self):
        self.warm(self.article.url, "/")
        PageViewRestriction.objects.create(page=self.article, restriction_type="login")
        self.assert_shows("/", absent=["Original article title"])
        response = self.client.get(self.article.url)
        self.assertEqual(response.status_code, 302)

    def test_an_image_changed(self):
        self.warm(self.issue.url, self.article.url)
        self.chart.description = "Debt falling after all"
        self.chart.save()
        self.lead.description = "An empty conference room"
        self.lead.save()
        self.assert_shows(self.issue.url, present=["Debt falling after all"])
        # The lead image's alternative text is in the content and twice in the head.
        _count, html = self.render(self.article.url)
        self.assertEqual(html.count("An empty conference room"), 3)
        self.assertNotIn("Leaders at the table", html)

    def test_an_author_renamed(self):
        self.warm(self.issue.url, self.article.url)
        self.author.name = "Ana Palacio Vallelersundi"
        self.author.save()
        # The chart callout names the article's authors; the article its byline.
        self.assert_shows(self.issue.url, present=["by Ana Palacio Vallelersundi"])
        self.assert_shows(self.article.url, present=["Ana Palacio Vallelersundi"])

    def test_a_topic_renamed(self):
        self.warm(self.article.url)
        self.topic.name = "Security & Peace"
        self.topic.save()
        self.assert_shows(self.article.url, present=["Security &amp; Peace"])

    def test_a_featured_response_moderated(self):
        self.warm(self.issue.url)
        self.assert_shows(self.issue.url, present=["Balance is the only sane course."])
        QuestionResponse.objects.filter(pk=self.response.pk).moderate(ResponseStatus.REJECTED)
        self.assert_shows(self.issue.url, absent=["Balance is the only sane course."])

    def test_the_question_closing(self):
        self.warm("/")
        self.assert_shows("/", present=["Should middle powers pick a side?"])
        self.question.closing_date = timezone.localdate() - timedelta(days=1)
        self.question.save_revision().publish()
        self.assert_shows("/", absent=["Should middle powers pick a side?"])

    def test_a_video_retitled(self):
        self.warm(self.issue.url, "/")
        self.video.title = "Perceptions keep changing | Guests"
        self.video.save_revision().publish()
        for url in (self.issue.url, "/"):
            self.assert_shows(url, present=["Perceptions keep changing"])

    def test_the_settings_edited(self):
        self.warm(self.issue.url)
        self.settings_row.footer_text = "A footer written today."
        self.settings_row.newsletter_email = "answers@focus.example"
        self.settings_row.save()
        # Each shows twice: in the issue (its footer, the question's panel) and
        # in the site footer, which is rendered every time.
        _count, html = self.render(self.issue.url)
        self.assertEqual(html.count("A footer written today."), 2)
        self.assertEqual(html.count("mailto:answers@focus.example"), 2)

    def test_a_newer_sibling_changes_previous_and_next(self):
        self.warm(self.article.url)
        newer = make_article(
            self.tree.insights, title="The newest analysis", day=self.article.date + timedelta(1)
        )
        self.assert_shows(self.article.url, present=["The newest analysis"])
        self.assert_shows(newer.url, present=["Original article title"])

    def test_republishing_the_page_itself(self):
        self.warm(self.issue.url)
        self.issue.letter = "<p>A letter rewritten before lunch.</p>"
        self.issue.save_revision().publish()
        self.assert_shows(self.issue.url, present=["A letter rewritten before lunch."])


@FRAGMENTS_ON
class FragmentEditionTests(FragmentTestCase):
    """A translation is a page of its own: editing it renews its edition's fragments only."""

    ISSUE = "/this-week/2026-02-06/"

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.article = make_article(cls.tree.insights, title="Starmer in Beijing", slug="starmer")
        cls.issue = make_issue(
            cls.tree.issues,
            body=stream(
                (
                    "related_links",
                    {
                        "heading": "Latest Focus content",
                        "intro": "",
                        "links": list_items([{"page": cls.article.pk, "url": "", "label": ""}]),
                    },
                )
            ),
        )
        cls.hans = translate_page(cls.article, "zh-hans", title="斯塔默访华")
        translate_page(cls.issue, "zh-hans")
        SiteSettings.for_site(Site.objects.get(is_default_site=True))

    def test_editing_a_translation_renews_only_its_edition(self):
        english, chinese = self.ISSUE, "/zh-hans" + self.ISSUE
        self.warm(english, chinese)
        english_hit = self.render(english)[0]

        self.hans.title = "斯塔默访华：新标题"
        self.hans.save_revision().publish()

        self.assert_shows(chinese, present=["斯塔默访华：新标题"])
        # The English issue is still served from its fragments, unchanged.
        count, html = self.render(english)
        self.assertEqual(count, english_hit)
        self.assertIn("Starmer in Beijing", html)
        self.assertNotIn("斯塔默访华", html)


@FRAGMENTS_ON
class FragmentScopeTests(FragmentTestCase):
    """What is kept, for whom, and for how long."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.article = make_article(cls.tree.insights, title="Live article title")
        SiteSettings.for_site(Site.objects.get(is_default_site=True))

    def test_a_preview_neither_reads_nor_fills_fragments(self):
        self.warm(self.article.url)
        draft = self.article.get_latest_revision_as_object()
        draft.title = "Draft article title"
        draft.save_revision()
        before = set(caches["default"]._cache)

        response = draft.make_preview_request()
        self.assertContains(response, "Draft article title")
        self.assertNotContains(response, "Live article title")
        self.assertEqual(set(caches["default"]._cache), before)
        self.assert_shows(self.article.url, present=["Live article title"], absent=["Draft"])

    def test_a_page_without_fragments_keeps_none(self):
        self.client.get("/insights/")
        self.client.get(self.article.url)
        keys = [key for key in caches["default"]._cache if PAGE_FRAGMENT_PREFIX in key]
        # The article's head and content; nothing for the listing.
        self.assertEqual(len(keys), 2)

    def test_an_open_question_caps_the_page_cache_on_a_fragment_hit(self):
        make_question(self.tree.questions, closing_date=timezone.localdate())
        end_of_day = timezone.make_aware(
            timezone.datetime.combine(
                timezone.localdate() + timedelta(1), timezone.datetime.min.time()
            )
        ).timestamp()
        self.warm("/")
        with self.settings(FOCUS_PAGE_CACHE_ENABLED=True, FOCUS_CDN_MAX_AGE=10**9):
            response = self.client.get("/")
        s_maxage = int(response["Cache-Control"].split("s-maxage=")[1].split(",")[0])
        self.assertLessEqual(s_maxage, end_of_day - timezone.now().timestamp() + 1)

    def test_a_miss_costs_no_more_queries_than_a_full_render(self):
        issue = make_issue(self.tree.issues)
        for url in ("/", self.article.url, issue.url):
            # Full renders keep nothing of the page but warm what every render shares
            # (site fragments, renditions).
            self.full_render_queries(url)
            full = self.full_render_queries(url)
            miss, _html = self.render(url)
            self.assertLessEqual(miss, full, url)
            hit, _html = self.render(url)
            self.assertLess(hit, miss, url)

    def test_an_alias_follows_its_original(self):
        # An alias takes its original's content without a revision of its own:
        # Wagtail publishes it with the original, which clears its fragments.
        alias = self.article.create_alias(update_slug="live-article-alias")
        url = alias.get_url()
        self.assert_shows(url, present=["Live article title"])
        self.assert_shows(url, present=["Live article title"])
        self.article.title = "Original retitled"
        self.article.save_revision().publish()
        self.assert_shows(url, present=["Original retitled"], absent=["Live article title"])

    def test_disabled_keeps_nothing(self):
        with self.settings(FOCUS_FRAGMENT_CACHE_ENABLED=False):
            self.client.get(self.article.url)
        keys = [key for key in caches["default"]._cache if PAGE_FRAGMENT_PREFIX in key]
        self.assertEqual(keys, [])
