"""Build a large, realistic site for benchmarks: thousands of articles and issues.

Pages are inserted directly into the tree (computed paths, no revisions),
which is hundreds of times faster than publishing each one through the
editor's workflow and leaves the same rows readers' pages query.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm
from wagtail.models import Locale, Page, Revision
from wagtail.signal_handlers import disable_reference_index_auto_update

from home.blocks.raw import list_items as items
from home.blocks.raw import stream
from home.bulk import words
from home.sample_content.images import get_or_create_image
from insights.models import ArticleAuthor, Author, InsightArticlePage, InsightsIndexPage, Topic
from issues.models import (
    IssueIndexPage,
    IssuePage,
    QuestionIndexPage,
    QuestionPage,
    VideoIndexPage,
    VideoPage,
)

BATCH = 500


class TreeAppender:
    """Append children to one parent without a query per child for the path."""

    def __init__(self, parent: Page):
        self.parent = Page.objects.get(pk=parent.pk)
        last = self.parent.get_last_child()
        self.next_step = (Page._str2int(last.path[-Page.steplen :]) + 1) if last else 1
        self.added: list[Page] = []

    def add(self, page: Page) -> Page:
        """Save ``page`` as the parent's next child, live; its revision comes at ``finish``."""
        page.depth = self.parent.depth + 1
        page.path = Page._get_path(self.parent.path, page.depth, self.next_step)
        page.numchild = 0
        page.url_path = f"{self.parent.url_path}{page.slug}/"
        page.live = True
        page.first_published_at = page.last_published_at = timezone.now()
        page.save(clean=False)
        self.next_step += 1
        self.added.append(page)
        return page

    def finish(self) -> None:
        Page.objects.filter(pk=self.parent.pk).update(
            numchild=self.parent.numchild + len(self.added)
        )
        publish_revisions(self.added)


def publish_revisions(pages: list[Page]) -> None:
    """Give each page the live revision every published page has.

    Pages are cached in parts per live revision (page and feed fragments), so a
    generated page without one would be measured rendering in full where a
    published one would not. Made once the page's bylines and topics are
    saved, so the revision holds them; in batches, not ``save_revision()``
    per page.
    """
    now = timezone.now()
    base = ContentType.objects.get_for_model(Page)
    revisions = [
        Revision(
            content_type=ContentType.objects.get_for_model(page),
            base_content_type=base,
            object_id=str(page.pk),
            object_str=page.title,
            content=page.serializable_data(),
            created_at=now,
        )
        for page in pages
    ]
    Revision.objects.bulk_create(revisions, batch_size=BATCH)
    for page, revision in zip(pages, revisions, strict=True):
        page.live_revision = page.latest_revision = revision
    Page.objects.bulk_update(
        [
            Page(pk=page.pk, live_revision=page.live_revision, latest_revision=page.latest_revision)
            for page in pages
        ],
        ["live_revision", "latest_revision"],
        batch_size=BATCH,
    )


