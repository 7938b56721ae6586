"""Author pages live outside the page tree: /authors/ and /authors/<slug>/."""

from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import render

from home.caching import model_tag, object_tag, tag_request
from home.caching.fragments import Listing
from home.editions import (
    active_code,
    declare_equivalents,
    edition_q,
    edition_reverse,
    in_every_edition,
)
from home.pagination import paginate_listing

from .models import Author, InsightArticlePage


def author_list(request):
    tag_request(request, model_tag(Author))
    authors = (
        Author.objects.filter(edition_q())
        .select_related("photo")
        .prefetch_related("photo__renditions")
    )
    return render(request, "insights/author_list.html", {"authors": authors})


def author_detail(request, slug: str):
    # The author and its translations in one query: the switcher links to each
    # edition's translation (its slug may differ) and, where there is none,
    # to that edition's author list.
    versions = {
        row.locale.language_code: row
        for row in in_every_edition(Author.objects.filter(edition_q(), slug=slug)).select_related(
            "photo", "locale"
        )
    }
    author = versions.pop(active_code(), None)
    if author is None:
        raise Http404("No such author in this edition")
    prefetch_related_objects([author], "photo__renditions")
    declare_equivalents(
        request,
        {
            code: edition_reverse(code, "author_detail", slug=row.slug)
            for code, row in versions.items()
        },
        fallback="author_list",
    )
    # Articles tag the authors they reference, so publishing one clears this
    # page; a translation added, removed or renamed changes its switcher.
    tags = (object_tag(author), model_tag(Author))
    tag_request(request, *tags)
    articles = InsightArticlePage.objects.for_listing().filter(article_authors__author=author)
    page = paginate_listing(
        request, articles.distinct(), name=f"author:{author.pk}", tags=[object_tag(author)]
    )
    return render(
        request,
        "insights/author_page.html",
        {
            "author": author,
            "articles": page,
            # The cards of this page number, kept: a hit loads none of them.
            # Co-authors' names follow the author model's tag; the cards'
            # topics are recorded from the rows shown.
            "cards": Listing(
                name="author-cards",
                parts=(author.pk, page.paginator.per_page, page.number),
                tags=tags,
                shown=lambda: page.object_list,
            ),
        },
    )
