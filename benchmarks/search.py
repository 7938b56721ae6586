"""Search latency at 10,000 Insights articles, on SQLite and on PostgreSQL.

    python benchmarks/search.py [--articles 10000] [--repeat 15]

Each Chinese edition (简体 and 繁體) gets as many generated articles as the
English one, so Chinese queries (segmented, in either script) are timed
beside English ones over a corpus of the same size.

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
# The same kind of words in Simplified Chinese; the 繁體 edition's text is
# converted from them with OpenCC, as translators' drafts are.
VOCABULARY_ZH = (  # noqa: SIM905 - as above
    "中国 美国 中美 关系 贸易 关税 北京 华盛顿 台湾 主权 外交 联盟 峰会 谈判 安全 经济 "
    "债务 美元 国债 制裁 科技 半导体 气候 能源 排放 文化 学生 交流 认知 霸权 帝国 周期 "
    "衰落 中等 强国 东盟 欧洲 英国 菲律宾 海峡 军事 对话 合作 竞争 市场 投资 增长 通胀 "
    "消费者 制造业 供应链 出口 进口 政策 国会 总统 选举 舆论 媒体 新闻 历史"
).split()
RESULT_COUNT = re.compile(r"(\d+) results? for")
QUERIES = [
    ("one common word", "/search/", {"q": "china"}),
    ("one rarer word", "/search/", {"q": "semiconductors"}),
    ("three words", "/search/", {"q": "trade negotiation beijing"}),
    ("a phrase with punctuation", "/search/", {"q": 'Xi & Trump\'s "readout"'}),
    ("filtered by type and year", "/search/", {"q": "security", "type": "article", "year": "2025"}),
    ("filtered by topic", "/search/", {"q": "energy", "topic": "energy-environment"}),
    ("a late page", "/search/", {"q": "china", "page": "40"}),
    ("newest first", "/search/", {"q": "china", "sort": "newest"}),
    ("no match", "/search/", {"q": "xylophone"}),
    # The Chinese editions: segmented queries, in the edition's script or the other.
    ("简体: common word", "/zh-hans/search/", {"q": "中国"}),
    ("简体: rarer word", "/zh-hans/search/", {"q": "半导体"}),
    ("简体: three words", "/zh-hans/search/", {"q": "贸易 谈判 北京"}),
    ("简体: 繁體 query", "/zh-hans/search/", {"q": "貿易談判"}),
    ("简体: a late page", "/zh-hans/search/", {"q": "中国", "page": "40"}),
    ("繁體: common word", "/zh-hant/search/", {"q": "中國"}),
    ("繁體: 简体 query", "/zh-hant/search/", {"q": "半导体"}),
    ("繁體: no match", "/zh-hant/search/", {"q": "木琴"}),
]


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(words)).capitalize() + "."


def sentence_zh(rng: random.Random, words: int) -> str:
    return "".join(rng.choice(VOCABULARY_ZH) for _ in range(words)) + "。"


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
    existing = InsightArticlePage.objects.filter(locale__language_code="en").count()
    if existing >= target and chinese_done(target):
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
    topics = list(Topic.objects.filter(locale__language_code="en"))
    authors = list(Author.objects.filter(locale__language_code="en"))
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
    for code in ("zh-hans", "zh-hant"):
        build_chinese(code, target, topics, authors)
    print("    indexing …", flush=True)
    call_command("update_index", stdout=StringIO())


def chinese_done(target: int) -> bool:
    from insights.models import InsightArticlePage

    counts = [
        InsightArticlePage.objects.filter(locale__language_code=code).count()
        for code in ("zh-hans", "zh-hant")
    ]
    return min(counts) >= target


def build_chinese(code: str, target: int, topics, authors) -> None:
    """``target`` generated articles in one Chinese edition, under its own Insights index."""
    from django.db import transaction
    from wagtail.models import Locale

    from home.search.chinese import script_converter
    from insights.models import ArticleAuthor, InsightArticlePage, InsightsIndexPage

    locale = Locale.objects.get(language_code=code)
    english = InsightsIndexPage.objects.get(locale__language_code="en")
    index = InsightsIndexPage.objects.filter(locale=locale).first()
    if index is None:
        index = english.copy_for_translation(locale, copy_parents=True)
        index.save_revision().publish()
        index = InsightsIndexPage.objects.get(pk=index.pk)
    existing = InsightArticlePage.objects.filter(locale=locale).count()
    script = (lambda text: text) if code == "zh-hans" else script_converter("s2t").convert
    rng = random.Random(f"{code}-{existing}")
    started = time.perf_counter()
    for number in range(existing, target):
        with transaction.atomic():
            page = InsightArticlePage(
                title=script(sentence_zh(rng, 7)[:-1]),
                slug=f"bench-{number}",
                locale=locale,
                date=date(rng.choice([2024, 2025, 2026]), rng.randint(1, 12), rng.randint(1, 28)),
                standfirst=script(sentence_zh(rng, 25)),
                body=[
                    (
                        "paragraph",
                        "".join(f"<p>{script(sentence_zh(rng, 60))}</p>" for _ in range(3)),
                    ),
                ],
                live=True,
            )
            page.full_clean = lambda *args, **kwargs: None
            page.article_authors = [ArticleAuthor(author=rng.choice(authors), locale=locale)]
            page.topics = rng.sample(topics, k=min(2, len(topics)))
            index.add_child(instance=page)
            index.refresh_from_db(fields=["numchild", "path", "depth"])
        if number % 1000 == 999:
            elapsed = time.perf_counter() - started
            print(f"    {code}: {number + 1} articles ({elapsed:.0f} s)", flush=True)


def measure(repeat: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from home.search.query import relevance_ranking
    from insights.models import InsightArticlePage

    client = Client(HTTP_HOST="localhost")
    articles = InsightArticlePage.objects.live().filter(locale__language_code="en").count()
    order = "relevance" if relevance_ranking() else "newest first (no relevance ranking)"
    print(
        f"  {connection.vendor}: {articles} live articles per edition, "
        f"{repeat} runs per query, {order}"
    )
    print(f"  {'query':<28}{'results':>9}{'median ms':>11}{'p95 ms':>9}{'queries':>9}")
    for label, path, params in QUERIES:
        response = client.get(path, params)  # warm caches
        if response.status_code != 200:
            raise SystemExit(f"{label}: HTTP {response.status_code}")
        timings = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path, params)
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
