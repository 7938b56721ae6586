"""Page benchmark: every public page type, uncached and cached, at two site sizes.

    python benchmarks/pages.py                 # 100 and 10,000 articles
    python benchmarks/pages.py --sizes 100:20  # one size (articles:issues)

Prints requests per second, p50/p99 latency (ms) and SQL queries per page, with
the home page, the sample issue and article, and a search in each Chinese
edition beside the same in English (``--pages`` takes any row's name).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import (  # noqa: E402
    PYTHON,
    ROOT,
    count_queries,
    fetch,
    gunicorn,
    load,
    prepare_site,
    server_env,
)

OPTIONAL = {"feed": "/feeds/", "search": "/search/?q=china"}
# Each Chinese edition beside English: the same pages (the sample issue and an
# article translated into both), its home page and a search for a common word.
EDITIONS = {"en": "", "zh-hans": "简体", "zh-hant": "繁體"}
SEARCH_WORD = {"en": "china", "zh-hans": "中国", "zh-hant": "中國"}


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
        "author": urls["author"],
        **OPTIONAL,
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
    articles: int, issues: int, requests: int, concurrency: int, only: set[str] = frozenset()
) -> list[dict]:
    db_url = prepare_site(articles, issues)
    paths = {name: path for name, path in page_paths(db_url).items() if not only or name in only}
    rows = {name: {"page": name, "path": path} for name, path in paths.items()}
    with gunicorn(db_url, FOCUS_PAGE_CACHE_ENABLED="0"):
        for name, path in paths.items():
            status, _ = fetch(path)
            rows[name]["status"] = status
            if status != 200:
                continue
            rows[name]["uncached"] = load(path, requests, concurrency)
    for store, extra in cache_stores():
        with gunicorn(db_url, FOCUS_PAGE_CACHE_ENABLED="1", **extra):
            for name, path in paths.items():
                if rows[name]["status"] != 200:
                    continue
                for _ in range(6):
                    fetch(path)
                rows[name][store] = load(path, requests * 5, concurrency)
    live = [path for name, path in paths.items() if rows[name]["status"] == 200]
    queries = count_queries(db_url, live)
    for row in rows.values():
        row["queries"] = queries.get(row["path"])
    return list(rows.values())


def print_table(articles: int, rows: list[dict]) -> None:
    print(f"\n## {articles:,} articles\n")
    print(
        "| page | queries | uncached req/s | p50 ms | cached req/s (database) | p50 ms "
        "| cached req/s (Redis) | p50 ms | speed-up (Redis) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        if "uncached" not in row:
            print(f"| {row['page']} | n/a (HTTP {row['status']}) | | | | | | | |")
            continue
        u = row["uncached"]
        db = row.get("database", {})
        rd = row.get("redis", {})
        cells = [f"{row['queries']}", f"{u['rps']:.0f}", f"{u['p50']:.1f}"]
        for figures in (db, rd):
            cells += [f"{figures['rps']:.0f}", f"{figures['p50']:.1f}"] if figures else ["", ""]
        cells.append(f"{rd['rps'] / u['rps']:.0f}x" if rd else "")
        print(f"| {row['page']} | " + " | ".join(cells) + " |")
    errors = sum(
        row.get(kind, {}).get("errors", 0)
        for row in rows
        for kind in ("uncached", "database", "redis")
    )
    print(f"\n5xx responses: {errors}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100:20,10000:500", help="articles:issues,...")
    parser.add_argument("--requests", type=int, default=60, help="uncached GETs per page")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument(
        "--pages", default="", help="comma-separated page names to measure (default: all)"
    )
    args = parser.parse_args()
    for size in args.sizes.split(","):
        articles, issues = (int(part) for part in size.split(":"))
        only = {name.strip() for name in args.pages.split(",") if name.strip()}
        rows = run_size(articles, issues, args.requests, args.concurrency, only)
        print_table(articles, rows)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
