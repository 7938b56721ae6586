"""The sample's Chinese editions, made the way translators make them.

Each object is submitted to wagtail-localize (so the admin's translation
editor shows the English source beside the Chinese text, and follows later
edits of the source); its strings are then filled in from ``translations`` and
the translation is published.
"""

from __future__ import annotations

from wagtail.models import Locale, Page
from wagtail_localize.models import StringTranslation, Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from home.script_conversion import to_traditional

from .translations import ZH_HANS, ZH_HANT_REVIEWED

# Paths whose text stays as in English (addresses, not words).
KEEP_AS_SOURCE = {"slug"}


def zh_hant(text: str) -> str:
    converted = to_traditional(text, "s2hk")
    for wrong, right in ZH_HANT_REVIEWED:
        converted = converted.replace(wrong, right)
    return converted


def chinese_text(code: str, english: str) -> str | None:
    hans = ZH_HANS.get(english)
    if hans is None:
        return None
    return hans if code == "zh-hans" else zh_hant(hans)


def translate(instance, locale: Locale) -> tuple[object, list[str]]:
    """Translate ``instance`` into ``locale`` and publish it; returns it and untranslated text."""
    source, _ = TranslationSource.get_or_create_from_instance(instance)
    missing = []
    for segment in source.stringsegment_set.select_related("string", "context"):
        english = segment.string.data
        text = chinese_text(locale.language_code, english)
        if text is None:
            text = english
            if segment.context.path not in KEEP_AS_SOURCE:
                missing.append(english)
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": text, "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL},
        )
    # Submits it (and, one level down, what it points to) as a translator would.
    TranslationCreator(None, [locale]).create_translations(instance, include_related_objects=False)
    translation = Translation.objects.get(source=source, target_locale=locale)
    # wagtail-localize publishes when the transaction commits, from the instance
    # it holds: a parent published that late would write back a stale count of
    # children. Save the draft, then publish a fresh copy now.
    # (Snippets without drafts are saved as they are.)
    translation.save_target(publish=not isinstance(instance, Page))
    target = translation.get_target_instance()
    if isinstance(target, Page):
        target = Page.objects.get(pk=target.pk).specific
        target.get_latest_revision().publish()
    return target, missing
