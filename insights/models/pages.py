"""Insights pages: the listing and the article."""

from __future__ import annotations

from django import forms
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import pgettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager, PageQuerySet, TranslatableMixin
from wagtail.search import index

from home import structured_data as ld
from home.blocks import BodyStreamBlock
from home.caching import cache_query_params, model_tag, object_tag, tag_request
from home.caching.derived import cached_by_tags
from home.caching.fragments import FragmentCachedPageMixin
from home.caching.urls import paginated
from home.editions import in_every_edition
from home.feed_entry import (
    FeedCategory,
    FeedEntry,
    FeedPerson,
    entry_id,
    feed_image,
    page_url,
    published_at,
    render_content,
    summarise,
    updated_at,
)
from home.page_types import ResultType
from home.pagination import paginate_listing
from home.panels import PublishingChecksPanel
from home.privacy import is_public, public_only
from home.rendering import absolute_url
from home.routing import OwnAddressMixin
from home.structured_data import JsonLd
from home.traditional_drafts import ReviewGatedPublishing

from ..forms import InsightArticleForm
from .snippets import Author, Topic


def bylines_prefetch() -> Prefetch:
    # A plain "article_authors__author" lookup fetches each author on its own
    # through modelcluster's manager; joining the author in keeps it to one query.
    return Prefetch("article_authors", queryset=ArticleAuthor.objects.select_related("author"))


class ArticleQuerySet(PageQuerySet):
    def for_blocks(self) -> ArticleQuerySet:
        """What a block citing an article shows: title, URL and authors."""
        return self.prefetch_related(bylines_prefetch())

    def for_listing(self) -> ArticleQuerySet:
        """Everything a listing card shows, in a fixed number of queries."""
        return (
            public_only(self.live())
            .select_related("lead_image")
            .prefetch_related(bylines_prefetch(), "topics", "lead_image__renditions")
            .order_by("-date", "-pk")
        )


ArticleManager = PageManager.from_queryset(ArticleQuerySet)


