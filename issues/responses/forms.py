"""The reader's answer form: plain fields, clear messages, a honeypot."""

from __future__ import annotations

import unicodedata

from django import forms
from django.core.exceptions import ValidationError

from issues.models.responses import AFFILIATION_MAX_LENGTH, NAME_MAX_LENGTH, RESPONSE_MAX_LENGTH

HONEYPOT_FIELD = "website"


class ResponseForm(forms.Form):
    name = forms.CharField(
        label="Your name",
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "required": "Please enter your name.",
            "max_length": f"Please shorten your name to {NAME_MAX_LENGTH} characters or fewer.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        help_text="Only for the editors, in case they have a question; never published.",
        error_messages={
            "required": "Please enter your email address.",
            "invalid": "Please enter a valid email address, like name@example.org.",
            "max_length": "Please enter an email address of 254 characters or fewer.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    affiliation = forms.CharField(
        label="Affiliation or city (optional)",
        required=False,
        max_length=AFFILIATION_MAX_LENGTH,
        help_text="Published with your name, e.g. University of Hong Kong, or Chicago.",
        error_messages={
            "max_length": f"Please shorten this to {AFFILIATION_MAX_LENGTH} characters or fewer.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    response = forms.CharField(
        label="Your answer",
        max_length=RESPONSE_MAX_LENGTH,
        help_text=f"Up to {RESPONSE_MAX_LENGTH} characters. Editors may shorten it to publish it.",
        error_messages={
            "required": "Please write your answer.",
            "max_length": f"Please shorten your answer to {RESPONSE_MAX_LENGTH} characters or "
            "fewer (it has %(show_value)d).",
        },
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    consent = forms.BooleanField(
        label="Focus may publish my answer with my name and affiliation or city.",
        error_messages={"required": "Please agree to publication, or email us instead."},
    )
    token = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "This form has expired. Please send your answer again.",
            "invalid": "This form has expired. Please send your answer again.",
        },
    )
    # Hidden from people by the template; bots filling every field reveal themselves.
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def _one_line(self, name: str, what: str) -> str:
        # Names travel into email headers and bylines: one line, no control characters.
        value = self.cleaned_data.get(name, "")
        if any(unicodedata.category(char) == "Cc" for char in value):
            raise ValidationError(
                f"Please write your {what} on one line, without special characters."
            )
        return value

    def clean_name(self) -> str:
        return self._one_line("name", "name")

    def clean_affiliation(self) -> str:
        return self._one_line("affiliation", "affiliation or city")

    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def token_error(self) -> bool:
        return "token" in self.errors
