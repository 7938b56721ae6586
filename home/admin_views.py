"""Admin views for translators: a 繁體 draft from the 简体 text, and its review."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.models import Page

from home.script_conversion import DEFAULT_VARIANT, VARIANTS
from home.traditional_drafts import (
    NotConvertible,
    is_convertible,
    make_traditional_draft,
    mark_reviewed,
    unreviewed_segments,
)


class VariantForm(forms.Form):
    variant = forms.ChoiceField(
        label="Characters and phrasing",
        choices=list(VARIANTS.items()),
        initial=DEFAULT_VARIANT,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose one of the listed conversions."},
    )


def editable_page(request, page_id: int) -> Page:
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied("You may not edit this page.")
    return page


class TraditionalDraftView(WagtailAdminTemplateMixin, FormView):
    """GET offers the OpenCC variants; POST converts and opens the 繁體 draft."""

    form_class = VariantForm
    template_name = "home/admin/traditional_draft.html"
    page_title = "繁體 draft from 简体"

    def dispatch(self, request, *args, **kwargs):
        self.page = editable_page(request, kwargs["page_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(page=self.page, convertible=is_convertible(self.page))
        return context

    def form_valid(self, form):
        try:
            draft = make_traditional_draft(
                self.page, self.request.user, form.cleaned_data["variant"]
            )
        except NotConvertible as error:
            form.add_error(None, str(error))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.warning(
            self.request,
            f"“{draft.title}” is a 繁體 draft converted by OpenCC "
            f"({form.cleaned_data['variant']}). Review every segment: it cannot be published "
            "until it is reviewed.",
        )
        return redirect("wagtailadmin_pages:edit", draft.pk)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


def mark_traditional_reviewed(request, page_id: int):
    """GET asks for confirmation; POST marks the page's converted segments reviewed."""
    page = editable_page(request, page_id)
    if request.method != "POST":
        return TemplateResponse(
            request,
            "home/admin/traditional_reviewed.html",
            {"page": page, "pending": unreviewed_segments(page).count()},
        )
    count = mark_reviewed(page, request.user)
    if count:
        messages.success(
            request, f"{count} converted segment{'s' if count != 1 else ''} marked as reviewed."
        )
    else:
        messages.info(request, "There were no converted segments left to review.")
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))
