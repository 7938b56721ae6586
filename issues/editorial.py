"""The editors' week: when the next issue goes out, what it starts with, what it lacks.

Kept apart from the admin views so the rules can be tested, and reused by
the dashboard, without a request.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.models import PageLogEntry

from insights.models import InsightArticlePage

from .forms import has_text
from .models import IssueIndexPage, IssuePage, QuestionPage, QuestionResponse, VideoPage

FRIDAY = 4
# RelatedLinksBlock holds at most 20 links.
MAX_OFFERED_ARTICLES = 20
# The most answers a Reader responses block shows (its count field's maximum).
MAX_SHOWN_RESPONSES = 10
# With no earlier issue, "since the last issue" means the week before.
FIRST_ISSUE_LOOKBACK = timedelta(days=7)


class IssueExists(Exception):
    """An issue already has that date; it is never overwritten."""

    def __init__(self, issue: IssuePage):
        self.issue = issue
        super().__init__(f"There is already an issue dated {issue.issue_date:%-d %B %Y}.")


def next_friday(after: date) -> date:
    """The first Friday strictly after ``after``."""
    return after + timedelta(days=(FRIDAY - after.weekday()) % 7 or 7)


def latest_issue(index: IssueIndexPage) -> IssuePage | None:
    """The most recent issue by date, drafts included: a draft already claims its date."""
    return IssuePage.objects.child_of(index).newest_first().first()


def next_issue_date(index: IssueIndexPage, today: date | None = None) -> date:
    """The Friday after the latest issue, but never a date already past.

    After a break in publication the Friday after the last issue may be
    months ago; an issue dated in the past would go out stale, so the next
    Friday from today is used instead.
    """
    today = today or timezone.localdate()
    last = latest_issue(index)
    candidate = next_friday(last.issue_date) if last else next_friday(today - timedelta(days=1))
    if candidate < today:
        candidate = next_friday(today - timedelta(days=1))
    return candidate


def articles_since(
    index: IssueIndexPage, issue_date: date, limit: int = MAX_OFFERED_ARTICLES
) -> list[InsightArticlePage]:
    """Live Insights articles dated after the previous issue and up to ``issue_date``."""
    previous = (
        IssuePage.objects.child_of(index)
        .filter(issue_date__lt=issue_date)
        .newest_first()
        .values_list("issue_date", flat=True)
        .first()
    )
    since = previous or issue_date - FIRST_ISSUE_LOOKBACK
    return list(
        InsightArticlePage.objects.live()
        .filter(date__gt=since, date__lte=issue_date)
        .order_by("-date", "-pk")
        .only("id", "title", "date")[:limit]
    )


def in_edition(locale_id: int | None = None) -> dict:
    """A filter for one edition's pages: the given locale, else the default (English) one.

    The default is matched by its language code, a join rather than one more query.
    """
    if locale_id is not None:
        return {"locale_id": locale_id}
    return {"locale__language_code": settings.LANGUAGE_CODE}


def open_question(on: date, locale_id: int | None = None) -> QuestionPage | None:
    """The newest live question of the edition still open on ``on``."""
    return (
        QuestionPage.objects.live()
        .filter(**in_edition(locale_id))
        .filter(Q(closing_date__isnull=True) | Q(closing_date__gte=on))
        .order_by("-date", "-pk")
        .first()
    )


def newest_video(locale_id: int | None = None) -> VideoPage | None:
    return VideoPage.objects.live().filter(**in_edition(locale_id)).order_by("-date", "-pk").first()


@dataclass(frozen=True)
class WaitingAnswers:
    """Featured reader answers no issue has published yet, for one question."""

    question: QuestionPage
    waiting: int
    featured: int


def waiting_answers(locale_id: int | None = None) -> WaitingAnswers | None:
    """The edition's newest live question with featured answers that no issue has carried."""
    question = (
        QuestionPage.objects.live()
        .filter(**in_edition(locale_id))
        .filter(responses__status="featured", responses__featured_in__isnull=True)
        .order_by("-date", "-pk")
        .first()
    )
    if question is None:
        return None
    featured = QuestionResponse.objects.filter(question=question).featured()
    return WaitingAnswers(
        question=question,
        waiting=featured.filter(featured_in__isnull=True).count(),
        featured=featured.count(),
    )


