"""Dashboard panels for the editors' week, added through ``construct_homepage_panels``.

Each panel hides itself from users who may not act on what it shows, so a
contributor's dashboard is not cluttered with the newsletter's business.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import Page, Revision

from insights.models import InsightArticlePage, InsightsIndexPage

from .editorial import in_edition, issue_gaps, next_issue_date, open_question
from .models import IssueIndexPage, IssuePage, QuestionResponse, ResponseStatus

LATEST_INSIGHTS_LIMIT = 6
# Wagtail's "Awaiting your review" goes above every other panel (Focus's start at 50).
AWAITING_REVIEW_ORDER = 10
SCHEDULED_LIMIT = 10


class FocusPanel(Component):
    """A dashboard panel shown only to users for whom ``is_shown`` holds.

    Panels are built afresh for each request, so ``is_shown`` may keep what
    it looked up for ``get_context_data``, which runs after it.
    """

    def is_shown(self, request) -> bool:
        return True

    def render_html(self, parent_context: Mapping[str, Any] | None = None) -> str:
        if not self.is_shown(parent_context["request"]):
            return ""
        return super().render_html(parent_context)


class DraftIssuePanel(FocusPanel):
    """The issue being prepared, what it still lacks, and the button to start the next one."""

    name = "focus_draft_issue"
    template_name = "issues/admin/panels/draft_issue.html"
    order = 50

    def is_shown(self, request) -> bool:
        return _can_add_under(IssueIndexPage, request.user)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        index = IssueIndexPage.objects.filter(**in_edition()).first()
        draft = IssuePage.objects.child_of(index).filter(live=False).newest_first().first()
        latest = draft.get_latest_revision_as_object() if draft else None
        context.update(
            draft=draft,
            draft_title=latest.title if latest else "",
            draft_date=latest.issue_date if latest else None,
            gaps=issue_gaps(latest) if latest else [],
            next_date=next_issue_date(index),
            request=parent_context["request"],
            csrf_token=parent_context["csrf_token"],
        )
        return context


class OpenQuestionPanel(FocusPanel):
    """The Question of the Week readers can answer now."""

    name = "focus_open_question"
    template_name = "issues/admin/panels/open_question.html"
    order = 60

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        question = self._question
        context["question"] = question
        if question is not None and self._can_moderate:
            context["pending_count"] = QuestionResponse.objects.filter(
                question=question, status=ResponseStatus.PENDING
            ).count()
            # The moderation listing, filtered to what awaits a decision here.
            context["pending_url"] = (
                reverse("issues_questionresponse_modeladmin_index")
                + f"?question__page_ptr__exact={question.pk}&status__exact=pending"
            )
        return context

    def is_shown(self, request) -> bool:
        self._question = open_question(timezone.localdate())
        self._can_moderate = request.user.has_perm("issues.change_questionresponse")
        if self._question is None:
            return _can_edit_issues(request.user)
        # Moderators see it for the answers waiting on them.
        return self._can_moderate or self._question.permissions_for_user(request.user).can_edit()


class ScheduledPagesPanel(FocusPanel):
    """Pages approved to go live at a future time, soonest first."""

    name = "focus_scheduled_pages"
    template_name = "issues/admin/panels/scheduled_pages.html"
    order = 70

    def scheduled(self, user) -> list[tuple[Page, Any]]:
        revisions = list(
            Revision.page_revisions.filter(approved_go_live_at__isnull=False)
            .order_by("approved_go_live_at")
            .values_list("object_id", "approved_go_live_at")[:SCHEDULED_LIMIT]
        )
        pages = Page.objects.in_bulk([int(object_id) for object_id, _ in revisions])
        rows = []
        for object_id, go_live_at in revisions:
            page = pages.get(int(object_id))
            if page is not None and page.permissions_for_user(user).can_edit():
                rows.append((page, go_live_at))
        return rows

    def is_shown(self, request) -> bool:
        self._rows = self.scheduled(request.user)
        return bool(self._rows) or _can_edit_issues(request.user)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["rows"] = self._rows
        return context


class LatestInsightsPanel(FocusPanel):
    """The newest Insights articles, drafts included, with their state."""

    name = "focus_latest_insights"
    template_name = "issues/admin/panels/latest_insights.html"
    order = 80

    def is_shown(self, request) -> bool:
        return _can_add_under(InsightsIndexPage, request.user)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["articles"] = list(
            InsightArticlePage.objects.order_by("-date", "-latest_revision_created_at", "-pk")[
                :LATEST_INSIGHTS_LIMIT
            ]
        )
        return context


def _can_add_under(index_model, user) -> bool:
    """Whether ``user`` may add pages in the section that ``index_model`` heads."""
    index = index_model.objects.filter(**in_edition()).first()
    return index is not None and index.permissions_for_user(user).can_add_subpage()


def _can_edit_issues(user) -> bool:
    return _can_add_under(IssueIndexPage, user)


def editorial_panels() -> list[Component]:
    return [DraftIssuePanel(), OpenQuestionPanel(), ScheduledPagesPanel(), LatestInsightsPanel()]
