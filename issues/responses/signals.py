"""Recording which issue published a featured answer, when the issue goes live;
clearing the pages that show an answer when it changes."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published

from issues.models import IssuePage, QuestionResponse
from issues.models.responses import responses_changed


def record_featured_responses(sender, instance: IssuePage, **kwargs) -> None:
    """Each reader responses block marks the answers it shows as featured in this issue.

    Answers already credited to an earlier issue keep that issue: the first
    publication is the one readers were told about.
    """
    for block in instance.body:
        if block.block_type != "reader_responses":
            continue
        question = block.value.get("question")
        if question is None:
            continue
        shown = QuestionResponse.objects.filter(question=question).featured()
        ids = list(shown.values_list("pk", flat=True)[: block.value.get("count") or 3])
        QuestionResponse.objects.filter(pk__in=ids, featured_in=None).update(featured_in=instance)


def _response_saved(sender, instance, created=False, **kwargs) -> None:
    # A new answer waits for moderation and shows nowhere: a flood of them
    # must not clear the home page.
    if created and instance.status == "pending":
        return
    responses_changed([instance.question_id], [instance.featured_in_id])


def connect() -> None:
    page_published.connect(
        record_featured_responses, sender=IssuePage, dispatch_uid="issues-featured-responses"
    )
    for signal in (post_save, post_delete):
        signal.connect(
            _response_saved,
            sender=QuestionResponse,
            dispatch_uid=f"focus_cache_response_{signal is post_save}",
        )
