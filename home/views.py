"""Views that belong to the site as a whole rather than one section."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET
from wagtail.models import Page

from home.blocks.charts import render_png

CHART_MAX_AGE = 60 * 60 * 24


def find_block(stream, block_id: str):
    """The top-level block with this id in a stream, or None."""
    return next((child for child in stream or [] if child.id == block_id), None)


@require_GET
def chart_png(request, page_id: int, block_id: str) -> HttpResponse:
    """A data chart callout as a PNG: what emails and feed readers show for the SVG."""
    page = Page.objects.live().public().filter(pk=page_id).first()
    if page is None:
        raise Http404("No such page")
    block = find_block(getattr(page.specific, "body", None), block_id)
    if block is None or block.block_type != "chart_callout" or not block.value.has_data_chart:
        raise Http404("No such chart")
    response = HttpResponse(render_png(block.value.geometry), content_type="image/png")
    response["Cache-Control"] = f"public, max-age={CHART_MAX_AGE}"
    return response
