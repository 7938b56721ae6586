"""Builders for test data: a site tree and each content type, small and explicit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page, Site

# Re-exported: tests build stored stream data through this module.
from home.blocks.raw import list_items as list_items
from home.blocks.raw import stream as stream
from home.models import HomePage
from insights.models import ArticleAuthor, Author, InsightArticlePage, InsightsIndexPage, Topic
from issues.models import (
    IssueIndexPage,
    IssuePage,
    QuestionIndexPage,
    QuestionPage,
    QuestionResponse,
    ResponseStatus,
    VideoIndexPage,
    VideoPage,
    VideoSeries,
)


@dataclass
class SiteTree:
    home: HomePage
    issues: IssueIndexPage
    insights: InsightsIndexPage
    videos: VideoIndexPage
    questions: QuestionIndexPage


def make_image(title: str = "Test image", size=(64, 36), description: str = "A test image"):
    buffer = BytesIO()
    PILImage.new("RGB", size, (120, 30, 30)).save(buffer, format="PNG")
    image = get_image_model()(title=title, description=description)
    image.file = ImageFile(BytesIO(buffer.getvalue()), name=f"{uuid.uuid4().hex[:8]}.png")
    image.save()
    return image


def publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def build_site() -> SiteTree:
    """Home page as the default site's root, with the four section indexes."""
    root = Page.get_first_root_node()
    home = HomePage(title="Focus", slug="focus-home")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "testserver", "port": 80, "root_page": home, "site_name": "Focus"},
    )
    return SiteTree(
        home=home,
        issues=publish(
            home, IssueIndexPage(title="Focus This Week", slug="this-week", show_in_menus=True)
        ),
        insights=publish(
            home, InsightsIndexPage(title="Focus Insights", slug="insights", show_in_menus=True)
        ),
        videos=publish(home, VideoIndexPage(title="Videos", slug="videos", show_in_menus=True)),
        questions=publish(
            home,
            QuestionIndexPage(title="Question of the Week", slug="questions", show_in_menus=True),
        ),
    )


def make_topic(name: str = "Foreign Policy", slug: str | None = None) -> Topic:
    return Topic.objects.create(name=name, slug=slug or name.lower().replace(" ", "-"))


def make_author(name: str = "Sajjad Ashraf", affiliation: str = "Independent Scholar") -> Author:
    slug = name.lower().replace(" ", "-").replace(".", "")
    return Author.objects.create(name=name, slug=slug, affiliation=affiliation)


def make_article(
    index: InsightsIndexPage,
    title: str = "Is the American Empire Following a Historic Life Cycle?",
    authors: list[Author] | None = None,
    topics: list[Topic] | None = None,
    body: str | None = None,
    day: date = date(2026, 2, 3),
    slug: str | None = None,
    **fields,
) -> InsightArticlePage:
    page = InsightArticlePage(
        title=title,
        slug=slug or f"article-{uuid.uuid4().hex[:8]}",
        date=day,
        standfirst=fields.pop("standfirst", "A standfirst for the test article."),
        body=body or stream(("paragraph", "<p>Article body text.</p>")),
        **fields,
    )
    page.article_authors = [ArticleAuthor(author=author) for author in (authors or [])]
    page.topics = topics or []
    return publish(index, page)


def make_video(index: VideoIndexPage, title="Perceptions of China are changing | The Fung Bros"):
    series, _ = VideoSeries.objects.get_or_create(
        slug="china-current", defaults={"name": "China Current", "host": "James Chau"}
    )
    return publish(
        index,
        VideoPage(
            title=title,
            slug=f"video-{uuid.uuid4().hex[:8]}",
            series=series,
            guests="Andrew Fung (The Fung Bros)",
            provider="youtube",
            video_id="sampleFung1",
            poster=make_image("Poster"),
            duration_seconds=912,
            description="From culture to tech, American perceptions of China are evolving.",
        ),
    )


def make_question(index: QuestionIndexPage, prompted_by=None, **fields) -> QuestionPage:
    return publish(
        index,
        QuestionPage(
            title=fields.pop("title", "Middle powers and China"),
            slug=fields.pop("slug", f"question-{uuid.uuid4().hex[:8]}"),
            question=fields.pop(
                "question", "How should middle powers navigate relations with China?"
            ),
            context="<p>Context for the question.</p>",
            prompted_by=prompted_by,
            **fields,
        ),
    )


def make_issue(index: IssueIndexPage, day: date = date(2026, 2, 6), body: str = "", **fields):
    return publish(
        index,
        IssuePage(
            title=fields.pop("title", f"Issue of {day.isoformat()}"),
            slug=day.isoformat(),
            issue_date=day,
            letter=fields.pop("letter", "<p>This week in the relationship.</p>"),
            body=body or "[]",
            **fields,
        ),
    )


def make_response(question, name="Ana Costa", status=ResponseStatus.PENDING, **fields):
    """A stored reader answer, as the form would leave it."""
    text = fields.pop("response", f"{name}'s answer.")
    return QuestionResponse.objects.create(
        question=question,
        name=name,
        email=fields.pop("email", f"{name.split()[0].lower()}@example.org"),
        affiliation=fields.pop("affiliation", "Lisbon"),
        response=text,
        original_response=text,
        consent_to_publish=True,
        status=status,
        submission_token=uuid.uuid4(),
        **fields,
    )


def translate_page(page: Page, code: str, **fields) -> Page:
    """A published translation of ``page`` into edition ``code`` (parents translated as needed).

    Made as Wagtail's copy_for_translation makes it (what wagtail-localize
    builds on), with ``fields`` as the translated text.
    """
    from wagtail.models import Locale

    locale = Locale.objects.get(language_code=code)
    # Parents first, as real pages: copy_parents would make them aliases.
    for ancestor in page.get_ancestors().filter(depth__gt=1):
        if not ancestor.has_translation(locale):
            copy = ancestor.specific.copy_for_translation(locale)
            copy.save_revision().publish()
    translation = page.specific.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    translation.refresh_from_db()
    return translation


def translate_snippet(obj, code: str, **fields):
    from wagtail.models import Locale

    translation = obj.copy_for_translation(Locale.objects.get(language_code=code))
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save()
    return translation


def breadcrumbs(response) -> str:
    """The breadcrumb trail of a rendered page, as HTML."""
    return response.content.decode().split('<nav class="breadcrumbs"', 1)[1].split("</nav>")[0]
