"""Readers' answers to the Question of the Week, and their moderation."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from home.caching.invalidation import tags_for_change
from home.caching.signals import content_changed

NAME_MAX_LENGTH = 120
AFFILIATION_MAX_LENGTH = 160
RESPONSE_MAX_LENGTH = 3000


class ResponseStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    FEATURED = "featured", "Featured"
    REJECTED = "rejected", "Rejected"


class QuestionResponseQuerySet(models.QuerySet):
    def pending(self) -> QuestionResponseQuerySet:
        return self.filter(status=ResponseStatus.PENDING)

    def featured(self) -> QuestionResponseQuerySet:
        """What readers may see, oldest answer first (the order they came in)."""
        return self.filter(status=ResponseStatus.FEATURED).order_by("submitted_at", "pk")

    def moderate(self, status: str) -> int:
        """Give every response here this status; the one way moderation changes rows.

        One UPDATE, then the pages showing these answers (their questions, the
        issues featuring them, the feeds) leave the page cache and the CDN.
        Returns how many responses changed.
        """
        if status not in ResponseStatus.values:
            raise ValueError(f"Unknown response status: {status!r}")
        with transaction.atomic():
            rows = list(
                self.exclude(status=status).values_list("pk", "question_id", "featured_in_id")
            )
            if not rows:
                return 0
            count = self.model.objects.filter(pk__in=[pk for pk, _q, _i in rows]).update(
                status=status, moderated_at=timezone.now()
            )
            responses_changed(
                {question for _pk, question, _issue in rows},
                {issue for _pk, _question, issue in rows},
            )
        return count


class QuestionResponse(models.Model):
    """One reader's answer, as sent and as an editor may have trimmed it."""

    question = models.ForeignKey(
        "issues.QuestionPage", on_delete=models.CASCADE, related_name="responses"
    )
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    email = models.EmailField()
    affiliation = models.CharField(
        "Affiliation or city", max_length=AFFILIATION_MAX_LENGTH, blank=True
    )
    response = models.TextField(
        max_length=RESPONSE_MAX_LENGTH,
        help_text="What is published. Trim it if needed; the original is kept.",
    )
    # Kept verbatim so an edited answer can always be checked against what the reader sent.
    original_response = models.TextField(editable=False)
    consent_to_publish = models.BooleanField(default=False, editable=False)
    status = models.CharField(
        max_length=12,
        choices=ResponseStatus.choices,
        default=ResponseStatus.PENDING,
        db_index=True,
    )
    submitted_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)
    moderation_notes = models.TextField(
        blank=True, help_text="For editors only: never shown to readers."
    )
    featured_in = models.ForeignKey(
        "issues.IssuePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="featured_responses",
        help_text="The issue that published this answer.",
    )
    # Set when editors were emailed about it; the digest picks up the rest.
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # One per rendered form: a replayed or double-clicked POST finds its row
    # instead of adding a second one.
    submission_token = models.UUIDField(unique=True, editable=False)

    objects = QuestionResponseQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("featured_in"), FieldPanel("moderation_notes")],
            heading="Moderation",
        ),
        MultiFieldPanel(
            [
                FieldPanel("question", read_only=True),
                FieldPanel("name"),
                FieldPanel("affiliation"),
                FieldPanel("email", read_only=True),
                FieldPanel("response"),
            ],
            heading="Answer",
        ),
    ]

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["question", "status"], name="response_question_status")]
        verbose_name = "reader response"
        verbose_name_plural = "reader responses"

    def __str__(self) -> str:
        return f"{self.name}: {self.response[:60]}"

    def save(self, *args, **kwargs):
        # A status change from any view (edit form, bulk action) dates the decision.
        if self.pk and self.status != getattr(self, "_loaded_status", self.status):
            self.moderated_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "moderated_at"}
        super().save(*args, **kwargs)
        self._loaded_status = self.status

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    @property
    def byline(self) -> str:
        return f"{self.name}, {self.affiliation}" if self.affiliation else self.name

    @property
    def was_edited(self) -> bool:
        return self.response.strip() != self.original_response.strip()


def responses_changed(question_ids: Iterable[int], issue_ids: Iterable[int] = ()) -> None:
    """Readers' answers were moderated: clear the questions, the issues featuring them, feeds."""
    # The question model is defined beside this one, which it imports.
    questions = QuestionResponse._meta.get_field("question").related_model
    tags: set[str] = set()
    for question in questions.objects.filter(pk__in=set(question_ids)):
        tags |= tags_for_change(question)
    tags |= {f"wagtailcore.page:{pk}" for pk in issue_ids if pk is not None}
    if tags:
        content_changed(tags)
