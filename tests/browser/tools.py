"""What the browser tests share: how Chromium is launched, what a visit records,
and the two checkers (axe-core in the page, the Nu HTML Checker on the served HTML).

Everything runs offline: axe-core and vnu.jar come from ``node_modules`` (``npm ci``),
Chromium is the system's, and every request off this machine is refused and recorded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
NODE_MODULES = ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# Not committed: a person looks at them to judge the design at both widths.
SCREENSHOT_DIR = ROOT / "var" / "screenshots"
BROWSER_WORK_DIR = ROOT / "var" / "browser"

# Headless, and nothing that phones home (updates, sync, safe browsing lists).
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}

VIEWPORTS = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1280, "height": 900},
}

# WCAG 2.0, 2.1 and 2.2 at levels A and AA, plus axe's best practices, which hold
# the landmark and heading-order rules.
AXE_TAGS = [
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22a",
    "wcag22aa",
    "best-practice",
]


def missing_tools() -> list[str]:
    """What the browser layer needs but this machine lacks (``make browser-deps`` adds it)."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(str(CHROMIUM))
    if not AXE_JS.exists():
        missing.append("node_modules/axe-core (npm ci)")
    if not VNU_JAR.exists():
        missing.append("node_modules/vnu-jar (npm ci)")
    if shutil.which("java") is None:
        missing.append("java")
    return missing


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about"}:
        return True
    return parts.hostname in LOCAL_HOSTS


@dataclass
class Recorder:
    """What one browser context asked for off this machine, and what its pages logged."""

    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    expected_error_urls: set[str] = field(default_factory=set)

    def reset(self) -> None:
        self.blocked.clear()
        self.console_errors.clear()
        self.expected_error_urls.clear()

    def attach(self, context) -> None:
        context.route("**/*", self._route)
        context.on("page", self.watch)
        for page in context.pages:
            self.watch(page)

    def watch(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error}"))

    def _route(self, route) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def _console(self, message) -> None:
        if message.type != "error":
            return
        where = message.location.get("url", "") if message.location else ""
        # The 404 page is meant to answer 404; Chromium logs that as a console error.
        # A form sent with errors answers 400 (its status is asserted separately).
        expected = where.split("#")[0] in self.expected_error_urls
        if expected and ("status of 404" in message.text or "status of 400" in message.text):
            return
        self.console_errors.append(f"{message.text} ({where})")


def new_context(browser, recorder: Recorder, **options):
    context = browser.new_context(**options)
    recorder.attach(context)
    return context


def run_axe(page, rules: list[str] | None = None) -> list[dict]:
    """axe-core's violations on the page as it stands, one dict per rule.

    ``rules`` narrows the run to those rule ids; by default every rule tagged
    in ``AXE_TAGS`` runs.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol rather than added as a <script>:
        # the site's Content-Security-Policy (rightly) refuses inline scripts.
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    run_only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": AXE_TAGS}
    result = page.evaluate(
        "(runOnly) => axe.run(document, {runOnly, resultTypes: ['violations']})",
        run_only,
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
            "html": [node["html"][:200] for node in violation["nodes"]][:3],
        }
        for violation in result["violations"]
    ]


def describe_axe(violations: list[dict]) -> str:
    return "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} at {v['targets']} e.g. {v['html']}"
        for v in violations
    )


def vnu_errors(files: list[Path]) -> dict[Path, list[str]]:
    """The Nu HTML Checker's errors for each file, in one Java run for all of them."""
    if not files:
        return {}
    completed = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    report = json.loads(completed.stderr or completed.stdout)
    errors: dict[Path, list[str]] = {path.resolve(): [] for path in files}
    for message in report["messages"]:
        if message["type"] not in {"error", "non-document-error"}:
            continue
        path = Path(urlsplit(message.get("url", "")).path).resolve()
        line = message.get("lastLine", "?")
        errors.setdefault(path, []).append(f"line {line}: {message['message']}")
    return errors
