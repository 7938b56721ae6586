from .pages import (
    ArticleAuthor,
    ArticleQuerySet,
    ArticleTag,
    InsightArticlePage,
    InsightsIndexPage,
    RelatedArticle,
)
from .snippets import Author, Topic

__all__ = [
    "ArticleAuthor",
    "ArticleQuerySet",
    "ArticleTag",
    "Author",
    "InsightArticlePage",
    "InsightsIndexPage",
    "RelatedArticle",
    "Topic",
]
