"""The signup form readers fill in: one address, checked before anything is stored."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from home.editions import active_code

SOURCES = {"footer", "block", "page"}


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter a valid email address, like name@example.com."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": "you@example.com"}),
    )
    source = forms.CharField(required=False, widget=forms.HiddenInput)
    # Which edition's issues to receive; the form offers the page's edition first.
    edition = forms.CharField(required=False)
    # Bots fill every field; people never see this one.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_edition(self) -> str:
        # An unknown or missing choice (an old cached form, a bot) falls back to
        # the edition the form was sent from, rather than failing the signup.
        edition = self.cleaned_data.get("edition") or ""
        return edition if edition in dict(settings.LANGUAGES) else active_code()

    def clean_source(self) -> str:
        source = self.cleaned_data.get("source") or "page"
        return source if source in SOURCES else "page"
