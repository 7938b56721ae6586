"""The email edition: inlined, absolute, accessible HTML and a complete text part."""

from __future__ import annotations

import re
import tempfile
from datetime import date
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from issues.models import IssuePage
from issues.newsletter.render import UNSUBSCRIBE_PLACEHOLDER, render_issue
from tests.factories import build_site
from tests.issues.newsletter_helpers import BLOCK_MARKERS, issue_with_every_block
from tests.query_budget import assert_query_budget, queries_of


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(html: str) -> list[tuple[str, dict]]:
    collector = _Collector()
    collector.feed(html)
    return collector.tags


class IssueEmailRenderingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.issue = issue_with_every_block(cls.tree, summary="The week in one line.")

    def setUp(self):
        self.rendered = render_issue(self.issue)
        self.tags = parse(self.rendered.html)

    def test_no_external_css_scripts_frames_or_forms(self):
        names = {tag for tag, _ in self.tags}
        for forbidden in ("link", "script", "iframe", "form", "input", "video", "svg"):
            self.assertNotIn(forbidden, names)

    def test_css_is_inlined(self):
        cells = [attrs for tag, attrs in self.tags if tag == "td"]
        self.assertTrue(cells)
        self.assertTrue(all("font-family" in attrs.get("style", "") for attrs in cells))
        pull_quote = next(a for t, a in self.tags if "pull-quote" in a.get("class", ""))
        self.assertIn("border-left: 4px solid #9e1b1f", pull_quote["style"])
        # Only what cannot be inlined stays in <style>: the dark scheme and narrow screens.
        styles = re.findall(r"<style>(.*?)</style>", self.rendered.html, re.S)
        self.assertEqual(len(styles), 1)
        self.assertIn("prefers-color-scheme: dark", styles[0])
        self.assertNotIn(".block-cell", styles[0])

    def test_layout_is_a_table_no_wider_than_600px(self):
        widths = [
            int(a["width"]) for t, a in self.tags if t == "table" and a.get("width", "%")[-1] != "%"
        ]
        self.assertEqual(widths, [600])
        self.assertTrue(
            all(
                a.get("role") == "presentation"
                for t, a in self.tags
                if t == "table" and "width" in a
            )
        )
        for tag, attrs in self.tags:
            if tag == "img":
                self.assertLessEqual(int(attrs["width"]), 600)

    def test_every_url_is_absolute(self):
        urls = [attrs[name] for _, attrs in self.tags for name in ("href", "src") if name in attrs]
        self.assertGreater(len(urls), 15)
        for url in urls:
            with self.subTest(url=url):
                self.assertRegex(url, r"^(https?://|mailto:)")
        self.assertIn('href="http://testserver/insights/"', self.rendered.html)

    def test_every_image_is_raster_with_alt_and_size(self):
        images = [attrs for tag, attrs in self.tags if tag == "img"]
        # chart PNG, uploaded chart, photo, embed poster, video poster
        self.assertEqual(len(images), 5)
        for attrs in images:
            with self.subTest(src=attrs["src"]):
                self.assertTrue(attrs.get("alt"))
                self.assertTrue(attrs.get("width") and attrs.get("height"))
                self.assertRegex(attrs["src"], r"\.(png|jpe?g)$")
        chart = self.issue.body[3]
        chart_src = (
            f"http://testserver/charts/{self.issue.pk}/{chart.id}/{chart.value.png_version}.png"
        )
        self.assertIn(chart_src, [attrs["src"] for attrs in images])
        self.assertIn("Debt rose from 99% to 104% of GDP", [a["alt"] for a in images])

    def test_the_chart_png_link_works(self):
        chart = next(a["src"] for t, a in self.tags if t == "img" and "/charts/" in a["src"])
        response = self.client.get(chart.removeprefix("http://testserver"))
        self.assertEqual(response["Content-Type"], "image/png")

    def test_every_block_reaches_both_parts(self):
        for block, marker in BLOCK_MARKERS.items():
            with self.subTest(block=block):
                self.assertIn(marker, self.rendered.html)
                # Text headings are set in capitals.
                self.assertIn(marker.upper(), self.rendered.text.upper())

    def test_text_part_writes_links_out(self):
        text = self.rendered.text
        self.assertIn("Dear Focus reader,", text)
        self.assertIn("relative link (http://testserver/insights/)", text)
        self.assertIn("https://youtu.be/abcDEF12345", text)
        self.assertIn("Subscribe: http://testserver/newsletter/", text)
        self.assertNotIn("<", text.replace("<b>", ""))

    def test_video_is_a_poster_with_a_play_link(self):
        video = self.issue.body[9].value["video"]
        poster = next(
            a
            for t, a in self.tags
            if t == "img" and a["alt"].startswith("Play video: " + video.title)
        )
        self.assertRegex(poster["src"], r"\.jpg$")
        self.assertIn(f'href="http://testserver{video.url}"', self.rendered.html)

    def test_unsubscribe_link_in_both_parts(self):
        self.assertIn(f'href="{UNSUBSCRIBE_PLACEHOLDER}"', self.rendered.html)
        personal = self.rendered.for_unsubscribe_url("https://focus.example/u/abc/")
        self.assertIn('href="https://focus.example/u/abc/"', personal.html)
        self.assertIn("Unsubscribe in one click: https://focus.example/u/abc/", personal.text)
        self.assertNotIn(UNSUBSCRIBE_PLACEHOLDER, personal.html + personal.text)