class InsightsIndexPage(OwnAddressMixin, ReviewGatedPublishing, RoutablePageMixin, Page):
    """/insights/: every article, newest first, filterable by topic."""

    intro = models.TextField(blank=True, max_length=600)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["insights.InsightArticlePage"]
    max_count = 1
    # Its pages' feed, advertised on it (home/feeds/discovery.py).
    feed_section = "insights"

    class Meta:
        verbose_name = "Insights index page"

    def articles(self) -> ArticleQuerySet:
        return InsightArticlePage.objects.child_of(self).for_listing()

    def cache_paths(self, url: str) -> list[str]:
        """Every topic's listing pages and filter, for the CDN purge."""
        per_topic = dict(
            InsightArticlePage.objects.child_of(self)
            .live()
            .order_by()
            .values_list("topics")
            .annotate(n=models.Count("pk"))
            .values_list("topics", "n")
        )
        paths = []
        for topic in Topic.objects.all():
            count = per_topic.get(topic.pk, 0)
            paths += paginated(InsightsIndexPage.topic_url(url, topic.slug), count)
            paths.append(f"{url}?topic={topic.slug}")
        return paths

    def edition_topics(self) -> list[Topic]:
        """Topics in this page's edition (translations keep their slugs)."""
        return list(Topic.objects.filter(locale_id=self.locale_id))

    def paginate_articles(self, request, articles, topic: Topic | None = None):
        # Publishing, moving or unpublishing an article clears its index's
        # tag (it is an ancestor), and editing a topic clears the topic's.
        tags = [object_tag(self)] + ([object_tag(topic)] if topic else [])
        name = f"insights:{self.pk}:{topic.pk if topic else 'all'}"
        return paginate_listing(request, articles, name=name, tags=tags)

    @path("")
    def index_route(self, request):
        topics = self.edition_topics()
        articles = self.articles()
        current_topic = None
        cache_query_params(request, "topic")
        slug = request.GET.get("topic")
        if slug:
            current_topic = next((topic for topic in topics if topic.slug == slug), None)
            if current_topic is None:
                raise Http404("No such topic")
            articles = articles.filter(topics=current_topic)
        return self.render(
            request,
            context_overrides={
                "articles": self.paginate_articles(request, articles, current_topic),
                "topics": topics,
                "current_topic": current_topic,
            },
        )

    @classmethod
    def topic_url(cls, index_url: str, slug: str) -> str:
        """A topic page's address under the index at ``index_url`` (the edition's index).

        Reversed from ``topic_route``, so the address is spelled in one place;
        a class method, so callers holding only the index's URL need no query.
        """
        return index_url + cls.get_resolver().reverse("topic", slug=slug)

    def edition_sub_routes(self, request, translations: dict[str, Page]) -> dict[str, str]:
        """For the edition switcher: this topic's page under each translation of the index.

        ``translations`` maps edition codes to this index's translations. A
        topic answers in an edition that has a translation of it, under that
        translation's slug; elsewhere the switcher offers the index itself.
        Kept in the cache until a topic changes, so it costs a query only then.
        """
        match = getattr(request, "routable_resolver_match", None)
        if match is None or match.url_name != "topic":
            return {}
        slug = match.kwargs["slug"]
        # A translation of the topic added, removed or renamed changes the answer.
        tag_request(request, model_tag(Topic))

        def build() -> list[tuple[int, str]]:
            rows = in_every_edition(Topic.objects.filter(slug=slug, locale_id=self.locale_id))
            return list(rows.values_list("locale_id", "slug"))

        found = cached_by_tags(f"topic-editions:{self.locale_id}:{slug}", [model_tag(Topic)], build)
        locales = {page.locale_id: code for code, page in translations.items()}
        return {
            locales[locale_id]: self.get_resolver().reverse("topic", slug=other)
            for locale_id, other in found
            if locale_id in locales
        }

    @path("topics/<slug:slug>/", name="topic")
    def topic_route(self, request, slug):
        topic = get_object_or_404(Topic, slug=slug, locale_id=self.locale_id)
        return self.render(
            request,
            template="insights/topic_page.html",
            context_overrides={
                "topic": topic,
                "articles": self.paginate_articles(
                    request, self.articles().filter(topics=topic), topic
                ),
                "topics": self.edition_topics(),
            },
        )


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "insights.InsightArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticleAuthor(TranslatableMixin, Orderable):
    """An author of one article, with the affiliation shown on it.

    The affiliation is copied from the author when left empty and then kept,
    so a later change of job does not rewrite old bylines.
    """

    page = ParentalKey(
        "insights.InsightArticlePage", on_delete=models.CASCADE, related_name="article_authors"
    )
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="article_links")
    affiliation = models.CharField(
        max_length=255,
        blank=True,
        help_text="As published on this article. Empty: the author's current affiliation.",
    )

    panels = [FieldPanel("author"), FieldPanel("affiliation")]

    # Translatable, so a translated article's bylines point at the translated
    # authors and carry a translated affiliation.
    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        pass

    def save(self, *args, **kwargs):
        if not self.affiliation and self.author_id:
            self.affiliation = self.author.affiliation
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.author} ({self.affiliation})" if self.affiliation else str(self.author)


class RelatedArticle(Orderable):
    page = ParentalKey(
        "insights.InsightArticlePage", on_delete=models.CASCADE, related_name="related_articles"
    )
    article = models.ForeignKey(
        "insights.InsightArticlePage", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("article")]


