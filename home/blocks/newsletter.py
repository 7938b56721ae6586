"""A call to subscribe to the newsletter, placed by editors inside a page's body."""

from __future__ import annotations

from wagtail import blocks

from .base import CompleteStructBlock, MultiRenderMixin


class NewsletterSignupBlock(MultiRenderMixin, CompleteStructBlock):
    """A signup form for Focus This Week; in emails and feeds, a link to it."""

    heading = blocks.CharBlock(
        max_length=120,
        default="Get Focus This Week by email",
        help_text="The invitation, in a few words.",
    )
    intro = blocks.TextBlock(
        required=False,
        max_length=300,
        default="Every Friday: the week in China-U.S. relations, in one letter.",
        help_text="Optional: a line on what subscribers receive and how often.",
    )
    button_label = blocks.CharBlock(
        max_length=40, default="Subscribe", help_text="The button's text: a short verb."
    )

    class Meta:
        icon = "mail"
        label = "Newsletter signup"
        template = "blocks/newsletter_signup/web.html"
        description = "A form readers use to subscribe to Focus This Week."
        preview_value = {"heading": "Get Focus This Week by email", "button_label": "Subscribe"}
        group = "Features"
