"""Search latency at 10,000 Insights articles, on SQLite and on PostgreSQL.

    python benchmarks/search.py [--articles 10000] [--repeat 15]

SQLite runs against its own file (var/bench/search-<articles>.sqlite3), built
once and reused. PostgreSQL runs too when BENCH_DATABASE_URL names a server
(as for the other benchmarks): the script creates and fills its own database
there, <name>_search_<articles>. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import time
from datetime import date
from io import StringIO
from urllib.parse import urlsplit, urlunsplit

from _harness import ROOT, VAR, _ensure_postgres_database

# Words of the sample issue and articles, so queries behave like readers' queries.
VOCABULARY = (  # noqa: SIM905 - a sentence of words reads better than a list
    "china united states relationship trade tariffs beijing washington taiwan sovereignty "
    "diplomacy alliance summit readout negotiation negotiable security economy debt dollar "
    "treasury sanctions technology semiconductors climate energy emissions culture students "
    "exchange perceptions hegemony empire cycle decline middle powers asean europe britain "
    "starmer philippines strait military dialogue cooperation competition rivalry markets "
    "investment growth inflation consumers manufacturing supply chains export import policy "
    "congress president xi trump election rhetoric public opinion media journalism history"
).split()
RESULT_COUNT = re.compile(r"(\d+) results? for")
QUERIES = [
    ("one common word", {"q": "china"}),
    ("one rarer word", {"q": "semiconductors"}),
    ("three words", {"q": "trade negotiation beijing"}),
    ("a phrase with punctuation", {"q": 'Xi & Trump\'s "readout"'}),
    ("filtered by type and year", {"q": "security", "type": "article", "year": "2025"}),
    ("filtered by topic", {"q": "energy", "topic": "energy-environment"}),
    ("a late page", {"q": "china", "page": "40"}),
    ("newest first", {"q": "china", "sort": "newest"}),
    ("no match", {"q": "xylophone"}),
]


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(words)).capitalize() + "."


def build_dataset(target: int) -> None:
    """Add generated articles until there are ``target``; indexed in one pass."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import transaction
    from wagtail.search.models import IndexEntry

    from insights.models import ArticleAuthor, Author, InsightArticlePage, InsightsIndexPage, Topic

    if not InsightsIndexPage.objects.exists():
        call_command("load_sample_content", "--no-admin", stdout=StringIO())
    existing = InsightArticlePage.objects.count()
    if existing >= target:
        # A build stopped before its indexing pass leaves articles unindexed.
        indexed = IndexEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(InsightArticlePage)
        ).count()
        if indexed < existing:
            print("    indexing …", flush=True)
            call_command("update_index", stdout=StringIO())
        return
    # Index once at the end rather than page by page.
    settings.WAGTAILSEARCH_BACKENDS["default"]["AUTO_UPDATE"] = False
    rng = random.Random(existing)
    index = InsightsIndexPage.objects.get(locale__language_code="en")
    topics = list(Topic.objects.all())
    authors = list(Author.objects.all())
    for number in range(len(authors), 200):
        authors.append(Author.objects.create(name=f"Writer {number}", slug=f"writer-{number}"))
    started = time.perf_counter()
    for number in range(existing, target):
        with transaction.atomic():
            page = InsightArticlePage(
                title=sentence(rng, 7)[:-1],
                slug=f"bench-{number}",
                date=date(rng.choice([2024, 2025, 2026]), rng.randint(1, 12), rng.randint(1, 28)),
                standfirst=sentence(rng, 25),
                body=[
                    ("paragraph", "".join(f"<p>{sentence(rng, 60)}</p>" for _ in range(3))),
                ],
                live=True,
            )
            # Page.save() validates the slug against every sibling, which grows
            # with the dataset; generated slugs are unique by construction.
            page.full_clean = lambda *args, **kwargs: None
            page.article_authors = [ArticleAuthor(author=rng.choice(authors))]
            page.topics = rng.sample(topics, k=min(2, len(topics)))
            index.add_child(instance=page)
            index.refresh_from_db(fields=["numchild", "path", "depth"])
        if number % 1000 == 999:
            print(f"    {number + 1} articles ({time.perf_counter() - started:.0f} s)", flush=True)
    print("    indexing …", flush=True)
    call_command("update_index", stdout=StringIO())


def measure(repeat: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from home.search.query import relevance_ranking
    from insights.models import InsightArticlePage

    client = Client(HTTP_HOST="localhost")
    articles = InsightArticlePage.objects.live().count()
    order = "relevance" if relevance_ranking() else "newest first (no relevance ranking)"
    print(f"  {connection.vendor}: {articles} live articles, {repeat} runs per query, {order}")
    print(f"  {'query':<28}{'results':>9}{'median ms':>11}{'p95 ms':>9}{'queries':>9}")
    for label, params in QUERIES:
        response = client.get("/search/", params)  # warm caches
        if response.status_code != 200:
            raise SystemExit(f"{label}: HTTP {response.status_code}")
        timings = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get("/search/", params)
                timings.append((time.perf_counter() - started) * 1000)
        found = RESULT_COUNT.search(response.content.decode())
        total = int(found.group(1)) if found else 0
        p95 = sorted(timings)[max(0, int(len(timings) * 0.95) - 1)]
        print(
            f"  {label:<28}{total:>9}{statistics.median(timings):>11.1f}{p95:>9.1f}"
            f"{len(captured.captured_queries):>9}"
        )


def run_one(articles: int, repeat: int) -> None:
    import django

    sys.path.insert(0, str(ROOT))
    # DEBUG off (as in production) without needing collected static files.
    os.environ["DJANGO_SETTINGS_MODULE"] = "focus_site.settings.test"
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    build_dataset(articles)
    measure(repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        run_one(options.articles, options.repeat)
        return
    # Each database runs in its own process: Django settings are read once.
    sqlite_path = VAR / f"search-{options.articles}.sqlite3"
    VAR.mkdir(parents=True, exist_ok=True)
    runs = [("SQLite", f"sqlite:///{sqlite_path}")]
    server = os.environ.get("BENCH_DATABASE_URL", "")
    if server.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(server)
        name = f"{parts.path.lstrip('/') or 'focus_bench'}_search_{options.articles}"
        url = urlunsplit(parts._replace(path=f"/{name}"))
        _ensure_postgres_database(url)
        runs.append(("PostgreSQL", url))
    else:
        print("(Set BENCH_DATABASE_URL to a PostgreSQL server to measure PostgreSQL too.)")
    for label, url in runs:
        print(f"Search at {options.articles} articles on {label}")
        command = [sys.executable, __file__, "--child", f"--articles={options.articles}"]
        command.append(f"--repeat={options.repeat}")
        env = {**os.environ, "DATABASE_URL": url}
        subprocess.run(command, env=env, check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
