"""Moderating reader responses in the Wagtail admin (wagtail-modeladmin)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import re_path
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.views.decorators.http import require_POST
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import IndexView

from issues.models import QuestionResponse, ResponseStatus

BULK_FORM_ID = "bulk-moderation"
BULK_ACTIONS = {
    "approve": (ResponseStatus.APPROVED, "approved"),
    "feature": (ResponseStatus.FEATURED, "featured"),
    "reject": (ResponseStatus.REJECTED, "rejected"),
}
# Spreadsheet programs run cells starting with these as formulas.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class ResponsePermissionHelper(PermissionHelper):
    def user_can_create(self, user) -> bool:
        # Responses come from readers; editors moderate them, never write them.
        return False


class ResponseIndexView(IndexView):
    def write_csv_row(self, writer, row_dict):
        return super().write_csv_row(
            writer, {field: spreadsheet_safe(value) for field, value in row_dict.items()}
        )


class QuestionResponseAdmin(ModelAdmin):
    model = QuestionResponse
    menu_label = "Reader responses"
    menu_icon = "group"
    menu_order = 230
    add_to_settings_menu = False
    permission_helper_class = ResponsePermissionHelper
    index_view_class = ResponseIndexView
    list_display = ("select", "name", "question_title", "excerpt", "status", "submitted_at")
    # Row buttons (inspect, edit) sit under the name, not under the narrow checkbox column
    # where they were squashed to unreadable fragments.
    list_display_add_buttons = "name"
    list_filter = ("status", "question", "submitted_at")
    list_select_related = ("question",)
    search_fields = ("name", "email", "affiliation", "response")
    ordering = ("-submitted_at",)
    list_per_page = 50
    inspect_view_enabled = True
    inspect_view_fields = (
        "question",
        "status",
        "submitted_at",
        "moderated_at",
        "name",
        "email",
        "affiliation",
        "response",
        "original_response",
        "consent_to_publish",
        "moderation_notes",
        "featured_in",
        "notified_at",
    )
    list_export = (
        "submitted_at",
        "question",
        "status",
        "name",
        "email",
        "affiliation",
        "response",
        "original_response",
        "moderation_notes",
        "featured_in",
    )
    export_filename = "reader-responses"

    def select(self, obj: QuestionResponse) -> str:
        # Tied to the bulk form by its id, so the listing's table stays as modeladmin builds it.
        return format_html(
            '<input type="checkbox" name="ids" value="{}" form="{}" aria-label="Select {}">',
            obj.pk,
            BULK_FORM_ID,
            obj.name,
        )

    select.short_description = "Select"

    def question_title(self, obj: QuestionResponse) -> str:
        return obj.question.title

    question_title.short_description = "Question"

    def excerpt(self, obj: QuestionResponse) -> str:
        return Truncator(obj.response).chars(120)

    excerpt.short_description = "Response"

    def get_admin_urls_for_registration(self):
        return (
            *super().get_admin_urls_for_registration(),
            re_path(
                rf"^{self.url_helper.base_url_path}/bulk/$",
                self.bulk_view,
                name=self.url_helper.get_action_url_name("bulk"),
            ),
        )

    def bulk_view(self, request: HttpRequest) -> HttpResponse:
        return bulk_moderate(request, self)


@require_POST
def bulk_moderate(request: HttpRequest, model_admin: QuestionResponseAdmin) -> HttpResponse:
    """Set the status of every selected response at once."""
    helper = model_admin.permission_helper
    if not request.user.is_authenticated or not helper.user_has_specific_permission(
        request.user, helper.get_perm_codename("change")
    ):
        raise PermissionDenied
    index_url = model_admin.url_helper.index_url
    next_url = request.POST.get("next", "")
    if not next_url.startswith(index_url) or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = index_url
    action = request.POST.get("action", "")
    ids = [value for value in request.POST.getlist("ids") if value.isdigit()]
    if action not in BULK_ACTIONS:
        messages.error(request, "Choose approve, feature or reject.")
        return HttpResponseRedirect(next_url)
    if not ids:
        messages.error(request, "Select at least one response first.")
        return HttpResponseRedirect(next_url)
    status, done = BULK_ACTIONS[action]
    # moderate() also clears every page showing these answers.
    count = QuestionResponse.objects.filter(pk__in=ids).moderate(status)
    if len(ids) == 1:
        # One answer (the Inspect view's buttons): name whose it was.
        one = QuestionResponse.objects.filter(pk=ids[0]).only("name").first()
        if one is not None:
            verb = done if count else f"was already {done}"
            messages.success(request, f"{one.name}’s response {verb}.")
            return HttpResponseRedirect(next_url)
    messages.success(request, f"{count} response{'s' if count != 1 else ''} {done}.")
    return HttpResponseRedirect(next_url)
