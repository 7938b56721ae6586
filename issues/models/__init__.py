from .issues import IssueIndexPage, IssuePage, IssueQuerySet
from .questions import QuestionIndexPage, QuestionPage, QuestionQuerySet
from .responses import QuestionResponse, QuestionResponseQuerySet, ResponseStatus
from .videos import VideoIndexPage, VideoPage, VideoSeries

__all__ = [
    "IssueIndexPage",
    "IssuePage",
    "IssueQuerySet",
    "QuestionIndexPage",
    "QuestionPage",
    "QuestionQuerySet",
    "QuestionResponse",
    "QuestionResponseQuerySet",
    "ResponseStatus",
    "VideoIndexPage",
    "VideoPage",
    "VideoSeries",
]
