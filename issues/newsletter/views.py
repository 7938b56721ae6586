"""Signup, confirmation and one-click unsubscribe: pages any reader reaches without an account."""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from focus_site import throttle
from focus_site.client_address import client_address
from home.rendering import absolute_url
from issues.models import Subscriber

from .forms import SignupForm
from .tokens import (
    TokenError,
    confirm_token,
    subscriber_from_confirm_token,
    subscriber_from_unsubscribe_token,
    unsubscribe_token,
)

logger = logging.getLogger(__name__)

SIGNUP_ADDRESS_SCOPE = "signup-address"
SIGNUP_EMAIL_SCOPE = "signup-email"


def _send(subscriber: Subscriber, subject: str, template: str, context: dict) -> None:
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(template, {"email": subscriber.email, **context}),
        to=[subscriber.email],
    )
    message.send()


def send_confirmation(subscriber: Subscriber, request: HttpRequest | None = None) -> None:
    """The double opt-in email: nothing is sent to the address until its owner confirms."""
    # In the edition chosen, whichever page the form was on; and on the host the
    # reader signed up on: they confirm where they started.
    with translation.override(subscriber.edition or settings.LANGUAGE_CODE):
        confirm_url = absolute_url(
            reverse("newsletter_confirm", args=[confirm_token(subscriber)]), request
        )
        _send(
            subscriber,
            gettext("Confirm your subscription to Focus This Week"),
            "issues/newsletter/confirm_email.txt",
            {"confirm_url": confirm_url},
        )
    subscriber.confirmation_sent_at = timezone.now()
    subscriber.save(update_fields=["confirmation_sent_at"])


def send_already_subscribed(subscriber: Subscriber, request: HttpRequest | None = None) -> None:
    """What a confirmed address gets instead of a link: the page says the same to everyone."""
    with translation.override(subscriber.edition or settings.LANGUAGE_CODE):
        unsubscribe_url = absolute_url(
            reverse("newsletter_unsubscribe", args=[unsubscribe_token(subscriber)]), request
        )
        _send(
            subscriber,
            gettext("You are already subscribed to Focus This Week"),
            "issues/newsletter/already_subscribed_email.txt",
            {"unsubscribe_url": unsubscribe_url},
        )


def check_inbox(request: HttpRequest, email: str) -> HttpResponse:
    # One answer for every valid address, new, pending, confirmed, unsubscribed
    # or over its email limit: the page must not tell who is on the list.
    return render(request, "issues/newsletter/check_inbox.html", {"email": email})


def mail_unavailable(request: HttpRequest) -> HttpResponse:
    # The same answer whichever email was due (confirmation or "already
    # subscribed"), so it tells nobody who is on the list.
    response = render(
        request,
        "issues/newsletter/signup.html",
        {
            "form": SignupForm(),
            "notice": gettext(
                "We could not send the email just now. Please try again in a few minutes."
            ),
        },
        status=503,
    )
    response["Retry-After"] = "300"
    return response


