"""Full-page caching for anonymous readers, invalidated by what each page shows.

A view says what its response depends on with ``tag_request(request, *tags)``;
content changes call ``invalidate(tags)``. See ``docs/performance.md``.
"""

from .tags import (
    SITE_TAG,
    cache_query_params,
    cache_until,
    invalidate,
    model_tag,
    object_tag,
    tag_request,
)

__all__ = [
    "SITE_TAG",
    "cache_query_params",
    "cache_until",
    "invalidate",
    "model_tag",
    "object_tag",
    "tag_request",
]
