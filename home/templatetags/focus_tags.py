"""Template helpers shared by every Focus template."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext
from wagtail.images.models import Picture, ResponsiveImage
from wagtail.images.templatetags import wagtailimages_tags
from wagtail.models import Page, Site
from wagtail.rich_text import expand_db_html

from home.caching.fragments import (
    listing_fragment,
    page_fragment,
    prepared_context,
    site_fragment,
)
from home.caching.tags import rendered
from home.editions import active_code, html_lang, switcher_links
from home.images import stored_rendition_or_not_found, stored_renditions_or_not_found
from home.privacy import public_only
from home.rendering import absolute_url, absolutize_html, html_to_text
from home.routing import edition_home

register = template.Library()


@register.simple_tag(takes_context=True)
def render_stream(context, stream, mode: str) -> SafeString:
    """Render every block of a stream in one mode (web, email, feed or text)."""
    request = context.get("request")
    parts = []
    base_context = context.flatten()
    for child in stream or []:
        # block_id lets a rendering link to per-block resources (a chart's PNG).
        block_context = {**base_context, "block_id": child.id}
        rendered = child.block.render_as(child.value, mode, context=block_context)
        parts.append(str(rendered).strip())
    joined = ("\n\n" if mode == "text" else "\n").join(part for part in parts if part)
    if mode in ("email", "feed"):
        joined = absolutize_html(joined, request)
    return mark_safe(joined)


@register.simple_tag
def rendition(image, spec: str):
    """``{% rendition image "width-1200" as name %}``: what Wagtail's
    ``{% image image width-1200 as name %}`` gives, without writing the
    rendition back to the cache each time (see home.images)."""
    return stored_rendition_or_not_found(image, spec)


# {% stored_image %}, {% stored_srcset_image %} and {% stored_picture %} take
# exactly the arguments of Wagtail's {% image %}, {% srcset_image %} and
# {% picture %} and emit the same HTML (Wagtail's own nodes, Rendition.img_tag,
# ResponsiveImage and Picture build it); only the renditions come from
# home.images, so one already held is not written back to the cache. With the
# cache in the database that write cost four or five SQL statements per
# rendition shown, on every uncached page view.


def _resolved_attrs(node, context) -> dict:
    return {key: value.resolve(context) for key, value in node.attrs.items()}


class StoredImageNode(wagtailimages_tags.ImageNode):
    def render(self, context) -> str:
        image = self.validate_image(context)
        if not image:
            return ""
        rendition = stored_rendition_or_not_found(image, self.get_filter().spec)
        if self.output_var_name:
            context[self.output_var_name] = rendition
            return ""
        return rendition.img_tag(_resolved_attrs(self, context))


class StoredSrcsetImageNode(wagtailimages_tags.SrcsetImageNode):
    wrapper = ResponsiveImage

    def render(self, context) -> str:
        image = self.validate_image(context)
        if not image:
            return ""
        renditions = stored_renditions_or_not_found(image, self.get_filters())
        if self.output_var_name:
            context[self.output_var_name] = self.wrapper(renditions)
            return ""
        return self.wrapper(renditions, _resolved_attrs(self, context)).__html__()


class StoredPictureNode(StoredSrcsetImageNode):
    wrapper = Picture


def _stored(wagtail_name: str, node_class: type[wagtailimages_tags.ImageNode]):
    """A tag parsed by Wagtail's parser for ``wagtail_name``, rendered by ``node_class``."""

    def parse(parser, token) -> wagtailimages_tags.ImageNode:
        arguments = token.contents.split(None, 1)[1:]
        # Wagtail's parser reads the tag's name to know which specs it allows.
        renamed = template.base.Token(
            token.token_type, " ".join([wagtail_name, *arguments]), token.position, token.lineno
        )
        node = wagtailimages_tags.image(parser, renamed)
        return node_class(
            node.image_expr,
            node.filter_specs,
            output_var_name=node.output_var_name,
            attrs=node.attrs,
        )

    return parse


register.tag("stored_image", _stored("image", StoredImageNode))
register.tag("stored_srcset_image", _stored("srcset_image", StoredSrcsetImageNode))
register.tag("stored_picture", _stored("picture", StoredPictureNode))


@register.filter
def richtext_as_text(value) -> str:
    """Stored rich text as plain text, links written out."""
    return html_to_text(expand_db_html(str(value or "")))


@register.simple_tag(takes_context=True)
def absolute(context, url: str) -> str:
    return absolute_url(url, context.get("request"))


