"""The newsletter in the admin: subscribers; per issue a test send, the send and its progress."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from issues.models import IssuePage, Subscriber

from .render import render_issue
from .sending import progress, send_test
from .tasks import NO_WORKER, NoBackgroundWorker, sends_in_background, start_sending

SEND_PERMISSION = "issues.send_issue"


class SubscriberAdmin(ModelAdmin):
    model = Subscriber
    menu_label = "Subscribers"
    menu_icon = "mail"
    menu_order = 230
    add_to_settings_menu = False
    list_display = ("email", "status", "edition", "source", "created_at", "confirmed_at")
    list_filter = ("status", "edition", "source", "created_at")
    search_fields = ("email",)
    list_export = (
        "email",
        "status",
        "edition",
        "source",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
    )
    export_filename = "focus-subscribers"


modeladmin_register(SubscriberAdmin)


class TestSendForm(forms.Form):
    address = forms.EmailField(
        label="Send a test to",
        error_messages={"invalid": "Enter a valid email address, like name@example.com."},
    )


def _issue_for(request: HttpRequest, page_id: int) -> IssuePage:
    issue = get_object_or_404(IssuePage, pk=page_id)
    if not issue.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return issue


@require_http_methods(["GET", "POST"])
def issue_newsletter(request: HttpRequest, page_id: int) -> HttpResponse:
    """Preview, test-send and send one issue, and follow a send's progress."""
    issue = _issue_for(request, page_id)
    form = TestSendForm(initial={"address": request.user.email})
    can_send = request.user.has_perm(SEND_PERMISSION)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "test":
            form = TestSendForm(request.POST)
            if form.is_valid():
                # A test shows the latest saved version, as the previews do, draft included.
                send_test(issue.get_latest_revision_as_object(), form.cleaned_data["address"])
                messages.success(request, f"Test sent to {form.cleaned_data['address']}.")
                return redirect("newsletter_issue", page_id=issue.pk)
            status = 400
        elif action == "send":
            if not can_send:
                raise PermissionDenied
            if not issue.live:
                messages.error(request, "Publish the issue before sending it to subscribers.")
                return redirect("newsletter_issue", page_id=issue.pk)
            try:
                added = start_sending(issue)
            except NoBackgroundWorker as refusal:
                messages.error(request, str(refusal))
                return redirect("newsletter_issue", page_id=issue.pk)
            messages.success(request, f"Sending to subscribers started ({added} newly queued).")
            return redirect("newsletter_issue", page_id=issue.pk)
        else:
            return HttpResponse("Unknown action.", status=400)
    context = {
        "issue": issue,
        "form": form,
        "can_send": can_send,
        "no_worker": None if sends_in_background() else NO_WORKER,
        "progress": progress(issue),
        "confirmed_count": Subscriber.objects.confirmed().count(),
        "header_title": f"Newsletter: {issue.title}",
        "page_title": f"Newsletter: {issue.title}",
        "header_icon": "mail",
    }
    return TemplateResponse(request, "issues/newsletter/admin_issue.html", context, status=status)


def issue_email_preview(request: HttpRequest, page_id: int, mode: str) -> HttpResponse:
    """The saved issue's email, HTML or text, as subscribers would get it."""
    issue = _issue_for(request, page_id).get_latest_revision_as_object()
    rendered = render_issue(issue)
    if mode == "text":
        return HttpResponse(rendered.text, content_type="text/plain; charset=utf-8")
    return HttpResponse(rendered.html, content_type="text/html; charset=utf-8")


@hooks.register("register_admin_urls")
def newsletter_admin_urls():
    return [
        path("newsletter/issues/<int:page_id>/", issue_newsletter, name="newsletter_issue"),
        path(
            "newsletter/issues/<int:page_id>/preview/<str:mode>/",
            issue_email_preview,
            name="newsletter_issue_preview",
        ),
    ]


@hooks.register("register_page_listing_more_buttons")
def newsletter_button(page, user, next_url=None):
    if isinstance(page.specific_deferred, IssuePage) and page.permissions_for_user(user).can_edit():
        yield Button(
            "Newsletter: test and send",
            url=reverse("newsletter_issue", args=[page.pk]),
            icon_name="mail",
            priority=35,
        )
