"""Shared pieces for benchmark scripts: a generated site, a gunicorn server, a load loop.

Every request goes to 127.0.0.1 only, in loops of a fixed length.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
PYTHON = sys.executable
HOST = "127.0.0.1"
PORT = int(os.environ.get("BENCH_PORT", "8181"))


def named_database_url(name: str, sqlite_name: str) -> str:
    """A benchmark's own database, reused between runs: a SQLite file under
    var/bench, or ``<BENCH_DATABASE_URL's database>_<name>`` on that server."""
    base = os.environ.get("BENCH_DATABASE_URL")
    if not base:
        VAR.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{VAR / sqlite_name}"
    parts = urlsplit(base)
    database = f"{parts.path.lstrip('/') or 'focus_bench'}_{name}"
    return urlunsplit(parts._replace(path=f"/{database}"))


def database_url(articles: int, issues: int) -> str:
    """One database per site size, reused between runs (generation takes minutes)."""
    return named_database_url(f"{articles}_{issues}", f"site-{articles}-{issues}.sqlite3")


def server_env(db_url: str, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "focus_site.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "DATABASE_URL": db_url,
        "WAGTAILADMIN_BASE_URL": f"http://{HOST}:{PORT}",
        # Plain HTTP on the loopback: no TLS in front of the benchmark.
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": str(VAR / "static"),
        "MEDIA_ROOT": str(VAR / "media"),
        "LOG_LEVEL": "ERROR",
    }
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _ensure_postgres_database(db_url: str) -> None:
    if not db_url.startswith("postgres"):
        return
    import psycopg

    parts = urlsplit(db_url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare_site(articles: int, issues: int) -> str:
    """Create (once) the sample site with this many generated articles and issues added."""
    db_url = database_url(articles, issues)
    digest = hashlib.sha256(db_url.encode()).hexdigest()[:12]
    marker = VAR / f"ready-{digest}-{articles}-{issues}"
    env = server_env(db_url)
    if not marker.exists():
        VAR.mkdir(parents=True, exist_ok=True)
        _ensure_postgres_database(db_url)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_sample_content", "--no-admin", "-v0")
        if articles or issues:  # 0:0 is the sample site alone
            manage(
                env,
                "generate_bulk_content",
                f"--articles={articles}",
                f"--issues={issues}",
            )
        marker.write_text(db_url)
    manage(env, "collectstatic", "--noinput", "-v0")
    return db_url


def empty_page_cache(db_url: str) -> None:
    """Forget stored pages and feeds, so an uncached run cannot be served a copy
    left by a cached one (a feed is kept a day by default)."""
    code = "from django.core.cache import caches; caches['default'].clear()"
    manage(server_env(db_url), "shell", "-c", code)


# The server being measured: its process group, and its database for
# PostgreSQL, whose backends do part of each request's work in processes of
# their own.
_server: dict[str, object] = {}


def _process_cpu(pid: int) -> tuple[int, int]:
    """(process group, user + system ticks) of a live process; (0, 0) once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0, 0
    return int(fields[2]), int(fields[11]) + int(fields[12])


def server_cpu_seconds() -> float:
    """CPU seconds used so far by the server: every process of gunicorn's session
    and, on PostgreSQL, the backends connected to its database.

    Unlike requests per second, this does not move with whatever else shares
    the cores, so two runs minutes apart compare fairly.
    """
    return session_cpu_seconds(_server.get("pgid"), str(_server.get("db_url", "")))


def session_cpu_seconds(group: object, db_url: str = "") -> float:
    """CPU seconds used so far by process group ``group`` and, for a PostgreSQL
    ``db_url``, by the backends connected to that database."""
    ticks = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            process_group, used = _process_cpu(int(entry))
            if process_group == group:
                ticks += used
    if db_url.startswith("postgres"):
        import psycopg

        with psycopg.connect(db_url, autocommit=True) as conn:
            backends = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            ).fetchall()
        ticks += sum(_process_cpu(pid)[1] for (pid,) in backends)
    return ticks / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def gunicorn(db_url: str, workers: int = 2, **extra_env: str) -> Iterator[str]:
    """A production-settings gunicorn on the loopback, stopped on exit."""
    env = server_env(
        db_url,
        GUNICORN_BIND=f"{HOST}:{PORT}",
        WEB_CONCURRENCY=str(workers),
        # The shared logging config reads these: no access log, warnings only.
        # (An --access-logfile on the command line would turn the access log
        # back on, one JSON line per request, and measure that too.)
        GUNICORN_ACCESS_LOG="",
        GUNICORN_LOG_LEVEL="warning",
    )
    env.update(extra_env)
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "--config",
            "gunicorn.conf.py",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
        # The access log goes to standard output; the tables are printed there.
        stdout=subprocess.DEVNULL,
        # Its own process group, so its workers' CPU time can be summed.
        start_new_session=True,
    )
    _server.update(pgid=process.pid, db_url=db_url)
    try:
        _wait_until_up()
        yield f"http://{HOST}:{PORT}"
    finally:
        _server.clear()
        process.terminate()
        process.wait(timeout=30)


def _wait_until_up(timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status, _ = fetch("/robots-probe-not-a-page/")
            if status:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


def fetch(path: str, headers: dict[str, str] | None = None) -> tuple[int, int]:
    """GET a path from the local server: (status, body length)."""
    conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, len(response.read())
    finally:
        conn.close()


def load(path: str, requests: int, concurrency: int) -> dict[str, float]:
    """Requests per second, latency percentiles (ms) and the server's CPU time per
    request (ms) for a fixed number of GETs."""

    def one(_n: int) -> tuple[float, int]:
        started = time.perf_counter()
        status, _length = fetch(path)
        return (time.perf_counter() - started) * 1000, status

    cpu_before = server_cpu_seconds()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(one, range(requests)))
    elapsed = time.perf_counter() - started
    cpu_ms = (server_cpu_seconds() - cpu_before) / requests * 1000
    latencies = sorted(latency for latency, _status in results)
    errors = sum(1 for _latency, status in results if status >= 500)
    return {
        "rps": requests / elapsed,
        # The server's CPU milliseconds per request (see server_cpu_seconds).
        "cpu_ms": cpu_ms,
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "errors": errors,
    }


def count_queries(db_url: str, paths: list[str]) -> dict[str, int]:
    """SQL queries per path, rendered uncached in a production-settings process."""
    # Feeds keep their own cache; a lifetime of zero builds each one.
    env = server_env(db_url, FOCUS_PAGE_CACHE_ENABLED="0", FOCUS_FEED_CACHE_SECONDS="0")
    output = subprocess.run(
        [PYTHON, str(ROOT / "benchmarks" / "_queries.py"), *paths],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])
