"""Image renditions read from what was loaded with the image.

Wagtail's ``get_rendition`` writes every rendition it returns to the
renditions cache, even one it has just found among the renditions prefetched
with the image. With the database cache store that write is a transaction of
four or five SQL statements, once per image shown: a feed of twenty entries
paid a hundred and sixty of them for renditions it already held. Loading an
image with its renditions (``prefetch_renditions()``, ``…__renditions``) is
what every listing and chooser block here already does, so the lookup below
only reaches the cache or the database for a rendition that was not loaded,
and only writes when it has to create one. The page and email templates' image
tags (``{% stored_picture %}`` and its siblings in ``focus_tags``) use it too.
"""

from __future__ import annotations

from wagtail.images.models import AbstractImage, AbstractRendition, Filter, SourceImageIOError
from wagtail.images.shortcuts import get_rendition_or_not_found, get_renditions_or_not_found


def stored_rendition(image: AbstractImage, spec: str) -> AbstractRendition:
    """``image.get_rendition(spec)`` without rewriting a rendition it already holds.

    Raises ``SourceImageIOError`` as ``get_rendition`` does when a missing
    rendition cannot be made because the original file is lost.
    """
    rendition_filter = image.clean_filter_for_svg(Filter(spec=spec))
    try:
        # Prefetched renditions first; else Wagtail's cache, then the database.
        return image.find_existing_rendition(rendition_filter)
    except image.get_rendition_model().DoesNotExist:
        # Never made yet: create it (and let Wagtail cache it).
        return image.get_rendition(rendition_filter)


def stored_rendition_or_not_found(image: AbstractImage | None, spec: str):
    """What ``{% image image spec as name %}`` puts in ``name``: None for no
    image, and Wagtail's empty "not-found" rendition for a lost original."""
    if not image:
        return None
    try:
        return stored_rendition(image, spec)
    except SourceImageIOError:
        return get_rendition_or_not_found(image, spec)


def stored_renditions(image: AbstractImage, filters: list[Filter]) -> dict[str, AbstractRendition]:
    """``image.get_renditions(*filters)`` without rewriting renditions it already holds.

    Keyed and ordered as ``get_renditions`` keys them (by cleaned spec, in the
    order asked), which is what Wagtail's ``Picture`` and ``ResponsiveImage``
    build their markup from. Raises ``SourceImageIOError`` as it does.
    """
    wanted = list(dict.fromkeys(image.clean_filter_for_svg(f) for f in filters))
    # Prefetched renditions first; else Wagtail's cache, then the database.
    found = image.find_existing_renditions(*wanted)
    missing = [f for f in wanted if f not in found]
    if missing:
        # Never made yet: create them (and let Wagtail cache them).
        created = image.get_renditions(*missing)
        found.update((f, created[f.spec]) for f in missing)
    return {f.spec: found[f] for f in wanted}


def stored_renditions_or_not_found(image: AbstractImage, filters: list[Filter]):
    """Wagtail's ``get_renditions_or_not_found`` on ``stored_renditions``: a lost
    original shows Wagtail's empty "not-found" rendition for each filter."""
    try:
        return stored_renditions(image, filters)
    except SourceImageIOError:
        return get_renditions_or_not_found(image, filters)
