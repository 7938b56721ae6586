"""The weekly newsletter: its archive and each issue."""

from __future__ import annotations

from itertools import groupby

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponse
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager, PageQuerySet
from wagtail.search import index

from home.caching.fragments import FragmentCachedPageMixin
from home.panels import PublishingChecksPanel
from home.privacy import public_only
from issues.blocks import IssueStreamBlock
from issues.forms import LETTER_MISSING, IssuePageForm, has_text


class IssueQuerySet(PageQuerySet):
    def newest_first(self) -> IssueQuerySet:
        return self.order_by("-issue_date", "-pk")


IssueManager = PageManager.from_queryset(IssueQuerySet)


class IssueIndexPage(Page):
    """/this-week/: the archive of every issue, newest first, by year."""

    intro = models.TextField(
        blank=True,
        max_length=600,
        default="A community space to discuss the China-U.S. relationship and beyond.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["issues.IssuePage"]
    max_count = 1

    class Meta:
        verbose_name = "Issue archive"

    def issues(self) -> IssueQuerySet:
        return (
            public_only(IssuePage.objects.child_of(self).live())
            .only("id", "title", "slug", "url_path", "issue_date", "issue_number", "summary")
            .newest_first()
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        by_year = [
            (year, list(items))
            for year, items in groupby(self.issues(), key=lambda issue: issue.issue_date.year)
        ]
        context["issues_by_year"] = by_year
        return context


class IssuePage(FragmentCachedPageMixin, Page):
    """One weekly issue: a dated letter to readers followed by its blocks."""

    issue_date = models.DateField(
        default=timezone.localdate,
        help_text="The issue's date; it becomes the address, e.g. /this-week/2026-02-06/.",
    )
    issue_number = models.PositiveIntegerField(
        null=True, blank=True, help_text="Optional running number of the issue."
    )
    summary = models.TextField(
        blank=True,
        max_length=400,
        help_text="One or two sentences for listings, feeds and search results.",
    )
    greeting = models.CharField(
        max_length=120, default="Dear Focus reader,", help_text="The letter's salutation."
    )
    letter = RichTextField(
        features=["bold", "italic", "link", "ol", "ul"],
        help_text="The editor's letter: the week in a few paragraphs.",
    )
    sign_off = models.CharField(
        max_length=120, default="Team Focus", help_text="Who signs the letter, e.g. Team Focus."
    )
    body = StreamField(IssueStreamBlock(), blank=True)

    objects = IssueManager()
    # Refuses to publish an issue without its date and letter.
    base_form_class = IssuePageForm

    content_panels = [
        PublishingChecksPanel(),
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("issue_date"), FieldPanel("issue_number"), FieldPanel("summary")],
            heading="Issue",
        ),
        MultiFieldPanel(
            [FieldPanel("greeting"), FieldPanel("letter"), FieldPanel("sign_off")],
            heading="Letter",
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("letter"),
        index.SearchField("body"),
        index.FilterField("issue_date"),
    ]
    parent_page_types = ["issues.IssueIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "Weekly issue"
        # One issue per date in each edition: its translations share the date.
        # The locale lives on Wagtail's page table, so the database cannot pair
        # them; clean() checks, and the slug (the date) is unique among siblings.
        indexes = [models.Index(fields=["issue_date"], name="issue_date_idx")]

    def full_clean(self, *args, **kwargs):
        # The address is the date; an editor never types it.
        if self.issue_date:
            self.slug = self.issue_date.isoformat()
        super().full_clean(*args, **kwargs)

    def clean(self):
        # Checked before Wagtail's slug check, so the editor sees it on the date field.
        if self.issue_date:
            clash = IssuePage.objects.filter(
                issue_date=self.issue_date, locale_id=self.locale_id
            ).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError(
                    {"issue_date": f"There is already an issue dated {self.issue_date:%-d %B %Y}."}
                )
        super().clean()

    def publishing_rules(self) -> list[tuple[str, str]]:
        """(field, message) for each page-level rule publishing would refuse.

        The blocks carry their own rules; ``home.publishing`` runs both.
        """
        if not has_text(self.letter):
            return [("letter", LETTER_MISSING)]
        return []

    def save(self, *args, **kwargs):
        if self.issue_date:
            self.slug = self.issue_date.isoformat()
        super().save(*args, **kwargs)

    # Editors check the email edition, and its plain-text part, before it goes out.
    @property
    def preview_modes(self) -> list[tuple[str, str]]:
        return [("", "Web page"), ("email", "Email"), ("text", "Email, plain text")]

    def serve_preview(self, request, mode_name):
        if mode_name not in ("email", "text"):
            return super().serve_preview(request, mode_name)
        from issues.newsletter.render import render_issue

        rendered = render_issue(self)
        if mode_name == "email":
            return HttpResponse(rendered.html, content_type="text/html; charset=utf-8")
        return HttpResponse(rendered.text, content_type="text/plain; charset=utf-8")

    def neighbours(self) -> tuple[IssuePage | None, IssuePage | None]:
        """The previous and next live issues, in one query."""
        cached = getattr(self, "_neighbours", None)
        if cached is not None:
            return cached
        siblings = IssuePage.objects.live().sibling_of(self, inclusive=False)
        older = siblings.filter(issue_date__lt=self.issue_date).newest_first()[:1]
        newer = siblings.filter(issue_date__gt=self.issue_date).order_by("issue_date", "pk")[:1]
        pair = IssuePage.objects.filter(
            models.Q(pk__in=older.values("pk")) | models.Q(pk__in=newer.values("pk"))
        ).only("id", "title", "url_path", "issue_date")
        previous = next_ = None
        for issue in pair:
            if issue.issue_date < self.issue_date:
                previous = issue
            else:
                next_ = issue
        self._neighbours = (previous, next_)
        return self._neighbours

    def previous_issue(self) -> IssuePage | None:
        return self.neighbours()[0]

    def next_issue(self) -> IssuePage | None:
        return self.neighbours()[1]
