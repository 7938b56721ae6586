"""Uncached render time, in process: each page type with the fragment cache off, then on.

    python benchmarks/render.py                  # the table (runs 200 times per page)
    python benchmarks/render.py --runs 50        # quicker, noisier
    python benchmarks/render.py --profile issue  # where one page's time goes (cProfile)

The sample site (``load_sample_content``) is built once in ``var/bench/`` (a
SQLite file, or ``BENCH_DATABASE_URL``'s server with a database of its own)
and served by Django's test client in this process: no server, no network.
The page cache is off throughout; the caches are the local-memory ones of the
test settings, so a fragment read costs no SQL. Every page is rendered a few
times first (warm), then timed; queries are counted on one more render.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import named_database_url  # noqa: E402


def database_url() -> str:
    return named_database_url("render", "render-sample.sqlite3")


def prepare(db_url: str) -> None:
    """Migrate and load the sample site once (a marker file says it is done)."""
    marker = VAR / f"render-ready-{hashlib.sha256(db_url.encode()).hexdigest()[:12]}"
    if marker.exists():
        return
    if db_url.startswith("postgres"):
        import psycopg

        parts = urlsplit(db_url)
        admin = urlunsplit(parts._replace(path="/postgres"))
        name = parts.path.lstrip("/")
        with psycopg.connect(admin, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "focus_site.settings.test",
        "DATABASE_URL": db_url,
    }
    for args in (["migrate", "--noinput", "-v0"], ["load_sample_content", "--no-admin", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)
    VAR.mkdir(parents=True, exist_ok=True)
    marker.write_text(db_url)


def page_urls() -> dict[str, str]:
    from insights.models import InsightArticlePage
    from issues.models import IssuePage, QuestionPage, VideoPage

    english = {"locale__language_code": "en"}

    def newest(model, field):
        return model.objects.live().filter(**english).order_by(f"-{field}", "-pk").first().url

    return {
        "article": newest(InsightArticlePage, "date"),
        "issue": newest(IssuePage, "issue_date"),
        "home": "/",
        "question": newest(QuestionPage, "date"),
        "video": newest(VideoPage, "date"),
        "/insights/": "/insights/",
    }


def render_times(client, url: str, runs: int) -> list[float]:
    for _ in range(5):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


def queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def calls(client, url: str, renders: int = 5) -> int:
    """Python function calls per render: steadier than time on a busy machine."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(renders):
        client.get(url)
    profiler.disable()
    return round(pstats.Stats(profiler).total_calls / renders)


def summary(times: list[float]) -> tuple[float, float, float]:
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    return statistics.fmean(times), statistics.median(times), p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="timed renders per page and mode")
    parser.add_argument("--profile", metavar="PAGE", help="profile one page instead")
    parser.add_argument("--fragments", choices=("on", "off"), default="off", help="with --profile")
    options = parser.parse_args()

    db_url = database_url()
    prepare(db_url)
    os.environ["DJANGO_SETTINGS_MODULE"] = "focus_site.settings.test"
    os.environ["DATABASE_URL"] = db_url
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment

    setup_test_environment()
    from home.caching.tags import tag_versions

    # Fragments built within the clock-skew allowance of the counters cache's
    # start are not trusted (home.caching.tags): start it, then wait that long.
    tag_versions(())
    time.sleep(settings.FOCUS_PAGE_CACHE_CLOCK_SKEW + 0.1)
    client = Client()
    urls = page_urls()

    if options.profile:
        url = urls[options.profile]
        with override_settings(FOCUS_FRAGMENT_CACHE_ENABLED=options.fragments == "on"):
            render_times(client, url, 3)
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(options.runs):
                client.get(url)
            profiler.disable()
        if os.environ.get("BENCH_PROFILE_OUT"):
            profiler.dump_stats(os.environ["BENCH_PROFILE_OUT"])
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(45)
        return

    rows = []
    for name, url in urls.items():
        measured = {}
        # Alternating rounds, so both modes see the same machine load.
        for _round in range(4):
            for mode in ("off", "on"):
                with override_settings(FOCUS_FRAGMENT_CACHE_ENABLED=mode == "on"):
                    measured.setdefault(mode, []).extend(
                        render_times(client, url, max(1, options.runs // 4))
                    )
        counts, work = {}, {}
        for mode in ("off", "on"):
            with override_settings(FOCUS_FRAGMENT_CACHE_ENABLED=mode == "on"):
                client.get(url)
                counts[mode] = queries(client, url)
                work[mode] = calls(client, url)
        rows.append((name, measured, counts, work))

    database = "PostgreSQL" if db_url.startswith("postgres") else "SQLite"
    print(f"\nUncached render, in process ({database}, warm, page cache off, {options.runs} runs)")
    print("(off: fragment cache off, before; on: fragment cache on, after)\n")
    print(
        "| page | queries off | queries on | mean off ms | mean on ms | p50 off | p50 on "
        "| p99 off | p99 on | off/on (mean) | calls off | calls on | off/on (calls) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, measured, counts, work in rows:
        off, on = summary(sorted(measured["off"])), summary(sorted(measured["on"]))
        print(
            f"| {name} | {counts['off']} | {counts['on']} | {off[0]:.1f} | {on[0]:.1f} "
            f"| {off[1]:.1f} | {on[1]:.1f} | {off[2]:.1f} | {on[2]:.1f} | {off[0] / on[0]:.2f}x "
            f"| {work['off']} | {work['on']} | {work['off'] / work['on']:.2f}x |"
        )


if __name__ == "__main__":
    main()
