"""Sample reader responses: the open question's in every state, and featured
answers to last week's (closed) question.

Each sample has a fixed submission token, so a second run finds it and adds nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

from django.utils import timezone

from issues.models import QuestionPage, QuestionResponse, ResponseStatus

NAMESPACE = uuid.UUID("6f1d3c1e-6d2a-4a55-9a36-3f3b7f0a9c10")

# (name, email, affiliation, response, status, moderation notes)
OPEN_QUESTION_RESPONSES = [
    (
        "Amelia Hart",
        "amelia.hart@example.org",
        "Toronto",
        "Sample response. Middle powers gain most by refusing a binary choice: trade where "
        "interests align, coordinate with partners where they do not, and say so openly.",
        ResponseStatus.FEATURED,
        "Good summary of the hedging view.",
    ),
    (
        "Kenji Watanabe",
        "kenji.w@example.org",
        "Osaka",
        "Sample response. Engagement is not alignment. Britain's visit looks like a "
        "recalibration that Canberra, Ottawa and Seoul are all quietly attempting.",
        ResponseStatus.APPROVED,
        "",
    ),
    (
        "Nadia Rahman",
        "nadia.rahman@example.org",
        "University of Dhaka",
        "Sample response. The question for smaller states is leverage: acting together in "
        "regional groups gives them a voice neither Washington nor Beijing can ignore.",
        ResponseStatus.PENDING,
        "",
    ),
    (
        "J. Smith",
        "j.smith@example.org",
        "",
        "Sample response. Off-topic promotion, not an answer to the question.",
        ResponseStatus.REJECTED,
        "Advertising.",
    ),
]

EARLIER_QUESTION_RESPONSES = [
    (
        "Marcus Feld",
        "marcus.feld@example.org",
        "Berlin",
        "Sample response. A trilateral framework is unrealistic today, but data exchanges and "
        "launch notifications could start now and build the habits a treaty needs.",
        ResponseStatus.FEATURED,
        "",
    ),
    (
        "Li Na",
        "li.na@example.org",
        "Beijing",
        "Sample response. China's arsenal is a fraction of the other two; limits should come "
        "first from the largest holders, with China joining once numbers are comparable.",
        ResponseStatus.FEATURED,
        "",
    ),
]


def ensure_responses(question: QuestionPage, specs: list[tuple]) -> int:
    """Create the sample answers this question lacks; returns how many were new."""
    made = 0
    sent = timezone.make_aware(datetime.combine(question.date, time(9)))
    for number, (name, email, affiliation, text, status, notes) in enumerate(specs):
        _, new = QuestionResponse.objects.get_or_create(
            submission_token=uuid.uuid5(NAMESPACE, f"{question.slug}/{number}"),
            defaults={
                "question": question,
                "name": name,
                "email": email,
                "affiliation": affiliation,
                "response": text,
                "original_response": text,
                "consent_to_publish": True,
                "status": status,
                "moderation_notes": notes,
                "submitted_at": sent + timedelta(hours=number),
                "moderated_at": None if status == ResponseStatus.PENDING else sent,
                "notified_at": sent,
            },
        )
        made += new
    return made
