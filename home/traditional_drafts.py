"""繁體 drafts converted from the 简体 translation, and their review.

A translator who has finished a page's Simplified Chinese translation in
wagtail-localize asks for a Traditional Chinese draft: every segment of the
简体 translation is converted with OpenCC (home.script_conversion) into the
繁體 translation of the same English source, marked as a machine
translation ("OpenCC s2hk"), and the 繁體 page is saved as a draft. Segments a
translator already wrote by hand are kept.

A machine draft is never published unreviewed: while any OpenCC segment of a
page is unreviewed, ``review_problems`` names it among the page's publishing
problems (home.publishing), so the editor's and the translation editor's
Publish, workflow approval, the listing's bulk Publish and scheduled
publishing all refuse it with a message (see home.wagtail_hooks,
issues.workflow_admin, home.scheduling). Behind them, every page type's
``publish()`` holds it back too (``ReviewGatedPublishing``), so a path no one
has thought of leaves it a draft and says so in its history. Editing a segment in the
translation editor reviews it; "mark reviewed" vouches for all that remain, in
the reviewer's name.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Locale, Page
from wagtail_localize.models import StringTranslation, Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from home.script_conversion import DEFAULT_VARIANT, to_traditional, tool_name

logger = logging.getLogger(__name__)
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


def review_problems(page: Page) -> list[str]:
    """Why ``page`` may not be published yet as far as its OpenCC text goes."""
    pending = unreviewed_segments(page).count()
    if not pending:
        return []
    return [
        f"{pending} segment{'s' if pending != 1 else ''} converted by OpenCC still "
        "need review. Edit them in the translation editor, or mark the draft reviewed."
    ]


REVIEW_REFUSED_ACTION = "focus.publish.unreviewed"


class ReviewGatedPublishing:
    """Page types mix this in: ``publish()`` holds back an unreviewed machine draft.

    Wagtail, wagtail-localize and Focus all publish through ``Page.publish``
    (the editor, workflow approval, bulk actions, ``publish_scheduled``, the
    translation editor, "sync translations"), so this is the one place that
    holds whichever path is taken. The paths editors use check first and say
    why; this is the backstop. It refuses quietly rather than raising because
    wagtail-localize publishes from ``transaction.on_commit`` callbacks, where
    an exception would cut off the other editions' publishing after their
    drafts are saved: the revision stays a draft and the refusal is written to
    the page's history and the log.
    """

    def publish(self, revision, *args, **kwargs):
        problems = review_problems(self)
        if problems:
            log(
                instance=self,
                action=REVIEW_REFUSED_ACTION,
                user=kwargs.get("user"),
                data={"problems": problems},
                revision=revision,
            )
            logger.warning("Not publishing page %s: %s", self.pk, problems[0])
            return None
        return super().publish(revision, *args, **kwargs)


def mark_reviewed(page: Page, user) -> int:
    """The reviewer vouches for every remaining OpenCC segment of the page."""
    return unreviewed_segments(page).update(
        translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
        last_translated_by=user,
        updated_at=timezone.now(),
    )
