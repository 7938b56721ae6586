"""Page benchmark: every public page type, uncached, on the sample site and at 10,000 articles.

    python benchmarks/pages.py                       # sample site, then 10,000 / 500
    python benchmarks/pages.py --sizes 10000:500     # one size (articles:issues)
    python benchmarks/pages.py --cached              # page-cache figures as well
    python benchmarks/pages.py --rounds 3            # sizes in alternation, medians
    BENCH_DATABASE_URL=postgres://user@host:5432/focus_bench python benchmarks/pages.py

Prints, per page, uncached requests per second, the server's CPU time per
request (gunicorn's processes and, on PostgreSQL, the database's backends),
p50/p99 latency (ms), SQL queries and response bytes at each size, and how
much slower the larger size is, by requests per second and by CPU time. With
``--rounds N`` the sizes are measured in turn N times and each figure is the
median of its rounds, so a drift of the machine between one size and the next
(other work, the database's own housekeeping) falls on both. Runs on
SQLite, then on PostgreSQL too when BENCH_DATABASE_URL names a
server (one database per size there, <name>_<articles>_<issues>).

Also prints the home page, the sample issue and article, and a search in each Chinese
edition beside the same in English (``--pages`` takes any row's name).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import (  # noqa: E402
    PYTHON,
    ROOT,
    count_queries,
    empty_page_cache,
    fetch,
    gunicorn,
    load,
    prepare_site,
    server_env,
)

# Each Chinese edition beside English: the same pages (the sample issue and an
# article translated into both), its home page and a search for a common word.
EDITIONS = {"en": "", "zh-hans": "简体", "zh-hant": "繁體"}
SEARCH_WORD = {"en": "china", "zh-hans": "中国", "zh-hant": "中國"}
# With the page cache off, feeds would still come from their own cache;
# a lifetime of zero makes every request build the document.
UNCACHED = {"FOCUS_PAGE_CACHE_ENABLED": "0", "FOCUS_FEED_CACHE_SECONDS": "0"}


def page_paths(db_url: str) -> dict[str, str]:
    urls = json.loads(
        subprocess.run(
            [PYTHON, str(ROOT / "benchmarks" / "_queries.py"), "--urls"],
            cwd=ROOT,
            env=server_env(db_url),
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    editions = {}
    for code, label in EDITIONS.items():
        suffix = f" {label or 'English'}"
        prefix = f"/{code}" if label else ""
        editions[f"edition home{suffix}"] = f"{prefix}/"
        for kind in ("issue", "article"):
            if code in urls[f"{kind}_editions"]:
                editions[f"sample {kind}{suffix}"] = urls[f"{kind}_editions"][code]
        editions[f"edition search{suffix}"] = f"{prefix}/search/?q={quote(SEARCH_WORD[code])}"
    return {
        "home": "/",
        "issue": urls["issue"],
        "article": urls["article"],
        "listing p1": "/insights/",
        "listing p400": "/insights/?page=400",
        "topic": urls["topic"],
        "topic p100": f"{urls['topic']}?page=100",
        "author": urls["author"],
        "archive": "/this-week/",
        "archive year": f"/this-week/{urls['year']}/",
        "search": "/search/?q=china",
        "search p40": "/search/?q=china&page=40",
        "site feed": "/feeds/all.rss",
        "section feed": "/feeds/insights.rss",
        "topic feed": f"/feeds/topics/{urls['topic_slug']}.rss",
        "author feed": f"/feeds/authors/{urls['author_slug']}.rss",
        **editions,
    }


def cache_stores() -> list[tuple[str, dict[str, str]]]:
    """The shared stores production may use: the database's cache tables, and Redis.

    Redis comes from BENCH_REDIS_URL (default: database 3 on the local
    server), under a key prefix of its own; it is skipped when unreachable.
    """
    stores = [("database", {"FOCUS_CACHE_STORE": "database"})]
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")
    try:
        import redis

        redis.Redis.from_url(url, socket_timeout=1).ping()
    except Exception:
        print(f"Redis at {url} unreachable: cached figures for the database store only")
        return stores
    prefix = f"focus-bench-{secrets.token_hex(4)}"
    stores.append(("redis", {"REDIS_URL": url, "CACHE_KEY_PREFIX": prefix}))
    return stores


def run_size(
    db_url: str,
    requests: int,
    concurrency: int,
    only: set[str] = frozenset(),
    cached: bool = False,
    queries: bool = True,
) -> dict[str, dict]:
    paths = {name: path for name, path in page_paths(db_url).items() if not only or name in only}
    rows = {name: {"page": name, "path": path} for name, path in paths.items()}
    empty_page_cache(db_url)
    with gunicorn(db_url, **UNCACHED):
        for name, path in paths.items():
            # Twice: the first request fills what every later one reuses
            # (navigation, renditions, a listing's page keys).
            fetch(path)
            status, length = fetch(path)
            rows[name].update(status=status, bytes=length)
            if status != 200:
                continue
            # Then in parallel, so that every worker has rendered the page once:
            # a worker's first render of a kind of page loads its templates and
            # code, a cost the measured requests would otherwise share unevenly.
            load(path, 2 * concurrency, concurrency)
            rows[name]["uncached"] = load(path, requests, concurrency)
    if cached:
        for store, extra in cache_stores():
            with gunicorn(db_url, FOCUS_PAGE_CACHE_ENABLED="1", **extra):
                for name, path in paths.items():
                    if rows[name]["status"] != 200:
                        continue
                    for _ in range(6):
                        fetch(path)
                    rows[name][store] = load(path, requests * 5, concurrency)
    if queries:
        live = [path for name, path in paths.items() if rows[name]["status"] == 200]
        counts = count_queries(db_url, live)
        for row in rows.values():
            row["queries"] = counts.get(row["path"])
    return rows


# What a page's figures are measured as: the median of the rounds.
MEASURED = ("uncached", "database", "redis")


def median_rows(rounds: list[dict[str, dict]]) -> dict[str, dict]:
    """Each page's figures as the median of its rounds (5xx responses summed).

    Queries and bytes come from the first round: they do not vary.
    """
    merged = {}
    for name, first in rounds[0].items():
        row = dict(first)
        for kind in MEASURED:
            figures = [result[name][kind] for result in rounds if kind in result[name]]
            if len(figures) < len(rounds):
                continue
            row[kind] = {
                key: sum(f[key] for f in figures)
                if key == "errors"
                else statistics.median(f[key] for f in figures)
                for key in figures[0]
            }
        merged[name] = row
    return merged


def _cells(row: dict | None) -> list[str]:
    if row is None or "uncached" not in row:
        status = row.get("status") if row else None
        return [f"HTTP {status}" if status else "", "", "", "", "", ""]
    u = row["uncached"]
    return [
        f"{u['rps']:.1f}",
        f"{u['cpu_ms']:.1f}",
        f"{u['p50']:.0f}",
        f"{u['p99']:.0f}",
        f"{row['queries']}",
        f"{row['bytes'] / 1024:.1f}",
    ]


def print_comparison(
    label: str, sizes: list[str], results: list[dict[str, dict]], rounds: int = 1
) -> None:
    """One table: each page's uncached figures at every size, and the slowdown."""
    medians = f", median of {rounds} rounds" if rounds > 1 else ""
    print(f"\n## {label}: uncached, 2 gunicorn workers{medians}\n")
    header = ["page"]
    for size in sizes:
        header += [f"{size} req/s", "CPU ms", "p50 ms", "p99 ms", "queries", "KB"]
    if len(sizes) > 1:
        # By requests per second, and by the server's CPU per request, which
        # holds still when other work shares the machine between the runs.
        header += ["slower by", "CPU ratio"]
    print("| " + " | ".join(header) + " |")
    print("|---|" + "---:|" * (len(header) - 1))
    for name in results[0]:
        rows = [result.get(name) for result in results]
        cells = [name]
        for row in rows:
            cells += _cells(row)
        if len(rows) > 1:
            first, last = rows[0].get("uncached"), rows[-1].get("uncached")
            cells.append(f"{first['rps'] / last['rps']:.2f}x" if first and last else "")
            cells.append(f"{last['cpu_ms'] / first['cpu_ms']:.2f}x" if first and last else "")
        print("| " + " | ".join(cells) + " |")
    errors = sum(
        row.get(kind, {}).get("errors", 0)
        for result in results
        for row in result.values()
        for kind in ("uncached", "database", "redis")
    )
    print(f"\n5xx responses: {errors}")


