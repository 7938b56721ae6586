"""What feeds do to text and HTML before writing them: no database needed."""

from __future__ import annotations

from django.test import SimpleTestCase

from home.feed_text import clean_text, sanitize_html


class CleanTextTests(SimpleTestCase):
    def test_removes_what_xml_forbids_and_keeps_the_rest(self):
        self.assertEqual(clean_text("a\x00b\x07c\x0bd\x1fe\ufffef\ud800g"), "abcdefg")
        kept = "tab\tnewline\n\r emoji \U0001f30f עברית مرحبا ]]> <&>"
        self.assertEqual(clean_text(kept), kept)
        self.assertEqual(clean_text(None), "")


class SanitizeHtmlTests(SimpleTestCase):
    def test_drops_scripts_frames_and_forms_with_their_content(self):
        html = (
            "<p>Keep<script>alert(1)</script><style>p{}</style>"
            '<iframe src="https://player.example/1">fallback</iframe>'
            '<object data="x"><param name="a"></object><form><input name="q"></form>'
            '<embed src="x.swf">this</p>'
        )
        self.assertEqual(sanitize_html(html), "<p>Keepthis</p>")

    def test_drops_event_handlers_styles_and_script_urls(self):
        html = (
            '<a href="javascript:alert(1)" onclick="x()">a</a>'
            '<img src="data:image/png;base64,AAAA" onerror="x()" alt="i">'
            '<a href="https://example.org/" style="color:red" title="t">b</a>'
        )
        self.assertEqual(
            sanitize_html(html),
            '<a>a</a><img alt="i"><a href="https://example.org/" title="t">b</a>',
        )

    def test_text_is_escaped_again_and_control_characters_removed(self):
        self.assertEqual(
            sanitize_html("<p>1 &lt; 2 &amp; ]]&gt; \x0b done</p>"),
            "<p>1 &lt; 2 &amp; ]]&gt;  done</p>",
        )
        self.assertEqual(
            sanitize_html('<a href="/a?b=1&amp;c=&quot;2&quot;">x</a>'),
            '<a href="/a?b=1&amp;c=&quot;2&quot;">x</a>',
        )
