"""Focus's shared StreamField blocks, defined once for every page type."""

from .base import (
    RENDER_MODES,
    MultiRenderMixin,
    PrefetchingImageChooserBlock,
    PrefetchingPageChooserBlock,
    going_live_at,
    live_or_none,
    not_live_by,
    publication_moment,
    searchable,
)
from .content import (
    CaptionedImageBlock,
    EmbedBlock,
    HeadingBlock,
    RichTextBlock,
    TableBlock,
    parse_video_url,
    player_url,
    watch_url,
)
from .features import (
    ChartCalloutBlock,
    PullQuoteBlock,
    QuestionOfTheWeekBlock,
    RelatedLinkBlock,
    RelatedLinksBlock,
    VideoFeatureBlock,
)
from .newsletter import NewsletterSignupBlock
from .responses import ReaderResponsesBlock
from .streams import BodyStreamBlock

__all__ = [
    "RENDER_MODES",
    "BodyStreamBlock",
    "CaptionedImageBlock",
    "ChartCalloutBlock",
    "EmbedBlock",
    "HeadingBlock",
    "MultiRenderMixin",
    "NewsletterSignupBlock",
    "PrefetchingImageChooserBlock",
    "PrefetchingPageChooserBlock",
    "PullQuoteBlock",
    "QuestionOfTheWeekBlock",
    "ReaderResponsesBlock",
    "RelatedLinkBlock",
    "RelatedLinksBlock",
    "RichTextBlock",
    "TableBlock",
    "VideoFeatureBlock",
    "going_live_at",
    "live_or_none",
    "not_live_by",
    "parse_video_url",
    "player_url",
    "publication_moment",
    "searchable",
    "watch_url",
]
