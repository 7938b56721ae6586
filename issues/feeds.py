"""The Focus This Week and video feeds (/feeds/issues.*, /feeds/videos.*)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from home.feed_entry import FeedScope, home_path, index_path, live_pages
from issues.models import IssueIndexPage, IssuePage, VideoIndexPage, VideoPage


def issues_scope(request) -> FeedScope:
    site_name = pgettext("site name", settings.WAGTAIL_SITE_NAME)
    return FeedScope(
        key="issues",
        title=_("Focus This Week") + f" · {site_name}",
        description=_("The weekly Focus This Week newsletter, in full."),
        html_path=index_path(IssueIndexPage, home_path(), request),
        sources=[live_pages(IssuePage)],
    )


def videos_scope(request) -> FeedScope:
    site_name = pgettext("site name", settings.WAGTAIL_SITE_NAME)
    return FeedScope(
        key="videos",
        title=_("Videos") + f" · {site_name}",
        description=_("Focus videos, including the China Current series."),
        html_path=index_path(VideoIndexPage, home_path(), request),
        sources=[live_pages(VideoPage)],
    )
