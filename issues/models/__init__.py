from .issues import IssueIndexPage, IssuePage, IssueQuerySet
from .questions import QuestionIndexPage, QuestionPage, QuestionQuerySet
from .responses import QuestionResponse, QuestionResponseQuerySet, ResponseStatus
from .subscribers import Delivery, Subscriber
from .videos import VideoIndexPage, VideoPage, VideoSeries

__all__ = [
    "Delivery",
    "IssueIndexPage",
    "IssuePage",
    "IssueQuerySet",
    "QuestionIndexPage",
    "QuestionPage",
    "QuestionQuerySet",
    "QuestionResponse",
    "QuestionResponseQuerySet",
    "ResponseStatus",
    "Subscriber",
    "VideoIndexPage",
    "VideoPage",
    "VideoSeries",
]
