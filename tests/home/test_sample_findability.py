"""The sample issue and site, as a reader and a crawler find them."""

from __future__ import annotations

import re
from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from wagtail.models import Page

from insights.models import InsightArticlePage
from issues.models import IssuePage


class SampleContentFindabilityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_sample_content", "--no-admin", stdout=StringIO())
        cls.issue = IssuePage.objects.get(slug="2026-02-06", locale__language_code="en")

    def found(self, query: str) -> list[str]:
        response = self.client.get(reverse("search"), {"q": query})
        self.assertEqual(response.status_code, 200)
        return re.findall(r'<h3><a href="([^"]*)">', response.content.decode())

    def test_words_of_the_sample_issue_find_it(self):
        # From the letter, the pull quote and the chart callout.
        for query in ("readouts", "non-negotiable baselines", "national debt"):
            with self.subTest(query=query):
                self.assertIn(self.issue.url, self.found(query))

    def test_words_of_an_article_find_it(self):
        article = InsightArticlePage.objects.live().get(
            title="Is the American Empire Following a Historic Life Cycle?"
        )
        self.assertIn(article.url, self.found("American Empire historic life cycle"))
        self.assertIn(article.url, self.found("Ashraf"))

    def test_the_sitemap_lists_every_live_page(self):
        sitemap = self.client.get("/sitemap.xml").content.decode()
        # The English edition's sitemap; each edition's pages are listed in its own.
        for page in Page.objects.live().filter(depth__gte=2, locale__language_code="en"):
            with self.subTest(url=page.url):
                self.assertIn(f"<loc>http://testserver{page.url}</loc>", sitemap)
