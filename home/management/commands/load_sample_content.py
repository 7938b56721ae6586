"""Build the sample site: page tree, the 2026-02-06 issue and its surroundings.

Safe to run again: what exists (found by slug, name or title) is left as it is.
"""

from __future__ import annotations

import os
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Locale, Page, Site

from home.blocks.raw import list_items, stream
from home.models import HomePage, SiteSettings
from home.sample_content import data
from home.sample_content.editions import translate
from home.sample_content.images import get_or_create_image
from home.sample_content.responses import (
    EARLIER_QUESTION_RESPONSES,
    OPEN_QUESTION_RESPONSES,
    ensure_responses,
)
from insights.models import ArticleAuthor, Author, InsightArticlePage, InsightsIndexPage, Topic
from issues.models import (
    IssueIndexPage,
    IssuePage,
    QuestionIndexPage,
    QuestionPage,
    VideoIndexPage,
    VideoPage,
    VideoSeries,
)

ADMIN_USERNAME = "admin"
DEFAULT_ADMIN_PASSWORD = "focus-admin"
ADMIN_EMAIL = "admin@focus.example"


def paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


class Command(BaseCommand):
    help = "Load Focus's sample content (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-admin", action="store_true", help="Do not create the local admin account."
        )

    def step(self, message: str) -> None:
        self.stdout.write(f"  {message}")

    def ensure_page(self, parent: Page, model, slug: str, **fields):
        existing = model.objects.child_of(parent).filter(slug=slug).first()
        if existing is not None:
            return existing, False
        children = fields.pop("_children", {})
        page = model(slug=slug, **fields)
        for name, values in children.items():
            setattr(page, name, values)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page, True

    def admin_password(self) -> str | None:
        """The new admin's password, or None when the account exists already.

        The known sample password is for a local DEBUG site only: anywhere else
        a superuser with a published password is an open door, so the password
        must come from FOCUS_ADMIN_PASSWORD and pass the password validators.
        """
        if get_user_model().objects.filter(username=ADMIN_USERNAME).exists():
            return None
        password = os.environ.get("FOCUS_ADMIN_PASSWORD", "")
        if settings.DEBUG:
            return password or DEFAULT_ADMIN_PASSWORD
        if not password:
            raise CommandError(
                f"DEBUG is off, so the '{ADMIN_USERNAME}' account is not created with the "
                "sample password. Set FOCUS_ADMIN_PASSWORD to its password, or pass --no-admin."
            )
        if password == DEFAULT_ADMIN_PASSWORD:
            raise CommandError(
                "FOCUS_ADMIN_PASSWORD is the published sample password: choose another."
            )
        try:
            validate_password(
                password, user=get_user_model()(username=ADMIN_USERNAME, email=ADMIN_EMAIL)
            )
        except ValidationError as error:
            raise CommandError(
                "FOCUS_ADMIN_PASSWORD is too weak: " + " ".join(error.messages)
            ) from None
        return password

    @transaction.atomic
    def handle(self, *args, **options):
        # Checked first, so a refusal leaves the database as it was.
        password = None if options["no_admin"] else self.admin_password()
        self.stdout.write("Loading Focus sample content")
        home = self.build_tree()
        topics = self.build_topics()
        authors = self.build_authors()
        articles = self.build_articles(home, topics, authors)
        videos = self.build_videos(home)
        questions = self.build_questions(home, articles)
        self.build_issues(home, articles, videos, questions)
        self.build_responses(questions)
        self.build_editions(home, topics, authors, articles, videos, questions)
        # Groups and the approval workflow hang on the section pages built above.
        call_command("setup_editorial_roles", stdout=self.stdout)
        if not options["no_admin"]:
            self.build_admin(password)
        self.stdout.write(self.style.SUCCESS("Sample content ready."))

    def build_tree(self) -> HomePage:
        root = Page.get_first_root_node()
        # The English home: the Chinese editions' homes are its translations.
        home = HomePage.objects.filter(locale=Locale.get_default()).first()
        created = home is None
        if created:
            home = HomePage(
                title="Focus",
                slug="focus",
                seo_title="Focus — Focus This Week and Focus Insights",
                intro="Focus This Week, the weekly newsletter on the China-U.S. relationship, "
                "and Focus Insights, analysis from contributors in both countries.",
            )
            root.add_child(instance=home)
            home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            site = Site.objects.create(
                hostname="localhost", port=80, root_page=home, is_default_site=True
            )
        if site.root_page_id != home.pk:
            previous = site.root_page
            site.root_page = home
            site.site_name = "Focus"
            site.save()
            # Wagtail's placeholder welcome page is replaced, never anything real.
            if type(previous.specific) is Page and previous.is_leaf():
                previous.delete()
        SiteSettings.for_site(site)
        sections = [
            (IssueIndexPage, "this-week", "Focus This Week"),
            (InsightsIndexPage, "insights", "Focus Insights"),
            (VideoIndexPage, "videos", "Videos"),
            (QuestionIndexPage, "questions", "Question of the Week"),
        ]
        made = 0
        for model, slug, title in sections:
            _, new = self.ensure_page(home, model, slug, title=title, show_in_menus=True)
            made += new
        self.step(f"page tree: home {'created' if created else 'kept'}, {made} sections created")
        return home

    def build_topics(self) -> dict[str, Topic]:
        topics, made = {}, 0
        for name, slug, description in data.TOPICS:
            topic, new = Topic.objects.get_or_create(
                slug=slug,
                locale=Locale.get_default(),
                defaults={"name": name, "description": description},
            )
            topics[slug] = topic
            made += new
        self.step(f"topics: {len(topics)} ({made} new)")
        return topics

    def build_authors(self) -> dict[str, Author]:
        authors, made = {}, 0
        for name, affiliation in data.AUTHORS:
            slug = slugify(name)
            author = Author.objects.filter(slug=slug, locale=Locale.get_default()).first()
            if author is None:
                initials = "".join(part[0] for part in name.replace(".", "").split()[:2])
                photo, _ = get_or_create_image(
                    f"Portrait placeholder: {name}",
                    initials,
                    f"Placeholder portrait of {name}",
                    size=(400, 400),
                )
                author = Author.objects.create(
                    name=name,
                    slug=slug,
                    affiliation=affiliation,
                    bio=f"<p>{name} writes for Focus Insights. Sample biography.</p>",
                    photo=photo,
                )
                made += 1
            authors[name] = author
        self.step(f"authors: {len(authors)} ({made} new)")
        return authors

    def build_articles(self, home, topics, authors) -> dict[str, InsightArticlePage]:
        index = InsightsIndexPage.objects.child_of(home).get()
        if not index.intro:
            index.intro = "Analysis and opinion on the China-U.S. relationship."
            index.save_revision().publish()
        articles, made = {}, 0
        for title, slug, names, topic_slugs, tags, day, kind, standfirst, texts in data.ARTICLES:
            image, _ = get_or_create_image(
                f"Lead image: {title}", title.split(":")[0], f"Illustration for {title}"
            )
            page, new = self.ensure_page(
                index,
                InsightArticlePage,
                slug,
                title=title,
                date=day,
                kind=kind,
                standfirst=standfirst,
                lead_image=image,
                lead_image_caption="Sample illustration.",
                lead_image_credit="Illustration: Focus",
                body=stream(("paragraph", data.SAMPLE_NOTE + paragraphs(texts))),
                _children={
                    "article_authors": [
                        ArticleAuthor(author=authors[name], affiliation=authors[name].affiliation)
                        for name in names
                    ],
                    "topics": [topics[topic] for topic in topic_slugs],
                },
            )
            if new:
                page.tags.add(*tags)
                page.save_revision().publish()
            articles[title] = page
            made += new
        self.step(f"articles: {len(articles)} ({made} new)")
        return articles

    def build_videos(self, home) -> dict[str, VideoPage]:
        index = VideoIndexPage.objects.child_of(home).get()
        series, _ = VideoSeries.objects.get_or_create(
            slug=data.VIDEO_SERIES["slug"],
            locale=Locale.get_default(),
            defaults={key: value for key, value in data.VIDEO_SERIES.items() if key != "slug"},
        )
        videos, made = {}, 0
        for number, (title, slug, guests, category, video_id, seconds, day, text) in enumerate(
            reversed(data.VIDEOS), start=1
        ):
            topic, _, guest = title.partition(" | ")
            poster, _ = get_or_create_image(
                f"Video poster: {title}", topic, f"Still from {title}", label=guest
            )
            page, new = self.ensure_page(
                index,
                VideoPage,
                slug,
                title=title,
                date=day,
                series=series,
                episode_number=number,
                category=category,
                guests=guests,
                provider="youtube",
                video_id=video_id,
                poster=poster,
                duration_seconds=seconds,
                description=text,
                transcript="<p>Sample transcript: the conversation is summarised here for "
                "readers who prefer text.</p>",
            )
            videos[title] = page
            made += new
        self.step(f"videos: {len(videos)} ({made} new)")
        return videos

    def build_questions(self, home, articles) -> dict[str, QuestionPage]:
        index = QuestionIndexPage.objects.child_of(home).get()
        questions, made = {}, 0
        for spec, prompted_by in (
            (data.QUESTION, articles[data.STARMER_TITLE]),
            (data.EARLIER_QUESTION, articles[data.WASHINGTON_TITLE]),
        ):
            page, new = self.ensure_page(
                index,
                QuestionPage,
                spec["slug"],
                title=spec["title"],
                question=spec["question"],
                date=spec["date"],
                closing_date=spec.get("closing_date"),
                context=spec["context"],
                how_to_respond=spec["how_to_respond"],
                prompted_by=prompted_by,
            )
            questions[spec["slug"]] = page
            made += new
        self.step(f"questions: {len(questions)} ({made} new)")
        return questions

    def build_issues(self, home, articles, videos, questions) -> None:
        index = IssueIndexPage.objects.child_of(home).get()
        empire = articles[data.EMPIRE_TITLE]
        starmer = articles[data.STARMER_TITLE]
        washington = articles[data.WASHINGTON_TITLE]
        fung = videos[data.VIDEOS[0][0]]
        question = questions[data.QUESTION["slug"]]
        chart = data.SEED_CHART
        letter = paragraphs(
            [
                *data.SEED_LETTER,
                data.SEED_LETTER_LAST.format(starmer=starmer.pk, washington=washington.pk),
            ]
        )
        made = 0
        _, new = self.ensure_page(
            index,
            IssuePage,
            "2026-02-06",
            title="A closely watched call, and a nuclear charge",
            issue_date=date(2026, 2, 6),
            issue_number=140,
            summary="Xi and Trump's call, two readouts, a U.S. nuclear allegation and "
            "Beijing's reply; plus a chart on U.S. debt and the Question of the Week.",
            greeting="Dear Focus reader,",
            letter=letter,
            sign_off="Team Focus",
            body=stream(
                # Every text field is given, empty or not, as the editor stores
                # it: wagtail-localize cannot read a missing (None) string.
                (
                    "pull_quote",
                    {
                        "quote": data.SEED_QUOTE,
                        "speaker": "",
                        "affiliation": "",
                        "source_url": "",
                        "source_title": "",
                    },
                ),
                (
                    "chart_callout",
                    {
                        "headline": chart["headline"],
                        "alt_text": "",
                        "description": "",
                        "data_label": chart["data_label"],
                        "unit": chart["unit"],
                        "data": list_items(
                            [{"label": label, "value": value} for label, value in chart["points"]]
                        ),
                        "source_note": chart["source_note"],
                        "source_url": chart["source_url"],
                        "article": empire.pk,
                    },
                ),
                (
                    "video_feature",
                    {"video": fung.pk, "blurb": data.SEED_VIDEO_BLURB, "cta_label": "Watch Video"},
                ),
                (
                    "question_of_the_week",
                    {
                        "question": question.pk,
                        "heading": "Question of the Week",
                        "invitation": "We want to hear from you!",
                    },
                ),
                (
                    "related_links",
                    {
                        "heading": "Latest Focus content",
                        "intro": "",
                        "links": list_items(
                            [
                                {"page": page.pk, "url": "", "label": ""}
                                for page in (starmer, washington, empire)
                            ]
                        ),
                    },
                ),
            ),
        )
        made += new
        older = list(articles.values())
        for position, (day, number, title, summary, texts) in enumerate(data.EARLIER_ISSUES):
            picks = older[position + 2 : position + 5]
            _, new = self.ensure_page(
                index,
                IssuePage,
                day.isoformat(),
                title=title,
                issue_date=day,
                issue_number=number,
                summary=summary,
                letter=paragraphs(texts),
                body=stream(
                    (
                        "related_links",
                        {
                            "heading": "Latest Focus content",
                            "intro": "",
                            "links": list_items(
                                [{"page": page.pk, "url": "", "label": ""} for page in picks]
                            ),
                        },
                    ),
                ),
            )
            made += new
        self.step(f"issues: {1 + len(data.EARLIER_ISSUES)} ({made} new)")

    def build_editions(self, home, topics, authors, articles, videos, questions) -> None:
        """The 简体 and 繁體 editions: the seed issue, what it shows, and their snippets."""
        seed = IssuePage.objects.child_of(IssueIndexPage.objects.child_of(home).get()).get(
            slug="2026-02-06"
        )
        # Order matters: snippets before the pages that show them, parents before children.
        objects = [
            *topics.values(),
            VideoSeries.objects.get(slug=data.VIDEO_SERIES["slug"], locale=home.locale),
            *(authors[name] for name in data.TRANSLATED_AUTHORS),
            home,
            *(page.specific for page in home.get_children().order_by("path")),
            *(articles[title] for title in data.TRANSLATED_ARTICLES),
            videos[data.VIDEOS[0][0]],
            questions[data.QUESTION["slug"]],
            seed,
        ]
        for code in ("zh-hans", "zh-hant"):
            locale = Locale.objects.get(language_code=code)
            made, missing = 0, []
            for instance in objects:
                if instance.has_translation(locale):
                    continue
                _, untranslated = translate(instance, locale)
                missing += untranslated
                made += 1
            self.step(f"{code} edition: {len(objects)} objects ({made} new)")
            for text in missing:
                self.stderr.write(f"    untranslated in {code}: {text[:60]}")

    def build_responses(self, questions) -> None:
        made = ensure_responses(questions[data.QUESTION["slug"]], OPEN_QUESTION_RESPONSES)
        made += ensure_responses(
            questions[data.EARLIER_QUESTION["slug"]], EARLIER_QUESTION_RESPONSES
        )
        total = len(OPEN_QUESTION_RESPONSES) + len(EARLIER_QUESTION_RESPONSES)
        self.step(f"reader responses: {total} ({made} new)")

    def build_admin(self, password: str | None) -> None:
        if password is None:
            self.step(f"admin account '{ADMIN_USERNAME}' already exists (password unchanged)")
            return
        get_user_model().objects.create_superuser(ADMIN_USERNAME, ADMIN_EMAIL, password)
        if settings.DEBUG:
            self.step(
                f"admin account created: log in at /admin/ as '{ADMIN_USERNAME}' "
                f"with password '{password}' (local use only)"
            )
        else:
            # Never print a production password.
            self.step(
                f"admin account created: log in at /admin/ as '{ADMIN_USERNAME}' "
                "with the password from FOCUS_ADMIN_PASSWORD"
            )
