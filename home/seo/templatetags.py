"""Head tags for search engines and link previews: ``{% seo_info as seo %}``."""

from __future__ import annotations

from django import template

from .metadata import SeoInfo, seo_info

register = template.Library()


@register.simple_tag(takes_context=True, name="seo_info")
def seo_info_tag(context) -> SeoInfo | None:
    return seo_info(context)
