"""Serve anonymous readers' GET requests from the page cache."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_etags

from .feeds import is_current, request_feed
from .local_entries import local_entries
from .schedule import next_change_for
from .stores import page_cache
from .tags import (
    request_cache_until,
    request_query_params,
    request_tags,
    tag_versions,
)

ENTRY_PREFIX = "focus:page:"
# Which query parameters a URL path's view declared (home.caching.cache_query_params).
PARAMS_PREFIX = "focus:params:"
# Editors' and account pages are personal; never cache under these.
SKIP_PREFIXES = ("/admin/", "/django-admin/", "/documents/")
MAX_QUERY_STRING = 512


def _setting(name: str, default):
    return getattr(settings, name, default)


def _skew_ns() -> int:
    return int(_setting("FOCUS_PAGE_CACHE_CLOCK_SKEW", 0.5) * 1e9)


def is_cacheable_request(request: HttpRequest) -> bool:
    if not _setting("FOCUS_PAGE_CACHE_ENABLED", True):
        return False
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(SKIP_PREFIXES):
        return False
    # A session cookie may mean a signed-in editor (user bar, drafts); a
    # messages cookie means a notice is waiting for this reader alone.
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    return len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_STRING


def is_cacheable_response(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    # A response that sets a cookie (CSRF token, session) belongs to one reader.
    if response.cookies:
        return False
    # "Vary: Cookie" alone is expected: the user bar checks request.user. The
    # request had no session cookie, so the reader was anonymous.
    if "authorization" in response.get("Vary", "").lower():
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in ("private", "no-store", "no-cache"))


def _path_key(request: HttpRequest) -> str:
    return f"{request.get_host()}|{request.path}|{request.is_secure()}"


def cache_key(request: HttpRequest, params: Iterable[str] = ()) -> str:
    """The entry's key: host, path, scheme and the values of the declared parameters only."""
    used = sorted((name, value) for name in set(params) for value in request.GET.getlist(name))
    raw = f"{_path_key(request)}|{urlencode(used)}"
    return ENTRY_PREFIX + hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()


def params_key(request: HttpRequest) -> str:
    raw = _path_key(request).encode("utf-8", "surrogateescape")
    return PARAMS_PREFIX + hashlib.sha256(raw).hexdigest()


def _public_headers(response: HttpResponse, etag: str, rendered_at: float, lifetime: int) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(rendered_at)
    # Browsers revalidate every time (cheap with the ETag); a CDN keeps the
    # page until the frontend-cache hook purges it or s-maxage runs out.
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        must_revalidate=True,
        s_maxage=max(0, min(_setting("FOCUS_CDN_MAX_AGE", 3600), lifetime)),
    )


def _not_modified(request: HttpRequest, etag: str) -> bool:
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header:
        return False
    return etag in parse_etags(header) or header.strip() == "*"


def _stored_headers(response: HttpResponse) -> dict[str, str]:
    # Cookies belong to one reader; the rest is set again on each answer.
    return {
        name: value
        for name, value in response.headers.items()
        if name.lower() not in ("set-cookie", "x-cache", "content-length", "x-worker")
    }


class _Untagged:
    """Keys whose last response here was untagged (feeds, search forms): not looked up for a while.

    Such a response is never stored, so looking for it in the shared store on
    every request is a trip for nothing. Skipping the lookup can only cost a
    hit, never serve anything stale: a key that starts being stored is found
    again once its mark runs out.
    """

    MAX_KEYS = 10_000
    clock = staticmethod(time.monotonic)

    def __init__(self):
        self.until: dict[str, float] = {}

    def __contains__(self, key: str) -> bool:
        until = self.until.get(key)
        return until is not None and until > self.clock()

    def mark(self, key: str) -> None:
        seconds = _setting("FOCUS_PAGE_CACHE_UNTAGGED_SECONDS", 0.0)
        if seconds <= 0:
            return
        if len(self.until) >= self.MAX_KEYS:
            self.until.clear()
        self.until[key] = self.clock() + seconds


untagged = _Untagged()


def _keep(key: str, entry: dict) -> None:
    # Entries stored before they carried their end are left to the shared store.
    local_entries.put(key, entry, size=len(entry["content"]), expires_at=entry.get("expires_at"))


