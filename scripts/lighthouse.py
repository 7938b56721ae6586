"""Print Lighthouse's four category scores for the home, issue and article pages.

A report, not a test: it builds the sample site in a throwaway SQLite database,
serves it on a free local port, runs Lighthouse (from node_modules) with the
system Chromium, and prints one line per page. Run it with ``make lighthouse``.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
# Desktop by default; LIGHTHOUSE_FORM_FACTOR=mobile uses Lighthouse's default
# (a phone on a throttled network, simulated).
PRESET = [] if os.environ.get("LIGHTHOUSE_FORM_FACTOR") == "mobile" else ["--preset=desktop"]
PAGES = {
    "home": "/",
    "issue": "/this-week/2026-02-06/",
    "article": "/insights/is-the-american-empire-following-a-historic-life-cycle/",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def audit(url: str) -> dict:
    completed = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            "--output-path=stdout",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
            *PRESET,
        ],
        cwd=ROOT,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout)


def scores(report: dict) -> dict[str, int]:
    return {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}


def shortfalls(report: dict) -> list[str]:
    """The weighted audits that cost points, so a score below 100 says why."""
    lines = []
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            found = report["audits"][ref["id"]]
            if ref["weight"] and found["score"] is not None and found["score"] < 1:
                lines.append(f"    {name}: {found['title']}")
    return lines


def main() -> int:
    port = free_port()
    with tempfile.TemporaryDirectory() as scratch:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "focus_site.settings.dev",
            "DATABASE_URL": f"sqlite:///{scratch}/lighthouse.sqlite3",
            "MEDIA_ROOT": f"{scratch}/media",
        }
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_sample_content", "--no-admin")
        server = subprocess.Popen(
            [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(base + "/")
            print(f"{'page':<10}" + "".join(f"{name:>16}" for name in CATEGORIES))
            for name, path in PAGES.items():
                report = audit(base + path)
                result = scores(report)
                print(f"{name:<10}" + "".join(f"{result[c]:>16}" for c in CATEGORIES))
                for line in shortfalls(report):
                    print(line)
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
