"""The newsletter's signature blocks: quote, chart, links, video, question."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError

from .base import (
    CompleteStructBlock,
    MultiRenderMixin,
    PrefetchingImageChooserBlock,
    PrefetchingPageChooserBlock,
    clean_struct_children,
    live_or_none,
    searchable,
)
from .charts import ChartGeometry, bar_chart, format_value, split_pasted_rows


def newest_live_preview(model_label: str, field: str) -> dict:
    """A block preview value pointing at the newest published page of a type.

    Resolved by label so these shared blocks never import the apps above them.
    """
    model = apps.get_model(model_label)
    return {field: model.objects.live().order_by("-first_published_at", "-pk").first()}


class PullQuoteValue(blocks.StructValue):
    @property
    def source_page_live(self):
        return live_or_none(self.get("source_page"))

    @property
    def source_href(self) -> str:
        page = self.source_page_live
        if page is not None:
            return page.url or ""
        return self.get("source_url") or ""

    @property
    def source_label(self) -> str:
        page = self.source_page_live
        return self.get("source_title") or (page.title if page is not None else "")


class PullQuoteBlock(MultiRenderMixin, CompleteStructBlock):
    """A quotation set large, with who said it and where."""

    quote = blocks.TextBlock(max_length=600, help_text="The words, without quotation marks.")
    speaker = blocks.CharBlock(required=False, max_length=120, help_text="Who said or wrote it.")
    affiliation = blocks.CharBlock(
        required=False, max_length=200, help_text="Their role, e.g. Independent Scholar."
    )
    source_page = PrefetchingPageChooserBlock(
        required=False, help_text="The Focus page the quote comes from (preferred)."
    )
    source_url = blocks.URLBlock(required=False, help_text="Or an outside source's address.")
    source_title = blocks.CharBlock(
        required=False, max_length=200, help_text="Optional: defaults to the chosen page's title."
    )

    class Meta:
        icon = "openquote"
        template = "blocks/pull_quote/web.html"
        description = "A quote of the week, set large with its speaker and source."
        value_class = PullQuoteValue
        preview_value = {
            "quote": "Territorial integrity and national sovereignty are clearly "
            "non-negotiable baselines for both countries.",
            "speaker": "Focus contributor",
        }
        group = "Features"

    def clean(self, value):
        value = super().clean(value)
        if self.is_deferred_validation:
            # A draft may be half-written; these rules protect readers, so they
            # are checked when publishing or submitting for approval.
            return value
        if value.get("source_page") and value.get("source_url"):
            raise StructBlockValidationError(
                block_errors={
                    "source_url": ValidationError(
                        "Choose a Focus page or enter an outside address, not both."
                    )
                }
            )
        if value.get("affiliation") and not value.get("speaker"):
            raise StructBlockValidationError(
                block_errors={"speaker": ValidationError("Name the speaker of this affiliation.")}
            )
        return value

    def get_searchable_content(self, value):
        return searchable(
            value.get("quote"),
            value.get("speaker"),
            value.get("affiliation"),
            value.get("source_title"),
        )


class ChartPointBlock(CompleteStructBlock):
    """One bar of a data chart."""

    label = blocks.CharBlock(max_length=40, help_text="e.g. Q4 2011")
    value = blocks.DecimalBlock(
        max_digits=14, decimal_places=3, help_text="The number only, e.g. 99.4."
    )

    class Meta:
        icon = "plus"
        label_format = "{label}: {value}"


class ChartCalloutValue(blocks.StructValue):
    @property
    def points(self) -> list[tuple[str, Decimal]]:
        return [(point["label"], point["value"]) for point in self.get("data") or []]

    @property
    def has_data_chart(self) -> bool:
        return not self.get("chart_image") and len(self.points) >= 2

    @cached_property
    def geometry(self) -> ChartGeometry:
        return bar_chart(self.points, self.get("unit") or "")

    @cached_property
    def png_version(self) -> str:
        """A digest of what the PNG is drawn from: its URL changes when the data does,
        so email clients' and feed readers' image caches never keep an old chart."""
        drawn = [self.get("unit") or "", [[label, str(value)] for label, value in self.points]]
        return hashlib.sha256(json.dumps(drawn).encode()).hexdigest()[:16]

    @property
    def formatted_points(self) -> list[tuple[str, str]]:
        unit = self.get("unit") or ""
        return [(label, format_value(value, unit)) for label, value in self.points]

    @property
    def text_alternative(self) -> str:
        """What the chart shows, in words: the editor's, else built from the data."""
        if self.get("chart_image"):
            return self.get("alt_text") or ""
        if self.get("description"):
            return self["description"]
        values = "; ".join(f"{label}: {value}" for label, value in self.formatted_points)
        return f"Bar chart of {self.get('data_label') or self['headline']}. {values}."

    # Not named after the child blocks: templates look up dict keys first.
    @property
    def live_article(self):
        return live_or_none(self.get("article"))

    @property
    def article_authors(self) -> list:
        article = self.live_article
        return article.author_names() if article is not None else []


