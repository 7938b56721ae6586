"""What a search asks for, and the results readers see.

The query string is reduced to plain words before it reaches the search
backend: SQLite FTS5 and PostgreSQL's ``tsquery`` each give meaning to some
punctuation (quotes, ``*``, ``-``, ``NEAR(``), and a reader's stray quote must
not become a syntax error.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache, cached_property

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Locale, Page
from wagtail.search.utils import normalise_query_string

from home.caching import cache_query_params, model_tag
from home.caching.derived import cached_by_tags
from home.editions import active_code, edition_q
from home.page_text import summary_text
from home.page_types import ResultType, page_types_offering
from home.privacy import is_public, public_only
from home.search.chinese import has_han, query_text, query_variants
from insights.models import Topic

# Enough for any sensible search; longer input is cut, not refused.
MAX_QUERY_CHARS = 200
MAX_TERMS = 12
SNIPPET_WORDS = 32
# Chinese snippets are measured in characters: about as much to read as 32 words.
SNIPPET_HAN_CHARS = 90
WORD = re.compile(r"\w+", re.UNICODE)
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@cache
def result_types() -> dict[str, ResultType]:
    """Every searchable page type (one with a ``search_result``), by its slug, in form order.

    Worked out once: page models do not change while the process runs.
    """
    kinds = [
        replace(model.search_result, model=model) for model in page_types_offering("search_result")
    ]
    return {kind.slug: kind for kind in sorted(kinds, key=lambda kind: kind.order)}


def search_terms(raw: str) -> list[str]:
    """The words of a query, lower-cased, without operators or punctuation."""
    words = [word.lower() for word in WORD.findall(raw[:MAX_QUERY_CHARS])]
    # The "s" of "Trump's" is split off as a word of its own; alone it means nothing.
    longer = [word for word in words if len(word) > 1]
    return (longer or words)[:MAX_TERMS]


@dataclass
class SearchRequest:
    """A reader's search, read from the query string without ever failing."""

    raw: str = ""
    terms: list[str] = field(default_factory=list)
    kind: ResultType | None = None
    topic: Topic | None = None
    year: int | None = None
    newest_first: bool = False
    notices: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.terms)

    @classmethod
    def from_querydict(cls, params, topics: list[Topic], years: list[int]) -> SearchRequest:
        # Control characters mean nothing in a search, and PostgreSQL refuses
        # a NUL in any text it is given (the search promotions lookup).
        raw = " ".join(CONTROL.sub(" ", str(params.get("q", ""))).split())
        request = cls(raw=raw[:MAX_QUERY_CHARS], terms=search_terms(raw))
        if len(raw) > MAX_QUERY_CHARS:
            request.notices.append(
                gettext("Your search was longer than %(limit)d characters; we used the start.")
                % {"limit": MAX_QUERY_CHARS}
            )
        kind = params.get("type", "")
        if kind:
            request.kind = result_types().get(kind)
            if request.kind is None:
                request.notices.append(
                    gettext("That type of content is unknown; showing every type.")
                )
        slug = params.get("topic", "")
        if slug:
            request.topic = next((topic for topic in topics if topic.slug == slug), None)
            if request.topic is None:
                request.notices.append(gettext("That topic is unknown; showing every topic."))
            elif request.kind is None:
                # Only articles carry topics.
                request.kind = result_types()["article"]
        # Readers may ask for newest first; without relevance ranking it is the only order.
        request.newest_first = params.get("sort") == "newest" or not relevance_ranking()
        year = params.get("year", "")
        if year:
            request.year = int(year) if year.isdigit() and int(year) in years else None
            if request.year is None:
                request.notices.append(
                    gettext("There is nothing from that year; showing every year.")
                )
        return request


@dataclass
class SearchHit:
    page: Page
    kind: ResultType
    date: date | None
    authors: list[str]
    snippet: SafeString


def relevance_ranking() -> bool:
    """Whether results can be ranked by relevance at a reasonable cost.

    PostgreSQL ranks with ``ts_rank`` in the same query. The SQLite backend
    scores each match with a correlated subquery: seconds to minutes once
    thousands of pages match, so development sites list matches newest first.
    """
    return connection.vendor == "postgresql"


