"""Connect content changes to page-cache and CDN invalidation."""

from __future__ import annotations

from django.db import models
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from wagtail import hooks
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from .invalidation import (
    forward_reference_tags,
    pages_for_tags,
    purge_frontend_cache,
    tags_for_change,
)
from .tags import SITE_TAG, invalidate, object_tag, tag_request


def _apply(tags: set[str]) -> None:
    invalidate(tags)
    purge_frontend_cache(pages_for_tags(tags))


def _remember_references(sender, instance: models.Model, **kwargs) -> None:
    # What the object showed before this save (an author removed from an
    # article must drop off that author's page too).
    if instance.pk and isinstance(instance, (Page, *_watched_models())):
        instance._focus_previous_refs = forward_reference_tags(instance)


def _page_changed(sender, instance: Page, **kwargs) -> None:
    tags = tags_for_change(instance)
    tags |= forward_reference_tags(instance)
    tags |= getattr(instance, "_focus_previous_refs", set())
    _apply(tags)


def _page_moved(sender, instance: Page, parent_page_before=None, **kwargs) -> None:
    extra = [parent_page_before] if parent_page_before is not None else []
    tags = tags_for_change(instance, extra_pages=extra)
    # Every page below moved too: their URLs changed.
    tags |= {
        f"wagtailcore.page:{pk}"
        for pk in Page.objects.descendant_of(instance).values_list("pk", flat=True)
    }
    tags |= forward_reference_tags(instance)
    _apply(tags)


def _page_deleting(sender, instance: Page, **kwargs) -> None:
    # Referencing rows and ancestors are gone after the delete: collect now.
    instance._focus_delete_tags = tags_for_change(instance) | forward_reference_tags(instance)


def _page_deleted(sender, instance: Page, **kwargs) -> None:
    tags = getattr(instance, "_focus_delete_tags", None)
    if tags:
        invalidate(tags)


def _watched_models() -> tuple[type[models.Model], ...]:
    return (*get_snippet_models(), get_image_model(), BaseSiteSetting, BaseGenericSetting)


def _object_changed(sender, instance: models.Model, **kwargs) -> None:
    if isinstance(instance, Page) or not isinstance(instance, _watched_models()):
        return
    if isinstance(instance, BaseSiteSetting | BaseGenericSetting):
        _apply({SITE_TAG})
        return
    tags = tags_for_change(instance) | getattr(instance, "_focus_previous_refs", set())
    _apply(tags)


def _object_deleting(sender, instance: models.Model, **kwargs) -> None:
    if isinstance(instance, Page) or not isinstance(instance, _watched_models()):
        return
    instance._focus_delete_tags = tags_for_change(instance)


def _object_deleted(sender, instance: models.Model, **kwargs) -> None:
    if isinstance(instance, Page):
        return
    tags = getattr(instance, "_focus_delete_tags", None)
    if tags:
        _apply(tags)


def _tag_served_page(page: Page, request, serve_args, serve_kwargs) -> None:
    # Sub-routes (topics, pagination) share the page's tag: one change clears them all.
    tag_request(request, object_tag(page))


def connect() -> None:
    hooks.register("before_serve_page", _tag_served_page)
    page_published.connect(_page_changed, dispatch_uid="focus_cache_published")
    page_unpublished.connect(_page_changed, dispatch_uid="focus_cache_unpublished")
    post_page_move.connect(_page_moved, dispatch_uid="focus_cache_moved")
    pre_save.connect(_remember_references, dispatch_uid="focus_cache_pre_save")
    post_save.connect(_object_changed, dispatch_uid="focus_cache_saved")
    pre_delete.connect(_object_deleting, dispatch_uid="focus_cache_object_deleting")
    post_delete.connect(_object_deleted, dispatch_uid="focus_cache_object_deleted")
    pre_delete.connect(_page_deleting_any, dispatch_uid="focus_cache_page_deleting")
    post_delete.connect(_page_deleted_any, dispatch_uid="focus_cache_page_deleted")


def _page_deleting_any(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page) and not hasattr(instance, "_focus_delete_tags"):
        _page_deleting(sender, instance)


def _page_deleted_any(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        _page_deleted(sender, instance)
