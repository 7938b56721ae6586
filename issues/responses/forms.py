"""The reader's answer form: plain fields, clear messages, a honeypot."""

from __future__ import annotations

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from issues.models.responses import AFFILIATION_MAX_LENGTH, NAME_MAX_LENGTH, RESPONSE_MAX_LENGTH

HONEYPOT_FIELD = "website"


TOO_LONG_ANSWER = _(
    "Please shorten your answer to {max} characters or fewer (it has %(show_value)d)."
)


class ResponseForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "required": _("Please enter your name."),
            "max_length": format_lazy(
                _("Please shorten your name to {max} characters or fewer."), max=NAME_MAX_LENGTH
            ),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("Only for the editors, in case they have a question; never published."),
        error_messages={
            "required": _("Please enter your email address."),
            "invalid": _("Please enter a valid email address, like name@example.org."),
            "max_length": _("Please enter an email address of 254 characters or fewer."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    affiliation = forms.CharField(
        label=_("Affiliation or city (optional)"),
        required=False,
        max_length=AFFILIATION_MAX_LENGTH,
        help_text=_("Published with your name, e.g. University of Hong Kong, or Chicago."),
        error_messages={
            "max_length": format_lazy(
                _("Please shorten this to {max} characters or fewer."), max=AFFILIATION_MAX_LENGTH
            ),
        },
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    response = forms.CharField(
        label=_("Your answer"),
        max_length=RESPONSE_MAX_LENGTH,
        help_text=format_lazy(
            _("Up to {max} characters. Editors may shorten it to publish it."),
            max=RESPONSE_MAX_LENGTH,
        ),
        error_messages={
            "required": _("Please write your answer."),
            "max_length": format_lazy(
                TOO_LONG_ANSWER,
                max=RESPONSE_MAX_LENGTH,
            ),
        },
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    consent = forms.BooleanField(
        label=_("Focus may publish my answer with my name and affiliation or city."),
        error_messages={"required": _("Please agree to publication, or email us instead.")},
    )
    token = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("This form has expired. Please send your answer again."),
            "invalid": _("This form has expired. Please send your answer again."),
        },
    )
    # Hidden from people by the template; bots filling every field reveal themselves.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def _one_line(self, name: str, message: str) -> str:
        # Names travel into email headers and bylines: one line, no control characters.
        value = self.cleaned_data.get(name, "")
        if any(unicodedata.category(char) == "Cc" for char in value):
            raise ValidationError(message)
        return value

    def clean_name(self) -> str:
        return self._one_line(
            "name", gettext("Please write your name on one line, without special characters.")
        )

    def clean_affiliation(self) -> str:
        return self._one_line(
            "affiliation",
            gettext(
                "Please write your affiliation or city on one line, without special characters."
            ),
        )

    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def token_error(self) -> bool:
        return "token" in self.errors
