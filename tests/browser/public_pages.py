"""Every public page type, found in the sample site, so the audit covers each one.

Add a page type here when it lands (search, feeds page, email preview) and the
audit checks it for accessibility, valid HTML, outside requests and console errors.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from home.models import HomePage
from insights.models import Author, InsightArticlePage, InsightsIndexPage
from issues.models import (
    IssueIndexPage,
    IssuePage,
    QuestionPage,
    Subscriber,
    VideoIndexPage,
    VideoPage,
)
from issues.newsletter.tokens import confirm_token


def _issue() -> str:
    return IssuePage.objects.live().newest_first().first().url


def _topic() -> str:
    article = InsightArticlePage.objects.live().filter(topics__isnull=False).first()
    return article.topic_url(article.topics.order_by("name").first())


def _article() -> str:
    return InsightArticlePage.objects.live().order_by("-date").first().url


def _newsletter_confirm() -> str:
    # A waiting subscriber's confirmation link: the page that asks before confirming.
    subscriber, _ = Subscriber.objects.get_or_create(email="audit@example.org")
    return reverse("newsletter_confirm", args=[confirm_token(subscriber)])


def _author() -> str:
    author = Author.objects.filter(article_links__isnull=False).order_by("name").first()
    return author.get_absolute_url()


# name -> how to find its address once the sample content is loaded.
PAGE_TYPES: dict[str, Callable[[], str]] = {
    "home": lambda: HomePage.objects.get().url,
    "issue-archive": lambda: IssueIndexPage.objects.get().url,
    "issue": _issue,
    "insights-index": lambda: InsightsIndexPage.objects.get().url,
    "topic": _topic,
    "article": _article,
    "authors": lambda: "/authors/",
    "author": _author,
    "videos-index": lambda: VideoIndexPage.objects.get().url,
    "video": lambda: VideoPage.objects.live().order_by("-date").first().url,
    "questions-index": lambda: "/questions/",
    "question": lambda: QuestionPage.objects.live().order_by("-date").first().url,
    "search": lambda: "/search/?q=China",
    "search-empty": lambda: "/search/?q=zzzxqj",
    "feeds": lambda: "/feeds/",
    "newsletter-signup": lambda: "/newsletter/",
    "newsletter-confirm": _newsletter_confirm,
    "not-found": lambda: "/this-page-does-not-exist/",
}
EXPECTED_STATUS = {"not-found": 404}


# Forms checked in their error state: (page type, the form's selector). Each is
# sent empty with the browser's own validation off, so the server's error
# messages are what gets audited.
FORMS_IN_ERROR: dict[str, tuple[str, str]] = {
    "question-response": ("question", "main form"),
}