class InsightArticlePage(OwnAddressMixin, ReviewGatedPublishing, FragmentCachedPageMixin, Page):
    """An Insights article: authors, topics, standfirst, lead image and body."""

    ANALYSIS = "analysis"
    OPINION = "opinion"

    # Indexed: every listing, feed and the home page sort by it.
    date = models.DateField("Publication date", default=timezone.localdate, db_index=True)
    standfirst = models.TextField(
        max_length=400, help_text="One or two sentences under the title: the argument in brief."
    )
    kind = models.CharField(
        max_length=20,
        choices=[(ANALYSIS, "Analysis"), (OPINION, "Opinion")],
        default=ANALYSIS,
        help_text="Analysis explains; opinion argues.",
    )
    lead_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_image_caption = models.CharField(max_length=300, blank=True)
    lead_image_credit = models.CharField(max_length=120, blank=True)
    topics = ParentalManyToManyField(Topic, blank=True, related_name="articles")
    tags = ClusterTaggableManager(through=ArticleTag, blank=True)
    body = StreamField(BodyStreamBlock())

    objects = ArticleManager()
    # Page choosers in the body are judged at this article's own go-live time.
    base_form_class = InsightArticleForm

    content_panels = [
        PublishingChecksPanel(),
        *Page.content_panels,
        FieldPanel("standfirst"),
        InlinePanel("article_authors", label="Authors", min_num=1, heading="Authors"),
        MultiFieldPanel(
            [
                FieldPanel("date"),
                FieldPanel("kind"),
                # A few dozen topics: ticking boxes beats a Ctrl-click multi-select.
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
            ],
            heading="Publication",
        ),
        MultiFieldPanel(
            [
                FieldPanel("lead_image"),
                FieldPanel("lead_image_caption"),
                FieldPanel("lead_image_credit"),
            ],
            heading="Lead image",
        ),
        FieldPanel("body"),
        InlinePanel("related_articles", label="Related articles", heading="Related articles"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst"),
        index.SearchField("body"),
        index.RelatedFields(
            "article_authors",
            [
                index.RelatedFields(
                    "author",
                    [
                        index.SearchField("name"),
                    ],
                )
            ],
        ),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.FilterField("date"),
    ]
    parent_page_types = ["insights.InsightsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "Insight article"

    def save(self, *args, **kwargs):
        for link in self.article_authors.all():
            if not link.affiliation and link.author_id:
                link.affiliation = link.author.affiliation
        self.localize_topics()
        super().save(*args, **kwargs)

    def localize_topics(self) -> None:
        """Point a translation at its edition's topics.

        wagtail-localize copies many-to-many fields unchanged, so a new
        translation starts with the English topics; each one that has a
        translation in this page's edition is swapped for it.
        """
        if not self.locale_id:
            return
        topics = list(self.topics.all())
        foreign = [topic for topic in topics if topic.locale_id != self.locale_id]
        if not foreign:
            return
        local = {
            topic.translation_key: topic
            for topic in Topic.objects.filter(
                locale_id=self.locale_id,
                translation_key__in=[topic.translation_key for topic in foreign],
            )
        }
        self.topics = [local.get(topic.translation_key, topic) for topic in topics]

    def bylines(self) -> list[ArticleAuthor]:
        return list(self.article_authors.all())

    def tag_names(self) -> list[str]:
        return [item.tag.name for item in self.tagged_items.all()]

    def author_names(self) -> list[str]:
        return [link.author.name for link in self.article_authors.all()]

    # --- what the site-wide feeds, search and SEO ask of a page type ----------
    # (docs/architecture.md lists them; home/page_types.py finds the types.)

    og_type = "article"
    feed_section = "insights"
    search_result = ResultType(
        "article",
        # Labels are lazy: each reader sees them in the edition being read.
        pgettext_lazy("search result type", "Insights article"),
        pgettext_lazy("search result type", "Insights articles"),
        date_field="date",
        order=1,
    )

    def summary_text(self) -> str:
        return self.standfirst

    def share_image(self):
        return self.lead_image

    def structured_data(self, request, url: str, description: str, image: str, trail) -> JsonLd:
        data: JsonLd = {
            "@type": ARTICLE_TYPES.get(self.kind, "NewsArticle"),
            "headline": self.title[:110],
            "description": description,
            "url": url,
            "mainEntityOfPage": url,
            "datePublished": self.date.isoformat(),
            **ld.dates(self),
            "image": [image],
            "author": [
                ld.person(link.author, request, link.affiliation)
                for link in self.article_authors.all()
            ],
            "publisher": {"@id": ld.organization_id(request)},
            "isAccessibleForFree": True,
        }
        topics = [topic.name for topic in self.topics.all()]
        if topics:
            data["articleSection"] = topics
        tags = self.tag_names()
        if tags:
            data["keywords"] = tags
        return data

    @classmethod
    def for_search_card(cls, queryset) -> ArticleQuerySet:
        # Results show bylines; no images, so no renditions to fetch.
        return queryset.for_blocks()

    def search_authors(self) -> list[str]:
        return self.author_names()

    # Its feed entry shows its blocks and rich-text links: kept as a fragment
    # (home/feed_entry.py, ``render_content``).
    feed_fragment_cached = True

    feed_date_field = "date"

    @classmethod
    def feed_pages(cls, queryset, limit: int) -> list[InsightArticlePage]:
        return list(
            queryset.order_by("-date", "-pk")[:limit]
            .select_related("lead_image")
            .prefetch_related(
                bylines_prefetch(), "topics", "tagged_items__tag", "lead_image__renditions"
            )
        )

    def feed_date(self):
        return self.date

    def feed_subjects(self) -> tuple[list[Topic], list[Author]]:
        # The article page prefetches its topics and bylines, so these cost nothing.
        return list(self.topics.all()), [link.author for link in self.article_authors.all()]

    def feed_entry(self, request, authority: str) -> FeedEntry:
        published = published_at(self, self.date)
        bylines = list(self.article_authors.all())
        index_url = self.index_url
        return FeedEntry(
            id=entry_id(self, authority),
            url=page_url(self, request),
            title=self.title,
            published=published,
            updated=updated_at(self, published),
            summary=summarise(self.standfirst),
            content_html=render_content("article", self, request, bylines=bylines),
            authors=[
                FeedPerson(link.author.name, absolute_url(link.author.get_absolute_url(), request))
                for link in bylines
            ],
            categories=[
                FeedCategory(
                    term=topic.slug,
                    label=topic.name,
                    scheme=absolute_url(f"{index_url}topics/", request),
                )
                for topic in self.topics.all()
            ]
            + [
                FeedCategory(term=item.tag.name, label=item.tag.name)
                for item in self.tagged_items.all()
            ],
            image=feed_image(self.lead_image, "width-1200", request),
        )

    @property
    def index_url(self) -> str:
        # Articles live directly under the index, so its URL is ours minus the slug.
        url = self.url or ""
        return url[: url.rstrip("/").rfind("/") + 1]

    def topic_url(self, topic: Topic) -> str:
        return InsightsIndexPage.topic_url(self.index_url, topic.slug)

    def topic_links(self) -> list[tuple[Topic, str]]:
        return [(topic, self.topic_url(topic)) for topic in self.topics.all()]

    def related(self, limit: int = 3) -> list[InsightArticlePage]:
        """Editors' picks, else the newest articles sharing a topic."""
        chosen = [
            link.article
            for link in self.related_articles.select_related("article").all()
            if link.article.live and is_public(link.article)
        ]
        if chosen:
            return chosen[:limit]
        topic_ids = [topic.pk for topic in self.topics.all()]
        if not topic_ids:
            return []
        # Only titles and links are shown: no listing prefetches.
        return list(
            public_only(InsightArticlePage.objects.live())
            .filter(topics__in=topic_ids, locale_id=self.locale_id)
            .exclude(pk=self.pk)
            .order_by("-date", "-pk")
            .distinct()[:limit]
        )

    def neighbours(self) -> tuple[InsightArticlePage | None, InsightArticlePage | None]:
        """The previous and next live articles, in the listing's order, in one query."""
        cached = getattr(self, "_neighbours", None)
        if cached is not None:
            return cached
        if self.pk is None:
            # A new page in the admin's preview has no place in the order yet.
            return (None, None)
        # Ordered like the listing (date, then id), so same-day articles still chain.
        siblings = public_only(InsightArticlePage.objects.live().sibling_of(self, inclusive=False))
        before = models.Q(date__lt=self.date) | models.Q(date=self.date, pk__lt=self.pk)
        after = models.Q(date__gt=self.date) | models.Q(date=self.date, pk__gt=self.pk)
        previous_id = siblings.filter(before).order_by("-date", "-pk").values("pk")[:1]
        next_id = siblings.filter(after).order_by("date", "pk").values("pk")[:1]
        found = {
            article.pk: article
            for article in InsightArticlePage.objects.filter(
                models.Q(pk=models.Subquery(previous_id)) | models.Q(pk=models.Subquery(next_id))
            ).only("id", "title", "url_path", "date")
        }
        previous = next((a for a in found.values() if (a.date, a.pk) < (self.date, self.pk)), None)
        following = next((a for a in found.values() if (a.date, a.pk) > (self.date, self.pk)), None)
        self._neighbours = (previous, following)
        return self._neighbours

    def previous_article(self) -> InsightArticlePage | None:
        return self.neighbours()[0]

    def next_article(self) -> InsightArticlePage | None:
        return self.neighbours()[1]

    def fragment_context(self, request) -> dict:
        # Only the head and content fragments show these: a fragment cache hit
        # skips the queries.
        if not getattr(request, "is_preview", False):
            # One query each for bylines, topics and tags, however many there are.
            # (A preview's relations are in memory already.)
            prefetch_related_objects(
                [self],
                bylines_prefetch(),
                "topics",
                Prefetch("tagged_items", queryset=ArticleTag.objects.select_related("tag")),
            )
        return {"related_pages": self.related()}


# schema.org's article type for each kind of article (home/structured_data.py).
ARTICLE_TYPES = {
    InsightArticlePage.ANALYSIS: "AnalysisNewsArticle",
    InsightArticlePage.OPINION: "OpinionNewsArticle",
}
