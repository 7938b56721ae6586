"""The Question of the Week: the listing and each question."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, PageManager, PageQuerySet
from wagtail.search import index

from home.blocks import live_or_none
from home.caching import cache_until
from home.editions import localize_pages
from home.page_types import ResultType
from home.pagination import paginate
from home.privacy import public_only
from home.routing import OwnAddressMixin
from home.traditional_drafts import ReviewGatedPublishing
from issues.responses.views import serve_question

from .responses import QuestionResponse


class QuestionQuerySet(PageQuerySet):
    def for_blocks(self) -> QuestionQuerySet:
        """A question as the Question of the Week block shows it, with its article."""
        return self.select_related("prompted_by")

    def loaded_for_blocks(self, questions) -> None:
        """Questions the page pool loaded together look up their articles together."""
        batch = PromptingArticles(questions)
        for question in questions:
            question.prompting_articles = batch

    def for_response_blocks(self) -> QuestionQuerySet:
        """A question as the reader-responses block shows it: with featured answers."""
        return self.for_blocks().prefetch_related(
            Prefetch(
                "responses",
                queryset=QuestionResponse.objects.featured(),
                to_attr="prefetched_featured_responses",
            )
        )


QuestionManager = PageManager.from_queryset(QuestionQuerySet)


class PromptingArticles:
    """The articles that prompted questions loaded together, looked up together.

    A translated question shows the article behind it in its own edition,
    where translated: one query for every question of the batch, made when
    the first of them is asked (a feed of twenty issues pays one, not twenty;
    a page that never shows the article pays none).
    """

    def __init__(self, questions):
        self.questions = list(questions)
        self.found: dict | None = None

    def article_for(self, question):
        if self.found is None:
            self.found = {}
            by_edition: dict[int, list] = {}
            for member in self.questions:
                by_edition.setdefault(member.locale_id, []).append(member)
            for locale_id, group in by_edition.items():
                articles = localize_pages([member.prompted_by for member in group], locale_id)
                for member, article in zip(group, articles, strict=True):
                    self.found[member.pk] = live_or_none(article)
        return self.found[question.pk]


class QuestionIndexPage(OwnAddressMixin, ReviewGatedPublishing, Page):
    """/questions/: every question, the open ones first."""

    intro = models.TextField(blank=True, max_length=600)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["issues.QuestionPage"]
    max_count = 1

    class Meta:
        verbose_name = "Question index page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        questions = (
            public_only(QuestionPage.objects.child_of(self).live())
            .select_related("prompted_by")
            .order_by("-date", "-pk")
        )
        context["questions"] = paginate(request, questions)
        # Each listed question shows "Open" until its closing day ends.
        for question in context["questions"]:
            cache_until(request, question.closes_at())
        return context


class QuestionPage(OwnAddressMixin, ReviewGatedPublishing, Page):
    """One Question of the Week, the article behind it, and how to answer."""

    question = models.TextField(max_length=400, help_text="The question itself, as readers see it.")
    # Indexed: listings and feeds sort by it.
    date = models.DateField("Publication date", default=timezone.localdate, db_index=True)
    context = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        help_text="Why we ask: e.g. the article that raised it.",
    )
    prompted_by = models.ForeignKey(
        "insights.InsightArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The Insights article that prompted the question.",
    )
    closing_date = models.DateField(
        null=True, blank=True, help_text="Last day to answer. Empty: open until closed."
    )
    how_to_respond = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        help_text="e.g. Submit your thoughts for a chance to be featured in next week's issue.",
    )

    objects = QuestionManager()

    content_panels = [
        *Page.content_panels,
        FieldPanel("question"),
        FieldPanel("context"),
        FieldPanel("prompted_by"),
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("closing_date"), FieldPanel("how_to_respond")],
            heading="Responses",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("question"),
        index.SearchField("context"),
        index.FilterField("date"),
    ]
    parent_page_types = ["issues.QuestionIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "Question page"

    # What site search asks of a page type (docs/architecture.md).
    search_result = ResultType(
        "question",
        pgettext_lazy("search result type", "Question of the Week"),
        pgettext_lazy("search result type", "Questions of the Week"),
        date_field="date",
        order=4,
    )

    def summary_text(self) -> str:
        return self.question

    @property
    def is_open(self) -> bool:
        return self.closing_date is None or self.closing_date >= timezone.localdate()

    def closes_at(self) -> float | None:
        """When an open question turns closed (the end of its closing day), as a Unix time."""
        if not self.is_open or self.closing_date is None:
            return None
        next_day = datetime.combine(self.closing_date + timedelta(days=1), time.min)
        return timezone.make_aware(next_day).timestamp()

    @cached_property
    def prompted_by_live(self):
        """The article behind the question, in the question's edition where
        translated, if readers can reach it."""
        batch = getattr(self, "prompting_articles", None) or PromptingArticles([self])
        return batch.article_for(self)

    def featured_responses(self) -> list[QuestionResponse]:
        """Answers editors chose to publish (loaded in bulk by ``for_response_blocks()``)."""
        prefetched = getattr(self, "prefetched_featured_responses", None)
        if prefetched is not None:
            return prefetched
        return list(QuestionResponse.objects.filter(question=self).featured())

    def serve(self, request, *args, **kwargs):
        return serve_question(self, request)
