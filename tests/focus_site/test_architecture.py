"""The floors of docs/architecture.md, read from the source: every import points down.

Each module's imports (top-level and inside functions alike) are read with
``ast``; none may point at a floor the rules keep out of reach, and the floors
and apps may not import each other in a circle. Imports inside functions are
allowed only where Django wants them: an ``AppConfig.ready`` connecting signals.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import unittest
from collections import defaultdict
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("focus_site", "home", "insights", "issues")

# The floor that gathers every content type: the home page, site-wide feeds,
# search, SEO and the sitemap, sample content, and the wiring of home's signals
# and admin hooks. Every other module of ``home`` is the ground.
GATHERING = (
    "home.models",  # the package as a whole: it holds the home page
    "home.models.pages",
    "home.serving",
    "home.feeds",
    "home.search",
    "home.seo",
    "home.sample_content",
    "home.bulk",
    "home.management.commands.load_sample_content",
    "home.management.commands.generate_bulk_content",
    "home.apps",
    "home.wagtail_hooks",
)
# Above everything: the URL configuration and the WSGI entry point.
TOP = ("focus_site.urls", "focus_site.wsgi")
# What content apps must never import, even though it lives in ``home``.
CONTENT_MUST_NOT_IMPORT = ("home.models", "home.feeds", "home.seo", "home.search")


def _within(module: str, prefixes) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


def floor_of(module: str) -> str:
    """ground, insights, issues, gathering or top."""
    if _within(module, TOP):
        return "top"
    if module.split(".")[0] in ("insights", "issues"):
        return module.split(".")[0]
    # ``home.models`` exactly is the gathering package; its ground submodules
    # do not exist (site settings and the counters live outside it).
    if _within(module, GATHERING):
        return "gathering"
    return "ground"


# Which floors each floor may import. Content apps sit on the ground;
# ``issues`` lists Insights articles (the dashboard, the next issue), so it
# stands on ``insights``, never the other way round.
ALLOWED = {
    "ground": {"ground"},
    "insights": {"ground", "insights"},
    "issues": {"ground", "insights", "issues"},
    "gathering": {"ground", "insights", "issues", "gathering"},
    "top": {"ground", "insights", "issues", "gathering", "top"},
}


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _enclosing_function(node: ast.AST, parents) -> ast.AST | None:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            return node
    return None


def imports_of(module: str, path: Path, modules) -> list[tuple[str, int, str | None]]:
    """(imported project module, line, enclosing function name or None) for each import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = _parents(tree)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            # ``from package import module`` imports the module.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        else:
            continue
        function = _enclosing_function(node, parents)
        for target in targets:
            if target.split(".")[0] in PACKAGES:
                found.append((target, node.lineno, function.name if function else None))
    return found


def import_graph(root: Path = ROOT) -> dict[str, list[tuple[str, int, str | None]]]:
    modules = project_modules(root)
    return {module: imports_of(module, path, modules) for module, path in modules.items()}


def forbidden_arrows(graph) -> list[str]:
    problems = []
    for module, imports in graph.items():
        source = floor_of(module)
        for target, line, _function in imports:
            target_floor = floor_of(target)
            if target_floor not in ALLOWED[source]:
                problems.append(f"{module}:{line} ({source}) imports {target} ({target_floor})")
            elif source in ("insights", "issues") and _within(target, CONTENT_MUST_NOT_IMPORT):
                problems.append(f"{module}:{line} (content) imports {target}")
    return problems


def floor_cycles(graph) -> list[list[str]]:
    """Circles in the graph of floors and apps (a floor importing itself is no circle)."""
    edges: dict[str, set[str]] = defaultdict(set)
    for module, imports in graph.items():
        for target, _line, _function in imports:
            if floor_of(module) != floor_of(target):
                edges[floor_of(module)].add(floor_of(target))
    cycles, done = [], set()

    def visit(node: str, trail: list[str]) -> None:
        for following in sorted(edges[node]):
            if following in trail:
                cycles.append([*trail[trail.index(following) :], following])
            elif following not in done:
                visit(following, [*trail, following])
        done.add(node)

    for start in sorted(edges):
        if start not in done:
            visit(start, [start])
    return cycles


# Sets Django up once, then imports each module named on stdin in a forked
# child: the child starts as ``python -c "import django; django.setup();
# import <module>"`` would, in a fraction of the time. Prints what fails.
IMPORT_ALONE = """
import os, sys, traceback
import django
django.setup()
for module in sys.stdin.read().split():
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            __import__(module)
            status = 0
        except BaseException:
            traceback.print_exc(limit=3, file=sys.stderr)
        finally:
            os._exit(status)
    if os.waitpid(pid, 0)[1] != 0:
        print(module)
"""


def modules_failing_alone(modules: list[str]) -> list[str]:
    run = subprocess.run(
        [sys.executable, "-c", IMPORT_ALONE],
        input="\n".join(modules),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "focus_site.settings.test"},
        check=True,
    )
    return run.stdout.split()


def nested_imports(graph) -> list[str]:
    return [
        f"{module}:{line} imports {target} inside {function}()"
        for module, imports in graph.items()
        for target, line, function in imports
        if function is not None and not (module.endswith(".apps") and function == "ready")
    ]


class ArchitectureTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.graph = import_graph()

    def test_every_module_is_read(self):
        # A missing package would make every other test here pass vacuously.
        self.assertIn("home.blocks.base", self.graph)
        self.assertIn("issues.models.issues", self.graph)
        targets = {target for target, _line, _function in self.graph["home.caching.derived"]}
        self.assertIn("home.caching.tags", targets)

    def test_no_import_points_up_or_sideways(self):
        self.assertEqual(forbidden_arrows(self.graph), [])

    def test_floors_and_apps_import_each_other_in_no_circle(self):
        self.assertEqual(floor_cycles(self.graph), [])

    def test_no_import_hides_inside_a_function(self):
        self.assertEqual(nested_imports(self.graph), [])

    @unittest.skipUnless(hasattr(os, "fork"), "needs fork")
    def test_every_module_imports_alone(self):
        # Production settings refuse to load without production's environment.
        modules = [module for module in self.graph if module != "focus_site.settings.production"]
        self.assertEqual(modules_failing_alone(modules), [])

    def test_the_rules_catch_a_forbidden_import(self):
        # The ground reaching up to a content app, by a nested import, in a circle.
        graph = {
            **self.graph,
            "home.blocks.base": [*self.graph["home.blocks.base"], ("issues.models", 1, "f")],
        }
        self.assertEqual(
            forbidden_arrows(graph),
            ["home.blocks.base:1 (ground) imports issues.models (issues)"],
        )
        self.assertIn(["ground", "issues", "ground"], floor_cycles(graph))
        self.assertEqual(
            nested_imports(graph), ["home.blocks.base:1 imports issues.models inside f()"]
        )

    def test_content_never_imports_the_home_page_package(self):
        graph = {
            **self.graph,
            "insights.views": [*self.graph["insights.views"], ("home.models", 1, None)],
        }
        self.assertEqual(
            forbidden_arrows(graph), ["insights.views:1 (insights) imports home.models (gathering)"]
        )
