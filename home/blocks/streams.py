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

    def get_searchable_content(self, value):
        """Each block's text, skipping text the stream already holds.

        A pull quote usually repeats a sentence of the body, and a heading or
        caption may too; indexing the repeat would count those words twice
        and rank the page on its quotes rather than its argument.
        """
        texts = super().get_searchable_content(value)
        folded = [" ".join(text.split()).casefold() for text in texts]
        kept = []
        for position, text in enumerate(texts):
            here = folded[position]
            if not here:
                continue
            repeated = any(
                (here in other and (here != other or earlier < position))
                for earlier, other in enumerate(folded)
                if earlier != position
            )
            if not repeated:
                kept.append(text)
        return kept
