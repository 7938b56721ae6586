"""{% feed_links %}: the <link rel="alternate"> tags for the page being rendered."""

from __future__ import annotations

from django import template

from .discovery import feed_links as links_for

register = template.Library()


@register.inclusion_tag("feeds/links.html", takes_context=True)
def feed_links(context) -> dict:
    # Topic pages put the topic in "topic"; the Insights listing filtered by
    # ?topic= puts it in "current_topic"; author pages (plain views) in "author".
    topic = context.get("topic") or context.get("current_topic")
    author = context.get("author")
    if not hasattr(topic, "slug"):
        topic = None
    if not hasattr(author, "slug"):
        author = None
    request = context.get("request")
    links = links_for(context.get("page"), topic=topic, author=author)
    if request is not None:
        links = [
            type(link)(link.title, request.build_absolute_uri(link.href), link.mime_type)
            for link in links
        ]
    return {"feed_links": links}
