"""Signup, confirmation and one-click unsubscribe: pages any reader reaches without an account."""

from __future__ import annotations

from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from home.rendering import absolute_url
from issues.models import Subscriber

from .forms import SignupForm
from .tokens import (
    TokenError,
    confirm_token,
    subscriber_from_confirm_token,
    subscriber_from_unsubscribe_token,
)

CONFIRMATION_RESEND_AFTER = timedelta(minutes=10)


def send_confirmation(subscriber: Subscriber, request: HttpRequest | None = None) -> None:
    """The double opt-in email: nothing is sent to the address until its owner clicks."""
    context = {
        # The host the reader signed up on: they confirm where they started.
        "confirm_url": absolute_url(
            reverse("newsletter_confirm", args=[confirm_token(subscriber)]), request
        ),
        "email": subscriber.email,
    }
    message = EmailMultiAlternatives(
        subject="Confirm your subscription to Focus This Week",
        body=render_to_string("issues/newsletter/confirm_email.txt", context),
        to=[subscriber.email],
    )
    message.send()
    subscriber.confirmation_sent_at = timezone.now()
    subscriber.save(update_fields=["confirmation_sent_at"])


def recently_sent_confirmation(subscriber: Subscriber) -> bool:
    """Whether a link went out moments ago: signing an address up again must not flood it."""
    sent = subscriber.confirmation_sent_at
    return sent is not None and timezone.now() - sent < CONFIRMATION_RESEND_AFTER


# Exempt from CSRF on purpose: the form sits in every page's footer, and a CSRF
# token would make every page uncacheable. Signing up is double opt-in, so a
# forged POST can only send the address's owner a confirmation link (as
# anyone may by filling in the form); nothing changes until they click it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "issues/newsletter/signup.html", {"form": SignupForm()})
    form = SignupForm(request.POST)
    if not form.is_valid():
        return render(request, "issues/newsletter/signup.html", {"form": form}, status=400)
    if form.cleaned_data["website"]:
        # A bot: answer as if it worked, store nothing.
        return render(request, "issues/newsletter/check_inbox.html", {"email": ""})
    email = form.cleaned_data["email"]
    subscriber = Subscriber.objects.filter(email=email).first()
    if subscriber is not None and subscriber.status == Subscriber.Status.CONFIRMED:
        form.add_error("email", "This address is already subscribed to Focus This Week.")
        return render(request, "issues/newsletter/signup.html", {"form": form}, status=400)
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
    if subscriber.status == Subscriber.Status.PENDING and recently_sent_confirmation(subscriber):
        return render(
            request, "issues/newsletter/check_inbox.html", {"email": email, "resent": False}
        )
    send_confirmation(subscriber, request)
    return render(request, "issues/newsletter/check_inbox.html", {"email": email, "resent": True})


@require_http_methods(["GET"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber = subscriber_from_confirm_token(token)
    except TokenError as error:
        return render(
            request,
            "issues/newsletter/link_problem.html",
            {"message": str(error), "expired": error.expired},
            status=400,
        )
    if subscriber.status != Subscriber.Status.CONFIRMED:
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
        return render(
            request,
            "issues/newsletter/link_problem.html",
            {"message": str(error), "expired": False},
            status=400,
        )
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
