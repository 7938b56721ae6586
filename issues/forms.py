"""The issue editor's form: the checks an issue must pass before it goes out."""

from __future__ import annotations

from django.utils.html import strip_tags

from home.publishing import PublishingRulesForm

LETTER_MISSING = "Write the editor's letter: an issue cannot go out without it."
DATE_MISSING = "Give the issue its date: it becomes the issue's address, e.g. 2026-02-13."


def has_text(html: str | None) -> bool:
    """Whether rich text holds any words (an emptied editor leaves bare tags)."""
    return bool(strip_tags(html or "").replace("&nbsp;", " ").strip())


class IssuePageForm(PublishingRulesForm):
    """Drafts may be unfinished; publishing or submitting for approval may not.

    The rules an issue must pass are ``IssuePage.publishing_rules`` and its
    blocks' own; this form only adds that even a draft needs its date.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "issue_date" in self.fields:
            self.fields["issue_date"].error_messages["required"] = DATE_MISSING
        if "letter" in self.fields:
            self.fields["letter"].error_messages["required"] = LETTER_MISSING

    def clean(self):
        cleaned_data = super().clean()
        # The date is the address, so even a draft needs one.
        if (
            "issue_date" in self.fields
            and not cleaned_data.get("issue_date")
            and "issue_date" not in self.errors
        ):
            self.add_error("issue_date", DATE_MISSING)
        return cleaned_data
