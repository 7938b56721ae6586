"""繁體 drafts converted from the 简体 translation, and their review.

A translator who has finished a page's Simplified Chinese translation in
wagtail-localize asks for a Traditional Chinese draft: every segment of the
简体 translation is converted with OpenCC (home.script_conversion) into the
繁體 translation of the same English source, marked as a machine
translation ("OpenCC s2hk"), and the 繁體 page is saved as a draft. Segments a
translator already wrote by hand are kept.

A machine draft is never published unreviewed: while any OpenCC segment of a
page is unreviewed, publishing it from the editor is refused (see
home.wagtail_hooks). Editing a segment in the translation editor reviews it;
"mark reviewed" vouches for all that remain, in the reviewer's name.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page
from wagtail_localize.models import StringTranslation, Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from home.script_conversion import DEFAULT_VARIANT, to_traditional, tool_name

SIMPLIFIED, TRADITIONAL = "zh-hans", "zh-hant"
MACHINE = StringTranslation.TRANSLATION_TYPE_MACHINE


class NotConvertible(Exception):
    """The page is not a 简体 translation made with wagtail-localize."""


def source_for(page: Page) -> TranslationSource:
    """The English (or other) source that ``page`` is a wagtail-localize translation of."""
    translation = (
        Translation.objects.filter(
            source__object_id=page.translation_key, target_locale_id=page.locale_id
        )
        .select_related("source")
        .first()
    )
    if translation is None:
        raise NotConvertible(
            "This page is not a translation made in the translation editor, so there is "
            "no 简体 text to convert."
        )
    return translation.source


def is_convertible(page: Page) -> bool:
    if page.locale.language_code != SIMPLIFIED:
        return False
    try:
        source_for(page)
    except NotConvertible:
        return False
    return True


@transaction.atomic
def make_traditional_draft(page: Page, user=None, variant: str = DEFAULT_VARIANT) -> Page:
    """Convert the 简体 translation ``page`` into a 繁體 draft; returns the 繁體 page."""
    if page.locale.language_code != SIMPLIFIED:
        raise NotConvertible("Only a 简体 page can be converted into a 繁體 draft.")
    source = source_for(page)
    simplified = page.locale
    traditional = Locale.objects.get(language_code=TRADITIONAL)
    segments = source.stringsegment_set.select_related("string", "context")
    hans = {
        (row.translation_of_id, row.context_id): row.data
        for row in StringTranslation.objects.filter(
            locale=simplified, translation_of__in=[segment.string for segment in segments]
        )
    }
    hant = {
        (row.translation_of_id, row.context_id): row
        for row in StringTranslation.objects.filter(
            locale=traditional, translation_of__in=[segment.string for segment in segments]
        )
    }
    for segment in segments:
        key = (segment.string_id, segment.context_id)
        text = hans.get(key)
        if text is None:
            continue
        existing = hant.get(key)
        if existing is not None and existing.translation_type != MACHINE:
            continue  # A translator's own 繁體 text is never overwritten.
        StringTranslation.objects.update_or_create(
            translation_of_id=segment.string_id,
            locale=traditional,
            context_id=segment.context_id,
            defaults={
                "data": to_traditional(text, variant),
                "translation_type": MACHINE,
                "tool_name": tool_name(variant),
                "last_translated_by": user,
                "has_error": False,
                "field_error": "",
            },
        )
    instance = source.get_source_instance()
    # Related snippets (authors) are left to their own translations: saving a
    # snippet publishes it, and a machine draft must not go live unreviewed.
    TranslationCreator(user, [traditional]).create_translations(
        instance, include_related_objects=False
    )
    translation = Translation.objects.get(source=source, target_locale=traditional)
    translation.save_target(user=user, publish=False)
    return translation.get_target_instance()


def unreviewed_segments(page: Page):
    """The page's OpenCC segments no one has reviewed yet."""
    if page.locale.language_code != TRADITIONAL:
        return StringTranslation.objects.none()
    try:
        source = source_for(page)
    except NotConvertible:
        return StringTranslation.objects.none()
    segments = source.stringsegment_set.all()
    return StringTranslation.objects.filter(
        locale_id=page.locale_id,
        translation_type=MACHINE,
        tool_name__startswith="OpenCC",
        translation_of_id__in=segments.values("string_id"),
        context_id__in=segments.values("context_id"),
    )


def mark_reviewed(page: Page, user) -> int:
    """The reviewer vouches for every remaining OpenCC segment of the page."""
    return unreviewed_segments(page).update(
        translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
        last_translated_by=user,
        updated_at=timezone.now(),
    )
