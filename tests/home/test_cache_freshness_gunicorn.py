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
reference index never catches up; and that store again with the page cache
off, so every answer is rendered from the page fragments kept there.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.focus_site.production_server import listening_socket

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
WORKERS = 3
FRESH_WITHIN = 2.0
REDIS_URL = os.environ.get("FOCUS_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")
CONFIGS = {
    "redis-with-task-worker": {"store": "redis", "task_worker": True},
    "database-store-no-task-worker": {"store": "database", "task_worker": False},
    "fragments-without-page-cache": {"store": "database", "task_worker": False, "pages": False},
}


def _redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def _postgres(base: str):
    import psycopg

    parts = urlsplit(base)
    admin = urlunsplit(parts._replace(path="/postgres"))

    def run(sql: str) -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql)

    return parts, run


def _copy_database(template: str, tmp: Path, name: str) -> tuple[str, callable]:
    """A database of the configuration's own, copied from the prepared one."""
    if template.startswith("sqlite"):
        target = tmp / "site.sqlite3"
        shutil.copyfile(template.removeprefix("sqlite:///"), target)
        return f"sqlite:///{target}", lambda: None
    parts, run = _postgres(template)
    db = f"{parts.path.lstrip('/')}_{name.replace('-', '_')}"[:60]
    run(f'DROP DATABASE IF EXISTS "{db}"')
    run(f'CREATE DATABASE "{db}" TEMPLATE "{parts.path.lstrip("/")}"')
    return urlunsplit(parts._replace(path=f"/{db}")), lambda: run(
        f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'
    )


def _base_env(db_url: str, tmp: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "focus_site.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "DATABASE_URL": db_url,
        "WAGTAILADMIN_BASE_URL": f"http://{HOST}",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "FOCUS_WORKER_HEADER": "1",
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
    }
    for name in ("REDIS_URL", "FOCUS_CACHE_STORE", "CACHE_KEY_PREFIX"):
        env.pop(name, None)
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """One database with the sample issue and collected static files, built once."""
    tmp = tmp_path_factory.mktemp("fresh-template")
    base = os.environ.get("DATABASE_URL", "")
    drop = lambda: None  # noqa: E731
    if base.startswith("postgres"):
        parts, run = _postgres(base)
        db = f"{parts.path.lstrip('/')}_fresh"[:60]
        run(f'DROP DATABASE IF EXISTS "{db}"')
        run(f'CREATE DATABASE "{db}"')
        db_url = urlunsplit(parts._replace(path=f"/{db}"))
        drop = lambda: run(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')  # noqa: E731
    else:
        db_url = f"sqlite:///{tmp / 'template.sqlite3'}"
    env = _base_env(db_url, tmp)
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "createcachetable")
    # Immediate tasks here: the copy starts with an up-to-date reference index.
    _manage(
        {**env, "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "load_sample_content",
        "--no-admin",
        "-v0",
    )
    _manage(env, "collectstatic", "--noinput", "-v0")
    yield db_url, tmp
    drop()


class Site:
    """A running deployment: gunicorn, maybe a task worker, and an editor process."""

    def __init__(self, name: str, config: dict, prepared: tuple[str, Path], tmp: Path):
        self.name, self.port = name, 0
        self.page_cache = config.get("pages", True)
        template, template_dir = prepared
        db_url, self.drop_database = _copy_database(template, tmp, name)
        # Static files and media are shared with the prepared copy.
        self.env = _base_env(db_url, template_dir)
        if config["store"] == "redis":
            self.env["REDIS_URL"] = REDIS_URL
            # A prefix of its own: this run never touches another's keys.
            self.env["CACHE_KEY_PREFIX"] = f"focus-fresh-{secrets.token_hex(6)}"
        self.env["FOCUS_PAGE_CACHE_ENABLED"] = "1" if self.page_cache else "0"
        self.env["FOCUS_FRAGMENT_CACHE_ENABLED"] = "1"
        self.processes: list[subprocess.Popen] = []
        self.workers: set[str] = set()
        try:
            self._prepare(config)
        except BaseException:
            self.stop()
            raise

    def _start(self, *command: str, **kwargs) -> subprocess.Popen:
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, **kwargs)
        self.processes.append(process)
        return process

    def _prepare(self, config: dict) -> None:
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
        # A port from FOCUS_TEST_PORTS, bound here and inherited by gunicorn:
        # held from the moment it is chosen, so another run cannot take it.
        with listening_socket() as sock:
            self.port = sock.getsockname()[1]
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
                f"fd://{sock.fileno()}",
                "--access-logfile",
                "/dev/null",
                pass_fds=(sock.fileno(),),
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

    def _answers(self, path: str) -> list[tuple[float, int, str, str]]:
        """Answers to the URL from every worker: parallel batches until each has answered.

        A sync worker serves one request at a time, so simultaneous requests
        spread over the workers. Each answer: (time sent, status, body, worker).
        """
        answers = []
        seen: set[str] = set()
        with ThreadPoolExecutor(max_workers=2 * WORKERS) as pool:
            for _batch in range(15):

                def one(_n):
                    sent = time.monotonic()
                    status, body, worker, _hit = self.get(path)
                    return sent, status, body, worker

                for answer in pool.map(one, range(2 * WORKERS)):
                    answers.append(answer)
                    seen.add(answer[3])
                if seen >= self.workers:
                    return answers
        raise AssertionError(f"{path}: reached workers {seen} of {self.workers}")

    def problems(self, expect: dict) -> list[tuple[float, str]]:
        """Each answer showing the old state, with the time its request was sent."""
        found = []
        for group in expect.get("checks", []):
            found += self.problems(group)
        for path in expect.get("urls", []):
            for sent, status, body, worker in self._answers(path):
                if status != 200:
                    found.append((sent, f"{path}: HTTP {status} from worker {worker}"))
                found += [
                    (sent, f"{path}: worker {worker} lacks {text!r}")
                    for text in expect.get("present", [])
                    if text not in body
                ]
                found += [
                    (sent, f"{path}: worker {worker} still shows {text!r}")
                    for text in expect.get("absent", [])
                    if text in body
                ]
        for path in expect.get("gone", []):
            for sent, status, _body, worker in self._answers(path):
                if status == 200:
                    found.append((sent, f"{path}: still answered 200 by worker {worker}"))
        return found

    def assert_fresh(self, name: str, expect: dict, since: float) -> float:
        """Every answer sent two seconds or more after the commit shows it, on every worker.

        Rounds repeat while some answer was stale but sent inside the two
        seconds; a stale answer sent later fails the test. Returns the
        seconds from the change to the start of the first all-fresh round.
        """
        while True:
            round_started = time.monotonic()
            found = self.problems(expect)
            late = [problem for sent, problem in found if sent - since > FRESH_WITHIN]
            assert not late, f"{self.name} / {name}: stale after {FRESH_WITHIN}s: {late[:5]}"
            if not found:
                return round_started - since


