"""Readers' answers to an earlier Question of the Week, featured in an issue."""

from __future__ import annotations

from django.apps import apps
from wagtail import blocks

from .base import (
    CompleteStructBlock,
    MultiRenderMixin,
    PrefetchingPageChooserBlock,
    live_or_none,
)


def preview_with_answers() -> dict:
    """The block preview: the newest published question that has featured answers.

    Resolved by label so this shared block never imports the app above it.
    """
    question = (
        apps.get_model("issues.QuestionPage")
        .objects.live()
        .filter(responses__status="featured")
        .order_by("-date", "-pk")
        .first()
    )
    return {"question": question, "heading": "Reader responses", "count": 3}


class ReaderResponsesValue(blocks.StructValue):
    @property
    def question_page(self):
        return live_or_none(self.get("question"))

    @property
    def responses(self) -> list:
        """The question's featured answers, as many as the editor asked for."""
        page = self.question_page
        if page is None:
            return []
        return list(page.featured_responses())[: self.get("count") or 3]


class ReaderResponsesBlock(MultiRenderMixin, CompleteStructBlock):
    """Featured reader answers to a Question of the Week."""

    question = PrefetchingPageChooserBlock(
        "issues.QuestionPage",
        queryset_method="for_response_blocks",
        help_text="The question whose featured answers to show (feature them under "
        "Reader responses first).",
    )
    heading = blocks.CharBlock(
        max_length=80, default="Reader responses", help_text="The section's heading."
    )
    intro = blocks.TextBlock(
        required=False, max_length=400, help_text="Optional: a line before the answers."
    )
    count = blocks.IntegerBlock(
        min_value=1, max_value=10, default=3, help_text="How many featured answers to show."
    )

    class Meta:
        icon = "group"
        template = "blocks/reader_responses/web.html"
        description = "Answers readers sent to a Question of the Week, as featured by editors."
        value_class = ReaderResponsesValue
        # Evaluated when the picker asks, so the preview shows real featured answers.
        preview_value = staticmethod(preview_with_answers)
        group = "Features"
