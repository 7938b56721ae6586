"""Every feed, read with a real feed parser: scopes, formats and entry fields."""

from __future__ import annotations

import json
from xml.etree import ElementTree

from django.test import TestCase, override_settings

from tests.factories import make_article, make_image

from .feed_helpers import (
    CONTENT_TYPES,
    FORMATS,
    ORIGIN,
    SCOPES,
    build_feed_site,
    check_json_feed,
    clear_feed_cache,
    parse,
    titles,
    well_formed,
)


class FeedContentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_feed_site(cls)

    def setUp(self):
        clear_feed_cache()

    def get(self, path: str):
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200, path)
        return response

    def entry(self, path: str, title: str):
        feed = parse(self.get(path))
        return next(entry for entry in feed.entries if entry.title == title)

    def test_every_scope_and_format_is_valid(self):
        for scope in SCOPES:
            for fmt in FORMATS:
                with self.subTest(scope=scope, fmt=fmt):
                    response = self.get(f"/feeds/{scope}.{fmt}")
                    self.assertEqual(response["Content-Type"], CONTENT_TYPES[fmt])
                    well_formed(response)
                    if fmt == "json":
                        document = json.loads(response.content)
                        check_json_feed(self, document)
                        self.assertTrue(document["items"])
                        continue
                    feed = parse(response)
                    self.assertFalse(feed.bozo, feed.get("bozo_exception"))
                    self.assertTrue(feed.feed.title)
                    self.assertTrue(feed.entries)
                    for entry in feed.entries:
                        self.assertTrue(entry.id.startswith("tag:testserver,"))
                        self.assertTrue(entry.link.startswith(ORIGIN + "/"))
                        self.assertTrue(entry.published_parsed)

    def test_scopes_hold_the_right_pages_newest_first(self):
        titles = {
            scope: [entry.title for entry in parse(self.get(f"/feeds/{scope}.rss")).entries]
            for scope in SCOPES
        }
        article, older = self.article.title, "Older article"
        self.assertEqual(titles["insights"], [article, older])
        self.assertEqual(titles["issues"], ["A closely watched call"])
        self.assertEqual(titles["videos"], [self.video.title])
        self.assertEqual(titles["topics/foreign-policy"], [article])
        self.assertEqual(titles["topics/finance-economy"], [article, older])
        self.assertEqual(titles["authors/sajjad-ashraf"], [article])
        self.assertEqual(titles["authors/lawrence-lau"], [article, older])
        # The video is dated today, the issue 6 February, the articles 3 February.
        self.assertEqual(
            titles["all"], [self.video.title, "A closely watched call", article, older]
        )

    def test_rss_article_entry(self):
        response = self.get("/feeds/insights.rss")
        root = ElementTree.fromstring(response.content)
        atom_self = root.find("channel/{http://www.w3.org/2005/Atom}link")
        self.assertEqual(atom_self.get("rel"), "self")
        self.assertEqual(atom_self.get("href"), f"{ORIGIN}/feeds/insights.rss")
        item = root.find("channel/item")
        creators = [el.text for el in item.findall("{http://purl.org/dc/elements/1.1/}creator")]
        self.assertEqual(creators, ["Sajjad Ashraf", "Lawrence Lau"])
        encoded = item.find("{http://purl.org/rss/1.0/modules/content/}encoded").text
        self.assertIn("Debt above the size of the economy", encoded)

        entry = parse(response).entries[0]
        self.assertEqual(entry.title, self.article.title)
        self.assertEqual(entry.link, f"{ORIGIN}/insights/empire/")
        self.assertEqual(
            entry.id, f"tag:testserver,{self.first_published_day()}:page:{self.article.pk}"
        )
        self.assertEqual(entry.summary, "Debt above the size of the economy is one sign.")
        self.assertEqual(
            [tag.term for tag in entry.tags],
            ["Finance & Economy", "Foreign Policy", "us-china-policy"],
        )
        image = entry.media_content[0]
        self.assertEqual(image["medium"], "image")
        self.assertTrue(image["url"].startswith(f"{ORIGIN}/media/images/"))
        self.assertTrue(entry.media_thumbnail[0]["url"].startswith(f"{ORIGIN}/media/"))
        self.assert_full_content(entry.content[0].value)

    def first_published_day(self) -> str:
        from datetime import UTC

        return self.article.first_published_at.astimezone(UTC).date().isoformat()

    def assert_full_content(self, html: str) -> None:
        """The body, rendered for feeds: absolute, no scripts or frames, charts as images."""
        self.assertIn("<h2>Section</h2>", html)
        self.assertIn(f'href="{ORIGIN}/insights/older-article/"', html)  # rich text page link
        self.assertIn(f'src="{ORIGIN}/media/images/', html)  # image block rendition
        self.assertIn('alt="A harbour"', html)
        chart = next(child for child in self.article.body if child.block_type == "chart_callout")
        # Versioned by the chart's data, so a reader's image cache never keeps an old one.
        src = f"{ORIGIN}/charts/{self.article.pk}/{chart.id}/{chart.value.png_version}.png"
        self.assertIn(f'src="{src}"', html)
        self.assertIn("Source: FRED", html)
        self.assertIn('href="https://youtu.be/abcDEF12345"', html)  # embed as a link
        self.assertIn("Sajjad Ashraf", html)
        self.assertIn("Former Adjunct Professor", html)
        for forbidden in ("<script", "<iframe", "alert(1)", 'src="/', 'href="/'):
            self.assertNotIn(forbidden, html)

    def test_atom_article_entry(self):
        feed = parse(self.get("/feeds/insights.atom"))
        self.assertEqual(feed.version, "atom10")
        self.assertEqual(
            [link.href for link in feed.feed.links if link.rel == "self"],
            [f"{ORIGIN}/feeds/insights.atom"],
        )
        entry = feed.entries[0]
        self.assertEqual(entry.title, self.article.title)
        self.assertEqual(
            [(author.name, author.href) for author in entry.authors],
            [
                ("Sajjad Ashraf", f"{ORIGIN}/authors/sajjad-ashraf/"),
                ("Lawrence Lau", f"{ORIGIN}/authors/lawrence-lau/"),
            ],
        )
        self.assertTrue(entry.published_parsed)
        self.assertTrue(entry.updated_parsed)
        self.assertGreaterEqual(entry.updated_parsed, entry.published_parsed)
        terms = {(tag.term, tag.label) for tag in entry.tags}
        self.assertIn(("foreign-policy", "Foreign Policy"), terms)
        self.assertIn(("us-china-policy", "us-china-policy"), terms)
        enclosure = next(link for link in entry.links if link.rel == "enclosure")
        self.assertEqual(enclosure.type, "image/png")
        self.assertTrue(enclosure.href.startswith(f"{ORIGIN}/media/images/"))
        self.assertEqual(entry.summary, "Debt above the size of the economy is one sign.")
        self.assert_full_content(entry.content[0].value)

    def test_json_feed_article_item(self):
        document = json.loads(self.get("/feeds/insights.json").content)
        self.assertEqual(document["version"], "https://jsonfeed.org/version/1.1")
        self.assertEqual(document["feed_url"], f"{ORIGIN}/feeds/insights.json")
        self.assertEqual(document["home_page_url"], f"{ORIGIN}/insights/")
        item = document["items"][0]
        self.assertEqual(item["title"], self.article.title)
        self.assertEqual(item["url"], f"{ORIGIN}/insights/empire/")
        self.assertTrue(item["id"].startswith("tag:testserver,"))
        self.assertTrue(item["image"].startswith(f"{ORIGIN}/media/images/"))
        self.assertEqual([a["name"] for a in item["authors"]], ["Sajjad Ashraf", "Lawrence Lau"])
        self.assertIn("Foreign Policy", item["tags"])
        self.assertIn("us-china-policy", item["tags"])
        self.assertTrue(item["date_published"].startswith("2026-02-03"))
        self.assertIn("date_modified", item)
        self.assert_full_content(item["content_html"])

    def test_video_entry_carries_thumbnail_and_duration(self):
        rss = self.entry("/feeds/videos.rss", self.video.title)
        video = next(media for media in rss.media_content if media.get("medium") == "video")
        self.assertEqual(video["duration"], "912")
        self.assertEqual(video["url"], "https://www.youtube.com/watch?v=sampleFung1")
        self.assertTrue(rss.media_thumbnail[0]["url"].startswith(f"{ORIGIN}/media/images/"))
        self.assertEqual([author.name for author in rss.authors], ["James Chau"])
        self.assertIn("China Current", [tag.term for tag in rss.tags])
        content = rss.content[0].value
        self.assertIn(f'href="{ORIGIN}/videos/', content)
        self.assertIn("(15:12)", content)
        self.assertNotIn("<iframe", content)

        item = json.loads(self.get("/feeds/videos.json").content)["items"][0]
        self.assertEqual(item["attachments"][0]["duration_in_seconds"], 912)
        self.assertEqual(item["_video"]["duration_seconds"], 912)
        self.assertEqual(item["_video"]["thumbnail"], item["image"])

        atom = self.entry("/feeds/videos.atom", self.video.title)
        self.assertEqual(atom.media_thumbnail[0]["url"], item["image"])

    def test_issue_entry_reads_as_the_letter(self):
        entry = self.entry("/feeds/issues.atom", "A closely watched call")
        content = entry.content[0].value
        for part in ("Dear Focus reader,", "This week in the relationship.", "Team Focus"):
            self.assertIn(part, content)
        # The featured video is its poster and a link, never a player.
        self.assertIn(f'href="{ORIGIN}/videos/', content)
        self.assertIn(f'src="{ORIGIN}/media/images/', content)
        self.assertNotIn("<iframe", content)
        self.assertEqual(entry.summary, "Xi and Trump's call.")
        self.assertEqual([author.name for author in entry.authors], ["Team Focus"])

    def test_unknown_slugs_and_formats_are_404(self):
        for path in (
            "/feeds/topics/no-such-topic.rss",
            "/feeds/authors/no-such-author.json",
            "/feeds/everything.rss",
            "/feeds/all.xml",
            "/feeds/topics/bad%20slug.rss",
        ):
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 404)
        self.assertEqual(self.client.post("/feeds/all.rss").status_code, 405)

    @override_settings(FOCUS_FEED_ITEMS=2)
    def test_item_limit_keeps_the_newest(self):
        for fmt in FORMATS:
            self.assertEqual(
                titles(self.get(f"/feeds/all.{fmt}")),
                [self.video.title, "A closely watched call"],
            )

    def test_a_lost_image_file_costs_only_the_picture(self):
        image = make_image("Lost")
        make_article(self.tree.insights, title="Lost image", lead_image=image, slug="lost")
        image.renditions.all().delete()
        image.file.storage.delete(image.file.name)
        entry = self.entry("/feeds/insights.atom", "Lost image")
        self.assertFalse([link for link in entry.links if link.rel == "enclosure"])
        self.assertFalse(entry.get("media_content"))

    def test_drafts_are_left_out(self):
        draft = make_article(self.tree.insights, title="Draft article", slug="draft")
        draft.unpublish()
        clear_feed_cache()
        titles = [entry.title for entry in parse(self.get("/feeds/all.rss")).entries]
        self.assertNotIn("Draft article", titles)


