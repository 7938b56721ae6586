"""The issue editor's form: the checks an issue must pass before it goes out."""

from __future__ import annotations

from django.utils.html import strip_tags
from wagtail.admin.forms import WagtailAdminPageForm


def has_text(html: str | None) -> bool:
    """Whether rich text holds any words (an emptied editor leaves bare tags)."""
    return bool(strip_tags(html or "").replace("&nbsp;", " ").strip())


class IssuePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "issue_date" in self.fields:
            self.fields["issue_date"].error_messages["required"] = (
                "Give the issue its date: it becomes the issue's address, e.g. 2026-02-13."
            )
        if "letter" in self.fields:
            self.fields["letter"].error_messages["required"] = (
                "Write the editor's letter: an issue cannot go out without it."
            )

    def clean(self):
        cleaned_data = super().clean()
        # The date is the address, so even a draft needs one.
        if (
            "issue_date" in self.fields
            and not cleaned_data.get("issue_date")
            and "issue_date" not in self.errors
        ):
            self.add_error("issue_date", self.fields["issue_date"].error_messages["required"])
        # Drafts may be unfinished; publishing or submitting for approval may not.
        if (
            not self.is_deferred_validation
            and "letter" in cleaned_data
            and not has_text(cleaned_data["letter"])
        ):
            self.add_error("letter", self.fields["letter"].error_messages["required"])
        return cleaned_data
