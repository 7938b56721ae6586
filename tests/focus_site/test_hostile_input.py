"""Hostile input on every public URL and every public form.

The URLs come from the URLconf and the page tree (routable sub-routes
included), so a new view or page type without a sample here fails the first
test. Each gets oversized, malformed, non-UTF-8, null-byte and injection input
(SQL, HTML/script, header CRLF) as query strings, POST bodies and path
segments. Nothing may answer 5xx, reflect a script unescaped or set an injected
header, and nothing may be stored that should not be (row counts of every model).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from urllib.parse import quote, urlencode

from django.apps import apps
from django.core.files.base import ContentFile
from django.test import Client, TestCase, override_settings
from django.urls import URLResolver, get_resolver
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

from issues.models import QuestionPage, QuestionResponse, ResponseStatus, Subscriber
from issues.newsletter.tokens import confirm_token, unsubscribe_token
from tests.factories import build_site, make_article, make_author, make_topic
from tests.issues.newsletter_helpers import issue_with_every_block

MARK = "hostile7391"
SCRIPT = f"<script>{MARK}()</script>"
ATTRIBUTE = f'"><img src=x onerror={MARK}()>'
# Raw markup that must never come back: any of these in a response means the
# input reached the page unescaped.
REFLECTED = [SCRIPT.encode(), b"<img src=x onerror=" + MARK.encode()]

# Values a client can send; each is also tried as a path segment.
VALUES = {
    "oversized": "x" * 100_000,
    "null byte": "a\x00b",
    "sql": "' OR '1'='1'; DROP TABLE wagtailcore_page; --",
    "script": SCRIPT,
    "attribute": ATTRIBUTE,
    "crlf": f"a\r\nSet-Cookie: {MARK}=1\r\nX-{MARK}: 1",
    "format": "%s%n%x{0}{{7*7}}${7*7}",
    "unicode": "\u202e\ufeff\U0001f600" + "\u0301" * 50,
    "negative": "-1",
    "huge number": "9" * 400,
}
# Percent-encoded bytes that are not UTF-8 (or are overlong/truncated), sent raw.
RAW_ENCODED = ["%ff%fe", "%c0%ae%c0%ae", "%e2%82", "%00", "%ed%a0%80", "%"]
QUERY_NAMES = ["page", "q", "topic", "type", "year", "sort", "answered", "format", "return_url"]
ADMIN_PREFIXES = ("admin/", "django-admin/")
LIMITS = {
    # Throttles are tested on their own; here every request must reach its view.
    "FOCUS_RESPONSES_RATE_LIMIT": 100_000,
    "FOCUS_SIGNUP_RATE_LIMIT": 100_000,
    "FOCUS_SIGNUP_EMAIL_RATE_LIMIT": 100_000,
    "FOCUS_PAGE_PASSWORD_MAX_ATTEMPTS": 100_000,
    "FOCUS_LOGIN_MAX_FAILURES": 100_000,
    "FOCUS_LOGIN_MAX_FAILURES_PER_ADDRESS": 100_000,
}


def url_patterns() -> dict[str, str]:
    """Every public route of the URLconf: its name (or route, if unnamed) to its pattern."""
    found = {}

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif not route.lstrip("^").startswith(ADMIN_PREFIXES):
                found[pattern.name or route] = route

    walk(get_resolver().url_patterns, "")
    return found


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


# Models a public form may add a row to.
STORING = {"issues.QuestionResponse", "issues.Subscriber", "wagtailcore.ReferenceIndex"}


def new_rows(changed: dict[str, tuple[int, int]]) -> list:
    """The rows just added to the forms' own models."""
    rows = []
    for label, (old, new) in changed.items():
        if label != "wagtailcore.ReferenceIndex":
            model = apps.get_model(label)
            rows += list(model._default_manager.order_by("-pk")[: new - old])
    return rows