@pytest.fixture(scope="module", params=list(CONFIGS))
def site(request, prepared, tmp_path_factory):
    config = CONFIGS[request.param]
    if config["store"] == "redis" and not _redis_reachable():
        if os.environ.get("CI") or os.environ.get("FOCUS_REQUIRE_REDIS"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    deployment = Site(request.param, config, prepared, tmp_path_factory.mktemp(request.param))
    yield deployment
    deployment.stop()


# Order matters a little: later changes pick the newest listed article, which
# earlier ones may have replaced.
CHANGES = [
    "publish_issue",
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
        planned = site.change(name, dry=True)
        site.warm(
            [*planned.get("urls", []), *(u for c in planned.get("checks", []) for u in c["urls"])]
        )
        expect = site.change(name)
        # The editor answers once the change has committed: the clock starts there.
        started = time.monotonic()
        timings[name] = site.assert_fresh(name, expect, started)
    print(f"\n{site.name}: seconds from commit until fresh on all {WORKERS} workers: {timings}")


def _s_maxage(site: Site, path: str) -> tuple[float, int]:
    """(Unix time the request was sent, the s-maxage of its answer)."""
    sent = time.time()
    conn = http.client.HTTPConnection(HOST, site.port, timeout=30)
    try:
        conn.request("GET", path, headers={"Connection": "close"})
        response = conn.getresponse()
        response.read()
        control = response.getheader("Cache-Control", "")
    finally:
        conn.close()
    return sent, int(control.split("s-maxage=")[1].split(",")[0])


def test_scheduled_publishing_and_expiry_cap_what_they_touch_and_show_when_run(site):
    """One moment: a new article by an existing author goes live, a listed one expires."""
    scheduled = site.change("schedule", seconds=10)
    moment = scheduled["go_live_at"]
    # Pages cached now that show either change must not be kept past the
    # moment; a page showing neither keeps its full lifetime. Feeds are kept
    # per edition version, not in the page cache.
    # (Without the page cache there is no cached page to cap.)
    if site.page_cache:
        paths = [path for path in scheduled["capped"] if not path.startswith("/feeds/")]
        # A worker may go on using the tag versions it read in the last
        # FOCUS_TAG_VERSIONS_REUSE_SECONDS (half a second) and serve its copy
        # from before the change, as it may for any change within the 2 seconds
        # allowed: ask once that has passed, still long before the moment.
        time.sleep(1.0)
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            answers = dict(zip(paths, pool.map(lambda p: _s_maxage(site, p), paths), strict=True))
        for path, (sent, s_maxage) in answers.items():
            assert sent < moment, f"{path} was asked after the moment: the check proves nothing"
            assert s_maxage <= moment - sent, (path, s_maxage, moment - sent)
        assert _s_maxage(site, "/videos/")[1] == 3600
    expect = scheduled["expect"]
    site.warm([*expect["urls"], *expect["gone"]])
    time.sleep(max(0.0, moment - time.time()) + 0.2)
    expect = site.change("publish_scheduled", expect=expect)
    started = time.monotonic()
    site.assert_fresh("scheduled publishing and expiry", expect, started)
