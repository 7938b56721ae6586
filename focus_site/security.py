"""Security headers Django does not send itself, and admin login throttling."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from home.caching.stores import counters_cache

# Readers' pages load nothing from elsewhere except the click-to-load video
# frames; media may come from object storage or a CDN (FOCUS_CSP_MEDIA_ORIGINS).
SITE_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "media-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# The Wagtail admin sets styles inline (Draftail, the page editor's panels)
# and previews embeds, so it gets a wider style-src and frame-src, still
# with no script from anywhere but the site itself.
ADMIN_POLICY = {
    **SITE_POLICY,
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-src": ["'self'", *SITE_POLICY["frame-src"]],
    # The page preview is an admin URL shown in an admin iframe.
    "frame-ancestors": ["'self'"],
}

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)


def build_policy(directives: dict[str, list[str]], extra_sources: list[str]) -> str:
    """A Content-Security-Policy header value; extra sources are added to media directives."""
    parts = []
    for name, sources in directives.items():
        values = list(sources)
        if name in ("img-src", "media-src"):
            values += extra_sources
        parts.append(f"{name} {' '.join(values)}")
    return "; ".join(parts)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        extra = list(getattr(settings, "FOCUS_CSP_MEDIA_ORIGINS", []))
        self.site_policy = build_policy(SITE_POLICY, extra)
        self.admin_policy = build_policy(ADMIN_POLICY, extra)
        self.admin_prefixes = ("/admin/", "/django-admin/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        is_admin = request.path.startswith(self.admin_prefixes)
        response.headers.setdefault(
            "Content-Security-Policy", self.admin_policy if is_admin else self.site_policy
        )
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


# Login throttling: failed attempts are counted per client address and per
# username in the counters cache (home.caching.stores), so every app server sees the same count.
LOGIN_PATHS = ("/admin/login/", "/django-admin/login/")


def _client_ip(request: HttpRequest | None) -> str:
    if request is None:
        return "unknown"
    # Behind the load balancer the real client is the first forwarded address,
    # trusted only when the deployment says a proxy sets it.
    if getattr(settings, "FOCUS_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"focus:login-fail:{kind}:{digest}"


def _limits() -> tuple[int, int]:
    return (
        int(getattr(settings, "FOCUS_LOGIN_MAX_FAILURES", 5)),
        int(getattr(settings, "FOCUS_LOGIN_LOCKOUT_SECONDS", 15 * 60)),
    )


def _bump(key: str, timeout: int) -> None:
    cache = counters_cache()
    if cache.add(key, 1, timeout):
        return
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout)


@receiver(user_login_failed)
def count_failed_login(sender, credentials, request=None, **kwargs) -> None:
    _max, timeout = _limits()
    _bump(_key("ip", _client_ip(request)), timeout)
    username = str(credentials.get("username", ""))
    if username:
        _bump(_key("user", username), timeout)


def is_locked_out(request: HttpRequest) -> bool:
    maximum, _timeout = _limits()
    keys = [_key("ip", _client_ip(request))]
    username = request.POST.get("username", "")
    if username:
        keys.append(_key("user", username))
    counts = counters_cache().get_many(keys)
    return any(int(count) >= maximum for count in counts.values())


class LoginThrottleMiddleware:
    """Refuse login attempts with 429 after too many failures, before checking the password."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path in LOGIN_PATHS and is_locked_out(request):
            _max, timeout = _limits()
            response = HttpResponse(
                "Too many failed sign-in attempts. Please wait and try again later.",
                status=429,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = str(timeout)
            return response
        return self.get_response(request)