class Command(BaseCommand):
    help = "Add many generated articles, issues, videos and questions (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000)
        parser.add_argument("--issues", type=int, default=50)
        parser.add_argument("--authors", type=int, default=200)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bars.")

    def handle(self, *args, **options):
        for name in ("articles", "issues", "authors"):
            if options[name] < 0:
                raise CommandError(f"--{name} cannot be negative.")
        self.random = random.Random(options["seed"])
        self.quiet = options["no_progress"] or options["verbosity"] == 0
        self.token = uuid.uuid4().hex[:6]
        if not InsightsIndexPage.objects.exists():
            call_command("load_sample_content", "--no-admin", verbosity=0)
        self.images = self.make_images()
        self.topics = list(Topic.objects.filter(locale__language_code=settings.LANGUAGE_CODE))
        # Indexing page by page costs more with every page (the database
        # backends recompute the average title length over the whole index on
        # each save): index once, at the end, instead.
        backend = settings.WAGTAILSEARCH_BACKENDS["default"]
        auto_update = backend.get("AUTO_UPDATE", True)
        backend["AUTO_UPDATE"] = False
        try:
            with disable_reference_index_auto_update():
                authors = self.make_authors(options["authors"])
                articles = self.make_articles(options["articles"], authors)
                videos = self.make_videos(max(options["issues"] // 10, 1))
                questions = self.make_questions(max(options["issues"] // 10, 1), articles)
                self.make_issues(options["issues"], articles, videos, questions)
        finally:
            backend["AUTO_UPDATE"] = auto_update
        call_command("update_index", verbosity=0)
        if connection.vendor == "postgresql":
            # As autovacuum would soon after a load this size: planned on the
            # empty tables' statistics, a search probed the index once per page.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            f"Added {options['articles']} articles, {options['issues']} issues, "
            f"{len(videos)} videos, {len(questions)} questions, {len(authors)} authors. "
            "Run `manage.py rebuild_references_index` if editors will work on this site."
        )

    def progress(self, iterable, total: int, label: str):
        return tqdm(iterable, total=total, desc=label, unit="page", disable=self.quiet)

    def title(self) -> str:
        pick = self.random.choice
        return f"{pick(words.SUBJECTS)} {pick(words.VERBS)} {pick(words.OBJECTS)}"

    def paragraphs(self, count: int) -> str:
        return "".join(
            "<p>" + " ".join(self.random.sample(words.SENTENCES, 4)) + "</p>" for _ in range(count)
        )

    def make_images(self) -> list:
        return [
            get_or_create_image(
                f"Bulk image {n}", f"Focus {n}", f"Generated illustration {n}", size=(1200, 675)
            )[0]
            for n in range(12)
        ]

    def make_authors(self, count: int) -> list[Author]:
        # bulk_create skips the signal that gives a new row the default locale.
        english = Locale.get_default()
        new = []
        for n in range(count):
            name = f"{self.random.choice(words.FIRST_NAMES)} {self.random.choice(words.LAST_NAMES)}"
            new.append(
                Author(
                    name=name,
                    slug=f"{name.lower().replace(' ', '-')}-{self.token}-{n}",
                    affiliation=self.random.choice(words.AFFILIATIONS),
                    bio=f"{name} writes on the China-U.S. relationship.",
                    locale=english,
                )
            )
        Author.objects.bulk_create(new, batch_size=BATCH)
        return list(Author.objects.filter(slug__contains=f"-{self.token}-"))

    @transaction.atomic
    def make_articles(self, count: int, authors: list[Author]) -> list[InsightArticlePage]:
        index = InsightsIndexPage.objects.get(locale__language_code=settings.LANGUAGE_CODE)
        tree = TreeAppender(index)
        made = []
        start = timezone.localdate()
        for n in self.progress(range(count), count, "articles"):
            day = start - timedelta(days=n // 3)
            page = tree.add(
                InsightArticlePage(
                    title=self.title(),
                    slug=f"bulk-{self.token}-{n}",
                    date=day,
                    standfirst=" ".join(self.random.sample(words.SENTENCES, 2)),
                    kind=self.random.choice(["analysis", "opinion"]),
                    lead_image=self.random.choice(self.images),
                    body=stream(
                        ("paragraph", self.paragraphs(3)),
                        ("heading", {"text": "What comes next", "level": "h2"}),
                        ("paragraph", self.paragraphs(2)),
                    ),
                )
            )
            for order, author in enumerate(self.random.sample(authors, self.random.randint(1, 2))):
                ArticleAuthor.objects.create(
                    page=page, author=author, affiliation=author.affiliation, sort_order=order
                )
            page.topics.set(self.random.sample(self.topics, min(2, len(self.topics))))
            page.tags.add(self.random.choice(words.TAGS))
            made.append(page)
        tree.finish()
        return made

    @transaction.atomic
    def make_videos(self, count: int) -> list[VideoPage]:
        index = VideoIndexPage.objects.get(locale__language_code=settings.LANGUAGE_CODE)
        template = VideoPage.objects.first()
        tree = TreeAppender(index)
        made = []
        for n in self.progress(range(count), count, "videos"):
            page = tree.add(
                VideoPage(
                    title=f"{self.title()} | Guest {n}",
                    slug=f"bulk-video-{self.token}-{n}",
                    series=template.series if template else None,
                    guests=f"Guest {n}",
                    provider="youtube",
                    video_id=f"bulk{n:07d}",
                    poster=self.random.choice(self.images),
                    duration_seconds=600 + n,
                    description=" ".join(self.random.sample(words.SENTENCES, 2)),
                    date=timezone.localdate() - timedelta(weeks=n),
                )
            )
            made.append(page)
        tree.finish()
        return made

    @transaction.atomic
    def make_questions(self, count: int, articles: list) -> list[QuestionPage]:
        # The English edition's: each edition has its own section indexes.
        index = QuestionIndexPage.objects.get(locale__language_code=settings.LANGUAGE_CODE)
        tree = TreeAppender(index)
        made = []
        for n in self.progress(range(count), count, "questions"):
            page = tree.add(
                QuestionPage(
                    title=f"Question {n}: {self.title()}",
                    slug=f"bulk-question-{self.token}-{n}",
                    question=f"How should readers weigh {self.random.choice(words.OBJECTS)}?",
                    context=self.paragraphs(1),
                    prompted_by=self.random.choice(articles) if articles else None,
                    date=timezone.localdate() - timedelta(weeks=n),
                )
            )
            made.append(page)
        tree.finish()
        return made

    @transaction.atomic
    def make_issues(self, count: int, articles: list, videos: list, questions: list) -> None:
        index = IssueIndexPage.objects.get(locale__language_code=settings.LANGUAGE_CODE)
        tree = TreeAppender(index)
        earliest = (
            IssuePage.objects.child_of(index)
            .order_by("issue_date")
            .values_list("issue_date", flat=True)
        )
        day = (earliest.first() or date.today()) - timedelta(weeks=1)
        for _ in self.progress(range(count), count, "issues"):
            cited = self.random.sample(articles, 3) if len(articles) >= 3 else articles
            blocks: list[tuple[str, object]] = [
                ("pull_quote", {"quote": self.random.choice(words.SENTENCES)})
            ]
            if cited:
                blocks.append(
                    (
                        "chart_callout",
                        {
                            "headline": "U.S. federal debt, trillions of dollars",
                            "data": items(
                                [
                                    {"label": str(2020 + i), "value": str(27 + i * 2)}
                                    for i in range(5)
                                ]
                            ),
                            "source_note": "Source: U.S. Treasury",
                            "article": cited[0].pk,
                        },
                    )
                )
                blocks.append(
                    (
                        "related_links",
                        {
                            "heading": "Latest Focus content",
                            "links": items([{"page": a.pk} for a in cited]),
                        },
                    )
                )
            blocks.append(
                (
                    "video_feature",
                    {
                        "video": self.random.choice(videos).pk,
                        "blurb": "Watch.",
                        "cta_label": "Watch Video",
                    },
                )
            )
            blocks.append(("question_of_the_week", {"question": self.random.choice(questions).pk}))
            tree.add(
                IssuePage(
                    title=f"Focus This Week, {day:%-d %B %Y}",
                    slug=day.isoformat(),
                    issue_date=day,
                    greeting="Dear Focus reader,",
                    letter=self.paragraphs(2),
                    sign_off="Team Focus",
                    body=stream(*blocks),
                )
            )
            day -= timedelta(weeks=1)
        tree.finish()
