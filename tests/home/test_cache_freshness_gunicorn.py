"""Freshness as production runs it: gunicorn, three workers, edits from another process.

Each configuration starts one real gunicorn (production settings, three sync
workers) on a throwaway database (an SQLite file, or a PostgreSQL database
when DATABASE_URL is set) with the database task backend, and one editor
process (``tests/home/freshness_editor.py``) that makes every kind of change.
After each change, every URL that shows it is fetched with
``Connection: close`` until each of the three workers (named by the
``X-Worker`` response header) has answered it, and every answer must show the
change within two seconds of the change committing.

Configurations: Redis with the task worker running; the default production
store (the database's cache tables) with no task worker, so Wagtail's
reference index never catches up.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
WORKERS = 3
FRESH_WITHIN = 2.0
REDIS_URL = os.environ.get("FOCUS_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")
CONFIGS = {
    "redis-with-task-worker": {"store": "redis", "task_worker": True, "port": 8136},
    "database-store-no-task-worker": {"store": "database", "task_worker": False, "port": 8137},
}


def _redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def _database_url(tmp: Path, name: str) -> tuple[str, callable]:
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        return f"sqlite:///{tmp / 'site.sqlite3'}", lambda: None
    import psycopg

    parts = urlsplit(base)
    db = f"{parts.path.lstrip('/')}_fresh_{name.replace('-', '_')}"[:60]
    admin = urlunsplit(parts._replace(path="/postgres"))

    def run(sql: str) -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql)

    run(f'DROP DATABASE IF EXISTS "{db}"')
    run(f'CREATE DATABASE "{db}"')
    return urlunsplit(parts._replace(path=f"/{db}")), lambda: run(
        f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'
    )


class Site:
    """A running deployment: gunicorn, maybe a task worker, and an editor process."""

    def __init__(self, name: str, config: dict, tmp: Path):
        self.name, self.port = name, config["port"]
        db_url, self.drop_database = _database_url(tmp, name)
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "focus_site.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "DATABASE_URL": db_url,
            "WAGTAILADMIN_BASE_URL": f"http://{HOST}:{self.port}",
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_ROOT": str(tmp / "static"),
            "MEDIA_ROOT": str(tmp / "media"),
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "FOCUS_WORKER_HEADER": "1",
            "LOG_LEVEL": "ERROR",
            "PYTHONPATH": str(ROOT),
        }
        self.env.pop("REDIS_URL", None)
        self.env.pop("FOCUS_CACHE_STORE", None)
        if config["store"] == "redis":
            self.env["REDIS_URL"] = REDIS_URL
            # A prefix of its own: this run never touches another's keys.
            self.env["CACHE_KEY_PREFIX"] = f"focus-fresh-{secrets.token_hex(6)}"
        self.processes: list[subprocess.Popen] = []
        self.workers: set[str] = set()
        self._prepare(config)

    def manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def _start(self, *command: str, **kwargs) -> subprocess.Popen:
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, **kwargs)
        self.processes.append(process)
        return process

    def _prepare(self, config: dict) -> None:
        self.manage("migrate", "--noinput", "-v0")
        self.manage("createcachetable")
        self.manage("load_sample_content", "--no-admin", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        if config["task_worker"]:
            self._start(
                sys.executable,
                "manage.py",
                "db_worker",
                "--interval",
                "0.2",
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        self._start(
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "gunicorn.conf.py",
            "--no-control-socket",
            "--workers",
            str(WORKERS),
            "--bind",
            f"{HOST}:{self.port}",
            "--access-logfile",
            "/dev/null",
        )
        self.editor = self._start(
            sys.executable,
            "-m",
            "tests.home.freshness_editor",
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 90
        while len(self.workers) < WORKERS:
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn answered from {self.workers} only")
            try:
                self.workers.add(self.get("/")[2])
            except OSError:
                time.sleep(0.3)

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.drop_database()

    def get(self, path: str) -> tuple[int, str, str, str]:
        """(status, body, worker pid, X-Cache) of one request on a fresh connection."""
        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            conn.request("GET", path, headers={"Connection": "close"})
            response = conn.getresponse()
            body = response.read().decode("utf-8", "replace")
            return (
                response.status,
                body,
                response.getheader("X-Worker", ""),
                response.getheader("X-Cache", ""),
            )
        finally:
            conn.close()

    def change(self, name: str, dry: bool = False, **args) -> dict:
        command = {"name": name, "args": args, "dry": dry}
        self.editor.stdin.write(json.dumps(command) + "\n")
        self.editor.stdin.flush()
        result = json.loads(self.editor.stdout.readline())
        assert result.pop("ok"), f"{name}: {result.get('error')}"
        return result

    def warm(self, paths) -> None:
        """Cache each URL, so a stale copy would be there to serve."""
        for path in paths:
            for _ in range(2):
                self.get(path)

    def stale_answers(self, expect: dict) -> list[str]:
        """Every way some worker still shows the old state, reaching every worker per URL."""
        problems = []
        for path in expect.get("urls", []):
            seen: set[str] = set()
            for _attempt in range(WORKERS * 15):
                status, body, worker, _hit = self.get(path)
                seen.add(worker)
                if status != 200:
                    problems.append(f"{path}: HTTP {status} from worker {worker}")
                problems += [
                    f"{path}: worker {worker} lacks {text!r}"
                    for text in expect.get("present", [])
                    if text not in body
                ]
                problems += [
                    f"{path}: worker {worker} still shows {text!r}"
                    for text in expect.get("absent", [])
                    if text in body
                ]
                if problems or seen >= self.workers:
                    break
            if not seen >= self.workers:
                problems.append(f"{path}: reached workers {seen} of {self.workers}")
        for path in expect.get("gone", []):
            for _attempt in range(WORKERS * 2):
                status, _body, worker, _hit = self.get(path)
                if status == 200:
                    problems.append(f"{path}: still answered 200 by worker {worker}")
        return problems

    def assert_fresh(self, name: str, expect: dict, since: float) -> float:
        """Poll until every worker shows the change; fail past the two seconds."""
        while True:
            problems = self.stale_answers(expect)
            elapsed = time.monotonic() - since
            if not problems:
                return elapsed
            assert elapsed <= FRESH_WITHIN, (
                f"{self.name} / {name}: stale after {elapsed:.1f}s: {problems[:5]}"
            )
            time.sleep(0.1)


@pytest.fixture(scope="module", params=list(CONFIGS))
def site(request, tmp_path_factory):
    config = CONFIGS[request.param]
    if config["store"] == "redis" and not _redis_reachable():
        if os.environ.get("CI") or os.environ.get("FOCUS_REQUIRE_REDIS"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    deployment = Site(request.param, config, tmp_path_factory.mktemp(request.param))
    yield deployment
    deployment.stop()


# Order matters a little: later changes pick the newest listed article, which
# earlier ones may have replaced.
CHANGES = [
    "new_article",
    "retitle",
    "author_edit",
    "topic_edit",
    "image_edit",
    "settings_edit",
    "moderation",
    "question_closing",
    "unpublish",
    "move",
    "delete",
    "privacy",
]


def test_every_change_is_fresh_on_every_worker_within_two_seconds(site):
    timings = {}
    for name in CHANGES:
        # The same change rolled back names the URLs it touches: cache them
        # first, so a stale copy would be there to serve.
        site.warm(site.change(name, dry=True)["urls"])
        started = time.monotonic()
        expect = site.change(name)
        timings[name] = site.assert_fresh(name, expect, started)
    print(f"\n{site.name}: seconds until fresh on all {WORKERS} workers: {timings}")


def test_scheduled_publication_caps_cached_pages_and_appears_when_published(site):
    site.warm(["/insights/"])
    scheduled = site.change("schedule", seconds=4)
    # A page cached now must not be kept past the go-live moment.
    conn = http.client.HTTPConnection(HOST, site.port, timeout=30)
    conn.request("GET", "/insights/?page=1", headers={"Connection": "close"})
    response = conn.getresponse()
    response.read()
    control = response.getheader("Cache-Control", "")
    conn.close()
    s_maxage = int(control.split("s-maxage=")[1].split(",")[0])
    assert s_maxage <= scheduled["go_live_at"] - time.time() + 1, control
    site.warm(["/insights/"])
    time.sleep(max(0.0, scheduled["go_live_at"] - time.time()) + 0.2)
    started = time.monotonic()
    expect = site.change("publish_scheduled", title=scheduled["title"])
    site.assert_fresh("scheduled publishing", expect, started)
