"""The machinery every Focus block shares: four renderings and bulk loading.

Each block keeps its four templates side by side in
``templates/blocks/<name>/``: ``web.html`` (the site), ``email.html`` (the
newsletter), ``feed.html`` (RSS/Atom/JSON Feed content) and ``text.txt`` (the
text/plain part of the email). Adding a block is one folder to fill, and a
test checks every block has all four.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

RENDER_MODES = ("web", "email", "feed", "text")


class MultiRenderMixin:
    """Adds ``render_as(value, mode)`` next to Wagtail's own ``render``."""

    def template_for(self, mode: str) -> str:
        if mode not in RENDER_MODES:
            raise ValueError(f"Unknown render mode {mode!r}")
        folder = self.meta.template.rsplit("/", 1)[0]
        return f"{folder}/{mode}.{'txt' if mode == 'text' else 'html'}"

    def render_as(self, value: Any, mode: str, context: dict | None = None) -> SafeString:
        if mode == "web":
            return self.render(value, context)
        block_context = self.get_context(value, parent_context=dict(context or {}))
        block_context["render_mode"] = mode
        return mark_safe(render_to_string(self.template_for(mode), block_context))


class PrefetchingPageChooserBlock(blocks.PageChooserBlock):
    """A page chooser that loads all its pages, and what they show, in bulk.

    Wagtail loads each chooser's values in one query per block type; the
    pages a block displays usually bring related rows too (authors, a poster
    image and its renditions). The chosen page type says what those are by
    offering a ``for_blocks()`` queryset method, so this block keeps a page's
    query count fixed without knowing the apps above it.
    """

    def clean(self, value):
        value = super().clean(value)
        # Readers would meet a missing link; say so while the editor can still fix it.
        if value is not None and not value.live:
            raise ValidationError(
                f"“{value.title}” is not published yet: publish it first, "
                "or choose a published page."
            )
        return value

    def bulk_to_python(self, values):
        ids = [value for value in values if value is not None]
        if not ids:
            return [None for _ in values]
        queryset = self.model_class.objects.all()
        if hasattr(queryset, "for_blocks"):
            queryset = queryset.for_blocks()
        objects = queryset.in_bulk(ids)
        return [objects.get(value) for value in values]


class PrefetchingImageChooserBlock(ImageChooserBlock):
    """An image chooser that loads images with their renditions in one go."""

    def bulk_to_python(self, values):
        ids = [value for value in values if value is not None]
        if not ids:
            return [None for _ in values]
        objects = self.model_class.objects.prefetch_renditions().in_bulk(ids)
        return [objects.get(value) for value in values]


def live_or_none(page):
    """A chosen page that readers can reach, else None (unpublished or deleted)."""
    if page is None or not getattr(page, "live", False):
        return None
    return page
