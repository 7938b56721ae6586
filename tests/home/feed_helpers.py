"""Shared data and readers for the feed tests."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from xml.etree import ElementTree

import feedparser
from django.conf import settings
from django.core.cache import caches

from tests.factories import (
    build_site,
    list_items,
    make_article,
    make_author,
    make_image,
    make_issue,
    make_topic,
    make_video,
    stream,
)

ORIGIN = "http://testserver"
FORMATS = ("rss", "atom", "json")
CONTENT_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}


def clear_feed_cache() -> None:
    caches[settings.FOCUS_FEED_CACHE_ALIAS].clear()


def rich_body(target, image) -> str:
    """A body using every block a reader app has to cope with."""
    return stream(
        ("heading", {"text": "Section", "level": "h2"}),
        (
            "paragraph",
            f'<p>See <a linktype="page" id="{target.pk}">the other article</a>.</p>',
        ),
        ("image", {"image": image.pk, "alt_text": "A harbour", "caption": "Cap"}),
        (
            "chart_callout",
            {
                "headline": "Debt to GDP",
                "data": list_items(
                    [{"label": "2011", "value": "99"}, {"label": "2012", "value": "103"}]
                ),
                "source_note": "FRED",
                "article": target.pk,
            },
        ),
        ("embed", {"url": "https://youtu.be/abcDEF12345", "title": "Clip"}),
        ("paragraph", '<p>Inline <script>alert(1)</script><iframe src="/x"></iframe>end.</p>'),
    )


def build_feed_site(cls) -> None:
    """A small site: two authors, two topics, articles, an issue and a video."""
    cls.tree = build_site()
    cls.policy = make_topic("Foreign Policy")
    cls.economy = make_topic("Finance & Economy", slug="finance-economy")
    cls.ashraf = make_author("Sajjad Ashraf", affiliation="Former Adjunct Professor")
    cls.lau = make_author("Lawrence Lau", affiliation="CUHK")
    cls.video = make_video(cls.tree.videos)
    cls.older = make_article(
        cls.tree.insights,
        title="Older article",
        authors=[cls.lau],
        topics=[cls.economy],
        slug="older-article",
    )
    body = rich_body(cls.older, make_image("Harbour"))
    cls.article = make_article(
        cls.tree.insights,
        title="Is the American Empire Following a Historic Life Cycle?",
        authors=[cls.ashraf, cls.lau],
        topics=[cls.policy, cls.economy],
        standfirst="Debt above the size of the economy is one sign.",
        lead_image=make_image("Lead"),
        body=body,
        slug="empire",
    )
    cls.article.tags.add("us-china-policy")
    cls.article.save_revision().publish()
    cls.issue = make_issue(
        cls.tree.issues,
        title="A closely watched call",
        summary="Xi and Trump's call.",
        body=stream(
            (
                "video_feature",
                {"video": cls.video.pk, "blurb": "Watch this.", "cta_label": "Watch"},
            ),
        ),
    )


def parse(response):
    return feedparser.parse(response.content)


def well_formed(response) -> None:
    """Raises if the document is not well-formed XML or valid JSON."""
    if response["Content-Type"].startswith("application/feed+json"):
        json.loads(response.content.decode("utf-8"))
    else:
        ElementTree.fromstring(response.content)


class _LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") == "alternate":
            self.links.append(attributes)


def alternate_links(response) -> dict[str, str]:
    """href -> type of every feed <link rel="alternate"> in an HTML page.

    (Language alternates, with hreflang and no type, are not feeds.)
    """
    parser = _LinkCollector()
    parser.feed(response.content.decode("utf-8"))
    return {link["href"]: link["type"] for link in parser.links if "hreflang" not in link}


def check_json_feed(testcase, document: dict) -> None:
    """The JSON Feed 1.1 rules a reader relies on (feedparser reads only XML feeds)."""
    from datetime import datetime

    testcase.assertEqual(document["version"], "https://jsonfeed.org/version/1.1")
    testcase.assertIsInstance(document["title"], str)
    testcase.assertTrue(document["title"])
    for key in ("home_page_url", "feed_url"):
        testcase.assertTrue(document[key].startswith(ORIGIN + "/"))
    testcase.assertIsInstance(document["items"], list)
    for item in document["items"]:
        testcase.assertIsInstance(item["id"], str)
        testcase.assertTrue(item["id"])
        testcase.assertTrue(item.get("content_html") or item.get("content_text"))
        testcase.assertTrue(item["url"].startswith(ORIGIN + "/"))
        for key in ("date_published", "date_modified"):
            testcase.assertIsNotNone(datetime.fromisoformat(item[key]).tzinfo)
        for author in item.get("authors", []):
            testcase.assertTrue(author["name"])
        for attachment in item.get("attachments", []):
            testcase.assertTrue(attachment["url"] and attachment["mime_type"])
        testcase.assertTrue(all(isinstance(tag, str) for tag in item.get("tags", [])))


def titles(response) -> list[str]:
    """Entry titles of a feed in any of the three formats."""
    if response["Content-Type"].startswith("application/feed+json"):
        return [item["title"] for item in json.loads(response.content)["items"]]
    return [entry.title for entry in parse(response).entries]


# Every feed of the site built by build_feed_site(), as /feeds/<scope>.<format>.
SCOPES = (
    "all",
    "issues",
    "insights",
    "videos",
    "topics/foreign-policy",
    "topics/finance-economy",
    "authors/sajjad-ashraf",
    "authors/lawrence-lau",
)
