"""The home page gathers the newest of every section, so it sits above them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from home import structured_data as ld
from home.caching import cache_until
from home.caching.fragments import FragmentCachedPageMixin
from home.privacy import public_only
from home.routing import FastRoutingMixin
from home.traditional_drafts import ReviewGatedPublishing
from insights.models import InsightArticlePage
from issues.models import IssuePage, QuestionPage, VideoPage


class HomePage(ReviewGatedPublishing, FragmentCachedPageMixin, FastRoutingMixin, Page):
    """/: the latest issue, the latest Insights, a video and the open question."""

    intro = models.TextField(
        blank=True,
        max_length=400,
        help_text="A line under the masthead saying what Focus is.",
    )
    featured_video = models.ForeignKey(
        "issues.VideoPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty: the newest video.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("featured_video")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "issues.IssueIndexPage",
        "insights.InsightsIndexPage",
        "issues.VideoIndexPage",
        "issues.QuestionIndexPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = "Home page"

    def structured_graph(self, request, site_settings, description: str, logo_url: str) -> list:
        """The home page describes the publication itself: who publishes it, and its search."""
        return [
            ld.organization(site_settings, request, logo_url),
            ld.website(settings.WAGTAIL_SITE_NAME, description, request, reverse("search")),
        ]

    def latest_issue(self) -> IssuePage | None:
        issues = public_only(IssuePage.objects.live().descendant_of(self))
        return issues.newest_first().first()

    def latest_insights(self, limit: int = 6) -> list[InsightArticlePage]:
        return list(InsightArticlePage.objects.descendant_of(self).for_listing()[:limit])

    def video(self) -> VideoPage | None:
        videos = public_only(VideoPage.objects.live().for_blocks())
        chosen = self.featured_video
        if chosen is not None and chosen.live:
            return videos.filter(pk=chosen.pk).first()
        return videos.descendant_of(self).order_by("-date", "-pk").first()

    def open_question(self) -> QuestionPage | None:
        today = timezone.localdate()
        return (
            public_only(QuestionPage.objects.live())
            .descendant_of(self)
            .filter(models.Q(closing_date__isnull=True) | models.Q(closing_date__gte=today))
            .select_related("prompted_by")
            .order_by("-date", "-pk")
            .first()
        )

    def fragment_context(self, request) -> dict:
        # Only the content fragment shows these: a fragment cache hit skips the queries.
        context = {
            "latest_issue": self.latest_issue(),
            "latest_insights": self.latest_insights(),
            "featured_video": self.video(),
            "open_question": self.open_question(),
        }
        question = context["open_question"]
        # The question leaves the home page when its closing day ends.
        cache_until(request, question.closes_at() if question is not None else None)
        return context

    def fragment_tags(self) -> list[str]:
        # Every page below changes the home page's own tag (ancestors are
        # cleared with it): the page's tag says it all.
        return []
