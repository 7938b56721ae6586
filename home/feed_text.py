"""Making text and HTML safe to put in a feed document."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

# XML 1.0 allows only these characters; a single other one makes the whole
# document unreadable, so they are removed before anything is written.
XML_INVALID = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# Elements a feed reader must never run or frame; their content goes too.
DROPPED_WITH_CONTENT = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "applet",
    "frame",
    "frameset",
    "noscript",
    "template",
    "form",
    "button",
    "select",
    "textarea",
}
# Tags removed while their text is kept.
DROPPED_TAGS = {"input", "link", "meta", "base", "html", "head", "body"}
VOID_TAGS = {"br", "hr", "img", "source", "wbr", "col", "area", "track"}
URL_ATTRIBUTES = {"href", "src", "poster", "cite", "action", "srcset"}
SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:", "/", "#")


def clean_text(value: object) -> str:
    """The text with every character XML 1.0 forbids removed."""
    if value is None:
        return ""
    return XML_INVALID.sub("", str(value))


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping: list[str] = []

    def _attributes(self, attrs: list[tuple[str, str | None]]) -> str:
        kept = []
        for name, value in attrs:
            name = name.lower()
            if name.startswith("on") or name == "style":
                continue
            value = clean_text(value or "")
            if name in URL_ATTRIBUTES and not value.strip().lower().startswith(SAFE_SCHEMES):
                continue
            kept.append(f' {name}="{escape(value, quote=True)}"')
        return "".join(kept)

    def handle_starttag(self, tag, attrs):
        if tag in DROPPED_WITH_CONTENT:
            if tag not in VOID_TAGS and tag != "embed":
                self.skipping.append(tag)
            return
        if self.skipping or tag in DROPPED_TAGS:
            return
        self.out.append(f"<{tag}{self._attributes(attrs)}>")

    def handle_startendtag(self, tag, attrs):
        if self.skipping or tag in DROPPED_WITH_CONTENT or tag in DROPPED_TAGS:
            return
        self.out.append(f"<{tag}{self._attributes(attrs)}>")

    def handle_endtag(self, tag):
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag in DROPPED_WITH_CONTENT or tag in DROPPED_TAGS or tag in VOID_TAGS:
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if not self.skipping:
            self.out.append(escape(clean_text(data), quote=False))


def sanitize_html(html: str) -> str:
    """Feed-safe HTML: no scripts, frames, forms, inline handlers or script URLs.

    Feed readers differ in what they strip, so the feed never relies on them.
    """
    parser = _Sanitizer()
    parser.feed(clean_text(html))
    parser.close()
    return "".join(parser.out).strip()
