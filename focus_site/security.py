"""Security headers Django does not send itself, and the sign-in and page-password throttles."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from . import throttle
from .client_address import client_address

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


# Login throttling. Every sign-in attempt is counted before the password is
# checked (so a burst of simultaneous guesses cannot all slip past the count)
# per username *and* client address, and per address alone; a successful
# sign-in takes its attempt back. Counting a username per address means a
# stranger elsewhere cannot lock an editor out by guessing at their name.
LOGIN_PATHS = ("/admin/login/", "/django-admin/login/", "/_util/login/")
PAIR_SCOPE = "login-user-address"
ADDRESS_SCOPE = "login-address"


@dataclass(frozen=True)
class LoginLimits:
    per_user_and_address: int
    per_address: int
    window: int


def login_limits() -> LoginLimits:
    return LoginLimits(
        per_user_and_address=int(getattr(settings, "FOCUS_LOGIN_MAX_FAILURES", 5)),
        per_address=int(getattr(settings, "FOCUS_LOGIN_MAX_FAILURES_PER_ADDRESS", 20)),
        window=int(getattr(settings, "FOCUS_LOGIN_LOCKOUT_SECONDS", 15 * 60)),
    )


def _username(request: HttpRequest) -> str:
    return str(request.POST.get("username", ""))[:300]


def count_login_attempt(request: HttpRequest) -> bool:
    """Count one attempt; whether it may go on to the password check."""
    limits = login_limits()
    address = client_address(request)
    allowed = throttle.hit(ADDRESS_SCOPE, (address,), limits.per_address, limits.window).allowed
    username = _username(request)
    if username:
        pair = throttle.hit(
            PAIR_SCOPE, (username, address), limits.per_user_and_address, limits.window
        )
        allowed = allowed and pair.allowed
    return allowed


@receiver(user_logged_in)
def forgive_successful_login(sender, request=None, user=None, **kwargs) -> None:
    """The right password was given: that attempt was no failure."""
    if request is None or request.path not in LOGIN_PATHS:
        return
    address = client_address(request)
    username = _username(request)
    if username:
        throttle.reset(PAIR_SCOPE, username, address)
    throttle.take_back(ADDRESS_SCOPE, address)


def too_many_attempts(message: str, retry_after: int) -> HttpResponse:
    response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    return response


class LoginThrottleMiddleware:
    """Refuse sign-in attempts with 429 past the limits, before checking the password."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method == "POST"
            and request.path in LOGIN_PATHS
            and not count_login_attempt(request)
        ):
            return too_many_attempts(
                "Too many failed sign-in attempts. Please wait and try again later.",
                login_limits().window,
            )
        return self.get_response(request)


# Wagtail's password-protected pages and document collections share one
# password among readers, so it cannot be locked per account: attempts are
# limited per client address instead.
PAGE_PASSWORD_SCOPE = "page-password"


def throttle_password_form(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap Wagtail's password form view: POSTs past the limit get 429 unseen."""

    @wraps(view)
    def throttled(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST":
            limit = int(getattr(settings, "FOCUS_PAGE_PASSWORD_MAX_ATTEMPTS", 10))
            window = int(getattr(settings, "FOCUS_PAGE_PASSWORD_WINDOW", 15 * 60))
            decision = throttle.hit(PAGE_PASSWORD_SCOPE, (client_address(request),), limit, window)
            if not decision.allowed:
                return too_many_attempts(
                    "Too many password attempts. Please wait and try again later.",
                    decision.retry_after,
                )
        return view(request, *args, **kwargs)

    return throttled
