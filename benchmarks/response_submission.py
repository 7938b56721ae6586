"""How long a reader waits for their answer to be accepted, whatever the mail server does.

Run from the project root:  .venv/bin/python benchmarks/response_submission.py [N]

Builds a throwaway test database, then posts N answers through the real view
under each mail-server condition and prints latency figures. Nothing leaves
the machine: the "slow" server is a local socket that accepts and never replies.
"""

from __future__ import annotations

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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "focus_site.settings.test")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

SMTP = "django.core.mail.backends.smtp.EmailBackend"


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
            ("mail server refuses, sync", {"EMAIL_BACKEND": SMTP, "EMAIL_PORT": closed}),
            ("mail server hangs, sync", {"EMAIL_BACKEND": SMTP, "EMAIL_PORT": hole}),
            (
                "mail server hangs, async (default)",
                {"EMAIL_BACKEND": SMTP, "EMAIL_PORT": hole, "FOCUS_RESPONSES_NOTIFY_ASYNC": True},
            ),
        ]
        print(f"{count} answers per case; EMAIL_TIMEOUT=2 s")
        print(f"{'case':38} {'median ms':>10} {'p95 ms':>10} {'max ms':>10}")
        for label, overrides in cases:
            settings = {
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_TIMEOUT": 2,
                "FOCUS_RESPONSES_NOTIFY_ASYNC": False,
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


if __name__ == "__main__":
    main()
