"""Documents: a size limit and contents matching the type on upload; private ones stay private."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction
from wagtail.test.utils import WagtailTestUtils

Document = get_document_model()
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


class RemoteStorage(Storage):
    """Object storage as Wagtail sees S3: files behind a URL of its own, no local path."""

    files: dict[str, bytes] = {}

    def _save(self, name, content):
        self.files[name] = content.read()
        return name

    def _open(self, name, mode="rb"):
        return ContentFile(self.files[name], name=name)

    def exists(self, name):
        return name in self.files

    def size(self, name):
        return len(self.files[name])

    def delete(self, name):
        self.files.pop(name, None)

    def url(self, name):
        return f"https://bucket.example/{name}"


REMOTE_MEDIA = {
    "default": {"BACKEND": "tests.home.test_documents.RemoteStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


class DocumentUploadTests(WagtailTestUtils, TestCase):
    def setUp(self):
        self.login()
        self.collection = Collection.get_first_root_node()

    def upload(self, name: str, content: bytes):
        return self.client.post(
            reverse("wagtaildocs:add"),
            {
                "title": name,
                "file": SimpleUploadedFile(name, content),
                "collection": self.collection.pk,
            },
        )

    def assert_refused(self, response, message: str) -> None:
        self.assertEqual(response.status_code, 200)  # the form again, with its error
        self.assertContains(response, message)
        self.assertFalse(Document.objects.exists())

    def test_a_real_pdf_is_accepted(self):
        response = self.upload("report.pdf", PDF)
        self.assertRedirects(response, reverse("wagtaildocs:index"))
        self.assertEqual(Document.objects.get().file_extension, "pdf")

    def test_a_web_page_named_pdf_is_refused_with_what_was_expected(self):
        response = self.upload("report.pdf", b"<html><script>alert(1)</script></html>")
        self.assert_refused(response, "is named .pdf but its contents are not a PDF document")
        self.assertContains(response, "CSV, DOCX, ODT, PDF, PPTX, RTF, TXT, XLSX")

    def test_markup_or_binary_named_txt_or_csv_is_refused(self):
        self.assert_refused(
            self.upload("notes.txt", b"  <svg onload=alert(1)>"), "are not a plain-text file"
        )
        self.assert_refused(self.upload("table.csv", b"a,b\x00\x01"), "are not a CSV table")

    def test_a_type_outside_the_allow_list_is_refused(self):
        self.assert_refused(self.upload("setup.exe", b"MZ\x90\x00"), "“exe” is not allowed")
        self.assert_refused(self.upload("page.html", b"<p>Hi</p>"), "“html” is not allowed")

    def test_the_uploader_states_the_default_limit(self):
        response = self.client.get(reverse("wagtaildocs:add"))
        self.assertContains(response, "Maximum filesize: 20.0\xa0MB")

    @override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=1024)
    def test_a_file_over_the_size_limit_is_refused_with_the_limit(self):
        response = self.upload("big.pdf", PDF + b"0" * 2048)
        self.assert_refused(response, "This file is too big")
        self.assertContains(response, "Maximum filesize 1.0\xa0KB")

    def test_plain_text_and_office_documents_pass(self):
        self.assertEqual(self.upload("notes.txt", "Notes, café.\n".encode()).status_code, 302)
        self.assertEqual(self.upload("data.xlsx", b"PK\x03\x04rest").status_code, 302)
        self.assertEqual(Document.objects.count(), 2)


@override_settings(STORAGES=REMOTE_MEDIA)
class PrivateDocumentOnObjectStorageTests(WagtailTestUtils, TestCase):
    """With media on object storage, a document in a private collection is not public."""

    def setUp(self):
        RemoteStorage.files.clear()
        root = Collection.get_first_root_node()
        self.private = root.add_child(name="Board papers")
        restriction = CollectionViewRestriction.objects.create(
            collection=self.private, restriction_type=CollectionViewRestriction.LOGIN
        )
        restriction.groups.set(Group.objects.none())
        self.document = Document.objects.create(
            title="Minutes", collection=self.private, file=ContentFile(PDF, name="minutes.pdf")
        )

    def test_its_url_is_the_checked_view_not_the_storage(self):
        self.assertTrue(self.document.file.url.startswith("https://bucket.example/"))
        self.assertEqual(
            self.document.url, reverse("wagtaildocs_serve", args=[self.document.pk, "minutes.pdf"])
        )

    def test_an_anonymous_reader_is_sent_to_log_in_not_to_the_file(self):
        response = self.client.get(self.document.url)
        self.assertEqual(response.status_code, 302)
        self.assertNotIn("bucket.example", response["Location"])
        self.assertIn("login", response["Location"])

    def test_a_signed_in_reader_gets_the_file_streamed_never_a_redirect_to_the_bucket(self):
        self.login()
        response = self.client.get(self.document.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), PDF)
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
