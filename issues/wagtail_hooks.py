from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail_modeladmin.options import modeladmin_register

from . import admin_urls
from .content_checks import use_focus_content_checker
from .dashboard import AWAITING_REVIEW_ORDER, editorial_panels
from .models import IssueIndexPage, VideoSeries

# Registers the newsletter's admin: subscribers, test sends and sending an issue.
from .newsletter import admin as newsletter_admin  # noqa: F401

# Sending from the issue editor and the issue listing's send status.
from .newsletter import editor as newsletter_editor  # noqa: F401
from .responses.admin import QuestionResponseAdmin


class VideoSeriesViewSet(SnippetViewSet):
    model = VideoSeries
    icon = "media"
    menu_label = "Video series"
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["name", "host"]


register_snippet(VideoSeriesViewSet)


@hooks.register("register_admin_urls")
def register_issue_admin_urls():
    return [path("issues/", include((admin_urls.urlpatterns, "issues_admin")))]


@hooks.register("construct_homepage_panels")
def add_editorial_panels(request, panels):
    for panel in panels:
        # What waits on a reviewer comes first (the panel shows only when something does).
        if isinstance(panel, WorkflowObjectsToModeratePanel):
            panel.order = AWAITING_REVIEW_ORDER
    panels.extend(editorial_panels())


@hooks.register("register_page_header_buttons")
def start_next_issue_button(page, user, view_name, next_url=None):
    # Only on the archive, and only for those who may add issues to it.
    if page.specific_class is IssueIndexPage and page.permissions_for_user(user).can_add_subpage():
        yield Button(
            "Start next issue",
            reverse("issues_admin:start_next_issue"),
            icon_name="doc-full-inverse",
            priority=5,
        )


hooks.register("construct_wagtail_userbar", use_focus_content_checker)


modeladmin_register(QuestionResponseAdmin)
