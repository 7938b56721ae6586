"""The weekly issue's stream: the shared body plus the newsletter's own parts."""

from home.blocks import (
    BodyStreamBlock,
    QuestionOfTheWeekBlock,
    ReaderResponsesBlock,
    VideoFeatureBlock,
)


class IssueStreamBlock(BodyStreamBlock):
    """An article body's blocks, plus a featured video, the question and readers' answers."""

    video_feature = VideoFeatureBlock()
    question_of_the_week = QuestionOfTheWeekBlock()
    reader_responses = ReaderResponsesBlock()
