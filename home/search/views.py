"""/search/: the reader-facing search page."""

from __future__ import annotations

from django.shortcuts import render

from home.editions import edition_q
from insights.models import Topic

from .query import SearchRequest, available_years, relevance_ranking, result_types, run_search


def search(request):
    topics = list(Topic.objects.filter(edition_q()))
    years = available_years()
    query = SearchRequest.from_querydict(request.GET, topics, years)
    outcome = run_search(request, query)
    # Filters are kept across pages; the page number is not.
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "home/search.html",
        {
            "page": None,
            "search": query,
            "results": outcome.results,
            "hits": outcome.hits,
            "promotions": outcome.promotions,
            "result_types": list(result_types().values()),
            "topics": topics,
            "years": years,
            "can_rank": relevance_ranking(),
            "query_params": params.urlencode(),
        },
    )
