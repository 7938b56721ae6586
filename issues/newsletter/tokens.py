"""Signed tokens for the links in subscription emails; nothing secret is stored."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext

from issues.models import Subscriber

CONFIRM_SALT = "focus.newsletter.confirm"
UNSUBSCRIBE_SALT = "focus.newsletter.unsubscribe"


class TokenError(Exception):
    """A token that is malformed, tampered with, expired, or for no known subscriber."""

    def __init__(self, message: str, expired: bool = False):
        super().__init__(message)
        self.expired = expired


def confirm_token(subscriber: Subscriber) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(subscriber.pk))


def unsubscribe_token(subscriber: Subscriber) -> str:
    # No expiry: the link in a years-old issue must still let its reader leave.
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(subscriber.pk))


def _subscriber(pk: str) -> Subscriber:
    subscriber = Subscriber.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
    if subscriber is None:
        raise TokenError(gettext("This link is for an address that is no longer on our list."))
    return subscriber


def subscriber_from_confirm_token(token: str) -> Subscriber:
    try:
        pk = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(
            token, max_age=settings.NEWSLETTER_CONFIRM_MAX_AGE
        )
    except signing.SignatureExpired as error:
        raise TokenError(gettext("This confirmation link has expired."), expired=True) from error
    except signing.BadSignature as error:
        raise TokenError(gettext("This confirmation link is not valid.")) from error
    return _subscriber(pk)


def subscriber_from_unsubscribe_token(token: str) -> Subscriber:
    try:
        pk = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature as error:
        raise TokenError(gettext("This unsubscribe link is not valid.")) from error
    return _subscriber(pk)
