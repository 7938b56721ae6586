"""Views that belong to the site as a whole rather than one section."""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_GET
from wagtail.models import Page

from home.blocks.charts import render_png
from home.caching import object_tag, tag_request


def find_block(stream, block_id: str):
    """The top-level block with this id in a stream, or None."""
    return next((child for child in stream or [] if child.id == block_id), None)


@require_GET
def chart_png(request, page_id: int, block_id: str, version: str | None = None) -> HttpResponse:
    """A data chart callout as a PNG: what emails and feed readers show for the SVG.

    The URL carries a digest of the chart's data. An address without it, or
    with an older one, redirects to the current image instead of serving a
    stale one; the redirect itself is never kept by a cache.
    """
    page = Page.objects.live().public().filter(pk=page_id).first()
    if page is None:
        raise Http404("No such page")
    block = find_block(getattr(page.specific, "body", None), block_id)
    if block is None or block.block_type != "chart_callout" or not block.value.has_data_chart:
        raise Http404("No such chart")
    current = block.value.png_version
    if version != current:
        redirect = HttpResponseRedirect(reverse("chart_png", args=[page_id, block_id, current]))
        redirect["Cache-Control"] = "no-cache"
        return redirect
    # Cached with the page it belongs to and cleared with it; browsers
    # revalidate, and the CDN keeps it until the page's URLs are purged.
    tag_request(request, object_tag(page))
    response = HttpResponse(render_png(block.value.geometry), content_type="image/png")
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    return response
