"""Per-client limit on answers to the Question of the Week."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from focus_site import throttle
from focus_site.client_address import client_address

SCOPE = "question-response"


def hit(request: HttpRequest) -> throttle.Decision:
    """Count one answer from this client; refused once the window's limit is passed."""
    return throttle.hit(
        SCOPE,
        (client_address(request),),
        settings.FOCUS_RESPONSES_RATE_LIMIT,
        settings.FOCUS_RESPONSES_RATE_WINDOW,
    )
