"""The object storage for media: images at their public address, documents private and signed.

No request leaves the machine: botocore signs URLs locally.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.test import SimpleTestCase, override_settings

from focus_site.storage import MediaStorage


def storage(**options) -> MediaStorage:
    return MediaStorage(
        bucket_name="focus-media",
        region_name="us-east-1",
        access_key="AKIAEXAMPLE",
        secret_key="not-a-real-secret",
        custom_domain="media.focus.example",
        querystring_auth=False,
        default_acl=None,
        signature_version="s3v4",
        **options,
    )


class MediaStorageTests(SimpleTestCase):
    def test_images_keep_their_public_cdn_address(self):
        self.assertEqual(
            storage().url("images/chart.png"), "https://media.focus.example/images/chart.png"
        )
        self.assertNotIn("ACL", storage().get_object_parameters("original_images/chart.png"))

    def test_documents_are_written_private_and_linked_only_by_short_lived_signed_urls(self):
        self.assertEqual(storage().get_object_parameters("documents/minutes.pdf")["ACL"], "private")
        url = urlsplit(storage().url("documents/minutes.pdf"))
        self.assertNotEqual(url.hostname, "media.focus.example")
        self.assertIn("focus-media", url.hostname + url.path)
        query = parse_qs(url.query)
        self.assertIn("X-Amz-Signature", query)
        self.assertEqual(query["X-Amz-Expires"], ["300"])

    @override_settings(FOCUS_PRIVATE_MEDIA_ACL="")
    def test_buckets_without_acls_get_none(self):
        self.assertNotIn("ACL", storage().get_object_parameters("documents/minutes.pdf"))