def changed_counts(before: dict[str, int]) -> dict[str, tuple[int, int]]:
    after = row_counts()
    return {
        label: (before[label], after[label]) for label in before if after[label] != before[label]
    }


def encoded_values() -> list[str]:
    """Every hostile value as it travels in a URL: quoted, or raw bad bytes."""
    return [quote(value, safe="") for value in VALUES.values()] + RAW_ENCODED


def query_strings() -> list[str]:
    """Each query parameter meets each value once, rotated so a request carries all of them."""
    values = encoded_values()
    strings = []
    for shift in range(len(values)):
        pairs = [
            f"{name}={values[(shift + n) % len(values)]}" for n, name in enumerate(QUERY_NAMES)
        ]
        # A hostile parameter name too.
        pairs.append(f"{values[shift][:300]}=1")
        strings.append("&".join(pairs))
    return [*strings, "=&&==;;", "page=1&page=2&page=x", "q=" + "%e2%82" * 2000]


def path_segments() -> list[str]:
    kinds = ("oversized", "null byte", "sql", "script", "crlf", "unicode")
    quoted = [quote(VALUES[kind][:3000], safe="") for kind in kinds]
    return [*quoted, *RAW_ENCODED[:4], "..%2f..%2fetc%2fpasswd", "a/" * 100]


