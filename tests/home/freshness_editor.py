"""An editor in a process of its own, for the production-shape freshness tests.

Run with the server's environment (``python -m tests.home.freshness_editor``),
it reads one JSON command per line on stdin (``dry`` rolls the change back
after naming what it touches), makes that change the way the
admin would (revisions, publish, moderation's queryset method), each in its
own transaction, and answers one JSON line: which URLs must show the change,
the text each must show and the text none may show any longer.
"""

from __future__ import annotations

import json
import sys
import uuid
from datetime import timedelta
from html import escape
from urllib.parse import quote

# The changes are made in the English edition; the sample site has three.
ENGLISH = {"locale__language_code": "en"}


def _setup() -> None:
    import django

    django.setup()


def _urls(*paths: str) -> list[str]:
    return list(dict.fromkeys(path for path in paths if path))


def _cited_article():
    """A live article that a live issue's blocks cite, read from the issue itself."""
    from wagtail.models import ReferenceIndex

    from insights.models import InsightArticlePage
    from issues.models import IssuePage

    for issue in IssuePage.objects.live().filter(**ENGLISH).order_by("pk"):
        for (
            _ct,
            object_id,
            _model_path,
            _content_path,
        ) in ReferenceIndex._extract_references_from_object(issue):
            article = InsightArticlePage.objects.live().filter(pk=object_id).first()
            if article is not None and article.article_authors.exists():
                return article, issue
    raise LookupError("no issue cites an article")


def _author_and_topic(article):
    byline = article.article_authors.select_related("author").first()
    return byline.author, article.topics.first()


def _feeds(author=None, topic=None) -> list[str]:
    paths = ["/feeds/all.rss", "/feeds/insights.atom"]
    if author is not None:
        paths.append(f"/feeds/authors/{author.slug}.rss")
    if topic is not None:
        paths.append(f"/feeds/topics/{topic.slug}.json")
    return paths


def new_article(args: dict) -> dict:
    """Publish a new article by existing authors, with an existing topic."""
    from django.utils import timezone

    from insights.models import InsightsIndexPage
    from tests.factories import make_article

    article, _issue = _cited_article()
    author, topic = _author_and_topic(article)
    title = f"Fresh analysis {uuid.uuid4().hex[:8]}"
    page = make_article(
        InsightsIndexPage.objects.get(**ENGLISH),
        title=title,
        authors=[author],
        topics=[topic],
        day=timezone.localdate(),
    )
    return {
        "urls": _urls(
            "/",
            "/insights/",
            f"/insights/topics/{topic.slug}/",
            author.get_absolute_url(),
            *_feeds(author, topic),
        ),
        "present": [title],
        "absent": [],
        "page_id": page.pk,
    }


def publish_issue(args: dict) -> dict:
    """Publish a new issue: the newest, after every existing one."""
    from django.db.models import Max

    from issues.models import IssueIndexPage, IssuePage
    from tests.factories import make_issue

    latest = IssuePage.objects.live().filter(**ENGLISH).aggregate(day=Max("issue_date"))["day"]
    previous = IssuePage.objects.live().filter(issue_date=latest, **ENGLISH).first()
    title = f"Fresh issue {uuid.uuid4().hex[:8]}"
    issue = make_issue(
        IssueIndexPage.objects.get(**ENGLISH), day=latest + timedelta(days=7), title=title
    )
    return {
        "checks": [
            {
                "urls": [
                    "/",
                    "/this-week/",
                    # Its year's issue list is a listing fragment of its own.
                    f"/this-week/{issue.issue_date.year}/",
                    "/feeds/issues.rss",
                    "/feeds/all.rss",
                ],
                "present": [escape(title)],
            },
            # The issue before it now links to it as the next issue.
            {"urls": [previous.url], "present": [f'href="{issue.url}"']},
        ]
    }


