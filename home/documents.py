"""Documents editors upload: a size limit, and contents that match the allowed type.

Wagtail checks the name's extension against ``WAGTAILDOCS_EXTENSIONS`` and the
size against ``WAGTAILDOCS_MAX_UPLOAD_SIZE``; this form (the settings'
``WAGTAILDOCS_DOCUMENT_FORM_BASE``) also looks at the first bytes, so a web
page or a program renamed ``report.pdf`` is refused on upload with a message
saying what was expected, instead of being served to readers from the site's
own address.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from wagtail.documents.forms import BaseDocumentForm

ZIP = b"PK\x03\x04"  # docx, xlsx, pptx and odt are ZIP containers
SIGNATURES = {
    "pdf": (b"%PDF-", "a PDF document"),
    "docx": (ZIP, "a Word document"),
    "xlsx": (ZIP, "an Excel workbook"),
    "pptx": (ZIP, "a PowerPoint presentation"),
    "odt": (ZIP, "an OpenDocument text"),
    "rtf": (b"{\\rtf", "an RTF document"),
}
PLAIN_TEXT = {"csv": "a CSV table", "txt": "a plain-text file"}
# What a browser would treat as a page or a script, whatever the name says.
MARKUP_STARTS = (b"<", b"\xef\xbb\xbf<")
SNIFF_BYTES = 8192


def allowed_types() -> str:
    return ", ".join(extension.upper() for extension in settings.WAGTAILDOCS_EXTENSIONS)


def check_contents(name: str, head: bytes) -> None:
    """Raise ValidationError if the file's first bytes are not what its extension promises."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in SIGNATURES:
        signature, kind = SIGNATURES[extension]
        if not head.startswith(signature):
            raise ValidationError(
                f"This file is named .{extension} but its contents are not {kind}. "
                f"Upload the document itself; allowed types: {allowed_types()}.",
                code="contents_mismatch",
            )
    elif extension in PLAIN_TEXT and (b"\x00" in head or head.lstrip().startswith(MARKUP_STARTS)):
        raise ValidationError(
            f"This file is named .{extension} but its contents are not "
            f"{PLAIN_TEXT[extension]} (they look like a program or a web page). "
            f"Allowed types: {allowed_types()}.",
            code="contents_mismatch",
        )


class DocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            position = upload.tell()
            upload.seek(0)
            head = upload.read(SNIFF_BYTES)
            upload.seek(position)
            check_contents(upload.name, head)
        return upload
