"""The Focus This Week and video feeds (/feeds/issues.*, /feeds/videos.*)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from home.feed_entry import FeedScope, section_scope
from issues.models import IssueIndexPage, IssuePage, VideoIndexPage, VideoPage


def issues_scope(request) -> FeedScope:
    return section_scope(
        "issues",
        _("Focus This Week"),
        _("The weekly Focus This Week newsletter, in full."),
        IssueIndexPage,
        IssuePage,
        request,
    )


def videos_scope(request) -> FeedScope:
    return section_scope(
        "videos",
        _("Videos"),
        _("Focus videos, including the China Current series."),
        VideoIndexPage,
        VideoPage,
        request,
    )
