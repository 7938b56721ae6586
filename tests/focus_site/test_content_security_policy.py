"""Which Content-Security-Policy each kind of response gets: readers' pages and the
admin's sign-in stay strict, the signed-in admin can run Wagtail's inline widget
scripts, and a page previewed in the editor may be framed by the admin."""

from __future__ import annotations

import re
from datetime import date

from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from tests.factories import build_site, make_issue


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: sources
        for name, *sources in (part.split() for part in policy.split(";") if part.strip())
    }


def executable_scripts(html: str) -> list[tuple[str, str]]:
    """(attributes, body) of every <script> a browser would run (JSON data is not run)."""
    found = []
    for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        kind = re.search(r'type="([^"]+)"', attrs)
        if kind and "json" in kind.group(1):
            continue
        found.append((attrs, body))
    return found


class ContentSecurityPolicyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = build_site()
        cls.issue = make_issue(cls.site.issues, date(2026, 2, 6))
        cls.user = get_user_model().objects.create_superuser("editor", "e@example.com", "pw")

    def test_readers_pages_allow_no_inline_code_and_no_framing(self):
        policy = directives(self.client.get("/"))
        self.assertEqual(policy["script-src"], ["'self'"])
        self.assertEqual(policy["style-src"], ["'self'"])
        self.assertEqual(policy["frame-ancestors"], ["'none'"])

    def test_sign_in_and_password_reset_pages_allow_no_inline_script(self):
        for url in ("/admin/login/", "/admin/password_reset/"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(directives(response)["script-src"], ["'self'"])
                # And they need none: every script they run is a same-origin file.
                for attrs, body in executable_scripts(response.content.decode()):
                    src = re.search(r'src="([^"]+)"', attrs)
                    self.assertIsNotNone(src, f"inline script would be blocked: {body[:80]}")
                    self.assertTrue(src.group(1).startswith("/"), src.group(1))

    def test_signed_in_admin_runs_inline_widget_scripts(self):
        self.client.force_login(self.user)
        response = self.client.get(f"/admin/pages/{self.issue.pk}/edit/")
        self.assertEqual(response.status_code, 200)
        policy = directives(response)
        self.assertEqual(policy["script-src"], ["'self'", "'unsafe-inline'"])
        # A nonce or hash would make browsers ignore 'unsafe-inline'.
        self.assertNotIn("nonce-", response["Content-Security-Policy"])
        self.assertNotIn("unsafe-eval", response["Content-Security-Policy"])
        self.assertEqual(policy["frame-ancestors"], ["'self'"])
        self.assertEqual(policy["object-src"], ["'none'"])
        # The form really does start widgets inline (the date picker at least).
        inline = [body for attrs, body in executable_scripts(response.content.decode()) if body]
        self.assertTrue(any(body.strip() for body in inline))

    def preview(self, mode: str):
        url = f"/admin/pages/{self.issue.pk}/edit/preview/"
        data = nested_form_data(
            {
                "title": "Previewed title",
                "slug": self.issue.slug,
                "issue_date": "2026-02-06",
                "greeting": "Dear Focus reader,",
                "letter": rich_text("<p>Unsaved letter.</p>"),
                "sign_off": "Team Focus",
                "body": streamfield([("heading", {"text": "Unsaved heading", "level": "h2"})]),
            }
        )
        self.assertEqual(self.client.post(url, data).json()["is_valid"], True)
        return self.client.get(url, {"mode": mode, "in_preview_panel": "true"})

    @override_settings(WAGTAILADMIN_BASE_URL="https://focus.example")
    def test_previews_may_be_framed_by_the_admin_and_keep_scripts_strict(self):
        self.client.force_login(self.user)
        for mode in ("", "email", "text"):
            with self.subTest(mode=mode):
                response = self.preview(mode)
                self.assertEqual(response.status_code, 200)
                expected = "UNSAVED HEADING" if mode == "text" else "Unsaved heading"
                self.assertContains(response, expected)
                self.assertEqual(response["X-Frame-Options"], "SAMEORIGIN")
                policy = directives(response)
                self.assertEqual(policy["frame-ancestors"], ["'self'"])
                # The email's CSS is inlined into style attributes.
                self.assertEqual(policy["style-src"], ["'self'", "'unsafe-inline'"])
                self.assertEqual(policy["script-src"], ["'self'"])
                # The email's images use the public origin.
                self.assertIn("https://focus.example", policy["img-src"])

    def test_a_page_served_to_readers_is_not_given_the_preview_policy(self):
        # The public URL of the page previewed above, asked for directly.
        self.client.force_login(self.user)
        response = self.client.get(self.issue.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(directives(response)["frame-ancestors"], ["'none'"])