def retitle(args: dict) -> dict:
    """Retitle and republish an article that an issue cites."""
    article, issue = _cited_article()
    author, topic = _author_and_topic(article)
    old, new = article.title, f"Retitled {uuid.uuid4().hex[:8]}"
    article.title = new
    article.save_revision().publish()
    return {
        "urls": _urls(
            article.url,
            issue.url,
            "/insights/",
            author.get_absolute_url(),
            f"/insights/topics/{topic.slug}/",
            # A search that finds the article by its author either way: its
            # result cards are kept per page number.
            f"/search/?q={quote(author.name.split()[-1])}",
            *_feeds(author, topic),
        ),
        "present": [new],
        # As element text (headings, links): image alt text keeps naming the
        # old title, as the editor left it.
        "absent": [f">{escape(old)}<"],
    }


def _listed_article():
    from insights.models import InsightArticlePage

    return (
        InsightArticlePage.objects.live()
        .public()
        .filter(**ENGLISH)
        .order_by("-date", "-pk")
        .first()
    )


def unpublish(args: dict) -> dict:
    article = _listed_article()
    author, topic = _author_and_topic(article)
    url = article.url
    article.unpublish()
    return {
        "urls": _urls(
            "/",
            "/insights/",
            f"/insights/topics/{topic.slug}/",
            author.get_absolute_url(),
            *_feeds(author, topic),
        ),
        "present": [],
        "absent": [escape(article.title)],
        "gone": [url],
    }


def move(args: dict) -> dict:
    from issues.models import VideoIndexPage

    article = _listed_article()
    old_url = article.url
    article.move(VideoIndexPage.objects.get(**ENGLISH), pos="last-child")
    article.refresh_from_db()
    return {
        "checks": [
            {"urls": ["/insights/"], "absent": [escape(article.title)]},
            # Served at its new address by every worker.
            {"urls": [article.url], "present": [escape(article.title)]},
        ],
        "gone": [old_url],
    }


def delete(args: dict) -> dict:
    article = _listed_article()
    author, topic = _author_and_topic(article)
    url = article.url
    article.delete()
    return {
        "urls": _urls(
            "/",
            "/insights/",
            f"/insights/topics/{topic.slug}/",
            author.get_absolute_url(),
            *_feeds(author, topic),
        ),
        "present": [],
        "absent": [escape(article.title)],
        "gone": [url],
    }


def privacy(args: dict) -> dict:
    from wagtail.models import PageViewRestriction

    article = _listed_article()
    author, topic = _author_and_topic(article)
    PageViewRestriction.objects.create(page=article, restriction_type="login")
    listings = _urls(
        "/",
        "/insights/",
        f"/insights/topics/{topic.slug}/",
        author.get_absolute_url(),
        "/sitemap.xml",
    )
    return {
        "checks": [
            # Nothing lists it or links to it any longer.
            # (as a link's href, or a sitemap's <loc>).
            {
                "urls": listings,
                "absent": [escape(article.title), f'{article.url}"', f"{article.url}</loc>"],
            },
            # Feeds drop it; an issue's own prose may still link to the address
            # (which now asks readers to sign in), so only its title is checked.
            {
                "urls": ["/feeds/insights.rss", *_feeds(author, topic)],
                "absent": [escape(article.title)],
            },
        ],
        "gone": [article.url],
    }


def author_edit(args: dict) -> dict:
    article, issue = _cited_article()
    author, _topic = _author_and_topic(article)
    author.name = f"Renamed Author {uuid.uuid4().hex[:6]}"
    author.save()
    return {
        "urls": _urls(article.url, author.get_absolute_url(), "/authors/", "/insights/"),
        "present": [escape(author.name)],
        "absent": [],
    }


def topic_edit(args: dict) -> dict:
    article, _issue = _cited_article()
    _author, topic = _author_and_topic(article)
    topic.name = f"Renamed Topic {uuid.uuid4().hex[:6]}"
    topic.save()
    return {
        "urls": _urls(article.url, f"/insights/topics/{topic.slug}/", "/insights/"),
        "present": [topic.name],
        "absent": [],
    }


def image_edit(args: dict) -> dict:
    from insights.models import InsightArticlePage

    article = InsightArticlePage.objects.live().filter(**ENGLISH).exclude(lead_image=None).first()
    image = article.lead_image
    image.description = f"New alternative text {uuid.uuid4().hex[:6]}"
    image.save()
    return {"urls": [article.url], "present": [image.description], "absent": []}


