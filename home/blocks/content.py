"""General content blocks: text, headings, images, tables, embeds."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.contrib.table_block.blocks import TableBlock as WagtailTableBlock

from .base import (
    CompleteStructBlock,
    MultiRenderMixin,
    PrefetchingImageChooserBlock,
    searchable,
)

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3", "h4", "blockquote"]


class RichTextBlock(MultiRenderMixin, blocks.RichTextBlock):
    """Paragraphs of formatted text with links."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        kwargs.setdefault(
            "help_text", "Use H3/H4 for sub-headings only; link words that say where they lead."
        )
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = "Text"
        template = "blocks/rich_text/web.html"
        description = "Paragraphs with bold, italic, links and lists."
        preview_value = (
            "<p>Beijing's readout stressed Taiwan; Washington's stressed trade. "
            "The two accounts of one call show each side's priorities.</p>"
        )
        group = "Text"


class HeadingBlock(MultiRenderMixin, CompleteStructBlock):
    """A section heading inside a page's body."""

    text = blocks.CharBlock(max_length=160, help_text="Short: a few words that name the section.")
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section (H2)"), ("h3", "Subsection (H3)")],
        default="h2",
        help_text="Use H3 only under an H2, so the outline stays in order.",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading/web.html"
        description = "A heading that starts a new section."
        preview_value = {"text": "What the readouts left out", "level": "h2"}
        group = "Text"

    def get_searchable_content(self, value):
        return searchable(value.get("text"))


class CaptionedImageBlock(MultiRenderMixin, CompleteStructBlock):
    """An image with its caption and credit."""

    image = PrefetchingImageChooserBlock(help_text="Landscape, at least 1200 pixels wide.")
    alt_text = blocks.CharBlock(
        required=False,
        max_length=250,
        help_text="What the image shows, for readers who cannot see it. "
        "Leave empty to use the image's own description.",
    )
    caption = blocks.CharBlock(
        required=False, max_length=300, help_text="Optional: what readers should notice."
    )
    credit = blocks.CharBlock(required=False, max_length=120, help_text="e.g. Photo: Xinhua")

    class Meta:
        icon = "image"
        template = "blocks/image/web.html"
        description = "A photo or illustration with caption and credit."
        preview_value = {"caption": "Leaders meet in Beijing.", "credit": "Photo: Focus"}
        group = "Media"

    def get_searchable_content(self, value):
        return searchable(value.get("caption"), value.get("alt_text"), value.get("credit"))

    def clean(self, value):
        value = super().clean(value)
        image = value.get("image")
        # Alt text protects readers: checked on publishing, not on every draft save.
        if (
            image
            and not self.is_deferred_validation
            and not (value.get("alt_text") or getattr(image, "description", ""))
        ):
            raise StructBlockValidationError(
                block_errors={
                    "alt_text": ValidationError(
                        "Describe the image for readers who cannot see it "
                        "(the image has no description of its own)."
                    )
                }
            )
        return value