class PageCacheMiddleware:
    """Full-page cache keyed on host and URL, valid while its tags are unchanged."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self._serve(request)
        # Lets a test (or an operator) see which worker answered.
        if _setting("FOCUS_WORKER_HEADER", False):
            response["X-Worker"] = str(os.getpid())
        return response

    def _serve(self, request: HttpRequest) -> HttpResponse:
        if not is_cacheable_request(request):
            return self.get_response(request)
        cache = page_cache()
        has_query = bool(request.META.get("QUERY_STRING"))
        key = None
        if not has_query:
            key = cache_key(request)
        else:
            # Unknown parameters must not multiply entries: look up under the
            # parameters this path's view declared the last time it rendered.
            known = cache.get(params_key(request))
            if known is not None:
                key = cache_key(request, known)
        if key is not None and key not in untagged:
            entry = local_entries.get(key)
            if entry is not None and self._is_fresh(entry):
                return self._from_entry(request, entry)
            entry = cache.get(key)
            if entry is not None and self._is_fresh(entry):
                _keep(key, entry)
                return self._from_entry(request, entry)

        # Starts the tag epoch, if the counters cache is new, before rendering
        # begins, so this first render does not count as older than it.
        tag_versions((), reuse_for=_setting("FOCUS_TAG_VERSIONS_REUSE_SECONDS", 0.0))
        started_at = time.time()
        response = self.get_response(request)
        tags = request_tags(request)
        # A page that used a CSRF token holds a per-reader value: never shared.
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
            return response
        feed = request_feed(request)
        if feed is not None:
            return self._store_feed(request, response, feed, started_at)
        if not tags and key is not None:
            untagged.mark(key)
        if not tags or request.method != "GET" or not is_cacheable_response(response):
            return response
        params = request_query_params(request)
        if has_query and params is None:
            # The view did not say which parameters it reads: keying on all of
            # them would let a flood fill the cache, on none could be wrong.
            return response
        lifetime = self._lifetime(request, started_at, tags)
        if lifetime <= 0:
            return response
        content = response.content
        etag = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
        _public_headers(response, etag, started_at, lifetime)
        response["X-Cache"] = "MISS"
        headers = _stored_headers(response)
        if params is not None:
            cache.set(
                params_key(request), sorted(params), _setting("FOCUS_PAGE_CACHE_SECONDS", 3600)
            )
        key = cache_key(request, params or ())
        entry = {
            "content": content,
            "status": response.status_code,
            "headers": headers,
            "etag": etag,
            "started_at": started_at,
            "tags": sorted(tags),
            # When the shared store lets it go: copies kept by workers go then too.
            "expires_at": time.time() + lifetime,
        }
        cache.set(key, entry, lifetime)
        _keep(key, entry)
        if _not_modified(request, etag):
            return self._not_modified_response(response)
        return response

    @staticmethod
    def _lifetime(request: HttpRequest, started_at: float, tags: Iterable[str]) -> int:
        """Seconds the entry may live: the setting, cut at the next change due by time
        to what it shows (a question closing, a page it shows or lists going live or
        expiring)."""
        lifetime = float(_setting("FOCUS_PAGE_CACHE_SECONDS", 3600))
        for moment in (request_cache_until(request), next_change_for(tags)):
            if moment is not None:
                lifetime = min(lifetime, moment - started_at)
        return int(lifetime)

    def _store_feed(self, request: HttpRequest, response: HttpResponse, feed, started_at: float):
        """Keep a feed's response as its view made it, current while its edition's
        version stands (a feed has no tags) and never past the document's own end.

        Its headers are the view's: the document's ETag and Last-Modified (the
        version), and the short public max-age readers poll with.
        """
        # The feed view declares its (lack of) query parameters.
        params = request_query_params(request)
        if request.method != "GET" or params is None or not is_cacheable_response(response):
            return response
        lifetime = float(_setting("FOCUS_PAGE_CACHE_SECONDS", 3600))
        if feed.expires_at is not None:
            lifetime = min(lifetime, feed.expires_at - started_at)
        lifetime = int(lifetime)
        if lifetime <= 0:
            return response
        cache = page_cache()
        cache.set(params_key(request), sorted(params), _setting("FOCUS_PAGE_CACHE_SECONDS", 3600))
        key = cache_key(request, params)
        entry = {
            "content": response.content,
            "status": response.status_code,
            "headers": _stored_headers(response),
            "etag": feed.etag,
            "last_modified": int(feed.last_modified.timestamp()),
            "started_at": started_at,
            "tags": [],
            "feed_version": [feed.edition, feed.version],
            "expires_at": started_at + lifetime,
        }
        cache.set(key, entry, lifetime)
        _keep(key, entry)
        response["X-Cache"] = "MISS"
        return response

    def _is_fresh(self, entry: dict) -> bool:
        if "feed_version" in entry:
            edition, version = entry["feed_version"]
            return is_current(edition, version)
        skew_ns = _skew_ns()
        started_ns = int(entry["started_at"] * 1e9)
        versions = tag_versions(
            entry["tags"], reuse_for=_setting("FOCUS_TAG_VERSIONS_REUSE_SECONDS", 0.0)
        )
        return all(version < started_ns - skew_ns for version in versions.values())

    def _from_entry(self, request: HttpRequest, entry: dict) -> HttpResponse:
        response = HttpResponse(entry["content"], status=entry["status"])
        for name, value in entry["headers"].items():
            response[name] = value
        response["X-Cache"] = "HIT"
        if "feed_version" in entry:
            # As the feed view answers: If-None-Match and If-Modified-Since.
            conditional = get_conditional_response(
                request,
                etag=entry["etag"],
                last_modified=entry["last_modified"],
                response=response,
            )
            conditional["X-Cache"] = "HIT"
            return conditional
        if _not_modified(request, entry["etag"]):
            return self._not_modified_response(response)
        return response

    @staticmethod
    def _not_modified_response(response: HttpResponse) -> HttpResponse:
        not_modified = HttpResponseNotModified()
        for name in ("ETag", "Last-Modified", "Cache-Control", "Vary", "X-Cache"):
            if name in response:
                not_modified[name] = response[name]
        return not_modified
