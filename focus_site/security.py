"""Security headers Django does not send itself, and the sign-in and page-password throttles."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlsplit

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

# The admin's sign-in and password-reset pages are what a stranger reaches:
# they keep a policy with no inline script. Styles are inline in Wagtail's
# templates there too.
ADMIN_LOGIN_POLICY = {
    **SITE_POLICY,
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-ancestors": ["'self'"],
}

# Behind the sign-in, Wagtail 8 still starts form widgets (choosers for
# snippets, images and pages, inline panels, date pickers) with inline
# <script> elements whose text changes with every form, so neither hashes
# nor a nonce can name them: the admin runs with 'unsafe-inline' scripts, as
# upstream advises until the admin is CSP-strict (wagtail/wagtail#1288). No
# nonce is added: it would make browsers ignore 'unsafe-inline'. Embeds are
# previewed in frames.
ADMIN_POLICY = {
    **ADMIN_LOGIN_POLICY,
    "script-src": ["'self'", "'unsafe-inline'"],
    "frame-src": ["'self'", *SITE_POLICY["frame-src"]],
}

# A page previewed in the editor is the public page rendered for an admin URL
# and shown in the admin's preview iframe: the readers' policy, framed by the
# admin, with inline styles for the email edition (its CSS is inlined into
# style attributes, and its preheader is hidden by one).
PREVIEW_POLICY = {
    **SITE_POLICY,
    "style-src": ["'self'", "'unsafe-inline'"],
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


# The admin's pages for people not yet signed in.
ADMIN_LOGIN_PREFIXES = ("/admin/login/", "/admin/password_reset/", "/django-admin/login/")
ADMIN_PREFIXES = ("/admin/", "/django-admin/")


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of an absolute URL; empty for anything else."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        extra = list(getattr(settings, "FOCUS_CSP_MEDIA_ORIGINS", []))
        self.site_policy = build_policy(SITE_POLICY, extra)
        self.admin_login_policy = build_policy(ADMIN_LOGIN_POLICY, extra)
        self.admin_policy = build_policy(ADMIN_POLICY, extra)
        # The email edition's images carry the public origin (WAGTAILADMIN_BASE_URL),
        # which may differ from the host the admin is reached on.
        public_origin = origin_of(getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "")
        self.preview_policy = build_policy(
            PREVIEW_POLICY, extra + ([public_origin] if public_origin else [])
        )

    def policy_for(self, request: HttpRequest) -> str:
        # Wagtail renders a preview by passing a made-up request for the page's
        # public URL through the middleware again (request.is_dummy; is_preview
        # once the page is served); that inner response's header is the one kept.
        if getattr(request, "is_dummy", False) or getattr(request, "is_preview", False):
            return self.preview_policy
        path = request.path
        if path.startswith(ADMIN_LOGIN_PREFIXES):
            return self.admin_login_policy
        if path.startswith(ADMIN_PREFIXES):
            return self.admin_policy
        return self.site_policy

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy_for(request))
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
