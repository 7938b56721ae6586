"""SEO per edition: sitemaps with hreflang alternates, JSON-LD inLanguage, canonical links."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree

from django.test import TestCase

from tests.edition_factories import translate
from tests.factories import build_site, make_article, make_video

ORIGIN = "http://testserver"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


def sitemap(client, path: str) -> dict[str, dict[str, str]]:
    """loc -> {hreflang: href} of each URL in a sitemap."""
    response = client.get(path)
    assert response.status_code == 200, path
    root = ElementTree.fromstring(response.content)
    return {
        url.findtext("sm:loc", namespaces=NS): {
            link.get("hreflang"): link.get("href")
            for link in url.findall("xhtml:link", NS)
            if link.get("rel") == "alternate"
        }
        for url in root.findall("sm:url", NS)
    }


def json_ld(response) -> list[dict]:
    script = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return json.loads(script.group(1))["@graph"]


class EditionSeoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.article = make_article(cls.tree.insights, title="Empire", slug="empire")
        cls.only_english = make_article(cls.tree.insights, title="Alone", slug="alone")
        cls.hans = translate(cls.article, "zh-hans", title="帝国")
        cls.hant = translate(cls.article, "zh-hant", title="帝國")
        cls.video = make_video(cls.tree.videos)

    def test_each_page_names_its_translations_and_x_default(self):
        expected = {
            "en": f"{ORIGIN}/insights/empire/",
            "zh-Hans": f"{ORIGIN}/zh-hans/insights/empire/",
            "zh-Hant": f"{ORIGIN}/zh-hant/insights/empire/",
            "x-default": f"{ORIGIN}/insights/empire/",
        }
        english = sitemap(self.client, "/sitemap.xml")
        self.assertEqual(english[f"{ORIGIN}/insights/empire/"], expected)
        chinese = sitemap(self.client, "/zh-hant/sitemap.xml")
        self.assertEqual(chinese[f"{ORIGIN}/zh-hant/insights/empire/"], expected)

    def test_each_edition_s_sitemap_lists_its_own_pages(self):
        english = sitemap(self.client, "/sitemap.xml")
        self.assertIn(f"{ORIGIN}/insights/alone/", english)
        self.assertFalse([loc for loc in english if "/zh-" in loc])
        chinese = sitemap(self.client, "/zh-hans/sitemap.xml")
        self.assertIn(f"{ORIGIN}/zh-hans/insights/empire/", chinese)
        self.assertTrue(all(loc.startswith(f"{ORIGIN}/zh-hans/") for loc in chinese), chinese)

    def test_a_page_in_one_edition_has_no_alternates(self):
        self.assertEqual(sitemap(self.client, "/sitemap.xml")[f"{ORIGIN}/insights/alone/"], {})

    def test_robots_txt_names_every_edition_s_sitemap(self):
        body = self.client.get("/robots.txt").content.decode()
        for prefix in ("", "/zh-hans", "/zh-hant"):
            self.assertIn(f"Sitemap: {ORIGIN}{prefix}/sitemap.xml", body)
            self.assertIn(f"Disallow: {prefix}/search/", body)

    def test_json_ld_says_the_edition_s_language(self):
        for page, language in (
            (self.article, "en"),
            (self.hans, "zh-Hans"),
            (self.hant, "zh-Hant"),
        ):
            with self.subTest(language=language):
                entity = json_ld(self.client.get(page.url))[0]
                self.assertEqual(entity["inLanguage"], language)
        home = json_ld(self.client.get("/zh-hant/"))
        website = next(entity for entity in home if entity["@type"] == "WebSite")
        self.assertEqual(website["inLanguage"], "zh-Hant")

    def test_the_canonical_link_is_the_edition_s_own_address(self):
        for page in (self.article, self.hans, self.hant):
            with self.subTest(url=page.url):
                self.assertContains(
                    self.client.get(page.url), f'<link rel="canonical" href="{ORIGIN}{page.url}">'
                )
