"""Admin and serving hooks for the editions."""

from django.utils.html import escape
from wagtail import hooks
from wagtail.rich_text.pages import PageLinkHandler

from home.blocks.base import page_pool
from home.editions import localize_pages


@hooks.register("before_serve_page")
def read_in_page_edition(page, request, serve_args, serve_kwargs):
    # Blocks and rich text loaded while this page renders link to the pages of
    # its edition (see home.editions.localize_pages).
    page_pool.reading_locale = page.locale_id


class EditionPageLinkHandler(PageLinkHandler):
    """Rich text page links, pointed at the reader's edition in one query.

    Wagtail's own handler localises each link on its own (two queries a link).
    """

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        pages = localize_pages(list(cls.get_many(attrs_list)), page_pool.reading_locale)
        return [f'<a href="{escape(page.url)}">' if page else "<a>" for page in pages]


# After Wagtail's own registration (order 0), so this one replaces it.
@hooks.register("register_rich_text_features", order=10)
def register_edition_page_links(features):
    features.register_link_type(EditionPageLinkHandler)
