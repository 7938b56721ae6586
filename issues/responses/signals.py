"""Recording which issue published a featured answer, when the issue goes live."""

from __future__ import annotations

from wagtail.signals import page_published

from issues.models import IssuePage, QuestionResponse


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


def connect() -> None:
    page_published.connect(
        record_featured_responses, sender=IssuePage, dispatch_uid="issues-featured-responses"
    )
