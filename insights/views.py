"""Author pages live outside the page tree: /authors/ and /authors/<slug>/."""

from django.shortcuts import get_object_or_404, render

from home.pagination import paginate

from .models import Author, InsightArticlePage


def author_list(request):
    authors = Author.objects.select_related("photo").prefetch_related("photo__renditions")
    return render(request, "insights/author_list.html", {"authors": authors})


def author_detail(request, slug: str):
    author = get_object_or_404(
        Author.objects.select_related("photo").prefetch_related("photo__renditions"), slug=slug
    )
    articles = InsightArticlePage.objects.for_listing().filter(article_authors__author=author)
    return render(
        request,
        "insights/author_page.html",
        {"author": author, "articles": paginate(request, articles.distinct())},
    )
