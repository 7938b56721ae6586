"""Sending where editors work: the issue editor's actions, the message after
publishing, and each issue's send status in the issue listing.

Everything links to the newsletter page (``newsletter_issue``), which holds
the test-send form and the confirmation before a send to every subscriber;
the sending itself stays in ``sending.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin import messages as admin_messages
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.viewsets.pages import PageViewSet

from issues.models import Delivery, IssuePage, Subscriber

from .admin import SEND_PERMISSION
from .sending import progress

TEST_ANCHOR = "#test-send"
SEND_ANCHOR = "#send"


@dataclass(frozen=True)
class SendStatus:
    total: int
    sent: int
    # Rows still pending or being sent.
    open: int

    @property
    def label(self) -> str:
        if not self.total:
            return "Not sent"
        if self.open:
            return f"Sending {self.sent} of {self.total}"
        return f"Sent to {self.total}"

    @property
    def state(self) -> str:
        return "not-sent" if not self.total else ("sending" if self.open else "sent")


def send_status(issue: IssuePage) -> SendStatus:
    """From the listing's annotations when present, else from the ledger."""
    if hasattr(issue, "send_total"):
        return SendStatus(issue.send_total or 0, issue.send_sent or 0, issue.send_open or 0)
    state = progress(issue)
    return SendStatus(state.total, state.sent, state.pending + state.sending)


def newsletter_url(issue, anchor: str = "") -> str:
    return reverse("newsletter_issue", args=[issue.pk]) + anchor


def confirmed_count() -> int:
    return Subscriber.objects.confirmed().count()


def send_label(issue: IssuePage) -> str:
    status = send_status(issue)
    if status.total:
        return status.label
    count = confirmed_count()
    return f"Send to {count} subscriber{'' if count == 1 else 's'}"


# The editor's footer ("More actions"): two links to the newsletter page.


class SendTestMenuItem(ActionMenuItem):
    name = "action-newsletter-test"
    label = "Send a test"
    icon_name = "mail"
    order = 60

    def is_shown(self, context):
        page = context.get("page")
        return (
            context["view"] == "edit"
            and isinstance(page, IssuePage)
            and self.get_user_page_permissions_tester(context).can_edit()
        )

    def get_url(self, parent_context):
        return newsletter_url(parent_context["page"], TEST_ANCHOR)


class SendToSubscribersMenuItem(SendTestMenuItem):
    name = "action-newsletter-send"
    icon_name = "mail"
    order = 61

    def is_shown(self, context):
        return (
            super().is_shown(context)
            and context["page"].live
            and context["request"].user.has_perm(SEND_PERMISSION)
        )

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["label"] = send_label(parent_context["page"])
        return context

    def get_url(self, parent_context):
        return newsletter_url(parent_context["page"], SEND_ANCHOR)


@hooks.register("register_page_action_menu_item")
def send_test_menu_item():
    return SendTestMenuItem()


@hooks.register("register_page_action_menu_item")
def send_to_subscribers_menu_item():
    return SendToSubscribersMenuItem()


@hooks.register("after_publish_page")
def offer_sending_after_publish(request, page):
    """The next step after publishing an issue is sending it: offer both buttons."""
    if not isinstance(page, IssuePage):
        return None
    buttons = [admin_messages.button(newsletter_url(page, TEST_ANCHOR), "Send a test")]
    if page.live and request.user.has_perm(SEND_PERMISSION):
        buttons.append(admin_messages.button(newsletter_url(page, SEND_ANCHOR), send_label(page)))
        text = format_html("“{}” is live: send it to subscribers.", page.title)
    else:
        text = format_html("“{}” is scheduled: send yourself a test meanwhile.", page.title)
    admin_messages.info(request, text, buttons=buttons)
    return None


# The issue archive's listing: date and send status per issue.


def _count(**filters) -> Subquery:
    return Subquery(
        Delivery.objects.filter(issue=OuterRef("pk"), **filters)
        .order_by()
        .values("issue")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def annotate_send_status(pages):
    """Three counts per issue in the listing's one query, whatever its length."""
    return pages.annotate(
        send_total=_count(),
        send_sent=_count(status=Delivery.Status.SENT),
        send_open=_count(status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]),
    )


class SendStatusColumn(Column):
    cell_template_name = "issues/newsletter/send_status_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["status"] = send_status(instance)
        context["url"] = newsletter_url(instance)
        return context


class IssueListingView(ExplorableIndexView):
    default_ordering = "-issue_date"

    def annotate_queryset(self, pages):
        return annotate_send_status(super().annotate_queryset(pages))


class IssuePageViewSet(PageViewSet):
    model = IssuePage
    index_view_class = IssueListingView

    @cached_property
    def columns(self):
        base = {column.name: column for column in IssueListingView.base_columns}
        return [
            base["bulk_actions"],
            base["title"],
            Column(
                "issue_date",
                label="Issue date",
                sort_key="issue_date",
                accessor=lambda issue: f"{issue.issue_date:%-d %b %Y}",
                width="12%",
            ),
            base["status"],
            SendStatusColumn("send_status", label="Newsletter", width="16%"),
            base["latest_revision_created_at"],
        ]


@hooks.register("register_admin_viewset")
def register_issue_page_viewset():
    return IssuePageViewSet("issue_pages")
