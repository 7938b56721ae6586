"""Admin views for the editors' week: start the next issue in one click."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.views.generic import FormView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from .editorial import (
    IssueExists,
    articles_since,
    in_edition,
    next_issue_date,
    start_issue,
    waiting_answers,
)
from .models import IssueIndexPage, IssuePage


class StartIssueForm(forms.Form):
    issue_date = forms.DateField(
        label="Issue date",
        help_text="Proposed: the Friday after the latest issue. Change it for a special issue.",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the issue's date, e.g. 2026-02-13.",
            "invalid": "Enter the date as YYYY-MM-DD, e.g. 2026-02-13.",
        },
    )

    def clean_issue_date(self):
        issue_date = self.cleaned_data["issue_date"]
        existing = IssuePage.objects.filter(issue_date=issue_date).first()
        if existing is not None:
            edit_url = reverse("wagtailadmin_pages:edit", args=[existing.pk])
            raise forms.ValidationError(
                format_html(
                    'There is already an issue dated {}: <a href="{}">open “{}”</a> '
                    "or choose another date.",
                    f"{issue_date:%-d %B %Y}",
                    edit_url,
                    existing.title,
                )
            )
        return issue_date


def issue_index_for(user) -> IssueIndexPage:
    """The issue archive, if this user may add issues to it; otherwise 403."""
    index = IssueIndexPage.objects.filter(**in_edition()).first()
    if index is None or not index.permissions_for_user(user).can_add_subpage():
        raise PermissionDenied("You are not allowed to start issues.")
    return index


class StartNextIssueView(WagtailAdminTemplateMixin, FormView):
    """GET shows the proposed date and what will be pre-filled; POST creates the draft."""

    form_class = StartIssueForm
    template_name = "issues/admin/start_next_issue.html"
    page_title = "Start next issue"
    header_icon = "doc-full-inverse"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.index = issue_index_for(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"issue_date": next_issue_date(self.index)}

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        proposed = form.initial.get("issue_date")
        if form.is_bound and form.is_valid():
            proposed = form.cleaned_data["issue_date"]
        context["proposed_date"] = proposed
        context["offered_articles"] = articles_since(self.index, proposed) if proposed else []
        context["waiting_answers"] = waiting_answers(self.index.locale_id)
        return context

    def form_valid(self, form):
        try:
            issue = start_issue(self.index, form.cleaned_data["issue_date"], self.request.user)
        except IssueExists as clash:
            # Lost a race with another editor after validation: say so, change nothing.
            form.add_error("issue_date", str(clash))
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Draft “{issue.title}” started. Write the letter and fill in the blocks, "
            "then submit it for approval.",
        )
        return redirect("wagtailadmin_pages:edit", issue.pk)

    def form_invalid(self, form):
        messages.error(self.request, "The issue was not started: see the message below.")
        return super().form_invalid(form)