def available_years() -> list[int]:
    """Every year something was published in, newest first.

    Four scans of every live page, so kept in the cache until any page is
    published, unpublished, moved or deleted (each clears the pages' model tag).
    """

    def scan() -> list[int]:
        years: set[int] = set()
        for kind in result_types().values():
            pages = public_only(kind.model.objects.live().filter(edition_q()))
            dates = pages.dates(kind.date_field, "year")
            years.update(day.year for day in dates)
        return sorted(years, reverse=True)

    return cached_by_tags(f"search-years:{active_code()}", [model_tag(Page)], scan)


def edition_locales():
    """The reader's edition (the locale of the language being read), as a subquery.

    The search backend filters on indexed fields only, so the locale is matched
    by id rather than joined on its language code.
    """
    return Locale.objects.filter(language_code=active_code()).values("id")


def base_queryset(search: SearchRequest):
    kinds = [search.kind] if search.kind else list(result_types().values())
    # Each edition searches its own pages: /zh-hant/search/ lists 繁體 pages only.
    queryset = public_only(
        Page.objects.live()
        .type(*(kind.model for kind in kinds))
        .filter(locale_id__in=edition_locales())
    )
    wanted = Q()
    if search.year is not None:
        year_filter = Q()
        for kind in kinds:
            lookup = f"{kind.model._meta.model_name}__{kind.date_field}__year"
            year_filter |= Q(**{lookup: search.year})
        wanted &= year_filter
    if search.topic is not None:
        wanted &= Q(insightarticlepage__topics=search.topic)
    if wanted:
        # The search backend filters on indexed fields only; ``id`` is one, so
        # the other conditions are resolved by a subquery.
        queryset = queryset.filter(id__in=Page.objects.filter(wanted).values("id"))
    return queryset


