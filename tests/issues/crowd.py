"""A crowd of readers answering the Question of the Week at the same moment, over real HTTP.

Each reader loads the question page (its CSRF cookie and the form's one-time
token), waits until every reader is ready, then posts the form. Shared by the
SQLite crowd test and the answer benchmark.
"""

from __future__ import annotations

import http.client
import re
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN_INPUT = re.compile(r'name="token" value="([^"]+)"')


@dataclass(frozen=True)
class Answer:
    status: int
    ms: float
    token: str


def _request(host, port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection(host, port, timeout=120)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def answer_crowd(host: str, port: int, path: str, readers: int) -> list[Answer]:
    """``readers`` simultaneous answers to the question at ``path``; one Answer each."""
    barrier = threading.Barrier(readers)

    def reader(number: int) -> Answer:
        status, headers, html = _request(host, port, "GET", path)
        if status != 200:
            barrier.abort()
            raise RuntimeError(f"The question page answered {status}.")
        # The CSRF cookie is marked Secure in production; a test client on the
        # loopback sends it back all the same, as a browser behind TLS would.
        cookies = SimpleCookie()
        for value in headers.get_all("Set-Cookie") or []:
            cookies.load(value)
        token = TOKEN_INPUT.search(html).group(1)
        body = urlencode(
            {
                "csrfmiddlewaretoken": CSRF_INPUT.search(html).group(1),
                "name": f"Reader {number}",
                "email": f"reader{number}@example.org",
                "affiliation": "Hong Kong",
                "response": f"Answer number {number}.",
                "consent": "on",
                "token": token,
            }
        )
        post_headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{key}={morsel.value}" for key, morsel in cookies.items()),
        }
        barrier.wait(timeout=120)
        started = time.perf_counter()
        status, _, _ = _request(host, port, "POST", path, body, post_headers)
        return Answer(status, (time.perf_counter() - started) * 1000, token)

    with ThreadPoolExecutor(max_workers=readers) as pool:
        return list(pool.map(reader, range(readers)))


def summary(answers: list[Answer]) -> dict[str, float]:
    """p50 and p99 latency (ms) and the number of 5xx answers."""
    latencies = sorted(answer.ms for answer in answers)
    return {
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "5xx": sum(1 for answer in answers if answer.status >= 500),
    }
