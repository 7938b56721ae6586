from .issues import IssueIndexPage, IssuePage, IssueQuerySet
from .questions import QuestionIndexPage, QuestionPage
from .subscribers import Delivery, Subscriber
from .videos import VideoIndexPage, VideoPage, VideoSeries

__all__ = [
    "Delivery",
    "IssueIndexPage",
    "IssuePage",
    "IssueQuerySet",
    "QuestionIndexPage",
    "QuestionPage",
    "Subscriber",
    "VideoIndexPage",
    "VideoPage",
    "VideoSeries",
]
