"""Feed build time and SQL query count with 10 and with 10,000 articles.

Run with ``make bench-feeds``. It works on a throwaway test database (an
in-memory SQLite one, or ``test_<name>`` on PostgreSQL when DATABASE_URL is
set), creates the articles in bulk, and prints, for the site feed and a topic
feed, the time to build the document from scratch (median of several runs,
cache emptied each time), the time to serve it from the cache, and the
number of queries. The query count must not change between the two sizes.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "focus_site.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Locale, Page  # noqa: E402

from insights.models import ArticleAuthor, InsightArticlePage  # noqa: E402

RUNS = 5
TOTALS = (10, 10_000)
FEEDS = {"site feed": "/feeds/all.rss", "topic feed": "/feeds/topics/foreign-policy.rss"}


def body_for(target_id: int, image_id: int) -> str:
    """A realistic article body: text with a page link, an image and a data chart."""
    from tests.factories import list_items

    blocks = [
        ("heading", {"text": "The argument", "level": "h2"}),
        ("paragraph", f'<p>As <a linktype="page" id="{target_id}">argued before</a>, debt…</p>'),
        ("image", {"image": image_id, "alt_text": "A harbour", "caption": "Trade"}),
        (
            "chart_callout",
            {
                "headline": "Debt to GDP",
                "data": list_items(
                    [
                        {"label": str(year), "value": str(90 + i)}
                        for i, year in enumerate(range(2015, 2025))
                    ]
                ),
                "source_note": "FRED",
                "article": target_id,
            },
        ),
        ("paragraph", "<p>" + "More analysis. " * 60 + "</p>"),
    ]
    return json.dumps(
        [{"type": kind, "value": value, "id": str(uuid.uuid4())} for kind, value in blocks]
    )


def bulk_articles(index: Page, count: int, authors, topics, image, target) -> None:
    """Create ``count`` published articles under ``index`` without per-page tree work."""
    index.refresh_from_db()
    content_type = ContentType.objects.get_for_model(InsightArticlePage)
    locale = Locale.get_default()
    now = timezone.now()
    start = index.numchild + 1
    rows = []
    for offset in range(count):
        number = start + offset
        slug = f"bulk-article-{number}"
        rows.append(
            Page(
                title=f"Bulk article {number}",
                draft_title=f"Bulk article {number}",
                slug=slug,
                path=Page._get_path(index.path, index.depth + 1, number),
                depth=index.depth + 1,
                numchild=0,
                url_path=f"{index.url_path}{slug}/",
                content_type=content_type,
                locale=locale,
                live=True,
                first_published_at=now,
                last_published_at=now,
                latest_revision_created_at=now,
                translation_key=uuid.uuid4(),
            )
        )
    with transaction.atomic():
        pages = Page.objects.bulk_create(rows, batch_size=500)
        if pages[0].pk is None:  # SQLite before RETURNING support: look them up
            pages = list(Page.objects.filter(path__in=[row.path for row in rows]).order_by("path"))
        body = body_for(target.pk, image.pk)
        day0 = date(2020, 1, 1)
        for offset, page in enumerate(pages):
            # Multi-table inheritance rules out bulk_create for the article
            # rows themselves; a raw save writes just the child table.
            InsightArticlePage(
                page_ptr_id=page.pk,
                date=day0 + timedelta(hours=offset * 4),
                standfirst="A standfirst for a benchmark article.",
                body=body,
            ).save_base(raw=True)
        ArticleAuthor.objects.bulk_create(
            [
                ArticleAuthor(
                    page_id=page.pk,
                    author=author,
                    affiliation="Scholar",
                    sort_order=n,
                    locale=locale,
                )
                for page in pages
                for n, author in enumerate(authors)
            ],
            batch_size=1000,
        )
        through = InsightArticlePage.topics.through
        through.objects.bulk_create(
            [
                through(insightarticlepage_id=page.pk, topic_id=topic.pk)
                for page in pages
                for topic in topics
            ],
            batch_size=1000,
        )
        Page.objects.filter(pk=index.pk).update(numchild=index.numchild + count)


def measure(client: Client, path: str) -> dict:
    cache = caches[settings.FOCUS_FEED_CACHE_ALIAS]
    cache.clear()
    client.get(path)  # renditions and Wagtail's site cache, made once in real life
    builds = []
    sql_times = []
    queries = None
    for _ in range(RUNS):
        cache.clear()
        client.get("/")  # refills Wagtail's own site cache, which is not the feed's
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            builds.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        queries = len(captured.captured_queries)
        sql_times.append(sum(float(query["time"]) for query in captured.captured_queries))
    cached = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(path)
        cached.append(time.perf_counter() - started)
    return {
        "build_ms": statistics.median(builds) * 1000,
        "cached_ms": statistics.median(cached) * 1000,
        "sql_ms": statistics.median(sql_times) * 1000,
        "entries": response.content.count(b"<item>"),
        "queries": queries,
        "bytes": len(response.content),
    }


def main() -> int:
    from tests.factories import build_site, make_article, make_author, make_image, make_topic

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        tree = build_site()
        authors = [make_author("Sajjad Ashraf"), make_author("Lawrence Lau")]
        topics = [make_topic("Foreign Policy"), make_topic("Finance & Economy", "finance-economy")]
        image = make_image("Harbour")
        first = make_article(tree.insights, authors=authors, topics=topics, lead_image=image)
        client = Client()
        results = {}
        for total in TOTALS:
            existing = InsightArticlePage.objects.count()
            started = time.perf_counter()
            bulk_articles(tree.insights, total - existing, authors, topics, image, first)
            created = time.perf_counter() - started
            print(f"{total:>6} articles (created {total - existing} in {created:.1f}s)")
            for name, path in FEEDS.items():
                result = measure(client, path)
                results[(total, name)] = result
                print(
                    f"    {name:<11} {path:<34} {result['entries']:3d} entries"
                    f"   build {result['build_ms']:6.1f} ms (SQL {result['sql_ms']:5.1f} ms)"
                    f"   cached {result['cached_ms']:5.1f} ms   {result['queries']:3d} queries"
                )
        same = all(
            results[(10, name)]["queries"] == results[(TOTALS[-1], name)]["queries"]
            for name in FEEDS
        )
        print(
            f"query count the same at {TOTALS[0]:,} and {TOTALS[-1]:,} articles:",
            "yes" if same else "NO",
        )
        return 0 if same else 1
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
