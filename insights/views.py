"""Author pages live outside the page tree: /authors/ and /authors/<slug>/."""

from django.shortcuts import get_object_or_404, render

from home.caching import model_tag, object_tag, tag_request
from home.editions import edition_q
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
    author = get_object_or_404(
        Author.objects.filter(edition_q())
        .select_related("photo")
        .prefetch_related("photo__renditions"),
        slug=slug,
    )
    # Articles tag the authors they reference, so publishing one clears this page.
    tag_request(request, object_tag(author))
    articles = InsightArticlePage.objects.for_listing().filter(article_authors__author=author)
    return render(
        request,
        "insights/author_page.html",
        {
            "author": author,
            "articles": paginate_listing(
                request,
                articles.distinct(),
                name=f"author:{author.pk}",
                tags=[object_tag(author)],
            ),
        },
    )
