"""Which cache tags a content change touches, found through Wagtail's reference index.

A page shows itself, is listed by its ancestors (section listings, topic
routes, the home page), and is cited by pages that reference it (a chart
callout names the article and its authors). A snippet (author, topic) is
shown by the pages that reference it and by its own views. We follow the
references two steps, which covers article → issue citing it and
author → article → issue citing the article.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from wagtail.models import Page, ReferenceIndex

from .tags import SITE_TAG, model_tag, object_tag

logger = logging.getLogger(__name__)
REFERENCE_DEPTH = 2


def _pages_by_ids(ids: Iterable[int]) -> list[Page]:
    ids = {int(pk) for pk in ids}
    if not ids:
        return []
    return list(
        Page.objects.filter(pk__in=ids).only("id", "path", "depth", "url_path", "locale_id")
    )


def _ancestor_tags(pages: Iterable[Page]) -> set[str]:
    paths: set[str] = set()
    for page in pages:
        paths.update(page.path[:end] for end in range(Page.steplen, len(page.path), Page.steplen))
    if not paths:
        return set()
    return {
        f"wagtailcore.page:{pk}"
        for pk in Page.objects.filter(path__in=paths).values_list("pk", flat=True)
    }


def forward_reference_tags(obj: models.Model) -> set[str]:
    """Tags of what the object shows (its authors, topics, images, linked pages)."""
    tags = set()
    rows = ReferenceIndex.get_references_for_object(obj).values_list(
        "to_content_type", "to_object_id"
    )
    for content_type_id, object_id in rows:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None:
            tags.add(f"{model._meta.label_lower}:{object_id}")
    return tags


def referencing_pages(objects: Iterable[models.Model]) -> list[Page]:
    """Pages whose content references any of the objects."""
    objects = list(objects)
    if not objects:
        return []
    page_type = ContentType.objects.get_for_model(Page)
    ids = set()
    for obj in objects:
        rows = ReferenceIndex.get_references_to(obj).filter(base_content_type=page_type)
        ids.update(rows.values_list("object_id", flat=True))
        ids.update(_many_to_many_page_ids(obj))
    return _pages_by_ids(ids)


def _many_to_many_page_ids(obj: models.Model) -> set[int]:
    # The reference index skips many-to-many fields (an article's topics), so
    # those are looked up directly.
    ids: set[int] = set()
    for model in apps.get_models():
        if not issubclass(model, Page) or model is Page:
            continue
        for field in model._meta.local_many_to_many:
            if field.related_model is type(obj):
                ids.update(model.objects.filter(**{field.name: obj}).values_list("pk", flat=True))
    return ids


def tags_for_change(obj: models.Model, extra_pages: Iterable[Page] = ()) -> set[str]:
    """Every tag whose cached responses may show the object."""
    tags = {object_tag(obj), model_tag(type(obj))}
    pages: list[Page] = list(extra_pages)
    if isinstance(obj, Page):
        pages.append(obj)
        tags.add(model_tag(Page))
        # The navigation lists the home page's children.
        if obj.depth <= 3:
            tags.add(SITE_TAG)
    seen = {page.pk for page in pages}
    frontier: list[models.Model] = [obj]
    if isinstance(obj, Page) and obj.translation_key:
        # A translation's links still name the English original's pages (the
        # reader's edition is chosen when rendering): pages of this edition
        # citing the original show this page. Other editions are left alone.
        originals = list(
            Page.objects.filter(translation_key=obj.translation_key).exclude(pk=obj.pk)
        )
        pages.extend(
            page
            for page in referencing_pages(originals)
            if page.locale_id == obj.locale_id and page.pk not in seen
        )
        seen.update(page.pk for page in pages)
    for _step in range(REFERENCE_DEPTH):
        found = [page for page in referencing_pages(frontier) if page.pk not in seen]
        seen.update(page.pk for page in found)
        pages.extend(found)
        frontier = found
        if not frontier:
            break
    tags.update(object_tag(page) for page in pages)
    tags.update(_ancestor_tags(pages))
    return tags


def purge_frontend_cache(pages: Iterable[Page]) -> None:
    """Ask the CDN to drop the pages' URLs, when a frontend cache is configured."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache

    try:
        purge_pages_from_cache([page.specific for page in pages])
    except Exception:  # A CDN outage must not stop an editor publishing.
        logger.exception("Frontend cache purge failed")


def pages_for_tags(tags: Iterable[str]) -> list[Page]:
    ids = [tag.split(":", 1)[1] for tag in tags if tag.startswith("wagtailcore.page:")]
    return _pages_by_ids(pk for pk in ids if pk.isdigit())