def too_many_signups(request: HttpRequest, retry_after: int) -> HttpResponse:
    minutes = max(1, retry_after // 60)
    response = render(
        request,
        "issues/newsletter/signup.html",
        {
            "form": SignupForm(),
            "notice": ngettext(
                "Too many signups from your connection. Please try again in %(minutes)d minute.",
                "Too many signups from your connection. Please try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
        },
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


# Exempt from CSRF on purpose: the form sits in every page's footer, and a CSRF
# token would make every page uncacheable (each reader would need a page with
# their own token). What a forged POST can do is bounded instead: signing up is
# double opt-in, so it can only have an email sent to the address (as anyone
# may by filling in the form), at most FOCUS_SIGNUP_EMAIL_RATE_LIMIT emails per
# inbox and FOCUS_SIGNUP_RATE_LIMIT signups per client address in each window,
# and nothing changes until the owner confirms from the email.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "issues/newsletter/signup.html", {"form": SignupForm()})
    window = settings.FOCUS_SIGNUP_RATE_WINDOW
    per_address = throttle.hit(
        SIGNUP_ADDRESS_SCOPE,
        (client_address(request),),
        settings.FOCUS_SIGNUP_RATE_LIMIT,
        window,
    )
    if not per_address.allowed:
        return too_many_signups(request, per_address.retry_after)
    form = SignupForm(request.POST)
    if not form.is_valid():
        return render(request, "issues/newsletter/signup.html", {"form": form}, status=400)
    email = form.cleaned_data["email"]
    if form.cleaned_data["website"]:
        # A bot: answer as if it worked, store nothing.
        return check_inbox(request, email)
    per_email = throttle.hit(
        SIGNUP_EMAIL_SCOPE, (email,), settings.FOCUS_SIGNUP_EMAIL_RATE_LIMIT, window
    )
    if not per_email.allowed:
        # The inbox has had its share of emails for now; it is not told again.
        return check_inbox(request, email)
    subscriber = Subscriber.objects.filter(email=email).first()
    if subscriber is not None and subscriber.status == Subscriber.Status.CONFIRMED:
        try:
            send_already_subscribed(subscriber, request)
        except (smtplib.SMTPException, OSError):
            logger.exception("Signup: the mail relay refused or did not answer")
            return mail_unavailable(request)
        return check_inbox(request, email)
    if subscriber is None:
        try:
            with transaction.atomic():
                subscriber = Subscriber.objects.create(
                    email=email,
                    source=form.cleaned_data["source"],
                    edition=form.cleaned_data["edition"],
                )
        except IntegrityError:
            # Two submissions raced; the other one created the row.
            subscriber = Subscriber.objects.get(email=email)
    elif subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        subscriber.status = Subscriber.Status.PENDING
        subscriber.edition = form.cleaned_data["edition"]
        subscriber.save(update_fields=["status", "edition"])
    elif subscriber.edition != form.cleaned_data["edition"]:
        # Still unconfirmed: the latest choice of edition is the one that counts.
        subscriber.edition = form.cleaned_data["edition"]
        subscriber.save(update_fields=["edition"])
    try:
        send_confirmation(subscriber, request)
    except (smtplib.SMTPException, OSError):
        # Nothing is lost: the subscriber row stays pending and a new signup
        # sends the link again.
        logger.exception("Signup: the mail relay refused or did not answer")
        return mail_unavailable(request)
    return check_inbox(request, email)


def _link_problem(request: HttpRequest, error: TokenError) -> HttpResponse:
    return render(
        request,
        "issues/newsletter/link_problem.html",
        {"message": str(error), "expired": error.expired},
        status=400,
    )


# The signed token in the address is what authorises confirming (only the
# inbox's owner has it), so the landing page's POST needs no CSRF token.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber = subscriber_from_confirm_token(token)
    except TokenError as error:
        return _link_problem(request, error)
    if subscriber.status == Subscriber.Status.CONFIRMED:
        return render(request, "issues/newsletter/confirmed.html", {"email": subscriber.email})
    if request.method == "GET":
        # A GET only asks: mail systems' link scanners follow every link, and
        # would otherwise confirm addresses someone else signed up.
        return render(request, "issues/newsletter/confirm.html", {"email": subscriber.email})
    subscriber.confirm()
    return render(request, "issues/newsletter/confirmed.html", {"email": subscriber.email})


# Mail clients send RFC 8058's one-click POST with no cookie and no CSRF token;
# the signed token in the address is what authorises it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber = subscriber_from_unsubscribe_token(token)
    except TokenError as error:
        return _link_problem(request, error)
    if request.method == "GET":
        # A GET only asks: link scanners in mail systems follow every link.
        return render(
            request,
            "issues/newsletter/unsubscribe.html",
            {"email": subscriber.email, "done": False},
        )
    subscriber.unsubscribe()
    return render(
        request, "issues/newsletter/unsubscribe.html", {"email": subscriber.email, "done": True}
    )
