"""Which feeds an HTML page advertises with <link rel="alternate">."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy, pgettext_lazy

from home.feed_entry import FORMATS

from .formats import FORMAT_NAMES, MIME_TYPES

# Lazy: each page names its feeds in the edition being read.
SECTION_TITLES = {
    "all": pgettext_lazy("site name", "Focus"),
    "issues": gettext_lazy("Focus This Week"),
    "insights": gettext_lazy("Focus Insights"),
    "videos": gettext_lazy("Focus videos"),
}


@dataclass(frozen=True)
class FeedLink:
    title: str
    href: str
    mime_type: str


def _links(title: str, name: str, **kwargs) -> list[FeedLink]:
    return [
        FeedLink(
            title=f"{title} ({FORMAT_NAMES[fmt]})",
            href=reverse(name, kwargs={**kwargs, "fmt": fmt}),
            mime_type=MIME_TYPES[fmt],
        )
        for fmt in FORMATS
    ]


def feed_links(page=None, topic=None, author=None) -> list:
    """The site feed, then the feeds of what the page belongs to, most specific last.

    A page type names its section feed with ``feed_section``, and the topics
    and authors it belongs to with ``feed_subjects()``.
    """
    links = _links(SECTION_TITLES["all"], "feed_section", section="all")
    page = getattr(page, "specific_deferred", page)
    section = getattr(type(page), "feed_section", None)
    if section:
        links += _links(SECTION_TITLES[section], "feed_section", section=section)
    topics = [topic] if topic is not None else []
    authors = [author] if author is not None else []
    subjects = getattr(page, "feed_subjects", None)
    if subjects is not None:
        page_topics, page_authors = subjects()
        topics += page_topics
        authors += page_authors
    insights = SECTION_TITLES["insights"]
    for item in topics:
        links += _links(f"{item.name} · {insights}", "feed_topic", slug=item.slug)
    for item in authors:
        links += _links(f"{item.name} · {insights}", "feed_author", slug=item.slug)
    return links
