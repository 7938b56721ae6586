"""Turning page content into the other renderings: absolute URLs and plain text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from html.parser import HTMLParser
from urllib.parse import urljoin

from django.conf import settings
from wagtail.models import Site

RELATIVE_URL_ATTR = re.compile(r'(\s(?:href|src|poster)=")(/[^"]*)"')


def base_url(request=None) -> str:
    """The site's public origin, from the request when there is one."""
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute_url(url: str, request=None) -> str:
    if not url:
        return ""
    return urljoin(base_url(request) + "/", url)


def absolutize_html(html: str, request=None) -> str:
    """Rewrite root-relative href/src attributes so HTML works outside the site."""
    origin = base_url(request)
    return RELATIVE_URL_ATTR.sub(lambda match: f'{match.group(1)}{origin}{match.group(2)}"', html)


# Wagtail's site root paths, read once for everything rendered meanwhile.
_site_root_paths: ContextVar[list | None] = ContextVar("focus_site_root_paths", default=None)


@contextmanager
def site_root_paths_shared(request) -> Iterator[None]:
    """Let pages passed to ``share_site_root_paths`` meanwhile use the request's
    copy of Wagtail's site root paths.

    ``page.url`` (no request at hand: a rich-text link, a block's chosen
    page, an article's index) reads the site root paths from the cache once
    per page object; with the database cache store that is one SQL query per
    link, so a feed's cost grew with its entries. Wagtail keeps the paths on
    whatever object it is given to cache them on: the request here, then
    each page, so URLs are exactly those ``page.url`` gives.
    """
    paths = getattr(request, "_wagtail_cached_site_root_paths", None)
    if paths is None:
        paths = request._wagtail_cached_site_root_paths = Site.get_site_root_paths()
    token = _site_root_paths.set(paths)
    try:
        yield
    finally:
        _site_root_paths.reset(token)


def share_site_root_paths(pages: Iterable) -> None:
    """Hand the shared site root paths (if any) to each page, for its ``url``."""
    paths = _site_root_paths.get()
    if paths is None:
        return
    for page in pages:
        if page is not None:
            page._wagtail_cached_site_root_paths = paths


class _TextExtractor(HTMLParser):
    BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "figure"}

    def __init__(self, origin: str):
        super().__init__(convert_charrefs=True)
        self.origin = origin
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(urljoin(self.origin + "/", attributes["href"]))
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag == "br":
            self.parts.append("\n")
        elif tag in self.BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag == "a" and self.links:
            self.parts.append(f" ({self.links.pop()})")
        elif tag in self.BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str, request=None) -> str:
    """Readable plain text from HTML, with each link's address written out."""
    parser = _TextExtractor(base_url(request))
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
