"""Media on S3-compatible object storage: images public, documents private.

Images and their renditions are read by every visitor straight from the bucket
(or the CDN in front of it). Documents are not: a document may sit in a private
collection, so its object is written with a private ACL, its storage URL is a
short-lived signed one (never the public custom domain), and readers reach it
only through Wagtail's document view, which checks the collection's
restrictions before streaming the file (``WAGTAILDOCS_SERVE_METHOD =
"serve_view"``).
"""

from __future__ import annotations

from django.conf import settings
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

PRIVATE_PREFIXES = ("documents/",)


class MediaStorage(S3Storage):
    def is_private(self, name: str) -> bool:
        return clean_name(name).lstrip("/").startswith(PRIVATE_PREFIXES)

    def get_object_parameters(self, name: str) -> dict:
        params = super().get_object_parameters(name)
        acl = settings.FOCUS_PRIVATE_MEDIA_ACL
        if self.is_private(name) and acl:
            params["ACL"] = acl
        return params

    def url(self, name, parameters=None, expire=None, http_method=None):
        if not self.is_private(name):
            return super().url(name, parameters, expire, http_method)
        # Signed by the bucket itself: a custom domain (CDN) would hand out a permanent,
        # public address for a file that may be restricted.
        params = {**(parameters or {}), "Bucket": self.bucket.name}
        params["Key"] = self._normalize_name(clean_name(name))
        return self.connection.meta.client.generate_presigned_url(
            "get_object",
            Params=params,
            ExpiresIn=expire or settings.FOCUS_PRIVATE_MEDIA_URL_SECONDS,
            HttpMethod=http_method,
        )
