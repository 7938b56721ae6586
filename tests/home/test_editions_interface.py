"""Interface text in the Chinese editions: no English left on a page, an email or a feed.

Each check renders what a reader of 简体 or 繁體 gets (with Chinese content, so
any Latin word left is interface text) and looks for English words in its
visible text and in the attributes people hear or see (alt, title,
aria-label, placeholder).
"""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

from django.core import mail
from django.template.loader import render_to_string
from django.test import TestCase
from django.utils import translation
from wagtail.models import Locale

from issues.models import Subscriber
from issues.newsletter.render import render_issue
from issues.newsletter.tokens import confirm_token, unsubscribe_token
from tests.edition_factories import translate
from tests.factories import build_site, list_items, make_article, make_issue, stream

# Names that stay as they are in every language, and the language switcher's
# "English", which names that edition in its own language.
ALLOWED = {"RSS", "Atom", "JSON", "Feed", "English"}
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
URL_OR_ADDRESS = re.compile(r"(https?://\S+|\S+@\S+|/\S*)")

SECTIONS = {
    "zh-hans": ("中美聚焦", "本周聚焦", "聚焦观点", "视频", "每周一问"),
    "zh-hant": ("中美聚焦", "本週聚焦", "聚焦觀點", "影片", "每週一問"),
}


class _Text(HTMLParser):
    SKIP = {"script", "style"}
    READ_ATTRS = {"alt", "title", "aria-label", "placeholder"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        self.parts += [value or "" for name, value in attrs if name in self.READ_ATTRS]

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def english_words(markup: str, html: bool = True) -> set[str]:
    if html:
        parser = _Text()
        parser.feed(markup)
        markup = " ".join(parser.parts)
    text = URL_OR_ADDRESS.sub(" ", markup)
    return {word for word in LATIN_WORD.findall(text) if word not in ALLOWED}


class ChineseInterfaceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        article = make_article(cls.tree.insights, title="Empire")
        cls.issues = {}
        for code, (home, issues, insights, videos, questions) in SECTIONS.items():
            translate(cls.tree.home, code, title=home)
            for page, title in (
                (cls.tree.issues, issues),
                (cls.tree.insights, insights),
                (cls.tree.videos, videos),
                (cls.tree.questions, questions),
            ):
                translate(page, code, title=title)
            translate(
                article, code, title="帝国" if code == "zh-hans" else "帝國", standfirst="帝国。"
            )
            cls.issues[code] = make_issue(
                cls.tree.issues.get_translation(Locale.objects.get(language_code=code)),
                day=date(2026, 2, 13),
                title="备受关注的通话",
                greeting="各位读者：",
                sign_off="编辑部",
                letter="<p>两国领导人举行了通话。</p>",
                body=stream(
                    (
                        "related_links",
                        {"heading": "延伸阅读", "links": list_items([{"page": article.pk}])},
                    )
                ),
            )
            Subscriber.objects.create(
                email=f"{code}@example.com", edition=code, status=Subscriber.Status.CONFIRMED
            )

    def assert_chinese(self, markup: str, where: str, html: bool = True):
        self.assertEqual(english_words(markup, html), set(), where)

    def test_the_email_and_its_text_part(self):
        for code in SECTIONS:
            with self.subTest(edition=code):
                rendered = render_issue(self.issues[code])
                self.assert_chinese(rendered.html, "email HTML")
                self.assert_chinese(rendered.text, "email text part", html=False)
                self.assert_chinese(rendered.subject, "email subject", html=False)

    def test_the_search_page(self):
        for code in SECTIONS:
            with self.subTest(edition=code):
                for query in (
                    "",
                    "通话",
                    "不存在的词",
                    "帝国&type=nothing&topic=nothing&year=1900",
                    "!!!",
                ):
                    response = self.client.get(f"/{code}/search/?q={query}")
                    self.assertEqual(response.status_code, 200)
                    self.assert_chinese(response.content.decode(), f"search for {query!r}")

    def test_signup_confirm_and_unsubscribe_pages_and_their_emails(self):
        for code in SECTIONS:
            with self.subTest(edition=code):
                subscriber = Subscriber.objects.get(edition=code)
                pages = {
                    "signup": self.client.get(f"/{code}/newsletter/"),
                    "signup errors": self.client.post(f"/{code}/newsletter/", {"email": "nope"}),
                    "confirm": self.client.get(
                        f"/{code}/newsletter/confirm/{confirm_token(subscriber)}/"
                    ),
                    "bad link": self.client.get(f"/{code}/newsletter/confirm/nonsense/"),
                    "unsubscribe": self.client.get(
                        f"/{code}/newsletter/unsubscribe/{unsubscribe_token(subscriber)}/"
                    ),
                    "unsubscribed": self.client.post(
                        f"/{code}/newsletter/unsubscribe/{unsubscribe_token(subscriber)}/"
                    ),
                }
                pages["check inbox"] = self.client.post(
                    f"/{code}/newsletter/", {"email": f"page-{code}@example.com"}
                )
                mail.outbox.clear()
                self.client.post(
                    "/newsletter/", {"email": f"new-{code}@example.com", "edition": code}
                )
                for name, response in pages.items():
                    self.assertLess(response.status_code, 500, name)
                    self.assert_chinese(response.content.decode(), name)
                # Signed up from an English page, the email is in the edition chosen.
                (message,) = mail.outbox
                self.assert_chinese(message.subject, "confirmation subject", html=False)
                self.assert_chinese(message.body, "confirmation email", html=False)
                self.assertIn(f"/{code}/newsletter/confirm/", message.body)

    def test_error_pages(self):
        for code in SECTIONS:
            with self.subTest(edition=code):
                self.assert_chinese(
                    self.client.get(f"/{code}/no-such-page/").content.decode(), "404"
                )
                with translation.override(code):
                    self.assert_chinese(render_to_string("500.html"), "500")

    def test_feeds_and_the_feeds_page(self):
        for code in SECTIONS:
            with self.subTest(edition=code):
                self.assert_chinese(
                    self.client.get(f"/{code}/feeds/").content.decode(), "feeds page"
                )
                for section in ("all", "issues", "insights", "videos"):
                    feed = self.client.get(f"/{code}/feeds/{section}.rss").content.decode()
                    titles = re.findall(r"<(?:title|description)>([^<]*)</", feed)
                    self.assert_chinese(" ".join(titles[:2]), f"{section} feed title", html=False)