class ChartCalloutBlock(MultiRenderMixin, CompleteStructBlock):
    """A notable number or chart, its source, and the article that explains it."""

    headline = blocks.CharBlock(
        max_length=200, help_text="The finding, in a sentence: e.g. U.S. debt now exceeds GDP."
    )
    chart_image = PrefetchingImageChooserBlock(
        required=False, help_text="An uploaded chart. Leave empty to draw one from the data below."
    )
    alt_text = blocks.CharBlock(
        required=False,
        max_length=400,
        help_text="Required with an uploaded chart: what it shows, including the key numbers.",
    )
    data_label = blocks.CharBlock(
        required=False, max_length=120, help_text="What the numbers measure, e.g. Debt as % of GDP."
    )
    unit = blocks.CharBlock(required=False, max_length=12, help_text="e.g. % or bn USD")
    paste = blocks.TextBlock(
        required=False,
        # "" rather than None for streams saved before this field existed:
        # translation tools read every text field of a block as a string.
        default="",
        label="Paste rows",
        rows=4,
        help_text="Paste rows copied from a spreadsheet (label, then value; tab or comma "
        "separated). When saved they replace the data points below and this box empties.",
    )
    data = blocks.ListBlock(
        ChartPointBlock(),
        min_num=0,
        max_num=24,
        default=[],
        help_text="Two to 24 points, drawn as bars in this order.",
    )
    description = blocks.TextBlock(
        required=False,
        max_length=600,
        help_text="Optional: the chart's message in words. Built from the data if empty.",
    )
    source_note = blocks.CharBlock(
        max_length=300, help_text="Where the numbers come from, e.g. FRED, series GFDEGDQ188S."
    )
    source_url = blocks.URLBlock(
        required=False, help_text="Optional: the address of the data source, for readers to check."
    )
    article = PrefetchingPageChooserBlock(
        "insights.InsightArticlePage",
        required=False,
        help_text="The article readers should read next; its title and authors are shown.",
    )

    class Meta:
        icon = "chart-bar"
        template = "blocks/chart_callout/web.html"
        description = "A chart or notable number with its source and a link to the article."
        value_class = ChartCalloutValue
        preview_value = {
            "headline": "U.S. federal debt as a share of GDP",
            "data_label": "Total public debt, % of GDP",
            "unit": "%",
            "data": [
                {"label": "Q4 2011", "value": Decimal("99.4")},
                {"label": "Q1 2012", "value": Decimal("100.7")},
                {"label": "Q4 2012", "value": Decimal("103.7")},
            ],
            "source_note": "FRED, series GFDEGDQ188S",
        }
        group = "Features"

    def clean(self, value):
        value, errors = clean_struct_children(self, value)
        if (value.get("paste") or "").strip() and "paste" not in errors:
            # Bad rows are refused even in a draft, like a mistyped number:
            # silently dropping what the editor pasted would lose their work.
            try:
                value["data"] = self.pasted_points(value["paste"])
                value["paste"] = ""
            except StructBlockValidationError as invalid:
                errors.update(invalid.block_errors)
        if not self.is_deferred_validation:
            # A draft may hold half a chart; readers never see a draft.
            errors = {**self.publishing_errors(value), **errors}
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def publishing_errors(self, value) -> dict:
        errors = {}
        has_image = bool(value.get("chart_image"))
        points = len(value.get("data") or [])
        if has_image and points:
            errors["data"] = ValidationError(
                "Use either an uploaded chart or data points: remove one of them."
            )
        elif not has_image and points < 2:
            errors["data"] = ValidationError(
                "Add at least two data points, or choose an uploaded chart image."
            )
        if has_image and not value.get("alt_text"):
            errors["alt_text"] = ValidationError(
                "Describe the chart for readers who cannot see it, with its key numbers."
            )
        return errors

    def pasted_points(self, text: str):
        """The data points in pasted rows, checked as if typed into the list one by one."""
        data_block = self.child_blocks["data"]
        point_block = data_block.child_block
        rows, errors = split_pasted_rows(text)
        points = []
        for row in rows:
            point, problems = {}, []
            for name, raw in (("label", row.label), ("value", row.value)):
                child = point_block.child_blocks[name]
                try:
                    point[name] = child.clean(raw)
                except ValidationError as invalid:
                    problems.append(f"{child.label.lower()}: {' '.join(invalid.messages)}")
            if problems:
                errors.append(
                    f"Row {row.number} (“{row.label}; {row.value}”): {'; '.join(problems)}"
                )
            else:
                points.append(point)
        if not errors and len(points) > data_block.meta.max_num:
            errors.append(
                f"A chart holds at most {data_block.meta.max_num} points; "
                f"{len(points)} rows were pasted."
            )
        if errors:
            raise StructBlockValidationError(block_errors={"paste": ValidationError(errors)})
        return data_block.normalize(points)

    def get_searchable_content(self, value):
        return searchable(
            value.get("headline"),
            value.get("description") or value.get("alt_text"),
            value.get("data_label"),
            value.get("source_note"),
        )


