"""A production-settings site served by a real gunicorn, for tests that need several processes.

Started once per test module (it takes seconds); always on 127.0.0.1, on the
first free port from FOCUS_TEST_PORTS (default 8140-8149).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
SETTINGS = "tests.focus_site.uncollected_production"

# Builds the smallest site with an open Question of the Week; prints its path.
BUILD_QUESTION = (
    "from tests.factories import build_site, make_question; "
    "print(make_question(build_site().questions).url)"
)


def _port_range() -> range:
    """FOCUS_TEST_PORTS, or this test worker's share of it when the suite runs in
    several processes: two workers probing one range could both find a port free
    before either server has bound it."""
    first, _, last = os.environ.get("FOCUS_TEST_PORTS", "8140-8149").partition("-")
    ports = range(int(first), int(last or first) + 1)
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    share = len(ports) // workers
    if workers > 1 and share:
        start = int(worker) * share
        return ports[start : start + share]
    return ports


def free_port() -> int:
    for port in _port_range():
        with socket.socket() as probe:
            try:
                probe.bind((HOST, port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port in {_port_range()} for a test server.")


def listening_socket() -> socket.socket:
    """A socket already bound and listening on the first free port of FOCUS_TEST_PORTS.

    Handed to a server as an inherited file descriptor (gunicorn's
    ``--bind fd://N``): the port is held from the moment it is chosen, so two
    runs on one machine can never pick the same one.
    """
    for port in _port_range():
        sock = socket.socket()
        try:
            sock.bind((HOST, port))
        except OSError:
            sock.close()
            continue
        sock.listen(128)
        sock.set_inheritable(True)
        return sock
    raise RuntimeError(f"No free port in {_port_range()} for a test server.")


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "DATABASE_URL": database_url,
        "WAGTAILADMIN_BASE_URL": f"http://{HOST}",
        # Plain HTTP on the loopback: no TLS proxy in front.
        "SECURE_SSL_REDIRECT": "0",
        # The test process's own media folder: images it stores are served from there.
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    env.pop("REDIS_URL", None)
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def sqlite_site_with_a_question(path: Path) -> str:
    """Migrate a SQLite file, as `make run` does, and add an open question; its URL path."""
    env = production_env(f"sqlite:///{path}")
    manage(env, "migrate", "--noinput", "-v0")
    return manage(env, "shell", "-c", BUILD_QUESTION).strip().splitlines()[-1]


@dataclass
class Server:
    port: int
    stderr_path: Path

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            conn.close()

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")


@contextlib.contextmanager
def gunicorn(env: dict[str, str], stderr_path: Path, workers: int = 4) -> Iterator[Server]:
    """gunicorn with the project's gunicorn.conf.py and production settings, stopped on exit."""
    port = free_port()
    env = {**env, "GUNICORN_BIND": f"{HOST}:{port}", "WEB_CONCURRENCY": str(workers)}
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        server = Server(port, stderr_path)
        try:
            _wait_until_up(server, process)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(server: Server, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited at start-up:\n{server.stderr()}")
        try:
            server.request("GET", "/robots.txt")
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not start:\n{server.stderr()}")