def print_cached(label: str, size: str, rows: dict[str, dict]) -> None:
    print(f"\n## {label}, {size}: page cache on\n")
    print("| page | cached req/s (database) | p50 ms | cached req/s (Redis) | p50 ms |")
    print("|---|---:|---:|---:|---:|")
    for row in rows.values():
        cells = []
        for store in ("database", "redis"):
            figures = row.get(store)
            cells += [f"{figures['rps']:.0f}", f"{figures['p50']:.1f}"] if figures else ["", ""]
        print(f"| {row['page']} | " + " | ".join(cells) + " |")


def databases() -> list[tuple[str, str | None]]:
    """SQLite always; PostgreSQL too when BENCH_DATABASE_URL names a server."""
    runs: list[tuple[str, str | None]] = [("SQLite", None)]
    if os.environ.get("BENCH_DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        runs.append(("PostgreSQL", os.environ["BENCH_DATABASE_URL"]))
    else:
        print("(Set BENCH_DATABASE_URL to a PostgreSQL server to measure PostgreSQL too.)")
    return runs


def size_label(articles: int, issues: int) -> str:
    return "sample site" if articles == issues == 0 else f"{articles:,}/{issues}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--sizes",
        default="0:0,10000:500",
        help="articles:issues,... generated on top of the sample site (0:0: the sample alone)",
    )
    parser.add_argument("--requests", type=int, default=40, help="uncached GETs per page")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument(
        "--pages", default="", help="comma-separated page names to measure (default: all)"
    )
    parser.add_argument("--cached", action="store_true", help="measure the page cache as well")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure the sizes in turn this many times and print each figure's median",
    )
    args = parser.parse_args()
    only = {name.strip() for name in args.pages.split(",") if name.strip()}
    sizes = [tuple(int(part) for part in size.split(":")) for size in args.sizes.split(",")]
    rounds_count = max(1, args.rounds)
    for label, server in databases():
        # The harness reads BENCH_DATABASE_URL to pick the database of each size.
        if server is None:
            os.environ.pop("BENCH_DATABASE_URL", None)
        else:
            os.environ["BENCH_DATABASE_URL"] = server
        db_urls = [prepare_site(articles, issues) for articles, issues in sizes]
        rounds: list[list[dict[str, dict]]] = [[] for _ in sizes]
        for round_number in range(rounds_count):
            for measured, db_url in zip(rounds, db_urls, strict=True):
                measured.append(
                    run_size(
                        db_url,
                        args.requests,
                        args.concurrency,
                        only,
                        args.cached,
                        queries=round_number == 0,
                    )
                )
        results = [median_rows(measured) for measured in rounds]
        if args.cached:
            for (articles, issues), rows in zip(sizes, results, strict=True):
                print_cached(label, size_label(articles, issues), rows)
        print_comparison(label, [size_label(*size) for size in sizes], results, rounds_count)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
