"""The shared body stream; apps extend it rather than redefine it."""

from wagtail import blocks

from .content import CaptionedImageBlock, EmbedBlock, HeadingBlock, RichTextBlock, TableBlock
from .features import ChartCalloutBlock, PullQuoteBlock, RelatedLinksBlock
from .newsletter import NewsletterSignupBlock


class BodyStreamBlock(blocks.StreamBlock):
    """What any long-form page body may hold."""

    heading = HeadingBlock()
    paragraph = RichTextBlock()
    pull_quote = PullQuoteBlock()
    chart_callout = ChartCalloutBlock()
    image = CaptionedImageBlock()
    table = TableBlock()
    embed = EmbedBlock()
    related_links = RelatedLinksBlock()
    newsletter_signup = NewsletterSignupBlock()
