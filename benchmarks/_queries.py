"""Print, as JSON, the SQL queries each given path takes (warm, uncached)."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "focus_site.settings.production")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

if sys.argv[1:] == ["--urls"]:
    from django.db.models import Count, Q

    from insights.models import Author, InsightArticlePage, Topic
    from issues.models import IssuePage

    def in_every_edition(model) -> dict[str, str]:
        """The URLs of one page of ``model`` live in all three editions, by edition."""
        for page in model.objects.live().filter(locale__language_code="zh-hant").order_by("pk"):
            found = page.get_translations(inclusive=True).live().select_related("locale")
            urls = {translation.locale.language_code: translation.url for translation in found}
            if len(urls) == 3:
                return urls
        return {}

    english = Q(locale__language_code="en")
    article = InsightArticlePage.objects.live().filter(english).order_by("-date", "-pk").first()
    issue = IssuePage.objects.live().filter(english).order_by("issue_date").first()
    newest = IssuePage.objects.live().filter(english).order_by("-issue_date").first()
    topic = Topic.objects.filter(english).order_by("pk").first()
    # The author with the most articles: their page is the one that grows.
    author = (
        Author.objects.filter(english)
        .annotate(n=Count("article_links"))
        .order_by("-n", "pk")
        .first()
    )
    print(
        json.dumps(
            {
                "article": article.url,
                "issue": issue.url,
                "topic": f"/insights/topics/{topic.slug}/",
                "topic_slug": topic.slug,
                "author": f"/authors/{author.slug}/",
                # The same sample issue and article in English, 简体 and 繁體.
                "issue_editions": in_every_edition(IssuePage),
                "article_editions": in_every_edition(InsightArticlePage),
                "author_slug": author.slug,
                "year": newest.issue_date.year - 1,
            }
        )
    )
    sys.exit(0)

setup_test_environment()
client = Client(HTTP_HOST="127.0.0.1")
counts = {}
for path in sys.argv[1:]:
    client.get(path)
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    counts[path] = len(captured.captured_queries)
print(json.dumps(counts))