class RelatedLinkValue(blocks.StructValue):
    @property
    def live_page(self):
        return live_or_none(self.get("page"))

    @property
    def href(self) -> str:
        page = self.live_page
        if page is not None:
            return page.url or ""
        if self.get("page") is not None:
            # A chosen page that is not live: hide the item rather than link to a 404.
            return ""
        return self.get("url") or ""

    @property
    def text(self) -> str:
        page = self.live_page
        return self.get("label") or (page.title if page is not None else self.get("url", ""))

    @property
    def is_external(self) -> bool:
        return self.get("page") is None and bool(self.get("url"))


class RelatedLinkBlock(CompleteStructBlock):
    """One link: a Focus page, or an outside address with a label."""

    page = PrefetchingPageChooserBlock(required=False, help_text="A Focus page (preferred).")
    url = blocks.URLBlock(required=False, help_text="Or an outside address.")
    label = blocks.CharBlock(
        required=False, max_length=200, help_text="Link text; defaults to the page's title."
    )

    class Meta:
        icon = "link"
        value_class = RelatedLinkValue
        label_format = "{label}"

    def clean(self, value):
        value = super().clean(value)
        if self.is_deferred_validation:
            # A new list item starts empty; a draft may keep it so until publishing.
            return value
        has_page, has_url = bool(value.get("page")), bool(value.get("url"))
        if has_page == has_url:
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError("Choose a Focus page or enter an address (exactly one).")
                }
            )
        if has_url and not value.get("label"):
            raise StructBlockValidationError(
                block_errors={"label": ValidationError("Give an outside link a label.")}
            )
        return value


class RelatedLinksValue(blocks.StructValue):
    @property
    def available_links(self) -> list[RelatedLinkValue]:
        return [link for link in self.get("links") or [] if link.href]


class RelatedLinksBlock(MultiRenderMixin, CompleteStructBlock):
    """A short list of further reading."""

    heading = blocks.CharBlock(
        max_length=120, default="Latest from Focus", help_text="e.g. Latest Focus content."
    )
    intro = blocks.TextBlock(
        required=False, max_length=400, help_text="Optional: a sentence before the links."
    )
    links = blocks.ListBlock(
        RelatedLinkBlock(),
        min_num=1,
        max_num=20,
        help_text="One to 20 links, shown in this order; drag to reorder.",
    )

    class Meta:
        icon = "list-ul"
        template = "blocks/related_links/web.html"
        description = "Links to recent Focus content or outside reading."
        value_class = RelatedLinksValue
        preview_value = {
            "heading": "Latest from Focus",
            "links": [{"url": "https://example.org/", "label": "An outside reading"}],
        }
        group = "Features"

    def get_searchable_content(self, value):
        return searchable(
            value.get("heading"),
            value.get("intro"),
            *(link.text for link in value.available_links),
        )


class VideoFeatureValue(blocks.StructValue):
    @property
    def live_video(self):
        return live_or_none(self.get("video"))


class VideoFeatureBlock(MultiRenderMixin, CompleteStructBlock):
    """A featured video: its poster, title, a blurb and a watch link."""

    video = PrefetchingPageChooserBlock(
        "issues.VideoPage",
        help_text="A published video page.",
    )
    blurb = blocks.TextBlock(
        required=False, max_length=600, help_text="Why watch; defaults to the video's description."
    )
    cta_label = blocks.CharBlock(
        max_length=40, default="Watch video", help_text="The link's words, e.g. Watch video."
    )

    class Meta:
        icon = "media"
        template = "blocks/video_feature/web.html"
        description = "Feature a China Current (or other) video with its poster."
        value_class = VideoFeatureValue
        # Evaluated when the picker asks, so the preview shows a real published video.
        preview_value = staticmethod(lambda: newest_live_preview("issues.VideoPage", "video"))
        group = "Features"

    def get_searchable_content(self, value):
        # The issue shows the video's title, so readers may search by it.
        video = value.live_video
        return searchable(video.title if video else "", value.get("blurb"))


class QuestionValue(blocks.StructValue):
    @property
    def question_page(self):
        return live_or_none(self.get("question"))


class QuestionOfTheWeekBlock(MultiRenderMixin, CompleteStructBlock):
    """The Question of the Week, with its context and how to answer."""

    question = PrefetchingPageChooserBlock(
        "issues.QuestionPage",
        help_text="A published question page.",
    )
    heading = blocks.CharBlock(
        max_length=80, default="Question of the Week", help_text="The panel's heading."
    )
    invitation = blocks.CharBlock(
        max_length=120,
        default="We want to hear from you!",
        help_text="The call to answer, shown with the link to the question.",
    )

    class Meta:
        icon = "help"
        template = "blocks/question_of_the_week/web.html"
        description = "The Question of the Week, its context article and how to respond."
        value_class = QuestionValue
        preview_value = staticmethod(lambda: newest_live_preview("issues.QuestionPage", "question"))
        group = "Features"

    def get_searchable_content(self, value):
        question = value.question_page
        return searchable(question.question if question else "")
