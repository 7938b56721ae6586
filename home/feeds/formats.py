"""The three feed formats, written from the same entries.

RSS 2.0 (with Atom self link, ``content:encoded``, ``dc:creator`` and Media
RSS for images and video), Atom 1.0 (RFC 4287) and JSON Feed 1.1. Every
string passes through ``clean_text`` so odd input still yields well-formed
XML and valid JSON; nothing is wrapped in CDATA, so ``]]>`` is plain text.

Each entry is written on its own (``entry_text``) and a document is put
together from the entries' texts, so an entry written once can be kept and
reused by every later rebuild of every feed that lists it
(home/feeds/entries.py). The bytes are those of writing the whole document
in one pass.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from io import StringIO

from django.utils.feedgenerator import rfc2822_date, rfc3339_date
from django.utils.xmlutils import SimplerXMLGenerator

from home.feed_entry import FeedEntry
from home.feed_text import clean_text

ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
MEDIA_NS = "http://search.yahoo.com/mrss/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"

CONTENT_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
# The bare MIME types, for <link rel="alternate" type="...">.
MIME_TYPES = {fmt: value.split(";")[0] for fmt, value in CONTENT_TYPES.items()}
FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}


@dataclass
class FeedDocument:
    """What every format needs to say about the feed itself."""

    id: str
    title: str
    description: str
    html_url: str
    self_url: str
    language: str  # a BCP 47 tag: en, zh-Hans, zh-Hant
    publisher: str
    updated: datetime
    # Each entry already written in the document's format (``entry_text``).
    items: list[str]


class _Writer(SimplerXMLGenerator):
    def element(self, name: str, text: object = None, attrs: dict | None = None) -> None:
        cleaned = {key: clean_text(value) for key, value in (attrs or {}).items()}
        self.startElement(name, cleaned)
        if text is not None:
            self.characters(clean_text(text))
        self.endElement(name)

    def written(self, markup: str) -> None:
        """Markup this module wrote earlier (an entry), copied as it is.

        The generator's one method that writes its argument unescaped, after
        closing any start tag still open, as writing the entry here would.
        """
        self.ignorableWhitespace(markup)


def _xml(write, *, document: bool = True) -> str:
    buffer = StringIO()
    handler = _Writer(buffer, "utf-8", short_empty_elements=True)
    if document:
        handler.startDocument()
    write(handler)
    if document:
        handler.endDocument()
    return buffer.getvalue()


def _media(handler: _Writer, entry: FeedEntry) -> None:
    if entry.image:
        image = entry.image
        size = {"width": str(image.width), "height": str(image.height)}
        handler.startElement(
            "media:content",
            {"url": clean_text(image.url), "medium": "image", "type": image.mime_type, **size},
        )
        if image.alt:
            handler.element("media:description", image.alt, {"type": "plain"})
        handler.endElement("media:content")
        handler.element("media:thumbnail", attrs={"url": image.url, **size})
    if entry.video:
        attrs = {"url": entry.video.watch_url, "medium": "video", "expression": "full"}
        if entry.video.duration_seconds:
            attrs["duration"] = str(entry.video.duration_seconds)
        handler.startElement("media:content", {k: clean_text(v) for k, v in attrs.items()})
        handler.element("media:player", attrs={"url": entry.video.player_url})
        handler.endElement("media:content")


def render_rss(feed: FeedDocument) -> bytes:
    def write(handler: _Writer) -> None:
        handler.startElement(
            "rss",
            {
                "version": "2.0",
                "xmlns:atom": ATOM_NS,
                "xmlns:content": CONTENT_NS,
                "xmlns:dc": DC_NS,
                "xmlns:media": MEDIA_NS,
            },
        )
        handler.startElement("channel", {})
        handler.element("title", feed.title)
        handler.element("link", feed.html_url)
        handler.element("description", feed.description)
        handler.element(
            "atom:link",
            attrs={"href": feed.self_url, "rel": "self", "type": MIME_TYPES["rss"]},
        )
        handler.element("language", rss_language(feed.language))
        handler.element("lastBuildDate", rfc2822_date(feed.updated))
        handler.element("generator", feed.publisher)
        for item in feed.items:
            handler.written(item)
        handler.endElement("channel")
        handler.endElement("rss")

    return _xml(write).encode("utf-8")


def rss_item(entry: FeedEntry) -> str:
    def write(handler: _Writer) -> None:
        handler.startElement("item", {})
        handler.element("title", entry.title)
        handler.element("link", entry.url)
        handler.element("guid", entry.id, {"isPermaLink": "false"})
        handler.element("pubDate", rfc2822_date(entry.published))
        handler.element("description", entry.summary)
        handler.element("content:encoded", entry.content_html)
        for person in entry.authors:
            handler.element("dc:creator", person.name)
        for category in entry.categories:
            attrs = {"domain": category.scheme} if category.scheme else {}
            handler.element("category", category.label, attrs)
        _media(handler, entry)
        handler.endElement("item")

    return _xml(write, document=False)


# RSS 2.0's <language> takes the codes of the Netscape and W3C lists, which
# predate script subtags: Simplified Chinese is zh-cn there, Traditional zh-tw.
# Atom's xml:lang and JSON Feed's language take the BCP 47 tag as it is.
RSS_LANGUAGES = {"zh-Hans": "zh-cn", "zh-Hant": "zh-tw"}


def rss_language(tag: str) -> str:
    return RSS_LANGUAGES.get(tag, tag.lower())


def render_atom(feed: FeedDocument) -> bytes:
    def write(handler: _Writer) -> None:
        handler.startElement(
            "feed", {"xmlns": ATOM_NS, "xmlns:media": MEDIA_NS, "xml:lang": feed.language}
        )
        handler.element("title", feed.title)
        handler.element("subtitle", feed.description)
        handler.element("id", feed.id)
        handler.element(
            "link", attrs={"rel": "self", "href": feed.self_url, "type": MIME_TYPES["atom"]}
        )
        handler.element(
            "link", attrs={"rel": "alternate", "href": feed.html_url, "type": "text/html"}
        )
        handler.element("updated", rfc3339_date(feed.updated))
        # Atom requires an author on every entry; the publisher stands in for
        # entries (such as issues) that name none.
        handler.startElement("author", {})
        handler.element("name", feed.publisher)
        handler.element("uri", feed.html_url)
        handler.endElement("author")
        handler.element("generator", feed.publisher)
        for item in feed.items:
            handler.written(item)
        handler.endElement("feed")

    return _xml(write).encode("utf-8")


def atom_entry(entry: FeedEntry) -> str:
    def write(handler: _Writer) -> None:
        handler.startElement("entry", {})
        handler.element("title", entry.title)
        handler.element("link", attrs={"rel": "alternate", "href": entry.url, "type": "text/html"})
        handler.element("id", entry.id)
        handler.element("published", rfc3339_date(entry.published))
        handler.element("updated", rfc3339_date(entry.updated))
        for person in entry.authors:
            handler.startElement("author", {})
            handler.element("name", person.name)
            if person.url:
                handler.element("uri", person.url)
            handler.endElement("author")
        for category in entry.categories:
            attrs = {"term": category.term, "label": category.label}
            if category.scheme:
                attrs["scheme"] = category.scheme
            handler.element("category", attrs=attrs)
        if entry.image:
            handler.element(
                "link",
                attrs={
                    "rel": "enclosure",
                    "href": entry.image.url,
                    "type": entry.image.mime_type,
                },
            )
        if entry.video:
            handler.element(
                "link",
                attrs={"rel": "related", "href": entry.video.watch_url, "type": "text/html"},
            )
        handler.element("summary", entry.summary, {"type": "text"})
        handler.element("content", entry.content_html, {"type": "html"})
        _media(handler, entry)
        handler.endElement("entry")

    return _xml(write, document=False)


def _json_text(value: object) -> str:
    return clean_text(value)


# Stands in for the items while the rest of a JSON document is written;
# clean_text removes NUL from every other string, so it cannot occur elsewhere.
_ITEMS = "\x00items"


def json_item(entry: FeedEntry) -> str:
    """The entry as a member of the document's "items", indented as ``render_json`` writes it.

    JSON strings escape every line break, so indenting each line of the
    entry's own text by the depth of "items" (two spaces) gives the same text
    as writing it inside the document.
    """
    item: dict = {
        "id": _json_text(entry.id),
        "url": _json_text(entry.url),
        "title": _json_text(entry.title),
        "content_html": _json_text(entry.content_html),
        "summary": _json_text(entry.summary),
        "date_published": entry.published.isoformat(),
        "date_modified": entry.updated.isoformat(),
        "authors": [
            {"name": _json_text(p.name), **({"url": _json_text(p.url)} if p.url else {})}
            for p in entry.authors
        ],
        "tags": [_json_text(category.label) for category in entry.categories],
    }
    if entry.image:
        item["image"] = _json_text(entry.image.url)
    if entry.video:
        attachment = {
            "url": _json_text(entry.video.watch_url),
            "mime_type": "text/html",
            "title": _json_text(entry.title),
        }
        if entry.video.duration_seconds:
            attachment["duration_in_seconds"] = entry.video.duration_seconds
        item["attachments"] = [attachment]
        # JSON Feed has no slot for a video's thumbnail and length beside
        # the item image; an extension object (leading underscore) carries them.
        item["_video"] = {
            "thumbnail": item.get("image", ""),
            "duration_seconds": entry.video.duration_seconds,
            "player_url": _json_text(entry.video.player_url),
        }
    return json.dumps(item, ensure_ascii=False, indent=1).replace("\n", "\n  ")


def render_json(feed: FeedDocument) -> bytes:
    document = {
        "version": JSON_FEED_VERSION,
        "title": _json_text(feed.title),
        "home_page_url": _json_text(feed.html_url),
        "feed_url": _json_text(feed.self_url),
        "description": _json_text(feed.description),
        "language": feed.language,
        "authors": [{"name": _json_text(feed.publisher), "url": _json_text(feed.html_url)}],
        "items": _ITEMS,
    }
    text = json.dumps(document, ensure_ascii=False, indent=1)
    # "items" is the last member: its placeholder is the last one in the text.
    head, _placeholder, tail = text.rpartition(json.dumps(_ITEMS))
    items = "[\n  " + ",\n  ".join(feed.items) + "\n ]" if feed.items else "[]"
    return (head + items + tail).encode("utf-8")


RENDERERS = {"rss": render_rss, "atom": render_atom, "json": render_json}
ENTRY_WRITERS = {"rss": rss_item, "atom": atom_entry, "json": json_item}


def entry_text(fmt: str, entry: FeedEntry) -> str:
    """One entry written as the ``fmt`` document holds it."""
    return ENTRY_WRITERS[fmt](entry)