def _block(kind: str, value) -> dict:
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def standing_body(
    articles: list[InsightArticlePage],
    video: VideoPage | None = None,
    question: QuestionPage | None = None,
    answers: WaitingAnswers | None = None,
) -> str:
    """The blocks every issue carries, in the order readers expect them.

    Empty fields stay empty on purpose: a draft may be incomplete, and
    publishing refuses it until the editor has filled them in.
    """
    links = [_block("item", {"page": article.pk, "url": "", "label": ""}) for article in articles]
    blocks = [
        _block("pull_quote", {"quote": "", "speaker": "", "affiliation": ""}),
        _block(
            "chart_callout",
            {"headline": "", "data": [], "source_note": "", "article": None},
        ),
        _block(
            "video_feature",
            {"video": video.pk if video else None, "blurb": "", "cta_label": "Watch video"},
        ),
        _block(
            "question_of_the_week",
            {
                "question": question.pk if question else None,
                "heading": "Question of the Week",
                "invitation": "We want to hear from you!",
            },
        ),
        _block("related_links", {"heading": "Latest Focus content", "intro": "", "links": links}),
    ]
    if answers is not None:
        # After the new question, readers' answers to an earlier one. The block
        # shows the question's featured answers oldest first, so its count
        # must reach the ones waiting.
        responses = _block(
            "reader_responses",
            {
                "question": answers.question.pk,
                "heading": "Reader responses",
                "intro": "",
                "count": min(answers.featured, MAX_SHOWN_RESPONSES),
            },
        )
        blocks.insert(len(blocks) - 1, responses)
    return json.dumps(blocks, cls=DjangoJSONEncoder)


def start_issue(index: IssueIndexPage, issue_date: date, user=None) -> IssuePage:
    """Create the draft issue for ``issue_date``, pre-filled; refuse if the date is taken."""
    with transaction.atomic():
        # Locking the edition's index settles a race between two editors: the
        # second waits, then finds the first one's issue. (Each edition has its
        # own index and may have its own issue of the same date.)
        if connection.features.has_select_for_update:
            IssueIndexPage.objects.select_for_update().filter(pk=index.pk).exists()
        existing = IssuePage.objects.child_of(index).filter(issue_date=issue_date).first()
        if existing is not None:
            raise IssueExists(existing)
        last = latest_issue(index)
        number = last.issue_number + 1 if last and last.issue_number else None
        page = IssuePage(
            title=f"Focus This Week, {issue_date:%-d %B %Y}",
            issue_date=issue_date,
            issue_number=number,
            letter="",
            body=standing_body(
                articles_since(index, issue_date),
                newest_video(index.locale_id),
                open_question(issue_date, index.locale_id),
                waiting_answers(index.locale_id),
            ),
            live=False,
            owner=user,
        )
        index.add_child(instance=page)
    # Like the admin's own "save draft": the letter is written later, so skip validation.
    page.save_revision(user=user, log_action=False, clean=False)
    PageLogEntry.objects.log_action(page, "wagtail.create", user=user)
    return page


@dataclass(frozen=True)
class Gap:
    """Something an issue still needs before it can go out."""

    label: str


def issue_gaps(issue: IssuePage) -> list[Gap]:
    """What the issue (as last saved, draft included) still lacks."""
    gaps = []
    if not has_text(issue.letter):
        gaps.append(Gap("The editor's letter is empty."))
    if not issue.summary.strip():
        gaps.append(Gap("No summary for listings, feeds and search."))
    blocks = {}
    for block in issue.body.raw_data:
        blocks.setdefault(block["type"], []).append(block.get("value") or {})
    if not any((value.get("quote") or "").strip() for value in blocks.get("pull_quote", [])):
        gaps.append(Gap("The pull quote has no words."))
    if not any((value.get("headline") or "").strip() for value in blocks.get("chart_callout", [])):
        gaps.append(Gap("The chart callout has no headline."))
    if not any(value.get("video") for value in blocks.get("video_feature", [])):
        gaps.append(Gap("No video is featured."))
    if not any(value.get("question") for value in blocks.get("question_of_the_week", [])):
        gaps.append(Gap("No Question of the Week is chosen."))
    if not any(value.get("links") for value in blocks.get("related_links", [])):
        gaps.append(Gap("No related links."))
    return gaps