def settings_edit(args: dict) -> dict:
    from wagtail.models import Site

    from home.models import SiteSettings

    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.tagline = f"A new tagline {uuid.uuid4().hex[:6]}"
    settings.save()
    article, issue = _cited_article()
    return {"urls": ["/", "/insights/", article.url, issue.url], "present": [settings.tagline]}


def _featured_response():
    from issues.models import QuestionResponse

    return (
        QuestionResponse.objects.featured()
        .select_related("question", "featured_in")
        .filter(question__live=True, question__locale__language_code="en")
        .first()
    )


def moderation(args: dict) -> dict:
    """Reject a featured answer through the one moderation path (the bulk actions')."""
    from issues.models import QuestionResponse, ResponseStatus

    response = _featured_response()
    question = response.question
    # The answer's own words, as the question page shows them.
    marker = response.response.strip().split("\n")[0][:40]
    QuestionResponse.objects.filter(pk=response.pk).moderate(ResponseStatus.REJECTED)
    urls = [question.url]
    if response.featured_in is not None and response.featured_in.live:
        urls.append(response.featured_in.url)
    return {"urls": urls, "present": [], "absent": [escape(marker)]}


def question_closing(args: dict) -> dict:
    """An open question closed by its editor: home stops offering it."""
    from django.utils import timezone

    from issues.models import QuestionPage

    question = QuestionPage.objects.live().filter(closing_date=None, **ENGLISH).first()
    if question is None:
        question = QuestionPage.objects.live().filter(**ENGLISH).first()
    question.closing_date = timezone.localdate() - timedelta(days=1)
    question.save_revision().publish()
    return {
        "checks": [
            {"urls": ["/"], "absent": [escape(question.question)]},
            {"urls": [question.url], "present": ["This question is closed"]},
        ]
    }


def schedule(args: dict) -> dict:
    """In a few seconds: a new article by an existing author goes live, a listed one expires.

    Answers the moment and what ``publish_scheduled`` must then make every
    worker show.
    """
    from django.utils import timezone

    from insights.models import ArticleAuthor, InsightArticlePage, InsightsIndexPage
    from tests.factories import stream

    expiring = _listed_article()
    author, topic = _author_and_topic(expiring)
    moment = timezone.now() + timedelta(seconds=float(args.get("seconds", 3)))
    expiring.expire_at = moment
    expiring.save_revision().publish()

    title = f"Scheduled analysis {uuid.uuid4().hex[:8]}"
    page = InsightArticlePage(
        title=title,
        slug=f"scheduled-{uuid.uuid4().hex[:8]}",
        date=timezone.localdate(),
        standfirst="Scheduled.",
        body=stream(("paragraph", "<p>Scheduled body.</p>")),
        live=False,
    )
    page.article_authors = [ArticleAuthor(author=author)]
    page.topics = [topic]
    InsightsIndexPage.objects.get(**ENGLISH).add_child(instance=page)
    page.go_live_at = moment
    page.save_revision(approved_go_live_at=moment)
    urls = _urls(
        "/",
        "/insights/",
        f"/insights/topics/{topic.slug}/",
        author.get_absolute_url(),
        *_feeds(author, topic),
    )
    return {
        "go_live_at": moment.timestamp(),
        "capped": urls,
        "expect": {
            "urls": urls,
            "present": [escape(title)],
            "absent": [escape(expiring.title)],
            "gone": [expiring.url],
        },
    }


def publish_scheduled(args: dict) -> dict:
    """What a cron job does: publish pages due to go live, unpublish expired ones."""
    from django.core.management import call_command

    call_command("publish_scheduled", verbosity=0)
    return args["expect"]


COMMANDS = {
    name: function
    for name, function in list(globals().items())
    if callable(function)
    and getattr(function, "__module__", None) == __name__
    and not name.startswith("_")
    and name != "main"
}


def main() -> None:
    _setup()
    from django.db import transaction

    for line in sys.stdin:
        if not line.strip():
            continue
        command = json.loads(line)
        try:
            with transaction.atomic():
                result = COMMANDS[command["name"]](command.get("args", {}))
                # A dry run names what the change touches, then undoes it.
                transaction.set_rollback(bool(command.get("dry")))
            result["ok"] = True
        except Exception as error:  # reported to the test, which fails with it
            result = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
