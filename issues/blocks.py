"""The weekly issue's stream: the shared body plus the newsletter's own parts."""

from home.blocks import BodyStreamBlock, QuestionOfTheWeekBlock, VideoFeatureBlock


class IssueStreamBlock(BodyStreamBlock):
    """Everything an article body holds, plus a featured video and the question."""

    video_feature = VideoFeatureBlock()
    question_of_the_week = QuestionOfTheWeekBlock()