@override_settings(**LIMITS)
class HostileInputTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.topic = make_topic()
        cls.author = make_author("Hostile Test Author")
        cls.issue = issue_with_every_block(cls.tree)
        cls.article = make_article(cls.tree.insights, authors=[cls.author], topics=[cls.topic])
        cls.question = QuestionPage.objects.live().get()
        cls.private = make_article(cls.tree.insights, title="Private", slug="private")
        cls.restriction = PageViewRestriction.objects.create(
            page=cls.private, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
        )
        collection = Collection.get_first_root_node().add_child(name="Private documents")
        cls.collection_restriction = CollectionViewRestriction.objects.create(
            collection=collection,
            restriction_type=CollectionViewRestriction.PASSWORD,
            password="s3cret",
        )
        cls.document = get_document_model().objects.create(
            title="Report", file=ContentFile(b"report", name="report.txt")
        )
        cls.subscriber = Subscriber.objects.create(email="reader@example.org")
        chart_block = next(block for block in cls.issue.body if block.block_type == "chart_callout")
        page_password = f"/_util/authenticate_with_password/{cls.restriction.pk}/{cls.private.pk}/"
        document_password = (
            f"/documents/authenticate_with_password/{cls.collection_restriction.pk}/"
        )
        # One or more concrete URLs for each public route of the URLconf.
        cls.route_samples = {
            "feed_index": ["/feeds/"],
            "feed_section": ["/feeds/all.rss", "/feeds/insights.atom", "/feeds/videos.json"],
            "feed_topic": [f"/feeds/topics/{cls.topic.slug}.rss"],
            "feed_author": [f"/feeds/authors/{cls.author.slug}.json"],
            "newsletter_signup": ["/newsletter/"],
            "newsletter_confirm": [f"/newsletter/confirm/{confirm_token(cls.subscriber)}/"],
            "newsletter_unsubscribe": [
                f"/newsletter/unsubscribe/{unsubscribe_token(cls.subscriber)}/"
            ],
            "chart_png": [
                f"/charts/{cls.issue.pk}/{chart_block.id}/{chart_block.value.png_version}.png",
                f"/charts/{cls.issue.pk}/{chart_block.id}/0123abcd.png",
            ],
            "chart_png_unversioned": [f"/charts/{cls.issue.pk}/{chart_block.id}.png"],
            "search": ["/search/"],
            "robots_txt": ["/robots.txt"],
            "sitemap": ["/sitemap.xml"],
            "author_list": ["/authors/"],
            "author_detail": [f"/authors/{cls.author.slug}/"],
            "wagtaildocs_serve": [cls.document.url],
            "wagtaildocs_authenticate_with_password": [document_password],
            "document_password": [document_password],
            "wagtailcore_authenticate_with_password": [page_password],
            "page_password": [page_password],
            "wagtailcore_login": ["/_util/login/"],
            "wagtail_serve": [],  # the page tree, below
        }
        # Routable pages' sub-routes, by route name.
        cls.subroute_kwargs = {
            "index_route": {},
            "topic": {"slug": cls.topic.slug},
            # The issue archive: its front page and a year with an issue.
            "latest": {},
            "year": {"year": str(cls.issue.issue_date.year)},
        }

    def setUp(self):
        # Report errors as responses, as production does, instead of raising.
        self.client = Client(raise_request_exception=False)

    def public_urls(self) -> list[str]:
        urls = [url for samples in self.route_samples.values() for url in samples]
        for page in Page.objects.live().specific():
            if page.url is None:
                continue  # Wagtail's root, outside every site
            urls.append(page.url)
            if isinstance(page, RoutablePageMixin):
                for route in page.get_subpage_urls():
                    kwargs = self.subroute_kwargs[route.name]
                    urls.append(page.url + page.reverse_subpage(route.name, kwargs=kwargs))
        return sorted(set(urls))

    def assertSafe(self, response, what: str):
        self.assertLess(response.status_code, 500, what)
        body = b"" if response.streaming else response.content
        for raw in REFLECTED:
            self.assertNotIn(raw, body, f"unescaped input reflected: {what}")
        for name, value in response.headers.items():
            self.assertNotIn(MARK, name + value, f"injected header: {what}")
        self.assertNotIn(MARK, response.cookies, f"injected cookie: {what}")

    def test_every_public_route_and_subroute_has_samples(self):
        self.assertEqual(set(url_patterns()), set(self.route_samples))
        for page in Page.objects.live().specific():
            if isinstance(page, RoutablePageMixin):
                names = {route.name for route in page.get_subpage_urls()}
                self.assertLessEqual(names, set(self.subroute_kwargs), type(page).__name__)
        # Every sample answers: a sweep of 404s would prove nothing.
        for url in self.public_urls():
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertIn(response.status_code, (200, 302), url)

    def warm_up(self) -> dict[str, int]:
        # A page's first view creates the site settings rows and its image
        # renditions, as on any site; what hostile requests add is counted after.
        for url in self.public_urls():
            self.client.get(url)
        return row_counts()

    def test_hostile_query_strings_on_every_public_url(self):
        before = self.warm_up()
        for url in self.public_urls():
            for query in query_strings():
                with self.subTest(url=url, query=query[:60]):
                    self.assertSafe(self.client.get(f"{url}?{query}"), f"{url}?{query[:60]}")
        self.assertEqual(changed_counts(before), {}, "a GET stored something")

    def test_hostile_path_segments_on_every_public_url(self):
        before = self.warm_up()
        for url in self.public_urls():
            # Below the URL, and in place of its last segment (a slug, token or id).
            stem = url.rstrip("/").rsplit("/", 1)[0] + "/"
            for segment in path_segments():
                for path in (url + segment + "/", stem + segment + "/"):
                    with self.subTest(path=path[:100]):
                        self.assertSafe(self.client.get(path), path[:100])
        self.assertEqual(changed_counts(before), {}, "a GET stored something")

    def test_hostile_post_bodies_on_every_public_url(self):
        before = self.warm_up()
        field_names = [*QUERY_NAMES, "email", "name", "response", "token", "password", "username"]
        values = list(VALUES.values())
        bodies = []
        for shift in range(len(values)):
            data = {name: values[(shift + n) % len(values)] for n, name in enumerate(field_names)}
            bodies.append(("form", urlencode(data), "application/x-www-form-urlencoded"))
        bodies += [
            (
                "raw bytes",
                b"email=\xff\xfe%ff%fe&name=%00&q=%c0%ae",
                "application/x-www-form-urlencoded",
            ),
            (
                "bad charset",
                f"email={quote(SCRIPT)}&name=%00",
                "application/x-www-form-urlencoded; charset=nope-42",
            ),
            ("multipart without boundary", b"--x\r\n\r\n", "multipart/form-data"),
            (
                "broken multipart",
                b"--x\r\nContent-Disposition: form-data\r\n\r\n",
                "multipart/form-data; boundary=x",
            ),
            ("json", '{"email": ' + "[" * 5000, "application/json"),
            ("too big", b"q=" + b"x" * (3 * 1024 * 1024), "application/x-www-form-urlencoded"),
            (
                "too many fields",
                "&".join(f"f{n}=1" for n in range(11_000)),
                "application/x-www-form-urlencoded",
            ),
        ]
        for url in self.public_urls():
            for label, body, content_type in bodies:
                with self.subTest(url=url, body=label):
                    # generic() sends the bytes as they are, whatever the charset claims.
                    response = self.client.generic("POST", url, body, content_type=content_type)
                    self.assertSafe(response, f"POST {url} {label}")
        self.assertEqual(changed_counts(before), {}, "a hostile POST stored something")

    def forms(self) -> dict[str, tuple[str, Callable[[], dict], set[str]]]:
        """Each public form: its URL, a valid submission, and its single-line fields."""
        page_password = {"password": "wrong", "return_url": self.private.url}
        return {
            "answer": (
                self.question.url,
                lambda: {
                    "name": "Ana Costa",
                    "email": "ana@example.org",
                    "affiliation": "Lisbon",
                    "response": "A considered answer.",
                    "consent": "on",
                    "token": str(uuid.uuid4()),
                    "website": "",
                },
                {"name", "email", "affiliation", "token"},
            ),
            "signup": (
                "/newsletter/",
                lambda: {"email": f"{uuid.uuid4().hex}@example.org", "source": "footer"},
                {"email", "source"},
            ),
            "page password": (
                f"/_util/authenticate_with_password/{self.restriction.pk}/{self.private.pk}/",
                lambda: dict(page_password),
                {"password", "return_url"},
            ),
            "document password": (
                f"/documents/authenticate_with_password/{self.collection_restriction.pk}/",
                lambda: dict(page_password),
                {"password", "return_url"},
            ),
            "login": (
                "/_util/login/",
                lambda: {"username": "nobody", "password": "wrong", "next": "/"},
                {"username", "password", "next"},
            ),
            "unsubscribe": (
                f"/newsletter/unsubscribe/{unsubscribe_token(self.subscriber)}/",
                lambda: {"List-Unsubscribe": "One-Click"},
                {"List-Unsubscribe"},
            ),
            "confirm": (
                f"/newsletter/confirm/{confirm_token(self.subscriber)}/",
                dict,
                set(),
            ),
        }

    def test_hostile_values_in_every_field_of_every_public_form(self):
        before = self.warm_up()
        for form_name, (url, valid, single_line) in self.forms().items():
            for field in [*valid(), "unexpected"]:
                for kind, value in VALUES.items():
                    data = {**valid(), field: value}
                    with self.subTest(form=form_name, field=field, value=kind):
                        stored_before = row_counts()
                        response = self.client.post(url, data)
                        self.assertSafe(response, f"{form_name}.{field} = {kind}")
                        changed = changed_counts(stored_before)
                        # At most the form's own row (and Wagtail's reference
                        # index entry for it) is added.
                        self.assertLessEqual(set(changed), STORING)
                        self.assertTrue(all(new - old <= 1 for old, new in changed.values()))
                        for row in new_rows(changed):
                            self.assertNotStored(row, kind, value, field in single_line)
        self.assertLessEqual(set(changed_counts(before)), STORING)

    def assertNotStored(self, row, kind: str, value: str, single_line: bool):
        """Too long, a null byte, or a line break in a one-line field is never kept."""
        stored = {
            field.name: str(getattr(row, field.attname)) for field in row._meta.concrete_fields
        }
        for name, text in stored.items():
            if kind in ("oversized", "null byte"):
                self.assertNotIn(value, text, f"{row._meta.label}.{name} kept the {kind}")
            if kind == "crlf" and single_line and name in ("name", "email", "affiliation"):
                self.assertNotIn("\n", text, f"{row._meta.label}.{name} kept a line break")

    def test_stored_injection_is_shown_escaped(self):
        # Answers carrying markup, approved and featured, on the question page and in feeds.
        for field in ("name", "affiliation", "response"):
            for value in (SCRIPT, ATTRIBUTE):
                data = {
                    "name": "Ana",
                    "email": "ana@example.org",
                    "response": "An answer",
                    "consent": "on",
                    "token": str(uuid.uuid4()),
                    field: value,
                }
                self.assertEqual(self.client.post(self.question.url, data).status_code, 303)
        self.assertEqual(QuestionResponse.objects.count(), 6)
        QuestionResponse.objects.update(status=ResponseStatus.FEATURED)
        for url in (self.question.url, "/feeds/all.rss", "/feeds/all.json", "/questions/"):
            with self.subTest(url=url):
                self.assertSafe(self.client.get(url), url)
        response = self.client.get(self.question.url)
        self.assertContains(response, "&lt;script&gt;" + MARK)

    def test_hostile_headers(self):
        headers = [
            {"HTTP_HOST": "evil.example<script>"},
            {"HTTP_HOST": "a" * 5000},
            {"HTTP_COOKIE": "sessionid=" + "%ff" * 500 + "; csrftoken=\x00; " + "x=" * 2000},
            {"HTTP_IF_NONE_MATCH": '"' + "\x00" * 100},
            {"HTTP_IF_MODIFIED_SINCE": "yesterday" + "9" * 400},
            {"HTTP_ACCEPT_LANGUAGE": "zz-" * 3000},
            {"HTTP_RANGE": "bytes=-99999999999999999999"},
            {"HTTP_X_FORWARDED_FOR": SCRIPT + ", " + "1" * 4000},
            {"HTTP_X_FORWARDED_PROTO": "https\r\nX-Injected: 1"},
            {"HTTP_REFERER": SCRIPT},
            {"HTTP_USER_AGENT": VALUES["oversized"]},
        ]
        with self.settings(FOCUS_TRUSTED_PROXY_COUNT=1):
            for url in ("/", self.question.url, "/newsletter/", "/search/", "/feeds/all.rss"):
                for extra in headers:
                    with self.subTest(url=url, header=next(iter(extra))):
                        self.assertSafe(self.client.get(url, **extra), f"{url} {extra}"[:100])
                        response = self.client.post(url, {"email": "x"}, **extra)
                        self.assertSafe(response, f"POST {url} {extra}"[:100])

    def test_page_password_never_redirects_elsewhere(self):
        url = f"/_util/authenticate_with_password/{self.restriction.pk}/{self.private.pk}/"
        for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", SCRIPT):
            with self.subTest(target=target):
                response = self.client.post(url, {"password": "s3cret", "return_url": target})
                self.assertEqual(response.status_code, 302)
                self.assertNotIn("evil.example", response["Location"])

    @override_settings(FOCUS_PAGE_CACHE_ENABLED=True)
    def test_hostile_requests_through_the_page_cache(self):
        # Short enough to be cached; twice each, so the second answer comes from
        # the cache entry the first made.
        queries = ["page=%ff%fe", "topic=%00", f"q={quote(SCRIPT)}", "page=-1", "%ff=%ff"]
        for url in self.public_urls():
            for query in queries:
                with self.subTest(url=url, query=query[:60]):
                    for _ in range(2):
                        self.assertSafe(self.client.get(f"{url}?{query}"), f"{url}?{query[:60]}")
