"""How long a reader waits for their answer to be accepted: whatever the mail server does,
and when a crowd answers at once.

Run from the project root:  .venv/bin/python benchmarks/response_submission.py [N]

1. Builds a throwaway test database, then posts N answers through the real view
   under each mail-server condition and prints latency figures. Nothing leaves
   the machine: the "slow" server is a local socket that accepts and never replies.
2. Serves the site with production settings through gunicorn (4 workers) and
   sends rounds of 50 simultaneous answers through the real form (CSRF cookie,
   one-time token): p50, p99 and the count of 5xx answers, on a SQLite file and
   on PostgreSQL (BENCH_DATABASE_URL, else a local server at 127.0.0.1:5432 if
   one answers). Each database is migrated once under var/bench/ and reused.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import statistics
import sys
import threading
import time
import uuid
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "focus_site.settings.test")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

SMTP = "django.core.mail.backends.smtp.EmailBackend"
# Production's: the request only queues the email and a worker (not run here) sends it.
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def black_hole() -> int:
    """A local port that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held = []

    def accept():
        while True:
            conn, _ = server.accept()
            held.append(conn)

    threading.Thread(target=accept, daemon=True).start()
    return server.getsockname()[1]


def closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def measure(url: str, count: int) -> list[float]:
    from issues.models import QuestionResponse

    client = Client()
    timings = []
    before = QuestionResponse.objects.count()
    for number in range(count):
        data = {
            "name": f"Reader {number}",
            "email": f"reader{number}@example.org",
            "response": "A benchmark answer.",
            "consent": "on",
            "token": str(uuid.uuid4()),
        }
        start = time.perf_counter()
        response = client.post(url, data)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 303, response.status_code
    assert QuestionResponse.objects.count() == before + count
    return timings


CROWD = 50
CROWD_ROUNDS = 3


def postgres_url() -> str | None:
    """The PostgreSQL server to measure on, if one is named or answers locally."""
    import psycopg

    base = os.environ.get("BENCH_DATABASE_URL")
    if not base:
        user = os.environ.get("PGUSER", "postgres")
        base = f"postgres://{user}@127.0.0.1:5432/focus_bench"
    parts = urlsplit(base)
    try:
        psycopg.connect(urlunsplit(parts._replace(path="/postgres")), connect_timeout=3).close()
    except psycopg.Error:
        return None
    return urlunsplit(parts._replace(path=f"/{parts.path.lstrip('/') or 'focus_bench'}_answers"))


def prepared_question(db_url: str) -> str:
    """Migrate the database once and add a question; its URL path (remembered between runs)."""
    from benchmarks._harness import VAR, _ensure_postgres_database
    from tests.focus_site.production_server import BUILD_QUESTION, manage, production_env

    VAR.mkdir(parents=True, exist_ok=True)
    marker = VAR / f"answers-{hashlib.sha256(db_url.encode()).hexdigest()[:12]}.path"
    if not marker.exists():
        _ensure_postgres_database(db_url)
        env = production_env(db_url)
        manage(env, "migrate", "--noinput", "-v0")
        marker.write_text(manage(env, "shell", "-c", BUILD_QUESTION).strip().splitlines()[-1])
    return marker.read_text()


def crowd() -> None:
    from benchmarks._harness import VAR
    from tests.focus_site.production_server import HOST, gunicorn, production_env
    from tests.issues.crowd import answer_crowd, summary

    databases = [("SQLite", f"sqlite:///{VAR / 'answers.sqlite3'}")]
    if pg := postgres_url():
        databases.append(("PostgreSQL", pg))
    else:
        print("PostgreSQL: no server (set BENCH_DATABASE_URL); SQLite only.")
    print(f"\n{CROWD} simultaneous answers × {CROWD_ROUNDS} rounds, gunicorn with 4 workers")
    print(f"{'database':12} {'p50 ms':>10} {'p99 ms':>10} {'5xx':>6}")
    for label, db_url in databases:
        path = prepared_question(db_url)
        env = production_env(
            db_url, FOCUS_RESPONSES_RATE_LIMIT="1000000", FOCUS_RESPONSES_NOTIFY="off"
        )
        with gunicorn(env, VAR / "answers-gunicorn.log", workers=4) as server:
            answers = []
            for _ in range(CROWD_ROUNDS):
                answers += answer_crowd(HOST, server.port, path, CROWD)
        figures = summary(answers)
        print(f"{label:12} {figures['p50']:10.1f} {figures['p99']:10.1f} {figures['5xx']:6d}")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    setup_test_environment()
    warnings.filterwarnings("ignore", "No directory at")  # static files are not collected
    # Each failed send is logged with a traceback; the figures are what matter here.
    logging.getLogger("issues.responses.notify").setLevel(logging.CRITICAL)
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from tests.factories import build_site, make_question

        question = make_question(build_site().questions)
        hole, closed = black_hole(), closed_port()
        cases = [
            ("in-memory mail", {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}),
            ("mail server refuses, immediate task", {"EMAIL_BACKEND": SMTP, "EMAIL_PORT": closed}),
            ("mail server hangs, immediate task", {"EMAIL_BACKEND": SMTP, "EMAIL_PORT": hole}),
            (
                "mail server hangs, database task",
                {"EMAIL_BACKEND": SMTP, "EMAIL_PORT": hole, "TASKS": DATABASE_TASKS},
            ),
        ]
        print(f"{count} answers per case; EMAIL_TIMEOUT=2 s")
        print(f"{'case':38} {'median ms':>10} {'p95 ms':>10} {'max ms':>10}")
        for label, overrides in cases:
            settings = {
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_TIMEOUT": 2,
                "FOCUS_RESPONSES_RATE_LIMIT": 100_000,
                **overrides,
            }
            cache.clear()
            with override_settings(**settings):
                timings = sorted(measure(question.url, count))
            p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
            print(f"{label:38} {statistics.median(timings):10.1f} {p95:10.1f} {timings[-1]:10.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    crowd()


if __name__ == "__main__":
    main()
