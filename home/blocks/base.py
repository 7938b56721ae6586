"""The machinery every Focus block shares: four renderings and bulk loading.

Each block keeps its four templates side by side in
``templates/blocks/<name>/``: ``web.html`` (the site), ``email.html`` (the
newsletter), ``feed.html`` (RSS/Atom/JSON Feed content) and ``text.txt`` (the
text/plain part of the email). Adding a block is one folder to fill, and a
test checks every block has all four.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, Subquery
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page
from wagtail.rich_text import RichText

from home.caching.tags import record_shown
from home.privacy import is_public
from home.rendering import share_site_root_paths

RENDER_MODES = ("web", "email", "feed", "text")


class MultiRenderMixin:
    """Adds ``render_as(value, mode)`` next to Wagtail's own ``render``."""

    def template_for(self, mode: str) -> str:
        if mode not in RENDER_MODES:
            raise ValueError(f"Unknown render mode {mode!r}")
        folder = self.meta.template.rsplit("/", 1)[0]
        return f"{folder}/{mode}.{'txt' if mode == 'text' else 'html'}"

    def render_as(self, value: Any, mode: str, context: dict | None = None) -> SafeString:
        if mode == "web":
            return self.render(value, context)
        block_context = self.get_context(value, parent_context=dict(context or {}))
        block_context["render_mode"] = mode
        return mark_safe(render_to_string(self.template_for(mode), block_context))


# Child blocks whose value is text: a missing or null value reads as "" (rich text as empty).
TEXT_BLOCKS = (
    blocks.CharBlock,
    blocks.TextBlock,
    blocks.BlockQuoteBlock,
    blocks.URLBlock,
    blocks.EmailBlock,
    blocks.RegexBlock,
)


class CompleteStructBlock(blocks.StructBlock):
    """A StructBlock whose value has every text child, even when the stored JSON lacks it.

    Stored blocks may carry only some of their children: bulk content is
    written that way (home.blocks.raw), and revisions saved before a child was
    added hold none of it. Wagtail fills a missing child with its default,
    which for a text block without one is None; templates shrug, but
    wagtail-localize cannot make a segment of None and translating the page
    fails. Completing the value as it is read, to the "" an empty form field
    saves, fixes every stored row and revision at once, with no data migration.
    """

    def _complete(self, value):
        for name, child in self.child_blocks.items():
            current = value.get(name)
            if isinstance(child, TEXT_BLOCKS) and current is None:
                value[name] = ""
            elif isinstance(child, blocks.RichTextBlock) and (
                current is None or getattr(current, "source", "") is None
            ):
                value[name] = RichText("")
        return value

    def to_python(self, value):
        return self._complete(super().to_python(value))

    def bulk_to_python(self, values):
        return [self._complete(value) for value in super().bulk_to_python(values)]

    def get_default(self):
        return self._complete(super().get_default())


class _Rendering:
    """The pages one rendering has loaded for its blocks, and the edition it reads."""

    def __init__(self, reading_locale: int | None = None):
        self.pages: dict = {}
        # The locale of the page being rendered: chosen pages are shown in it.
        self.reading_locale = reading_locale


# A context variable, not a thread-local: each request, task or thread (and
# each asyncio task) sees only the rendering it opened, and leaving the
# ``with`` ends it even when the rendering fails.
_rendering: ContextVar[_Rendering | None] = ContextVar("focus_page_pool", default=None)


