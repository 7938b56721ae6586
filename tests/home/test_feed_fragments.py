"""Feed entries kept as page fragments: reused by every rebuild, never after a change they show.

Feeds are rebuilt on every request here (``FOCUS_FEED_CACHE_SECONDS=0``), so
each response is a rebuild. An entry served from its fragment renders no
entry template; each test first proves the feeds are served that way, then
makes the change and reads the content the rebuilt feed shows.

Several tests empty Wagtail's reference index before the change, as a
background index update would leave it just after a publish: the entry must
then be renewed by the tags recorded while it was rendered.
"""

from __future__ import annotations

import json
import re

from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import ReferenceIndex, Site

from home.caching.fragments import PAGE_FRAGMENT_PREFIX
from home.models import SiteSettings
from tests.factories import (
    build_site,
    make_article,
    make_author,
    make_image,
    make_issue,
    make_question,
    make_topic,
    make_video,
    stream,
    translate_page,
)

from .test_page_fragments import FragmentTestCase, chart_image_and_video

FEED_FRAGMENTS_ON = override_settings(
    FOCUS_PAGE_CACHE_ENABLED=False,
    FOCUS_FRAGMENT_CACHE_ENABLED=True,
    FOCUS_PAGE_CACHE_CLOCK_SKEW=0,
    FOCUS_FEED_CACHE_SECONDS=0,
)
ENTRY_TEMPLATES = "feeds/entries/"


class FeedFragmentTestCase(FragmentTestCase):
    def entry_renders(self, url: str) -> int:
        """How many entries the rebuilt feed rendered rather than took from their fragments."""
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return sum(
            1
            for template in response.templates
            if template.name and template.name.startswith(ENTRY_TEMPLATES)
        )

    def warm(self, *urls: str) -> None:
        """Build each feed until every entry comes from its fragment."""
        for url in urls:
            self.client.get(url)
            self.assertEqual(self.entry_renders(url), 0, f"{url}: entries rendered again")

    def contents(self, url: str) -> dict[str, str]:
        """Each entry's content in a JSON feed, by the entry's title."""
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        items = json.loads(response.content)["items"]
        return {item["title"]: item["content_html"] for item in items}

    def item(self, url: str, title: str) -> dict:
        response = self.client.get(url)
        items = {item["title"]: item for item in json.loads(response.content)["items"]}
        return items[title]


