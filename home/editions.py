"""The publication's editions: English, Simplified and Traditional Chinese.

Each edition is a Wagtail locale with its own page tree (a home page that is a
translation of the English one). Readers reach an edition by its URL prefix;
the active language is the edition being read.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import get_supported_language_variant

# BCP 47 tags for <html lang> and hreflang: the script, not the region, is
# what tells 简体 from 繁體.
HTML_LANG = {"en": "en", "zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}


def active_code() -> str:
    """The edition being read (a code from settings.LANGUAGES)."""
    try:
        return get_supported_language_variant(translation.get_language() or "")
    except LookupError:
        return settings.LANGUAGE_CODE


def html_lang(code: str | None = None) -> str:
    code = code or active_code()
    return HTML_LANG.get(code, code)


def edition_q(field: str = "locale") -> Q:
    """Rows of the edition being read: a join on the locale, no extra query."""
    return Q(**{f"{field}__language_code": active_code()})


def edition_names() -> dict[str, str]:
    return dict(settings.LANGUAGES)