class _PagePool:
    """Pages already loaded for blocks during the current rendering.

    Several block types may point at the same pages (a quote's source and a
    related link, say); each would load them again. Within one rendering (a
    request, an email, a feed) they are shared: ``PagePoolMiddleware`` opens
    one around every request and ``reading`` one around an email or feed in
    an edition. Outside them (commands, shells) every lookup reads fresh rows.
    """

    @property
    def active(self) -> bool:
        return _rendering.get() is not None

    @property
    def reading_locale(self) -> int | None:
        current = _rendering.get()
        return current.reading_locale if current is not None else None

    @contextmanager
    def rendering(self, reading_locale: int | None = None) -> Iterator[None]:
        """Share page lookups within the block, reading chosen pages in ``reading_locale``."""
        token = _rendering.set(_Rendering(reading_locale))
        try:
            yield
        finally:
            _rendering.reset(token)

    def read_in(self, locale_id: int | None) -> None:
        """From here on, the current rendering shows chosen pages in ``locale_id``."""
        current = _rendering.get()
        if current is not None:
            current.reading_locale = locale_id

    def reading(self, locale_id: int | None):
        """A rendering of its own that shows chosen pages in ``locale_id`` (an email, a feed).

        Its own, so an email rendered during a request (a preview, a test
        send) neither reuses the request's pages nor leaves its edition behind.
        """
        return self.rendering(locale_id)

    def fetch(self, key, queryset, ids: list) -> dict:
        current = _rendering.get()
        if current is not None and current.reading_locale is not None:
            return self._fetch_in_edition(key, queryset, ids, current.reading_locale)
        if current is None:
            found = _loaded(queryset, queryset.in_bulk(ids))
            record_shown(found.values())
            share_site_root_paths(found.values())
            return found
        known = current.pages.setdefault(key, {})
        missing = [pk for pk in ids if pk not in known]
        if missing:
            known.update(_loaded(queryset, queryset.in_bulk(missing)))
        # The cached page depends on every page a block showed.
        record_shown(known[pk] for pk in ids if pk in known)
        return self._copies(known, ids)

    @staticmethod
    def _copies(known: dict, ids: list) -> dict:
        # Each block gets its own copy, as Wagtail's own bulk loading does.
        found = {pk: copy.copy(known[pk]) for pk in ids if pk in known}
        # A feed links many chosen pages: their URLs share one read of the site root paths.
        share_site_root_paths(found.values())
        return found

    def _fetch_in_edition(self, key, queryset, ids: list, locale_id: int) -> dict:
        """The chosen pages as read in ``locale_id``: each its live translation if it has one.

        Editors choose English pages. Loading them and then their translations
        would cost a Chinese page a second query (and its prefetches) per block
        type; one query fetches the chosen pages and their translations
        together, so an edition's page costs what the English page does.
        """
        current = _rendering.get()
        known = current.pages.setdefault((key, locale_id), {}) if current is not None else {}
        missing = [pk for pk in ids if pk not in known]
        if missing:
            keys = Page.objects.filter(pk__in=missing).values("translation_key")
            rows = list(
                queryset.filter(
                    Q(pk__in=missing)
                    | Q(live=True, locale_id=locale_id, translation_key__in=Subquery(keys))
                )
            )
            translated = {row.translation_key: row for row in rows if row.locale_id == locale_id}
            chosen = [row for row in rows if row.pk in missing]
            shown = {row.pk: translated.get(row.translation_key, row) for row in chosen}
            known.update(_loaded(queryset, shown))
        record_shown(known[pk] for pk in ids if pk in known)
        return self._copies(known, ids)


def _loaded(queryset, pages: dict) -> dict:
    """Let the queryset finish what blocks show of the pages it loaded, for all
    of them at once (``loaded_for_blocks``, beside ``for_blocks``)."""
    finish = getattr(queryset, "loaded_for_blocks", None)
    if finish is not None and pages:
        finish(list(pages.values()))
    return pages


page_pool = _PagePool()


