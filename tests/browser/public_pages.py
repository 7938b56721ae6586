"""Every public page type, found in the sample site, so the audit covers each one.

Add a page type here when it lands (search, feeds page, email preview) and the
audit checks it for accessibility, valid HTML, outside requests and console errors.
"""

from __future__ import annotations

from collections.abc import Callable

from home.models import HomePage
from insights.models import Author, InsightArticlePage, InsightsIndexPage
from issues.models import IssueIndexPage, IssuePage, QuestionPage, VideoIndexPage, VideoPage

EN = {"locale__language_code": "en"}


def _issue(code: str = "en") -> str:
    return IssuePage.objects.live().filter(locale__language_code=code).newest_first().first().url


def _topic() -> str:
    article = InsightArticlePage.objects.live().filter(topics__isnull=False, **EN).first()
    return article.topic_url(article.topics.order_by("name").first())


def _article(code: str = "en") -> str:
    articles = InsightArticlePage.objects.live().filter(locale__language_code=code)
    return articles.order_by("-date").first().url


def _author() -> str:
    author = Author.objects.filter(article_links__isnull=False, **EN).order_by("name").first()
    return author.get_absolute_url()


def _question(code: str = "en") -> str:
    questions = QuestionPage.objects.live().filter(locale__language_code=code)
    return questions.order_by("-date").first().url


# name -> how to find its address once the sample content is loaded.
PAGE_TYPES: dict[str, Callable[[], str]] = {
    "home": lambda: HomePage.objects.get(**EN).url,
    "issue-archive": lambda: IssueIndexPage.objects.get(**EN).url,
    "issue": _issue,
    "insights-index": lambda: InsightsIndexPage.objects.get(**EN).url,
    "topic": _topic,
    "article": _article,
    "authors": lambda: "/authors/",
    "author": _author,
    "videos-index": lambda: VideoIndexPage.objects.get(**EN).url,
    "video": lambda: VideoPage.objects.live().filter(**EN).order_by("-date").first().url,
    "questions-index": lambda: "/questions/",
    "question": _question,
    "search": lambda: "/search/?q=China",
    "search-empty": lambda: "/search/?q=zzzxqj",
    "feeds": lambda: "/feeds/",
    "newsletter-signup": lambda: "/newsletter/",
    "not-found": lambda: "/this-page-does-not-exist/",
    # The Chinese editions: the seed issue in both scripts and their pages.
    "zh-hans-home": lambda: HomePage.objects.get(locale__language_code="zh-hans").url,
    "zh-hans-issue": lambda: _issue("zh-hans"),
    "zh-hant-issue": lambda: _issue("zh-hant"),
    "zh-hans-article": lambda: _article("zh-hans"),
    "zh-hant-article": lambda: _article("zh-hant"),
    "zh-hant-question": lambda: _question("zh-hant"),
    "zh-hans-authors": lambda: "/zh-hans/authors/",
    "zh-hant-not-found": lambda: "/zh-hant/this-page-does-not-exist/",
}
EXPECTED_STATUS = {"not-found": 404, "zh-hant-not-found": 404}


# Forms checked in their error state: (page type, the form's selector). Each is
# sent empty with the browser's own validation off, so the server's error
# messages are what gets audited.
FORMS_IN_ERROR: dict[str, tuple[str, str]] = {
    "question-response": ("question", "main form"),
    "zh-hant-question-response": ("zh-hant-question", "main form"),
}
