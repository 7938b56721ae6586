"""Builders for the Chinese editions: translations of pages and snippets."""

from __future__ import annotations

from wagtail.models import Locale, Page

# Snippet translations have one builder, shared with the English-first tests.
from tests.factories import translate_snippet  # noqa: F401


def locale(code: str) -> Locale:
    return Locale.objects.get(language_code=code)


def translate(page: Page, code: str, **fields) -> Page:
    """A published translation of ``page`` in edition ``code``, with ``fields`` set.

    Missing parents (the edition's home page and section indexes) are created
    as aliases of the English ones, as Wagtail does when an editor translates.
    """
    translated = page.specific.copy_for_translation(locale(code), copy_parents=True)
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    translated.refresh_from_db()
    return translated