class PagePoolMiddleware:
    """Each request is one rendering: its blocks share the pages they load."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The response is rendered inside (Django renders a TemplateResponse
        # before the middleware chain returns), so the whole page shares one pool.
        with page_pool.rendering():
            return self.get_response(request)


# When the content being validated will reach readers: the publish form's
# go-live date, a scheduled revision's, or (unset) now. Page choosers compare
# the pages they point at with it, so a draft may link an article due later
# in the week as long as that article is live by the time this page is.
_going_live_at: ContextVar[datetime | None] = ContextVar("focus_going_live_at", default=None)


@contextmanager
def going_live_at(moment: datetime | None) -> Iterator[None]:
    """Validate page choices as of ``moment`` (None: now) within the block."""
    token = _going_live_at.set(moment)
    try:
        yield
    finally:
        _going_live_at.reset(token)


def publication_moment() -> datetime:
    return _going_live_at.get() or timezone.now()


def scheduled_go_live(page) -> datetime | None:
    """When a page that is not live yet is scheduled to go live, if it is."""
    revision = page.scheduled_revision
    return revision.approved_go_live_at if revision is not None else None


def not_live_by(page, moment: datetime) -> str | None:
    """Why readers could not reach ``page`` at ``moment``; None when they could.

    The one rule for every page chooser: live now (and not expiring first),
    or scheduled to go live no later than the page that links to it.
    """
    expire_at = getattr(page, "expire_at", None)
    if page.live:
        if expire_at and expire_at <= moment:
            return f"“{page.title}” expires on {_when(expire_at)}, before this page goes live."
        return None
    going_live = scheduled_go_live(page)
    if going_live is None:
        return (
            f"“{page.title}” is not published yet: publish it first, "
            "schedule it to go live before this page, or choose a published page."
        )
    if going_live > moment:
        return (
            f"“{page.title}” goes live on {_when(going_live)}, after this page "
            f"({_when(moment)}): schedule it earlier, or this page later."
        )
    return None


def _when(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%-d %B %Y, %H:%M}"


def clean_struct_children(block: blocks.StructBlock, value) -> tuple[Any, dict]:
    """A struct's children cleaned, and their errors, without stopping at them.

    ``StructBlock.clean`` raises on the first field errors, so a block's own
    rules would only be reported once those are fixed; collecting both lets
    a refused publish say everything that is missing at once.
    """
    try:
        return blocks.StructBlock.clean(block, value), {}
    except blocks.StructBlockValidationError as invalid:
        return value, dict(invalid.block_errors)


class PrefetchingPageChooserBlock(blocks.PageChooserBlock):
    """A page chooser that loads all its pages, and what they show, in bulk.

    Wagtail loads each chooser's values in one query per block type; the
    pages a block displays usually bring related rows too (authors, a poster
    image and its renditions). The chosen page type says what those are by
    offering a ``for_blocks()`` queryset method (and, for what a queryset
    cannot load, ``loaded_for_blocks(pages)``, called once with every page it
    loaded), so this block keeps a page's query count fixed without knowing
    the apps above it.
    """

    def clean(self, value):
        value = super().clean(value)
        # A draft may point at a page due later; publishing refuses a page
        # readers could not reach when this one goes live (see not_live_by).
        if value is not None and not self.is_deferred_validation:
            refusal = not_live_by(value, publication_moment())
            if refusal:
                raise ValidationError(refusal)
        return value

    def __init__(self, page_type=None, queryset_method: str = "for_blocks", **kwargs):
        # Which queryset method says what this block shows: two blocks choosing
        # the same page type may need different related rows.
        self.queryset_method = queryset_method
        super().__init__(page_type=page_type, **kwargs)

    def deconstruct(self):
        # A loading hint, not part of the stored data: keep it out of migrations.
        path, args, kwargs = super().deconstruct()
        kwargs.pop("queryset_method", None)
        return path, args, kwargs

    def bulk_to_python(self, values):
        ids = [value for value in values if value is not None]
        if not ids:
            return [None for _ in values]
        queryset = self.model_class.objects.all()
        method = getattr(queryset, self.queryset_method, None)
        if method is not None:
            queryset = method()
        # Editors choose English pages; a translation shows its edition's (the
        # pool loads them in the edition being read).
        objects = page_pool.fetch((self.model_class, self.queryset_method), queryset, ids)
        return [objects.get(value) for value in values]


class PrefetchingImageChooserBlock(ImageChooserBlock):
    """An image chooser that loads images with their renditions in one go."""

    def bulk_to_python(self, values):
        ids = [value for value in values if value is not None]
        if not ids:
            return [None for _ in values]
        objects = self.model_class.objects.prefetch_renditions().in_bulk(ids)
        record_shown(objects.values())
        return [objects.get(value) for value in values]


def live_or_none(page):
    """A chosen page that readers can reach, else None (unpublished, deleted or private)."""
    if page is None or not getattr(page, "live", False) or not is_public(page):
        return None
    return page


def searchable(*texts: Any) -> list[str]:
    """The reader-visible text of a block for the search index.

    Wagtail's default indexes every child value, which for a struct block
    means ``"None"`` for each empty field, choice keys, URLs and numbers.
    Blocks name the text a reader sees instead; whitespace is collapsed so
    that the stream can recognise a repeat (see ``BodyStreamBlock``).
    """
    return [" ".join(str(text).split()) for text in texts if text and str(text).strip()]
