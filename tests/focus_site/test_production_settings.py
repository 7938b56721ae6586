"""Production settings: required variables, check --deploy, security headers."""

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

from django.test import SimpleTestCase, TestCase, override_settings

from tests.factories import build_site

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k" * 10 + "Q7x!pZ2@rT9#mV4$wL8%bN6^cJ3&hF5*dS1(gY0)eU" + "z" * 10
PRODUCTION_ENV = {
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "focus.example,www.focus.example",
    "DATABASE_URL": "sqlite:///unused.sqlite3",
    "WAGTAILADMIN_BASE_URL": "https://focus.example",
}
REQUIRED = ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "WAGTAILADMIN_BASE_URL"]


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # The browser tests relax Django's async guard for the test process; a real
    # deployment never has that variable, and check --deploy rightly flags it.
    left_out = {*REQUIRED, "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in left_out}
    base["DJANGO_SETTINGS_MODULE"] = "focus_site.settings.production"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_settings() -> dict:
    """The production module's settings, loaded with a complete environment."""
    with mock.patch.dict(os.environ, PRODUCTION_ENV):
        module = importlib.import_module("focus_site.settings.production")
        module = importlib.reload(module)
    names = [
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "SECURE_REFERRER_POLICY",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY",
        "X_FRAME_OPTIONS",
        "MIDDLEWARE",
    ]
    return {name: getattr(module, name) for name in names}


class ProductionStartupTests(SimpleTestCase):
    def test_check_deploy_is_clean(self):
        result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("no issues", result.stdout)

    def test_each_missing_variable_stops_start_up_with_one_line_naming_it(self):
        for name in REQUIRED:
            with self.subTest(name=name):
                env = {k: v for k, v in PRODUCTION_ENV.items() if k != name}
                result = run_manage("check", env=env)
                self.assertNotEqual(result.returncode, 0)
                lines = [line for line in result.stderr.splitlines() if line.strip()]
                self.assertEqual(len(lines), 1, result.stderr)
                self.assertIn(name, lines[0])

    def test_retired_proxy_variables_stop_start_up_instead_of_being_ignored(self):
        # Ignored, they would count every reader as the proxy and lock them out together.
        result = run_manage("check", env={**PRODUCTION_ENV, "FOCUS_TRUST_X_FORWARDED_FOR": "true"})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("FOCUS_TRUSTED_PROXY_COUNT", result.stderr)
        # The old example file's "false" asked for nothing and still starts.
        result = run_manage("check", env={**PRODUCTION_ENV, "FOCUS_TRUST_X_FORWARDED_FOR": "false"})
        self.assertEqual(result.returncode, 0, result.stderr)


class SharedCacheSettingsTests(SimpleTestCase):
    """Production never keeps the page cache or counters in one process's memory."""

    def caches_for(self, **extra) -> str:
        code = (
            "from django.conf import settings; "
            "print({a: c['BACKEND'].rsplit('.', 1)[1] for a, c in sorted(settings.CACHES.items())})"
        )
        result = run_manage("shell", "-c", code, env={**PRODUCTION_ENV, **extra})
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout.strip().splitlines()[-1]

    def test_without_redis_the_database_cache_tables_are_shared(self):
        self.assertEqual(
            self.caches_for(REDIS_URL=""),
            "{'counters': 'DatabaseCounters', 'default': 'DatabaseCache'}",
        )

    def test_with_redis_pages_and_counters_use_it(self):
        self.assertEqual(
            self.caches_for(REDIS_URL="redis://127.0.0.1:6379/3"),
            "{'counters': 'RedisCache', 'default': 'RedisCache'}",
        )

    def test_a_per_process_store_stops_start_up_with_one_line(self):
        result = run_manage("check", env={**PRODUCTION_ENV, "FOCUS_CACHE_STORE": "local"})
        self.assertNotEqual(result.returncode, 0)
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertIn("REDIS_URL", lines[0])


class SecurityHeaderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_site()

    def test_public_pages_carry_every_security_header(self):
        with override_settings(**production_settings(), ALLOWED_HOSTS=["testserver"]):
            response = self.client.get("/", secure=True)
        self.assertEqual(response.status_code, 200)
        self.assertIn("max-age=31536000", response["Strict-Transport-Security"])
        self.assertIn("includeSubDomains", response["Strict-Transport-Security"])
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Referrer-Policy"], "strict-origin-when-cross-origin")
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertIn("camera=()", response["Permissions-Policy"])
        policy = response["Content-Security-Policy"]
        self.assertIn("default-src 'self'", policy)
        self.assertIn("script-src 'self';", policy)
        self.assertNotIn("unsafe-inline", policy)
        self.assertNotIn("unsafe-eval", policy)
        self.assertIn("frame-src https://www.youtube-nocookie.com https://player.vimeo.com", policy)
        self.assertIn("frame-ancestors 'none'", policy)

    def test_plain_http_redirects_to_https(self):
        with override_settings(**production_settings(), ALLOWED_HOSTS=["testserver"]):
            response = self.client.get("/")
        self.assertEqual(response.status_code, 301)
        self.assertTrue(response["Location"].startswith("https://"))

    def test_admin_sign_in_keeps_a_strict_policy(self):
        # The signed-in admin's wider policy: tests/focus_site/test_content_security_policy.py.
        with override_settings(**production_settings(), ALLOWED_HOSTS=["testserver"]):
            response = self.client.get("/admin/login/", secure=True)
        self.assertEqual(response.status_code, 200)
        policy = response["Content-Security-Policy"]
        self.assertIn("script-src 'self';", policy)
        self.assertIn("frame-ancestors 'self'", policy)
        html = response.content.decode()
        # Every executable script is a same-origin file: the policy allows no inline code.
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
            kind = re.search(r'type="([^"]+)"', attrs)
            if kind and "json" in kind.group(1):
                continue
            src = re.search(r'src="([^"]+)"', attrs)
            self.assertIsNotNone(src, f"inline script would be blocked: {body[:80]}")
            self.assertTrue(src.group(1).startswith("/"), src.group(1))