@FEED_FRAGMENTS_ON
class FeedFragmentFreshnessTests(FeedFragmentTestCase):
    """Each kind of change an entry shows renews it in the next rebuild of every feed."""

    INSIGHTS = "/feeds/insights.json"
    ISSUES = "/feeds/issues.json"

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.topic = make_topic("Peace & Security", slug="peace-security")
        cls.author = make_author("Ana Palacio", affiliation="Former Minister")
        cls.lead = make_image("Lead", description="Leaders at the table")
        # In a section of its own: nothing but the link ties the article to it.
        cls.target = make_question(cls.tree.questions, slug="asked")
        cls.article = make_article(
            cls.tree.insights,
            title="Original article title",
            authors=[cls.author],
            topics=[cls.topic],
            lead_image=cls.lead,
            slug="original",
            body=stream(
                ("paragraph", f'<p>See <a linktype="page" id="{cls.target.pk}">this</a>.</p>'),
            ),
        )
        cls.chart = make_image("Chart", description="Debt rising since 2011")
        cls.video = make_video(cls.tree.videos, title="Perceptions are changing | Guests")
        cls.issue = make_issue(
            cls.tree.issues,
            title="Issue with blocks",
            body=stream(*chart_image_and_video(cls.article, cls.chart, cls.video)),
        )
        # Created on first use otherwise, which itself (rightly) clears the cache.
        cls.settings_row = SiteSettings.for_site(Site.objects.get(is_default_site=True))

    def forget_references(self) -> None:
        # As a background update of the index would leave it just after the change.
        ReferenceIndex.objects.all().delete()

    def test_an_unchanged_entry_is_reused_by_every_feed_and_format(self):
        self.client.get("/feeds/insights.rss")
        # The same entries in other formats and other feeds: no entry rendered again.
        for url in (
            "/feeds/insights.rss",
            "/feeds/insights.atom",
            "/feeds/insights.json",
            "/feeds/topics/peace-security.json",
            "/feeds/authors/ana-palacio.atom",
        ):
            self.assertEqual(self.entry_renders(url), 0, url)
        # The site feed adds the issue, rendered once, and the video, which
        # renders from its own row every time.
        self.assertEqual(self.entry_renders("/feeds/all.rss"), 2)
        self.assertEqual(self.entry_renders("/feeds/all.json"), 1)

    def test_a_new_entry_renders_alone(self):
        self.warm(self.INSIGHTS)
        make_article(self.tree.insights, title="A newer article")
        # The new entry and the neighbour whose next-article link it changes
        # (their tag is shared with their web pages); the third entry is reused.
        self.assertEqual(self.entry_renders(self.INSIGHTS), 2)
        self.assertIn("A newer article", self.contents(self.INSIGHTS))

    def test_a_rebuild_from_fragments_costs_fewer_queries(self):
        self.client.get(self.ISSUES)
        with CaptureQueriesContext(connection) as kept:
            self.client.get(self.ISSUES)
        with (
            self.settings(FOCUS_FRAGMENT_CACHE_ENABLED=False),
            CaptureQueriesContext(connection) as full,
        ):
            self.client.get(self.ISSUES)
        # The issue's blocks and links are not loaded at all.
        self.assertLess(len(kept.captured_queries), len(full.captured_queries))

    def test_kept_entries_make_the_same_documents(self):
        # Entries are kept written in each format and put together into the
        # document: byte for byte what writing the whole document gives.
        urls = [
            f"/feeds/{name}.{fmt}"
            for name in (
                "all",
                "insights",
                "issues",
                "topics/peace-security",
                "authors/ana-palacio",
            )
            for fmt in ("rss", "atom", "json")
        ]
        with self.settings(FOCUS_FRAGMENT_CACHE_ENABLED=False):
            written = {url: self.client.get(url).content for url in urls}
        for url in urls:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).content, written[url])  # writes, keeps
                self.assertEqual(self.entry_renders(url), 1 if "all" in url else 0)
                self.assertEqual(self.client.get(url).content, written[url])  # from kept

    def test_a_rebuild_from_kept_entries_loads_no_page_in_full(self):
        self.warm(self.INSIGHTS)
        with CaptureQueriesContext(connection) as kept:
            self.client.get(self.INSIGHTS)
        sql = " ".join(query["sql"] for query in kept.captured_queries)
        # Picked by date and keyed by revision; no body, byline, topic or rendition read.
        self.assertIn('"insights_insightarticlepage"."date"', sql)
        for table in ('"insights_insightarticlepage"."body"', "insights_articleauthor"):
            self.assertNotIn(table, sql)
        self.assertNotIn("wagtailimages_rendition", sql)

        newer = make_article(self.tree.insights, title="A newer article")
        with CaptureQueriesContext(connection) as rebuilt:
            self.client.get(self.INSIGHTS)
        full = [
            query["sql"]
            for query in rebuilt.captured_queries
            if '"insights_insightarticlepage"."body"' in query["sql"]
        ]
        # Only the entries a change touched load in full: the new article and
        # the one whose neighbour it became.
        self.assertEqual(len(full), 1)
        loaded = re.search(r"IN \(([0-9, ]+)\)", full[0]).group(1)
        self.assertEqual({int(pk) for pk in loaded.split(",")}, {newer.pk, self.article.pk})

    def test_the_page_republished(self):
        self.warm(self.INSIGHTS)
        self.article.standfirst = "A standfirst rewritten before lunch."
        self.article.title = "A better article title"
        self.article.save_revision().publish()
        content = self.contents(self.INSIGHTS)["A better article title"]
        self.assertIn("A standfirst rewritten before lunch.", content)
        self.assertIn("Read “A better article title” on Focus Insights", content)

    def test_an_image_it_shows_edited(self):
        self.warm(self.INSIGHTS, self.ISSUES)
        self.forget_references()
        self.lead.description = "An empty conference room"
        self.lead.save()
        self.chart.description = "Debt falling after all"
        self.chart.save()
        article = self.contents(self.INSIGHTS)["Original article title"]
        self.assertIn("An empty conference room", article)
        self.assertNotIn("Leaders at the table", article)
        issue = self.contents(self.ISSUES)["Issue with blocks"]
        self.assertIn("Debt falling after all", issue)

    def test_an_author_renamed(self):
        self.warm(self.INSIGHTS, self.ISSUES)
        self.forget_references()
        self.author.name = "Ana Palacio Vallelersundi"
        self.author.save()
        # The article's byline; the chart callout names the cited article's authors.
        article = self.contents(self.INSIGHTS)["Original article title"]
        self.assertIn("Ana Palacio Vallelersundi", article)
        # The entry's own author element, kept with the entry in every format.
        item = self.item(self.INSIGHTS, "Original article title")
        self.assertEqual([person["name"] for person in item["authors"]], [self.author.name])
        rss = self.client.get("/feeds/insights.rss").content.decode()
        self.assertIn("<dc:creator>Ana Palacio Vallelersundi</dc:creator>", rss)
        issue = self.contents(self.ISSUES)["Issue with blocks"]
        self.assertIn("by Ana Palacio Vallelersundi", issue)

    def test_a_topic_renamed(self):
        self.warm(self.INSIGHTS)
        self.topic.name = "Security & Peace"
        self.topic.save()
        item = self.item(self.INSIGHTS, "Original article title")
        self.assertEqual(item["tags"], ["Security & Peace"])

    def test_a_linked_page_retitled(self):
        self.warm(self.ISSUES)
        self.forget_references()
        self.article.title = "A better article title"
        self.article.save_revision().publish()
        issue = self.contents(self.ISSUES)["Issue with blocks"]
        self.assertIn("A better article title", issue)
        self.assertNotIn("Original article title", issue)

    def test_a_linked_page_unpublished(self):
        self.warm(self.ISSUES)
        self.forget_references()
        self.article.unpublish()
        issue = self.contents(self.ISSUES)["Issue with blocks"]
        self.assertNotIn("Original article title", issue)
        self.assertNotIn("Learn more in", issue)

    def test_a_rich_text_link_target_moved(self):
        self.warm(self.INSIGHTS)
        self.forget_references()
        self.target.slug = "asked-again"
        self.target.save_revision().publish()
        article = self.contents(self.INSIGHTS)["Original article title"]
        self.assertIn("/asked-again/", article)
        self.assertNotIn("/asked/", article)

    def test_a_video_it_features_retitled(self):
        self.warm(self.ISSUES)
        self.forget_references()
        self.video.title = "Perceptions keep changing | Guests"
        self.video.save_revision().publish()
        self.assertIn("Perceptions keep changing", self.contents(self.ISSUES)["Issue with blocks"])

    def test_the_settings_edited(self):
        # No entry shows a setting today, but every fragment depends on the site.
        self.warm(self.ISSUES)
        self.settings_row.footer_text = "A footer written today."
        self.settings_row.save()
        self.assertEqual(self.entry_renders(self.ISSUES), 1)

    def test_disabled_keeps_nothing(self):
        with self.settings(FOCUS_FRAGMENT_CACHE_ENABLED=False):
            self.client.get(self.INSIGHTS)
        keys = [key for key in caches["default"]._cache if PAGE_FRAGMENT_PREFIX in key]
        self.assertEqual(keys, [])


@FEED_FRAGMENTS_ON
class FeedFragmentEditionTests(FeedFragmentTestCase):
    """An edition's entries are its own: editing a translation renews that edition's only."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.article = make_article(cls.tree.insights, title="Starmer in Beijing", slug="starmer")
        cls.hans = translate_page(cls.article, "zh-hans", title="斯塔默访华")
        SiteSettings.for_site(Site.objects.get(is_default_site=True))

    def test_editing_a_translation_renews_only_its_edition(self):
        english, chinese = "/feeds/insights.json", "/zh-hans/feeds/insights.json"
        self.warm(english, chinese)

        self.hans.title = "斯塔默访华：新标题"
        self.hans.save_revision().publish()

        self.assertIn("斯塔默访华：新标题", self.contents(chinese)["斯塔默访华：新标题"])
        # The English entry is still served from its fragment, unchanged.
        self.assertEqual(self.entry_renders(english), 0)
        content = self.contents(english)["Starmer in Beijing"]
        self.assertNotIn("斯塔默访华", content)