@register.simple_tag(takes_context=True)
def nav_sections(context) -> list[Page]:
    """The home page's live, in-menu children, computed once per request."""
    request = context.get("request")
    cached = getattr(request, "_focus_nav_sections", None)
    if cached is not None:
        return cached
    site = Site.find_for_request(request) if request is not None else None
    sections: list[Page] = []
    if site is not None:

        def edition_sections() -> list[Page]:
            home = edition_home(site)
            if home is None:
                return []
            sections = public_only(home.get_children().live().in_menu())
            return list(sections.only("id", "title", "url_path"))

        # Kept in the cache, one entry per edition, and cleared with the site
        # tag (sections are depth 3).
        sections = site_fragment(f"nav:{site.pk}:{active_code()}", edition_sections)
    if request is not None:
        request._focus_nav_sections = sections
    return sections


@register.simple_tag
def current_state(page, section) -> str:
    """aria-current for a nav link: "page" on the section itself, "true" inside it."""
    if page is None or not getattr(page, "url_path", None):
        return ""
    if page.pk == section.pk:
        return "page"
    return "true" if page.url_path.startswith(section.url_path) else ""


@register.filter
def join_names(names) -> str:
    """ "A", "A and B", "A, B and C"."""
    names = [str(name) for name in names or []]
    if len(names) <= 1:
        return "".join(names)
    # "A、B和C" in Chinese: the separators are the edition's.
    separator = pgettext("list separator", ", ")
    last = pgettext("last of names", " and ")
    return f"{separator.join(names[:-1])}{last}{names[-1]}"


@register.simple_tag
def breadcrumb_ancestors(page) -> list[Page]:
    """The page's ancestors below the tree root, reusing what routing already fetched."""
    if page is None:
        return []
    routed = getattr(page, "_focus_route_ancestors", None)
    if routed is not None:
        return routed
    return list(page.get_ancestors()[1:])


@register.simple_tag
def edition_html_lang() -> str:
    """<html lang>: en, zh-Hans or zh-Hant."""
    return html_lang()


@register.simple_tag(takes_context=True)
def edition_links(context) -> list[dict]:
    """The switcher's and hreflang's links, computed once per request."""
    request = context.get("request")
    if request is None:
        return []
    cached = getattr(request, "_focus_edition_links", None)
    if cached is None:
        cached = switcher_links(request, context.get("page"))
        request._focus_edition_links = cached
    return cached


@register.filter
def translated(value) -> str:
    """Site-wide text from settings, in the reader's language where the catalog has it."""
    # gettext("") would return the catalog's header.
    return gettext(value) if value else value


class PageFragmentNode(template.Node):
    def __init__(self, name: template.base.FilterExpression, nodelist: template.NodeList):
        self.name, self.nodelist = name, nodelist

    def render(self, context) -> str:
        page, request = context.get("page"), context.get("request")
        if page is None or request is None or not hasattr(page, "fragment_context"):
            return self.nodelist.render(context)

        def build() -> str:
            rendered.tags.update(page.fragment_tags())
            with context.push(**prepared_context(page, request)):
                return self.nodelist.render(context)

        return page_fragment(request, page, str(self.name.resolve(context)), build)


@register.tag
def pagefragment(parser, token) -> PageFragmentNode:
    """``{% pagefragment "content" %}…{% endpagefragment %}``: kept in the cache, per page.

    The enclosed HTML is reused for the published page until something it
    shows changes (``home.caching.fragments.page_fragment``); pages that do
    not opt in, previews and drafts render it every time.
    """
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("pagefragment takes one argument: the fragment's name")
    nodelist = parser.parse(("endpagefragment",))
    parser.delete_first_token()
    return PageFragmentNode(parser.compile_filter(bits[1]), nodelist)


class ListingFragmentNode(template.Node):
    def __init__(self, listing: template.base.FilterExpression, nodelist: template.NodeList):
        self.listing, self.nodelist = listing, nodelist

    def render(self, context) -> str:
        listing = self.listing.resolve(context)
        if listing is None:
            return self.nodelist.render(context)
        return listing_fragment(
            context.get("request"), listing, lambda: self.nodelist.render(context)
        )


@register.tag
def listingfragment(parser, token) -> ListingFragmentNode:
    """``{% listingfragment listing %}…{% endlistingfragment %}``: a listing's items, kept.

    ``listing`` (``home.caching.fragments.Listing``) names what the enclosed
    HTML shows; the view hands the rows in unloaded, so a hit never loads
    them (``home.caching.fragments.listing_fragment``).
    """
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("listingfragment takes one argument: the listing")
    nodelist = parser.parse(("endlistingfragment",))
    parser.delete_first_token()
    return ListingFragmentNode(parser.compile_filter(bits[1]), nodelist)
