"""/search/: the reader-facing search page."""

from __future__ import annotations

from django.shortcuts import render
from wagtail.models import Page

from home.caching import model_tag
from home.caching.fragments import Listing
from home.editions import edition_q
from insights.models import Topic

from .query import (
    SearchRequest,
    available_years,
    relevance_ranking,
    result_types,
    run_search,
    search_digest,
)


def search(request):
    topics = list(Topic.objects.filter(edition_q()))
    years = available_years()
    query = SearchRequest.from_querydict(request.GET, topics, years)
    outcome = run_search(request, query)
    # Filters are kept across pages; the page number is not.
    params = request.GET.copy()
    params.pop("page", None)
    results = outcome.results
    # The result cards of this page number, kept: a hit loads none of the
    # result pages. Keyed on the search as understood (the ranking's key), so
    # stray parameters share it; any page changed clears it, as it clears the
    # ranking, and the bylines' authors are recorded from the pages shown. The
    # count, the pagination (which repeats the query string as given) and the
    # promotions stay outside: none of them loads a result page. Whether
    # there are cards at all is read from the ranked ids, which any page
    # deleted clears, so a hit need not load the pages to know.
    cards = None
    if results is not None:
        cards = Listing(
            name="search-results",
            parts=(search_digest(query), results.paginator.per_page, results.number),
            tags=(model_tag(Page),),
            shown=outcome.hits.pages,
        )
    return render(
        request,
        "home/search.html",
        {
            "page": None,
            "search": query,
            "results": results,
            "hits": outcome.hits,
            "cards": cards,
            "promotions": outcome.promotions,
            "result_types": list(result_types().values()),
            "topics": topics,
            "years": years,
            "can_rank": relevance_ranking(),
            "query_params": params.urlencode(),
        },
    )