class TableBlock(MultiRenderMixin, WagtailTableBlock):
    """A data table with a caption and header row."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "table_options",
            {"startRows": 3, "startCols": 3, "colHeaders": False, "rowHeaders": False},
        )
        kwargs.setdefault(
            "help_text", "Tick the header row option and add a caption saying what the table shows."
        )
        super().__init__(**kwargs)

    def get_context(self, value, parent_context=None):
        """The variables Wagtail's table template reads, for the non-web renderings.

        Wagtail's own ``TableBlock.render`` builds these inline rather than in
        ``get_context``; without them the email and feed tables come out empty.
        """
        context = super().get_context(value, parent_context=parent_context)
        value = value or {}
        rows = value.get("data") or []
        header = rows[0] if rows and value.get("first_row_is_table_header") else None
        context.update(
            {
                "table_header": header,
                "first_col_is_header": value.get("first_col_is_header", False),
                "html_renderer": self.is_html_renderer(),
                "table_caption": value.get("table_caption"),
                "data": rows[1:] if header else rows,
                "classnames": {
                    (cell["row"], cell["col"]): cell["className"]
                    for cell in value.get("cell") or []
                    if "className" in cell
                },
                "hidden": {
                    (cell["row"], cell["col"]): cell["hidden"]
                    for cell in value.get("cell") or []
                    if "hidden" in cell
                },
                "spans": {
                    (merge["row"], merge["col"]): {
                        "rowspan": merge["rowspan"],
                        "colspan": merge["colspan"],
                    }
                    for merge in value.get("mergeCells") or []
                },
            }
        )
        return context

    class Meta:
        icon = "table"
        template = "blocks/table/web.html"
        description = "A small table of figures; give it a caption."
        preview_value = {
            "first_row_is_table_header": True,
            "table_caption": "U.S. federal debt, % of GDP",
            "data": [["Quarter", "Debt"], ["Q4 2011", "99.4"], ["Q4 2012", "103.7"]],
        }
        group = "Data"


VIDEO_URL_PATTERNS = [
    ("youtube", re.compile(r"^(?:www\.|m\.)?youtube(?:-nocookie)?\.com$")),
    ("youtube", re.compile(r"^youtu\.be$")),
    ("vimeo", re.compile(r"^(?:www\.|player\.)?vimeo\.com$")),
]
VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")


def parse_video_url(url: str) -> tuple[str, str] | None:
    """(provider, id) for a YouTube or Vimeo URL, worked out with no network."""
    parsed = urlparse(url or "")
    host = (parsed.hostname or "").lower()
    provider = next((name for name, pattern in VIDEO_URL_PATTERNS if pattern.match(host)), None)
    if provider is None:
        return None
    path_parts = [part for part in parsed.path.split("/") if part]
    candidate = ""
    if provider == "youtube":
        if host == "youtu.be" and path_parts:
            candidate = path_parts[0]
        elif path_parts[:1] in (["embed"], ["shorts"], ["live"]) and len(path_parts) > 1:
            candidate = path_parts[1]
        else:
            candidate = parse_qs(parsed.query).get("v", [""])[0]
    else:
        candidate = next((part for part in reversed(path_parts) if part.isdigit()), "")
    if not VIDEO_ID.match(candidate):
        return None
    return provider, candidate


def player_url(provider: str, video_id: str) -> str:
    """The privacy-enhanced player, loaded only after a reader asks for it."""
    if provider == "youtube":
        return f"https://www.youtube-nocookie.com/embed/{video_id}?autoplay=1&rel=0"
    return f"https://player.vimeo.com/video/{video_id}?autoplay=1&dnt=1"


def watch_url(provider: str, video_id: str) -> str:
    if provider == "youtube":
        return f"https://www.youtube.com/watch?v={video_id}"
    return f"https://vimeo.com/{video_id}"


class EmbedValue(blocks.StructValue):
    @property
    def video(self) -> tuple[str, str] | None:
        return parse_video_url(self.get("url"))

    @property
    def player_url(self) -> str:
        video = self.video
        return player_url(*video) if video else ""


class EmbedBlock(MultiRenderMixin, CompleteStructBlock):
    """A video or other media from another site, shown as a poster until clicked."""

    url = blocks.URLBlock(help_text="A YouTube or Vimeo address, or any page to link to.")
    title = blocks.CharBlock(max_length=200, help_text="What readers will watch or open.")
    poster = PrefetchingImageChooserBlock(
        required=False, help_text="Shown before the reader presses play; nothing loads until then."
    )
    caption = blocks.CharBlock(
        required=False, max_length=300, help_text="Optional: a line under the media."
    )

    class Meta:
        icon = "media"
        template = "blocks/embed/web.html"
        description = "A video or media link, loaded only when the reader asks."
        value_class = EmbedValue
        preview_value = {
            "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "title": "China Current: a conversation",
        }
        group = "Media"

    def get_searchable_content(self, value):
        return searchable(value.get("title"), value.get("caption"))
