"""Editor panels shared by page types."""

from __future__ import annotations

from functools import cached_property

from wagtail.admin.panels import Panel

from home.publishing import publishing_problems


class PublishingChecksPanel(Panel):
    """What the saved draft still lacks before it can be published.

    Drafts save with these gaps; publishing and submitting for approval
    refuse them, so the editor sees them before pressing either.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", "Before this can be published")
        super().__init__(**kwargs)

    @property
    def clean_name(self):
        return super().clean_name or "publishing_checks"

    class BoundPanel(Panel.BoundPanel):
        template_name = "home/admin/publishing_checks.html"

        @cached_property
        def problems(self) -> list[str]:
            if self.instance is None or self.instance.pk is None:
                return []  # nothing saved yet: the form's own errors say it all
            return publishing_problems(self.instance)

        def is_shown(self):
            return super().is_shown() and bool(self.problems)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["problems"] = self.problems
            return context
