"""The weekly newsletter: its archive and each issue."""

from __future__ import annotations

from itertools import groupby

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext, pgettext_lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager, PageQuerySet
from wagtail.search import index

from home import structured_data as ld
from home.caching import object_tag, tag_request
from home.caching.derived import cached_by_tags
from home.caching.fragments import FragmentCachedPageMixin, Listing
from home.feed_entry import (
    FeedCategory,
    FeedEntry,
    FeedPerson,
    entry_id,
    page_url,
    published_at,
    render_content,
    summarise,
    updated_at,
)
from home.page_types import ResultType
from home.panels import PublishingChecksPanel
from home.privacy import public_only
from home.rendering import html_to_text
from home.routing import OwnAddressMixin
from home.structured_data import JsonLd
from home.traditional_drafts import ReviewGatedPublishing
from issues.blocks import IssueStreamBlock
from issues.forms import LETTER_MISSING, IssuePageForm, has_text
from issues.newsletter.preview import email_preview, text_preview
from issues.newsletter.render import render_issue


class IssueQuerySet(PageQuerySet):
    def newest_first(self) -> IssueQuerySet:
        return self.order_by("-issue_date", "-pk")


IssueManager = PageManager.from_queryset(IssueQuerySet)


class IssueIndexPage(OwnAddressMixin, ReviewGatedPublishing, RoutablePageMixin, Page):
    """/this-week/: the newest issues and a year index; /this-week/2025/: one year in full.

    A year holds at most 53 issues, so every archive page costs the same
    whether the newsletter is one year old or twenty.
    """

    intro = models.TextField(
        blank=True,
        max_length=600,
        default="A community space to discuss the China-U.S. relationship and beyond.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["issues.IssuePage"]
    max_count = 1
    # Its pages' feed, advertised on it (home/feeds/discovery.py).
    feed_section = "issues"

    class Meta:
        verbose_name = "Issue archive"

    def issues(self) -> IssueQuerySet:
        return (
            public_only(IssuePage.objects.child_of(self).live())
            .only("id", "title", "slug", "url_path", "issue_date", "issue_number", "summary")
            .newest_first()
        )

    def years(self) -> list[tuple[int, int, object]]:
        """(year, number of issues, last publication) for each year with a live issue, newest first.

        Kept in the cache until an issue is published, unpublished or moved
        (each clears this page's tag), so the index costs no query per view.
        """

        def by_year() -> list[tuple[int, int, object]]:
            rows = (
                self.issues()
                .order_by()
                .annotate(year=ExtractYear("issue_date"))
                .values_list("year")
                .annotate(count=models.Count("pk"), lastmod=models.Max("last_published_at"))
                .values_list("year", "count", "lastmod")
            )
            return sorted(rows, key=lambda row: row[0], reverse=True)

        return cached_by_tags(f"issue-years:{self.pk}", [object_tag(self)], by_year)

    @classmethod
    def url_for_year(cls, index_url: str, year: int) -> str:
        """A year's archive page under the index at ``index_url`` (reversed from its route)."""
        return index_url + cls.get_resolver().reverse("year", year=f"{year:04d}")

    def year_url(self, year: int) -> str:
        return self.url_for_year(self.url, year)

    def year_links(self, current: int | None = None) -> list[dict]:
        return [
            {"year": year, "count": count, "url": self.year_url(year), "current": year == current}
            for year, count, _lastmod in self.years()
        ]

    def cache_paths(self, url: str) -> list[str]:
        """The archive by year, for the CDN purge: one query, a few dozen years at most."""
        years = self.issues().order_by().dates("issue_date", "year")
        return [IssueIndexPage.url_for_year(url, day.year) for day in years]

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        if urls:
            # Each year's page: where search engines find every issue.
            root = urls[0]["location"]
            urls += [
                {"location": self.url_for_year(root, year), "lastmod": lastmod, "alternates": []}
                for year, _count, lastmod in self.years()
            ]
        return urls

    def edition_sub_routes(self, request, translations: dict[str, Page]) -> dict[str, str]:
        """For the edition switcher: the year being read under each translation of the archive.

        ``translations`` maps edition codes to this archive's translations. A
        year answers in an edition with a live issue in it; elsewhere the
        switcher offers that edition's archive. One query for every edition,
        kept in the cache under the archives' tags (publishing, unpublishing or
        deleting an issue clears its archive's), as ``years`` is.
        """
        match = getattr(request, "routable_resolver_match", None)
        if match is None or match.url_name != "year":
            return {}
        year = int(match.kwargs["year"])
        pages = sorted(translations.items())
        tags = [object_tag(page) for _code, page in pages]
        # An issue published or removed in another edition changes the answer.
        tag_request(request, *tags)

        def build() -> list[str]:
            issues = public_only(IssuePage.objects.live()).filter(issue_date__year=year)
            counts = issues.aggregate(
                **{
                    f"n{n}": models.Count("pk", filter=IssuePage.objects.all().child_of_q(page))
                    for n, (_code, page) in enumerate(pages)
                }
            )
            return [code for n, (code, _page) in enumerate(pages) if counts[f"n{n}"]]

        name = f"issue-year-editions:{year}:{','.join(str(page.pk) for _code, page in pages)}"
        tail = self.get_resolver().reverse("year", year=f"{year:04d}")
        return dict.fromkeys(cached_by_tags(name, tags, build), tail)

    @path("")
    def latest(self, request):
        if "page" in request.GET:
            # The archive is paged by year now; a numbered link from before
            # lands on the archive's front page rather than on a stranger.
            return redirect(self.url, permanent=True)
        newest = list(self.issues()[: settings.FOCUS_LISTING_PAGE_SIZE])
        return self.render(
            request,
            context_overrides={
                "issues_by_year": _by_year(newest),
                "years": self.year_links(),
            },
        )

    @re_path(r"^(?P<year>[0-9]{4})/$", name="year")
    def year(self, request, year: str):
        number = int(year)
        years = [item for item, _count, _lastmod in self.years()]
        if number not in years:
            raise Http404("No issues that year")
        position = years.index(number)
        return self.render(
            request,
            template="issues/issue_year_page.html",
            context_overrides={
                "archive_year": number,
                # Loaded only if the year's list is rendered: a kept one loads none.
                "issues_by_year": SimpleLazyObject(
                    lambda: _by_year(list(self.issues().filter(issue_date__year=number)))
                ),
                # Every change to an issue it lists (publish, unpublish, move,
                # delete, privacy) clears this page's tag as an ancestor, so
                # the issues' own tags would add nothing but one more version
                # to read per issue on every hit.
                "year_list": Listing(
                    name="issue-year", parts=(self.pk, number), tags=(object_tag(self),)
                ),
                "years": self.year_links(current=number),
                # Newest first, as the index lists them.
                "newer_year": years[position - 1] if position > 0 else None,
                "older_year": years[position + 1] if position + 1 < len(years) else None,
            },
        )


def _by_year(issues: list[IssuePage]) -> list[tuple[int, list[IssuePage]]]:
    return [(year, list(items)) for year, items in groupby(issues, key=lambda i: i.issue_date.year)]


class IssuePage(OwnAddressMixin, ReviewGatedPublishing, FragmentCachedPageMixin, Page):
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
        rendered = render_issue(self)
        if mode_name == "email":
            return email_preview(request, self, rendered)
        return text_preview(request, self, rendered)

    # --- what the site-wide feeds, search and SEO ask of a page type ----------
    # (docs/architecture.md lists them; home/page_types.py finds the types.)

    og_type = "article"
    feed_section = "issues"
    search_result = ResultType(
        "issue",
        pgettext_lazy("search result type", "Weekly issue"),
        pgettext_lazy("search result type", "Weekly issues"),
        date_field="issue_date",
        order=2,
    )

    def summary_text(self) -> str:
        return self.summary or html_to_text(self.letter or "")

    def cache_paths(self, url: str) -> list[str]:
        # Its year's page, which may have just lost its last issue (and so
        # is missing from the index's list of years).
        if not self.issue_date:
            return []
        index_url = url[: url.rstrip("/").rfind("/") + 1]
        return [IssueIndexPage.url_for_year(index_url, self.issue_date.year)]

    def structured_data(self, request, url: str, description: str, image: str, trail) -> JsonLd:
        # The issue archive is the periodical: its title names the newsletter.
        name, periodical_url = trail[-2] if len(trail) >= 2 else (settings.WAGTAIL_SITE_NAME, "")
        data: JsonLd = {
            "@type": "PublicationIssue",
            "name": self.title,
            "url": url,
            "description": description,
            "datePublished": self.issue_date.isoformat(),
            **ld.dates(self),
            "isPartOf": {
                "@type": "Periodical",
                "name": name,
                "url": periodical_url,
                "publisher": {"@id": ld.organization_id(request)},
            },
        }
        if self.issue_number:
            data["issueNumber"] = str(self.issue_number)
        return data

    # Its feed entry shows its blocks and rich-text links: kept as a fragment
    # (home/feed_entry.py, ``render_content``).
    feed_fragment_cached = True

    feed_date_field = "issue_date"

    @classmethod
    def feed_pages(cls, queryset, limit: int) -> list[IssuePage]:
        return list(queryset.order_by("-issue_date", "-pk")[:limit])

    def feed_date(self):
        return self.issue_date

    def feed_entry(self, request, authority: str) -> FeedEntry:
        published = published_at(self, self.issue_date)
        summary = self.summary or html_to_text(str(self.letter or ""))
        return FeedEntry(
            id=entry_id(self, authority),
            url=page_url(self, request),
            title=self.title,
            published=published,
            updated=updated_at(self, published),
            summary=summarise(summary),
            content_html=render_content("issue", self, request),
            authors=[FeedPerson(self.sign_off)] if self.sign_off else [],
            categories=[FeedCategory(term="focus-this-week", label=gettext("Focus This Week"))],
        )

    def neighbours(self) -> tuple[IssuePage | None, IssuePage | None]:
        """The previous and next live issues, in one query."""
        cached = getattr(self, "_neighbours", None)
        if cached is not None:
            return cached
        siblings = public_only(IssuePage.objects.live().sibling_of(self, inclusive=False))
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