class IssueEmailQueryTests(TestCase):
    """Rendering an issue's email costs a fixed number of queries, however many blocks."""

    @classmethod
    def setUpTestData(cls):
        tree = build_site()
        cls.small = issue_with_every_block(tree)
        cls.large = issue_with_every_block(tree, copies=5, day=date(2026, 2, 13))

    def test_query_count_does_not_grow_with_blocks(self):
        for issue in (self.small, self.large):  # warm image renditions and the site root
            render_issue(IssuePage.objects.get(pk=issue.pk))
        small = IssuePage.objects.get(pk=self.small.pk)
        large = IssuePage.objects.get(pk=self.large.pk)
        few = queries_of(lambda: render_issue(small))
        many = queries_of(lambda: render_issue(large))
        assert_query_budget(self, few, many, EMAIL_RENDER_QUERIES, "issue email")
        rendered = render_issue(IssuePage.objects.get(pk=self.large.pk))
        self.assertEqual(rendered.html.count(BLOCK_MARKERS["video_feature"]), 5)


# One more than before the editions: the issue's locale, which picks the
# language and URL prefix the email is rendered in. One fewer since an email
# is one rendering of its own: its blocks share the pages they load. A ceiling:
# one of each block and five of each must cost the same.
EMAIL_RENDER_QUERIES = 14


class RenderIssueEmailCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.issue = issue_with_every_block(build_site())

    def test_writes_html_and_text(self):
        with tempfile.TemporaryDirectory() as folder:
            call_command(
                "render_issue_email",
                self.issue.slug,
                "--out",
                folder,
                stdout=StringIO(),
            )
            html = (Path(folder) / "issue.html").read_text()
            text = (Path(folder) / "issue.txt").read_text()
        self.assertIn('style="', html)
        self.assertIn("/newsletter/unsubscribe/", html)
        self.assertIn(BLOCK_MARKERS["table"], text)

    def test_unknown_issue_is_a_clear_error(self):
        from django.core.management.base import CommandError

        with self.assertRaisesMessage(CommandError, "No issue with the slug 'nope'"):
            call_command("render_issue_email", "nope", "--out", "unused")


class IssuePreviewModeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.issue = issue_with_every_block(build_site())

    def setUp(self):
        self.login()

    def test_issue_offers_web_email_and_text_previews(self):
        self.assertEqual([mode for mode, _ in self.issue.preview_modes], ["", "email", "text"])

    def preview_data(self, day: str = "2026-02-06"):
        return nested_form_data(
            {
                "title": "Previewed title",
                "slug": day,
                "issue_date": day,
                "greeting": "Dear Focus reader,",
                "letter": rich_text("<p>Unsaved letter.</p>"),
                "sign_off": "Team Focus",
                "body": streamfield(
                    [
                        ("heading", {"text": "Unsaved heading", "level": "h2"}),
                        (
                            "chart_callout",
                            {
                                "headline": "Unsaved chart",
                                "data": streamfield(
                                    [
                                        ("item", {"label": "A", "value": "1"}),
                                        ("item", {"label": "B", "value": "2"}),
                                    ]
                                ),
                                "source_note": "FRED",
                            },
                        ),
                    ]
                ),
            }
        )

    def test_a_new_unsaved_issue_previews_as_email(self):
        parent = self.issue.get_parent()
        url = f"/admin/pages/add/issues/issuepage/{parent.pk}/preview/"
        self.assertEqual(
            self.client.post(url, self.preview_data("2026-03-06")).json()["is_valid"], True
        )
        email = self.client.get(url, {"mode": "email"})
        self.assertContains(email, "Unsaved heading")
        # No page id yet, so no chart image to link to: the chart's words stand in.
        self.assertContains(email, "Bar chart of Unsaved chart. A: 1; B: 2.")
        self.assertContains(self.client.get(url, {"mode": "text"}), "UNSAVED CHART")

    def post_unsaved_issue(self) -> str:
        """Post an unsaved edit of the issue to its preview; returns the preview's URL."""
        url = f"/admin/pages/{self.issue.pk}/edit/preview/"
        data = nested_form_data(
            {
                "title": "Previewed title",
                "slug": self.issue.slug,
                "issue_date": "2026-02-06",
                "greeting": "Dear Focus reader,",
                "letter": rich_text("<p>Unsaved letter.</p>"),
                "sign_off": "Team Focus",
                "body": streamfield([("heading", {"text": "Unsaved heading", "level": "h2"})]),
            }
        )
        self.assertEqual(self.client.post(url, data).json()["is_valid"], True)
        return url

    def test_email_and_text_previews_show_the_email(self):
        url = self.post_unsaved_issue()
        email = self.client.get(url, {"mode": "email"})
        self.assertEqual(email["Content-Type"], "text/html; charset=utf-8")
        self.assertContains(email, "Unsaved heading")
        self.assertContains(email, 'role="presentation"')
        self.assertNotContains(email, "<script")
        text = self.client.get(url, {"mode": "text"})
        self.assertEqual(text["Content-Type"], "text/plain; charset=utf-8")
        self.assertIn("UNSAVED HEADING", text.content.decode())
        self.assertIn("Unsaved letter.", text.content.decode())

    def test_in_the_preview_panel_email_and_text_carry_the_checks_panels_checker(self):
        """The panel's frame (``in_preview_panel``) gets the userbar the Checks panel runs
        through; "Preview in new tab" (above) shows the message alone."""
        url = self.post_unsaved_issue()
        email = self.client.get(url, {"mode": "email", "in_preview_panel": "true"})
        html = email.content.decode()
        self.assertIn("Unsaved heading", html)
        # The checker's configuration and script, inside the message's body.
        self.assertIn('id="checker-axe-configuration"', html)
        self.assertIn("wagtailadmin/js/userbar.js", html)
        self.assertLess(html.index("userbar.js"), html.rindex("</body>"))
        text = self.client.get(url, {"mode": "text", "in_preview_panel": "true"})
        self.assertEqual(text["Content-Type"], "text/html; charset=utf-8")
        page = text.content.decode()
        self.assertIn("wagtailadmin/js/userbar.js", page)
        # The plain text itself is the page's main content, escaped as text.
        main = page[page.index("<main>") : page.index("</main>")]
        self.assertIn("UNSAVED HEADING", main)
        self.assertIn("Unsaved letter.", main)
        self.assertNotIn("<p>", main)