class OddContentTests(TestCase):
    """Control characters, emoji, right-to-left text and ]]> stay well-formed."""

    ODD = "Bell\x07 vertical\x0b tab \U0001f30f مرحبا بالعالم ]]> <b>&amp; \ufffe end"

    @classmethod
    def setUpTestData(cls):
        build_feed_site(cls)
        cls.odd = make_article(
            cls.tree.insights,
            title=cls.ODD,
            standfirst=cls.ODD,
            body=f'[{{"type": "paragraph", "value": {json.dumps("<p>" + cls.ODD + "</p>")}}}]',
            slug="odd",
            day=cls.article.date.replace(year=2027),
        )

    def setUp(self):
        clear_feed_cache()

    def test_every_format_stays_valid(self):
        expected = "Bell vertical tab \U0001f30f مرحبا بالعالم ]]> <b>&amp;  end"
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                response = self.client.get(f"/feeds/insights.{fmt}")
                self.assertEqual(response.status_code, 200)
                well_formed(response)
                if fmt == "json":
                    item = json.loads(response.content)["items"][0]
                    title, content = item["title"], item["content_html"]
                else:
                    feed = parse(response)
                    self.assertFalse(feed.bozo, feed.get("bozo_exception"))
                    title, content = feed.entries[0].title, feed.entries[0].content[0].value
                self.assertEqual(title, expected)
                self.assertIn("]]&gt;", content)
                self.assertIn("مرحبا", content)
