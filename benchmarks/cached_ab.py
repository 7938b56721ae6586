"""Cached throughput side by side: another checkout of Focus against this one.

    python benchmarks/cached_ab.py                                # this checkout's stores alone
    python benchmarks/cached_ab.py --before ../focus-old          # 3 rounds, 1,200 GETs a page
    python benchmarks/cached_ab.py --before ../focus-old --rounds 5 --requests 2000

``--before`` is a checkout of an earlier commit with its own ``.venv`` (``make
install`` there). Each checkout serves its own copy of the sample site on
SQLite from gunicorn with two workers, production settings and the page cache
on. The earlier code runs with its own default store; this code runs with the
database store and, when Redis answers at BENCH_REDIS_URL, with Redis. The
configurations are interleaved round by round, so a change in the machine's
load touches all of them.

Prints, per page, the median over rounds of requests per second and of the
server's CPU time per request (every process of the gunicorn session, read
from /proc: what a request costs the server, whatever else shares the cores).
Workers are not recycled during a run (``GUNICORN_MAX_REQUESTS=0``): a worker
replaced mid-row restarts cold and would be measured as a slow page.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import HOST, PORT, ROOT, VAR, session_cpu_seconds  # noqa: E402

THREADS = 4


def checkout_env(checkout: Path, db: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "focus_site.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "DATABASE_URL": f"sqlite:///{db}",
        "WAGTAILADMIN_BASE_URL": f"http://{HOST}:{PORT}",
        "SECURE_SSL_REDIRECT": "0",
        "GUNICORN_BIND": f"{HOST}:{PORT}",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_MAX_REQUESTS": "0",
        # No access log: this checkout's gunicorn.conf.py reads these.
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_LOG_LEVEL": "warning",
        "FOCUS_PAGE_CACHE_ENABLED": "1",
        "LOG_LEVEL": "ERROR",
    }
    env.pop("REDIS_URL", None)
    env.update(extra)
    return env


def manage(checkout: Path, db: Path, *args: str) -> None:
    python = checkout / ".venv" / "bin" / "python"
    subprocess.run(
        [str(python), "manage.py", *args], cwd=checkout, env=checkout_env(checkout, db), check=True
    )


def prepare(checkout: Path, label: str) -> Path:
    """The checkout's own sample site (its migrations may differ from this one's)."""
    db = VAR / f"cached-ab-{label}.sqlite3"
    if not db.exists():
        VAR.mkdir(parents=True, exist_ok=True)
        manage(checkout, db, "migrate", "--noinput", "-v0")
        manage(checkout, db, "load_sample_content", "--no-admin", "-v0")
    manage(checkout, db, "collectstatic", "--noinput", "-v0")
    return db


def sample_pages(db: Path) -> dict[str, str]:
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "_queries.py"), "--urls"],
        cwd=ROOT,
        env=checkout_env(ROOT, db),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    urls = json.loads(out.strip().splitlines()[-1])
    return {
        "home": "/",
        "issue": urls["issue"],
        "article": urls["article"],
        "listing": "/insights/",
        "topic": urls["topic"],
        "author": urls["author"],
        "archive": "/this-week/",
        "site feed": "/feeds/all.rss",
        "section feed": "/feeds/insights.atom",
    }


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, str]:
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    return response.status, response.getheader("X-Cache", "")


def load(path: str, requests: int) -> tuple[float, int]:
    """Requests per second over ``requests`` GETs from THREADS threads, and how many failed."""

    def worker(_n: int) -> int:
        failed = 0
        conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
        for _ in range(requests // THREADS):
            try:
                status, _cache = get(conn, path)
            except OSError:
                conn.close()
                conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
                status = 0
            failed += status != 200
        conn.close()
        return failed

    started = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        failed = sum(pool.map(worker, range(THREADS)))
    return requests / (time.perf_counter() - started), failed


def measure(checkout: Path, db: Path, pages: dict[str, str], requests: int, **extra: str) -> dict:
    python = checkout / ".venv" / "bin" / "python"
    # An older gunicorn.conf.py may not read an empty GUNICORN_ACCESS_LOG: its
    # access log goes to /dev/null instead. Here the flag would turn the
    # access log back on (one JSON line per request), so it is left off.
    quiet = [] if checkout == ROOT else ["--access-logfile", "/dev/null", "--log-level", "warning"]
    server = subprocess.Popen(
        [str(python), "-m", "gunicorn", "--config", "gunicorn.conf.py", "--no-control-socket"]
        + quiet,
        cwd=checkout,
        env=checkout_env(checkout, db, **extra),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                get(http.client.HTTPConnection(HOST, PORT, timeout=2), "/")
                break
            except OSError:
                time.sleep(0.1)
        rows = {}
        for label, path in pages.items():
            conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
            for _ in range(6):
                get(conn, path)
            # A new store's first renders fall inside the clock-skew margin of
            # its epoch and are not served again: let it pass, then warm again.
            time.sleep(1.0)
            states = [get(conn, path) for _ in range(6)]
            conn.close()
            cpu_before = session_cpu_seconds(server.pid)
            rps, failed = load(path, requests)
            cpu_us = (session_cpu_seconds(server.pid) - cpu_before) / requests * 1e6
            rows[label] = {"rps": rps, "cpu_us": cpu_us, "failed": failed, "last": states[-1]}
        return rows
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()


def redis_answers(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 - any failure means "not available"
        return False


def table(title: str, results: dict[str, list[dict]], pages: dict[str, str], key: str) -> None:
    names = list(results)
    print(f"\n{title}\n")
    print("| page | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    for label in pages:
        medians = {n: statistics.median(r[label][key] for r in results[n]) for n in names}
        base = medians[names[0]]
        cells = [f"{medians[names[0]]:.0f}"] + [
            f"{medians[n]:.0f} ({(medians[n] / base - 1) * 100:+.0f}%)" for n in names[1:]
        ]
        print(f"| {label} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", type=Path, help="an earlier checkout to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=1200, help="GETs per page and round")
    args = parser.parse_args()
    dbs = {"after": prepare(ROOT, "after")}
    pages = sample_pages(dbs["after"])
    configs = []
    if args.before:
        before = args.before.resolve()
        dbs["before"] = prepare(before, "before")
        configs.append(("before", before, dbs["before"], {}))
    configs.append(("database", ROOT, dbs["after"], {"FOCUS_CACHE_STORE": "database"}))
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")
    if redis_answers(redis_url):
        prefix = f"bench-ab-{secrets.token_hex(4)}"
        configs.append(
            ("Redis", ROOT, dbs["after"], {"REDIS_URL": redis_url, "CACHE_KEY_PREFIX": prefix})
        )
    else:
        print(f"Redis at {redis_url} unreachable: the database store only")
    results: dict[str, list[dict]] = {name: [] for name, *_ in configs}
    for round_number in range(1, args.rounds + 1):
        for name, checkout, db, extra in configs:
            rows = measure(checkout, db, pages, args.requests, **extra)
            results[name].append(rows)
            failed = sum(row["failed"] for row in rows.values())
            missed = [label for label, row in rows.items() if row["last"][1] not in ("HIT", "")]
            print(
                f"round {round_number} {name}: "
                f"{statistics.mean(row['rps'] for row in rows.values()):.0f} req/s on average, "
                f"{failed} failed, not served from the cache after warming: {missed or 'none'}",
                flush=True,
            )
    table("Requests per second (median of rounds)", results, pages, "rps")
    table("Server CPU microseconds per request (median of rounds)", results, pages, "cpu_us")


if __name__ == "__main__":
    main()
