"""Wagtail's built-in content checker (axe-core), tuned to what Focus publishes.

The same configuration runs in the page editor's Checks panel and in the
userbar on the live site.
"""

from __future__ import annotations

from wagtail.admin.userbar import ContentCheckerItem


class FocusContentChecker(ContentCheckerItem):
    # Wagtail's defaults plus the rules its editors most often break by hand:
    # images without alt text, headings out of order, links that say nothing.
    axe_run_only = [
        *ContentCheckerItem.axe_run_only,
        "image-alt",
        "svg-img-alt",
        "link-in-text-block",
    ]
    # The site header and footer are templates, not editors' content. An issue's
    # email preview has no <main>: the whole message is what subscribers read.
    axe_include = ["main, body.email-body"]
    axe_messages = {
        **ContentCheckerItem.axe_messages,
        "image-alt": {
            "error_name": "Image without alternative text",
            "help_text": "Describe the image (or the chart's key numbers) for readers who cannot "
            "see it",
        },
        "svg-img-alt": {
            "error_name": "Chart without a text alternative",
            "help_text": "Give the chart callout a description, or check its data points",
        },
        "heading-order": {
            "error_name": "Headings skip a level",
            "help_text": "Use a Section (H2) heading before any Subsection (H3)",
        },
        "link-name": {
            "error_name": "Link without text",
            "help_text": "Give every link words that say where it goes",
        },
        "link-in-text-block": {
            "error_name": "Link not distinguishable from text",
            "help_text": "Links inside paragraphs must be underlined or otherwise marked",
        },
    }


def use_focus_content_checker(request, items, page=None) -> None:
    """``construct_wagtail_userbar`` hook: swap Wagtail's checker for Focus's."""
    for position, item in enumerate(items):
        if isinstance(item, ContentCheckerItem) and not isinstance(item, FocusContentChecker):
            items[position] = FocusContentChecker(in_editor=item.in_editor)
