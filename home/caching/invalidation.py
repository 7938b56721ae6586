"""Which cache tags a content change touches, computed from the changed object.

A page shows itself, is listed by its ancestors (section listings, topic
routes, the home page), and is cited by pages that reference it (a chart
callout names the article and its authors). A snippet (author, topic) is
shown by the pages that reference it and by its own views.

What an object shows (its forward references: StreamField blocks, foreign
keys, authors, topics) is read from the object itself, never from Wagtail's
reference index: with a background task backend the index is updated after
the publish, so a just-published article would not yet name its authors.
Which pages show an object (reverse references) comes from direct queries on
foreign keys and many-to-many fields, plus the index for StreamField
citations of content published before the change.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.models import Page, ReferenceIndex

from .tags import SITE_TAG, model_tag, object_tag

logger = logging.getLogger(__name__)
REFERENCE_DEPTH = 2
PAGE_LABEL = "wagtailcore.page"


def _pages_by_ids(ids: Iterable[int]) -> list[Page]:
    ids = {int(pk) for pk in ids}
    if not ids:
        return []
    return list(
        Page.objects.filter(pk__in=ids).only("id", "path", "depth", "url_path", "locale_id")
    )


def ancestor_ids(pages: Iterable[Page]) -> set[int]:
    paths: set[str] = set()
    for page in pages:
        paths.update(page.path[:end] for end in range(Page.steplen, len(page.path), Page.steplen))
    if not paths:
        return set()
    return set(Page.objects.filter(path__in=paths).values_list("pk", flat=True))


def _label_for(model: type[models.Model]) -> str:
    return PAGE_LABEL if issubclass(model, Page) else model._meta.label_lower


def forward_reference_tags(obj: models.Model) -> set[str]:
    """Tags of what the object shows (its authors, topics, images, linked pages).

    Read from the object as it is in memory: the revision being published,
    with its child rows (bylines) and StreamField blocks.
    """
    tags: set[str] = set()
    extracted = ReferenceIndex._extract_references_from_object(obj)
    for content_type_id, object_id, _model_path, _content_path in extracted:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None:
            tags.add(f"{_label_for(model)}:{object_id}")
    # The extraction skips many-to-many fields (an article's topics).
    for field in obj._meta.many_to_many:
        related = field.related_model
        if not isinstance(related, type):
            continue
        try:
            value = field.value_from_object(obj)
        except ValueError:  # an unsaved object has no relations yet
            continue
        for item in value or ():
            pk = item.pk if isinstance(item, models.Model) else item
            tags.add(f"{_label_for(related)}:{pk}")
    return tags


def _direct_referencing_page_ids(obj: models.Model) -> set[int]:
    """Pages pointing at the object through a foreign key or many-to-many field.

    Read from the tables themselves, which are current as soon as the change
    commits (the reference index may lag behind).
    """
    target = type(obj)
    ids: set[int] = set()
    for model in apps.get_models():
        is_page = issubclass(model, Page) and model is not Page
        parent_key = None
        if not is_page:
            parent_key = next(
                (
                    field
                    for field in model._meta.local_fields
                    if isinstance(field, ParentalKey) and issubclass(field.related_model, Page)
                ),
                None,
            )
            if parent_key is None:
                continue
        for field in [*model._meta.local_fields, *model._meta.local_many_to_many]:
            if not field.is_relation or field is parent_key or field.related_model is not target:
                continue
            if isinstance(field, ParentalKey):
                continue
            rows = model._default_manager.filter(**{field.name: obj})
            column = "pk" if is_page else parent_key.attname
            ids.update(rows.values_list(column, flat=True))
    return ids


def referencing_pages(objects: Iterable[models.Model]) -> list[Page]:
    """Pages whose content references any of the objects."""
    objects = list(objects)
    if not objects:
        return []
    page_type = ContentType.objects.get_for_model(Page)
    ids: set[int] = set()
    for obj in objects:
        # StreamField citations (an issue's chart callout naming an article):
        # only the index knows them without reading every page's body.
        rows = ReferenceIndex.get_references_to(obj).filter(base_content_type=page_type)
        ids.update(int(pk) for pk in rows.values_list("object_id", flat=True))
        ids.update(_direct_referencing_page_ids(obj))
    return _pages_by_ids(ids)


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
    if isinstance(obj, Page) and callable(getattr(obj, "neighbours", None)):
        # Its previous and next pages link to it (an issue's "Next issue" link):
        # asked afresh, as the change leaves them.
        obj.__dict__.pop("_neighbours", None)
        pages.extend(page for page in obj.neighbours() if page is not None)
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
    tags.update(f"{PAGE_LABEL}:{pk}" for pk in ancestor_ids(pages))
    return tags


def translation_tags(page: Page) -> set[str]:
    """Tags of the page's translations in the other editions, in one query.

    Their edition switchers and hreflang alternates name this page while it
    is live, and fall back to a section or home page while it is not: the
    page appearing, disappearing or moving changes them. An edit that leaves
    its address alone does not, and leaves the other editions cached.
    """
    if not page.translation_key:
        return set()
    others = Page.objects.filter(translation_key=page.translation_key).exclude(pk=page.pk)
    return {f"{PAGE_LABEL}:{pk}" for pk in others.values_list("pk", flat=True)}


def page_ids_in(tags: Iterable[str]) -> set[int]:
    prefix = PAGE_LABEL + ":"
    return {
        int(tag[len(prefix) :])
        for tag in tags
        if tag.startswith(prefix) and tag[len(prefix) :].isdigit()
    }


def ids_in(tags: Iterable[str], model: type[models.Model]) -> set[int]:
    prefix = model._meta.label_lower + ":"
    return {
        int(tag[len(prefix) :])
        for tag in tags
        if tag.startswith(prefix) and tag[len(prefix) :].isdigit()
    }
