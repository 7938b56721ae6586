from .issues import IssueIndexPage, IssuePage, IssueQuerySet
from .questions import QuestionIndexPage, QuestionPage
from .videos import VideoIndexPage, VideoPage, VideoSeries

__all__ = [
    "IssueIndexPage",
    "IssuePage",
    "IssueQuerySet",
    "QuestionIndexPage",
    "QuestionPage",
    "VideoIndexPage",
    "VideoPage",
    "VideoSeries",
]
