"""The newsletter per edition: chosen at signup; each edition's issue to its own readers."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from django.conf import settings
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from wagtail.test.utils import WagtailTestUtils

from issues.models import Subscriber
from issues.newsletter.render import render_issue
from issues.newsletter.sending import send_issue, send_test
from tests.edition_factories import translate
from tests.factories import build_site, list_items, make_article, make_issue, stream

LETTER = "<p>两国领导人举行了备受关注的通话。</p>"


def subscribe(email: str, edition: str, status=Subscriber.Status.CONFIRMED) -> Subscriber:
    return Subscriber.objects.create(email=email, edition=edition, status=status)


class EditionSignupTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.article = make_article(cls.tree.insights, title="Empire")
        cls.zh_article = translate(cls.article, "zh-hant", title="帝國")

    def test_the_form_offers_every_edition_with_the_page_s_selected(self):
        english = self.client.get(self.article.url).content.decode()
        self.assertIn('<option value="en" lang="en" selected>English</option>', english)
        chinese = self.client.get(self.zh_article.url).content.decode()
        self.assertIn('<option value="zh-hant" lang="zh-hant" selected>繁體中文</option>', chinese)
        self.assertIn('action="/zh-hant/newsletter/"', chinese)

    def test_the_chosen_edition_is_stored(self):
        self.client.post(
            reverse("newsletter_signup"), {"email": "a@example.com", "edition": "zh-hans"}
        )
        self.assertEqual(Subscriber.objects.get(email="a@example.com").edition, "zh-hans")

    def test_without_a_choice_the_edition_of_the_page_is_kept(self):
        self.client.post("/zh-hant/newsletter/", {"email": "b@example.com"})
        self.client.post("/newsletter/", {"email": "c@example.com", "edition": "klingon"})
        self.assertEqual(Subscriber.objects.get(email="b@example.com").edition, "zh-hant")
        self.assertEqual(Subscriber.objects.get(email="c@example.com").edition, "en")

    def test_signing_up_again_changes_the_edition_of_an_unconfirmed_address(self):
        subscribe("d@example.com", "en", status=Subscriber.Status.UNSUBSCRIBED)
        self.client.post("/newsletter/", {"email": "d@example.com", "edition": "zh-hans"})
        subscriber = Subscriber.objects.get(email="d@example.com")
        self.assertEqual((subscriber.status, subscriber.edition), ("pending", "zh-hans"))


class EditionSendingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.english = make_issue(cls.tree.issues, day=date(2026, 2, 6), title="A watched call")
        # An issue may exist in one edition only: the 简体 one is its own page here.
        article = translate(make_article(cls.tree.insights), "zh-hans")
        zh_issues = translate(cls.tree.issues, "zh-hans")
        cls.chinese = make_issue(
            zh_issues, day=date(2026, 2, 13), title="备受关注的通话", letter=LETTER
        )
        cls.article = article
        subscribe("en@example.com", "en")
        subscribe("hans@example.com", "zh-hans")
        subscribe("hant@example.com", "zh-hant")
        subscribe("pending-hans@example.com", "zh-hans", status=Subscriber.Status.PENDING)

    def test_an_issue_goes_to_its_edition_s_confirmed_subscribers_only(self):
        self.assertEqual(send_issue(self.chinese), 1)
        self.assertEqual([message.to for message in mail.outbox], [["hans@example.com"]])
        mail.outbox.clear()
        self.assertEqual(send_issue(self.english), 1)
        self.assertEqual([message.to for message in mail.outbox], [["en@example.com"]])

    def test_the_chinese_email_has_its_text_part_and_html_in_its_language(self):
        send_issue(self.chinese)
        message = mail.outbox[0]
        self.assertIn("备受关注的通话", message.subject)
        self.assertIn("两国领导人举行了备受关注的通话。", message.body)  # the text part
        html, mime_type = message.alternatives[0]
        self.assertEqual(mime_type, "text/html")
        self.assertIn('<html lang="zh-Hans">', html)
        self.assertIn("两国领导人举行了备受关注的通话。", html)
        self.assertIn("/zh-hans/this-week/2026-02-13/", message.body)  # the web version
        self.assertIn("/zh-hans/newsletter/", message.body)  # the signup link

    def test_the_english_email_is_unchanged(self):
        rendered = render_issue(self.english)
        self.assertIn('<html lang="en">', rendered.html)
        self.assertNotIn("/zh-hans/", rendered.text)


class EditionLinkTests(TestCase):
    """Every link in a Chinese email goes to that edition's pages, and they exist."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        english_article = make_article(cls.tree.insights, title="Empire")
        cls.chinese = {}
        for code, title in (("zh-hans", "帝国"), ("zh-hant", "帝國")):
            translate(english_article, code, title=title)
            issues = translate(cls.tree.issues, code)
            # The editor chose the English article; readers get their edition's.
            cls.chinese[code] = make_issue(
                issues,
                title=f"{title} {code}",
                letter=f'<p>见<a linktype="page" id="{english_article.pk}">此文</a>。</p>',
                body=stream(
                    (
                        "related_links",
                        {
                            "heading": "延伸阅读",
                            "links": list_items([{"page": english_article.pk}]),
                        },
                    )
                ),
            )
            subscribe(f"{code}@example.com", code)

    def links(self, message) -> list[str]:
        html = message.alternatives[0][0]
        hrefs = re.findall(r'href="([^"]+)"', html)
        # A URL in the text part ends at a space, a closing bracket or CJK punctuation.
        text_urls = re.findall(r"https?://[!-~]+?(?=[\s)>]|[^!-~]|$)", message.body)
        header = message.extra_headers["List-Unsubscribe"].strip("<>")
        return [url for url in hrefs + text_urls + [header] if not url.startswith("mailto:")]

    def test_every_link_carries_the_edition_prefix_and_lands_on_a_page(self):
        origin = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        for code, issue in self.chinese.items():
            with self.subTest(edition=code):
                mail.outbox.clear()
                self.assertEqual(send_issue(issue), 1)
                message = mail.outbox[0]
                links = self.links(message)
                unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
                self.assertIn(f"{origin}/{code}/newsletter/unsubscribe/", unsubscribe)
                self.assertIn(unsubscribe, message.body)
                kinds = {"/newsletter/unsubscribe/": 0, "/this-week/": 0, "/insights/": 0}
                for url in links:
                    self.assertTrue(url.startswith(f"{origin}/{code}/"), url)
                    for kind in kinds:
                        kinds[kind] += kind in url
                    path = urlsplit(url).path
                    self.assertEqual(self.client.get(path).status_code, 200, path)
                # Unsubscribe, web version and the chosen article are all among them.
                self.assertTrue(all(kinds.values()), kinds)

    def test_a_test_send_to_a_stranger_links_to_the_edition_s_signup(self):
        send_test(self.chinese["zh-hant"], "someone@example.com")
        header = mail.outbox[0].extra_headers["List-Unsubscribe"]
        self.assertIn("/zh-hant/newsletter/", header)


class SubscriberEditionAdminTests(WagtailTestUtils, TestCase):
    def test_editors_see_filter_and_export_each_subscriber_s_edition(self):
        self.login()
        subscribe("hans@example.org", "zh-hans")
        subscribe("en@example.org", "en")
        base = "/admin/issues/subscriber/"
        response = self.client.get(base, {"edition__exact": "zh-hans"})
        self.assertContains(response, "hans@example.org")
        self.assertNotContains(response, "en@example.org")
        export = self.client.get(base, {"export": "csv"})
        body = b"".join(export.streaming_content).decode()
        self.assertIn("zh-hans", body)