def highlight_han(text: str, terms: list[str]) -> SafeString:
    """``highlight`` for text in Chinese, which has no spaces to count words by.

    The excerpt is a window of characters around the first match; each query
    word is marked in whichever script the page uses (a 简体 query marks 繁體 text).
    """
    variants: set[str] = set()
    for term in terms:
        for word in query_text(term).split():
            variants |= query_variants(word) if has_han(word) else {word}
    pattern = re.compile(
        "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True)), re.IGNORECASE
    )
    text = " ".join(text.split())
    found = pattern.search(text)
    first = found.start() if found else 0
    start = max(0, first - SNIPPET_HAN_CHARS // 3)
    window = text[start : start + SNIPPET_HAN_CHARS]
    parts, last = [], 0
    for match in pattern.finditer(window):
        parts += [escape(window[last : match.start()]), f"<mark>{escape(match[0])}</mark>"]
        last = match.end()
    parts.append(escape(window[last:]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + SNIPPET_HAN_CHARS < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)


def highlight(text: str, terms: list[str]) -> SafeString:
    """A short excerpt of ``text`` around the first matching word, matches marked."""
    if any(has_han(term) for term in terms):
        return highlight_han(text, terms)
    words = text.split()
    if not words:
        return mark_safe("")
    wanted = set(terms)
    first = next(
        (i for i, word in enumerate(words) if any(w in wanted for w in search_terms(word))), 0
    )
    start = max(0, first - SNIPPET_WORDS // 3)
    window = words[start : start + SNIPPET_WORDS]
    parts = []
    for word in window:
        if any(w in wanted for w in search_terms(word)):
            parts.append(f"<mark>{escape(word)}</mark>")
        else:
            parts.append(escape(word))
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + SNIPPET_WORDS < len(words) else ""
    return mark_safe(prefix + " ".join(parts) + suffix)


def _load_specific(pages: list[tuple[int, int]]) -> list[Page]:
    """The specific pages of one result page (``(id, content type)`` pairs), in a
    fixed number of queries per type."""
    by_type: dict[int, list[int]] = defaultdict(list)
    for pk, content_type_id in pages:
        by_type[content_type_id].append(pk)
    loaded: dict[int, Page] = {}
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        queryset = model.objects.filter(pk__in=ids)
        # A type may load what its card shows with its pages (an article's bylines).
        for_card = getattr(model, "for_search_card", None)
        if for_card is not None:
            queryset = for_card(queryset)
        loaded.update((page.pk, page) for page in queryset)
    return [loaded[pk] for pk, _type in pages if pk in loaded]


def _hit(page: Page, terms: list[str]) -> SearchHit:
    kind = result_types()[page.search_result.slug]
    authors = page.search_authors() if hasattr(page, "search_authors") else []
    snippet = highlight(Truncator(summary_text(page)).chars(600), terms)
    return SearchHit(page, kind, getattr(page, kind.date_field, None), authors, snippet)


class ResultCards:
    """The hits of one page of results, loaded when first read.

    A render served from the kept cards (``home.caching.fragments.Listing``)
    never reads them, so it loads none of the result pages.
    """

    def __init__(self, rows: list[tuple[int, int]], terms: list[str]):
        self.rows, self.terms = rows, terms

    @cached_property
    def hits(self) -> list[SearchHit]:
        return [_hit(page, self.terms) for page in _load_specific(self.rows)]

    def pages(self) -> list[Page]:
        return [hit.page for hit in self.hits]

    def __iter__(self):
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    def __bool__(self) -> bool:
        return bool(self.hits)


@dataclass
class SearchOutcome:
    results: PaginatorPage | None
    hits: ResultCards
    promotions: list[SearchPromotion]


class RankedPaginator(Paginator):
    """Pages over the ranked ids of a search, told how many pages matched in all
    (``total``), or that more matched than were kept (``capped``: "more than
    ``total``")."""

    def __init__(self, rows: list[tuple[int, int]], per_page: int, total: int, capped: bool):
        super().__init__(rows, per_page)
        self.total = total
        self.capped = capped


def search_digest(search: SearchRequest) -> str:
    """The search as it was understood: the edition, its words and its filters.

    Two query strings that read as the same search (other parameters, a
    stray quote, a topic unknown) share it, so they share the ranked ids and
    the kept result cards.
    """
    identity = repr(
        (
            active_code(),
            search.text,
            search.kind.slug if search.kind else "",
            search.topic.pk if search.topic else 0,
            search.year or 0,
            search.newest_first,
            settings.FOCUS_SEARCH_MAX_RESULTS,
        )
    )
    return hashlib.sha256(identity.encode()).hexdigest()[:32]


def ranked_matches(search: SearchRequest) -> tuple[list[tuple[int, int]], int, bool]:
    """The ids (and content types) of the best matches in order, how many there
    are, and whether more matched than that.

    Only the first ``FOCUS_SEARCH_MAX_RESULTS`` are kept; readers refine a
    search long before they page that far. Reading one more than that says
    whether there are more, and the page then says "more than N results"
    instead of counting every match: a common word matches most of the
    archive, and the count read all of it again on top of the ranking. The ids
    are kept in the cache, per edition and search, until any page changes (the
    pages' model tag), so the later pages of a search, and a search many
    readers make, cost what its first page costs to show.
    """
    limit = settings.FOCUS_SEARCH_MAX_RESULTS

    def rank() -> tuple[list[tuple[int, int]], int, bool]:
        queryset = base_queryset(search)
        if search.newest_first:
            # When each page first went live: the backend orders by indexed Page
            # fields only (``id``, not ``pk``), and each type names its date differently.
            queryset = queryset.order_by("-first_published_at", "-id")
        results = queryset.search(
            search.text, operator="and", order_by_relevance=not search.newest_first
        )
        # The database backends' results are a queryset underneath: read the two
        # columns as tuples, since making a thousand Page instances cost more
        # than ranking them.
        ranked = results[: limit + 1].get_queryset()
        rows = list(ranked.values_list("id", "content_type_id"))
        capped = len(rows) > limit
        return rows[:limit], min(len(rows), limit), capped

    # "ranked", not "search" as before: entries of the old shape (no cap) are never read.
    return cached_by_tags(f"search-ranked:{search_digest(search)}", [model_tag(Page)], rank)


def run_search(request, search: SearchRequest) -> SearchOutcome:
    if not search.terms:
        return SearchOutcome(None, ResultCards([], []), [])
    rows, total, capped = ranked_matches(search)
    # Keyed on the page number like every listing (the other parameters are
    # read by the search form).
    cache_query_params(request, "page")
    paginator = RankedPaginator(rows, settings.FOCUS_LISTING_PAGE_SIZE, total, capped)
    page_of_results = paginator.get_page(request.GET.get("page"))
    hits = ResultCards(list(page_of_results), search.terms)
    promotions: list[SearchPromotion] = []
    if page_of_results.number == 1:
        promotions = [
            promotion
            for promotion in SearchPromotion.objects.filter(
                query__query_string=normalise_query_string(search.raw)
            )
            .select_related("page")
            .order_by("sort_order")
            if promotion.page is None or (promotion.page.live and is_public(promotion.page))
        ]
    return SearchOutcome(page_of_results, hits, promotions)
