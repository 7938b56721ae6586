from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import VideoSeries

# Registers the newsletter's admin: subscribers, test sends and sending an issue.
from .newsletter import admin as newsletter_admin  # noqa: F401


class VideoSeriesViewSet(SnippetViewSet):
    model = VideoSeries
    icon = "media"
    menu_label = "Video series"
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["name", "host"]


register_snippet(VideoSeriesViewSet)
