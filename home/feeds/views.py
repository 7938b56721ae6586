"""/feeds/ (a page listing every feed) and the feed documents themselves."""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from home.caching.feeds import cached_feed, page_cache_feed
from home.caching.tags import cache_query_params
from home.editions import edition_q, html_lang
from home.feed_entry import FORMATS, SECTIONS, FeedScope
from home.rendering import absolute_url
from insights.feeds import author_scope, edition_author, edition_topic, topic_scope
from insights.models import Author, Topic

from .formats import CONTENT_TYPES, FORMAT_NAMES, RENDERERS, FeedDocument
from .scopes import scope_items, section_scope


def _document(scope: FeedScope, fmt: str, request: HttpRequest) -> bytes:
    items = scope_items(scope, request, fmt)
    html_url = absolute_url(scope.html_path, request)
    newest = max((updated for updated, _text in items), default=None)
    document = FeedDocument(
        id=absolute_url(scope.feed_path("atom"), request),
        title=scope.title,
        description=scope.description,
        html_url=html_url,
        self_url=absolute_url(scope.feed_path(fmt), request),
        language=html_lang(),
        publisher=settings.WAGTAIL_SITE_NAME,
        updated=newest or _epoch(),
        items=[text for _updated, text in items],
    )
    return RENDERERS[fmt](document)


def _epoch() -> datetime:
    # An empty feed still needs an updated date; a fixed one keeps its ETag stable.
    return datetime(2000, 1, 1, tzinfo=UTC)


def _respond(request: HttpRequest, scope_key: str, fmt: str, make_scope) -> HttpResponse:
    # Every URL in the document is absolute, so the origin is part of the key
    # (the edition is added by cached_feed).
    origin = f"{request.scheme}://{request.get_host()}"
    feed = cached_feed(f"{origin}:{scope_key}:{fmt}", lambda: _document(make_scope(), fmt, request))
    response = HttpResponse(feed.body, content_type=CONTENT_TYPES[fmt])
    response["ETag"] = feed.etag
    response["Last-Modified"] = http_date(feed.last_modified.timestamp())
    # Readers poll; a short shared cache time spares the server, and the
    # validators make every later poll a cheap 304.
    patch_cache_control(response, public=True, max_age=settings.FOCUS_FEED_MAX_AGE)
    # A feed reads no query parameter: ?utm_source=… and the like share its entry.
    cache_query_params(request)
    page_cache_feed(request, feed)
    # Conditional headers are parsed leniently: a malformed one is ignored.
    return get_conditional_response(
        request,
        etag=feed.etag,
        last_modified=int(feed.last_modified.timestamp()),
        response=response,
    )


@require_safe
def section_feed(request: HttpRequest, section: str, fmt: str) -> HttpResponse:
    return _respond(request, section, fmt, lambda: section_scope(section, request))


@require_safe
def topic_feed(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    # Resolved first so an unknown topic is a 404 even while a copy is cached;
    # the rest of the scope is only worked out when the feed is rebuilt.
    topic = edition_topic(slug)
    if topic is None:
        raise Http404("No such topic")
    return _respond(request, f"topics/{slug}", fmt, lambda: topic_scope(slug, request, topic=topic))


@require_safe
def author_feed(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    author = edition_author(slug)
    if author is None:
        raise Http404("No such author")
    return _respond(request, f"authors/{slug}", fmt, lambda: author_scope(slug, author=author))


@require_safe
def feed_index(request: HttpRequest) -> HttpResponse:
    """A page for people: every feed, what it holds, in each format."""
    sections = [section_scope(section, request) for section in SECTIONS]
    topics = [topic_scope_for(topic, request) for topic in Topic.objects.filter(edition_q())]
    authors = [author_scope_for(author) for author in Author.objects.filter(edition_q())]

    def rows(scopes):
        return [
            {
                "scope": scope,
                "formats": [(FORMAT_NAMES[fmt], scope.feed_path(fmt)) for fmt in FORMATS],
            }
            for scope in scopes
        ]

    return render(
        request,
        "feeds/index.html",
        {
            "section_feeds": rows(sections),
            "topic_feeds": rows(topics),
            "author_feeds": rows(authors),
            "item_limit": settings.FOCUS_FEED_ITEMS,
        },
    )


def topic_scope_for(topic, request) -> FeedScope:
    return topic_scope(topic.slug, request, topic=topic)


def author_scope_for(author) -> FeedScope:
    return author_scope(author.slug, author=author)
