"""Connect content changes to page-cache, feed and CDN invalidation.

Every change ends in ``content_changed(tags)``: the tags are bumped at once
and again at commit (``tags.invalidate``), feeds are retired, and the CDN is
asked to purge every URL showing the change once the transaction commits.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from wagtail import hooks
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Revision, Site
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from .feeds import invalidate_feeds
from .invalidation import (
    forward_reference_tags,
    ids_in,
    page_ids_in,
    tags_for_change,
    translation_tags,
)
from .schedule import SCHEDULE_TAG
from .tags import SITE_TAG, cache_query_params, invalidate, object_tag, tag_request
from .urls import absolute_urls, chart_paths, urls_for

logger = logging.getLogger(__name__)


def _cdn_configured() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def _purge(urls: list[str]) -> None:
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    try:
        purge_urls_from_cache(urls)
    except Exception:  # A CDN outage must not stop an editor publishing.
        logger.exception("Frontend cache purge failed")


def _urls_for_tags(tags: set[str]) -> list[str]:
    # Snippets with pages of their own (an author's) say which: cache_paths_for.
    snippets = [
        (model, ids_in(tags, model))
        for model in get_snippet_models()
        if hasattr(model, "cache_paths_for")
    ]
    urls = urls_for(page_ids_in(tags), snippets)
    if SITE_TAG in tags:
        # Navigation and settings show on every page.
        urls += absolute_urls(
            url for page in Page.objects.live().public().specific() if (url := page.get_url())
        )
    return list(dict.fromkeys(urls))


def content_changed(
    tags: Iterable[str], *, gone_paths: Iterable[str] = (), edition: str | None = None
) -> None:
    """Clear the page cache and the feeds now, and purge the CDN after commit.

    ``gone_paths`` are URLs that will not be found after the change (a deleted
    page, a moved page's old address): computed before it, purged with the rest.
    ``edition`` (a language code) limits the feeds retired to that edition's:
    a page is listed only by its own edition's feeds. None retires every edition's.
    """
    tags = set(tags)
    if page_ids_in(tags):
        # Which entries a scheduled change caps follows the page tree and citations.
        tags.add(SCHEDULE_TAG)
    invalidate(tags)
    invalidate_feeds(edition)
    if not _cdn_configured():
        return
    gone = list(gone_paths)

    def purge() -> None:
        _purge(list(dict.fromkeys([*absolute_urls(gone), *_urls_for_tags(tags)])))

    # After the commit: a CDN refetching earlier would cache the old rows again.
    transaction.on_commit(purge)


def _watched_models() -> tuple[type[models.Model], ...]:
    return (*get_snippet_models(), get_image_model(), BaseSiteSetting, BaseGenericSetting)


def _remember_references(sender, instance: models.Model, **kwargs) -> None:
    # What the object showed before this save (an author removed from an
    # article must drop off that author's page too), read from its stored row.
    if not instance.pk or not isinstance(instance, (Page, *_watched_models())):
        return
    stored = type(instance)._default_manager.filter(pk=instance.pk).first()
    instance._focus_previous_refs = forward_reference_tags(stored) if stored else set()
    if isinstance(instance, Page) and stored is not None:
        # A chart's PNG address names its data: the old addresses are purged too.
        instance._focus_previous_paths = chart_paths(stored)
        instance._focus_previous_address = (stored.live, stored.url_path)


def _page_changed(sender, instance: Page, **kwargs) -> None:
    tags = tags_for_change(instance)
    tags |= forward_reference_tags(instance)
    tags |= getattr(instance, "_focus_previous_refs", set())
    if getattr(instance, "_focus_previous_address", None) != (instance.live, instance.url_path):
        # Published for the first time, unpublished or renamed: the other
        # editions' switchers link to it, or to a fallback, accordingly.
        tags |= translation_tags(instance)
    # A translation is shown only by its own edition's feeds; an English page
    # also stands in for its missing translations, so it retires every edition's.
    code = instance.locale.language_code
    content_changed(
        tags,
        gone_paths=getattr(instance, "_focus_previous_paths", ()),
        edition=None if code == settings.LANGUAGE_CODE else code,
    )


def _old_path(url_path: str | None) -> list[str]:
    if not url_path:
        return []
    for _site_id, root_path, _root_url, _language in Site.get_site_root_paths():
        if url_path.startswith(root_path):
            return ["/" + url_path[len(root_path) :]]
    return []


def _page_moved(
    sender, instance: Page, parent_page_before=None, url_path_before=None, **kwargs
) -> None:
    extra = [parent_page_before] if parent_page_before is not None else []
    tags = tags_for_change(instance, extra_pages=extra)
    # Every page below moved too: their URLs changed.
    tags |= {
        f"wagtailcore.page:{pk}"
        for pk in Page.objects.descendant_of(instance).values_list("pk", flat=True)
    }
    tags |= forward_reference_tags(instance.specific)
    # Its translations' switchers name its old address.
    tags |= translation_tags(instance)
    content_changed(tags, gone_paths=_old_path(url_path_before))


def _page_deleting(instance: Page) -> None:
    # Referencing rows, ancestors and the URL are gone after the delete: collect now.
    specific = instance.specific
    instance._focus_delete_tags = (
        tags_for_change(specific) | forward_reference_tags(specific) | translation_tags(specific)
    )
    url = specific.get_url()
    instance._focus_delete_paths = [url] if url else []


def _object_changed(sender, instance: models.Model, **kwargs) -> None:
    if isinstance(instance, Page) or not isinstance(instance, _watched_models()):
        return
    if isinstance(instance, BaseSiteSetting | BaseGenericSetting):
        content_changed({SITE_TAG})
        return
    tags = tags_for_change(instance) | getattr(instance, "_focus_previous_refs", set())
    content_changed(tags)


def _deleting(sender, instance: models.Model, **kwargs) -> None:
    if isinstance(instance, Page):
        if not hasattr(instance, "_focus_delete_tags"):
            _page_deleting(instance)
    elif isinstance(instance, _watched_models()):
        instance._focus_delete_tags = tags_for_change(instance)


def _deleted(sender, instance: models.Model, **kwargs) -> None:
    tags = getattr(instance, "_focus_delete_tags", None)
    if tags:
        content_changed(tags, gone_paths=getattr(instance, "_focus_delete_paths", ()))


def _restriction_changed(sender, instance: PageViewRestriction, **kwargs) -> None:
    # A section made private (or public again) changes listings, search,
    # feeds and perhaps the navigation everywhere: clear every page.
    page = Page.objects.filter(pk=instance.page_id).first()
    tags = {SITE_TAG}
    if page is not None:
        tags |= {
            f"wagtailcore.page:{pk}"
            for pk in Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True)
        }
        tags |= tags_for_change(page)
    content_changed(tags)


def _revision_saved(sender, instance: Revision, **kwargs) -> None:
    # A scheduled publication moves the moment cached pages must expire by.
    if instance.approved_go_live_at is not None:
        invalidate({SCHEDULE_TAG})


def _tag_served_page(page: Page, request, serve_args, serve_kwargs) -> None:
    # Sub-routes (topics, pagination) share the page's tag: one change clears them all.
    tag_request(request, object_tag(page))
    # Pages read no query parameter unless their code declares it (pagination
    # declares "page", the Insights index "topic").
    cache_query_params(request)


def connect() -> None:
    hooks.register("before_serve_page", _tag_served_page)
    page_published.connect(_page_changed, dispatch_uid="focus_cache_published")
    page_unpublished.connect(_page_changed, dispatch_uid="focus_cache_unpublished")
    post_page_move.connect(_page_moved, dispatch_uid="focus_cache_moved")
    pre_save.connect(_remember_references, dispatch_uid="focus_cache_pre_save")
    post_save.connect(_object_changed, dispatch_uid="focus_cache_saved")
    pre_delete.connect(_deleting, dispatch_uid="focus_cache_deleting")
    post_delete.connect(_deleted, dispatch_uid="focus_cache_deleted")
    for signal in (post_save, post_delete):
        signal.connect(
            _restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"focus_cache_restriction_{signal is post_save}",
        )
    post_save.connect(_revision_saved, sender=Revision, dispatch_uid="focus_cache_revision")
