"""Sign-in and page-password throttles: counted per real client, never lockable from elsewhere."""

from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from focus_site import throttle
from tests.factories import build_site, make_article

PROXY = "10.0.0.1"


@override_settings(
    FOCUS_LOGIN_MAX_FAILURES=3, FOCUS_LOGIN_MAX_FAILURES_PER_ADDRESS=6, FOCUS_TRUSTED_PROXY_COUNT=0
)
class LoginThrottleTests(TestCase):
    def setUp(self):
        get_user_model().objects.create_superuser("editor", "e@example.com", "right-password")

    def attempt(self, password, username="editor", address="203.0.113.9", **extra):
        return self.client.post(
            "/admin/login/",
            {"username": username, "password": password},
            REMOTE_ADDR=address,
            **extra,
        )

    def test_repeated_failures_lock_out_even_the_right_password(self):
        for _ in range(3):
            self.assertEqual(self.attempt("guess").status_code, 200)
        locked = self.attempt("right-password")
        self.assertEqual(locked.status_code, 429)
        self.assertEqual(locked["Retry-After"], "900")

    def test_nobody_elsewhere_can_lock_an_editor_out(self):
        for _ in range(5):
            self.attempt("guess", address="198.51.100.7")
        self.assertEqual(self.attempt("right-password", address="198.51.100.7").status_code, 429)
        # The editor, at their own address, signs in.
        self.assertEqual(self.attempt("right-password", address="192.0.2.1").status_code, 302)

    def test_one_address_spraying_many_usernames_is_stopped(self):
        for n in range(6):
            self.assertEqual(self.attempt("guess", username=f"user{n}").status_code, 200)
        self.assertEqual(self.attempt("right-password").status_code, 429)
        self.assertEqual(self.attempt("right-password", address="192.0.2.1").status_code, 302)

    @override_settings(FOCUS_TRUSTED_PROXY_COUNT=1)
    def test_prefixing_x_forwarded_for_does_not_reset_the_count(self):
        # Behind one proxy every request's REMOTE_ADDR is the proxy; it appends
        # the real client's address to whatever the client sent.
        for n in range(6):
            response = self.attempt(
                "guess",
                username=f"user{n}",
                address=PROXY,
                HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.9",
            )
            self.assertEqual(response.status_code, 200)
        spoofed = self.attempt(
            "right-password", address=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.200, 203.0.113.9"
        )
        self.assertEqual(spoofed.status_code, 429)
        # Another reader behind the same proxy is not caught by it.
        other = self.attempt("right-password", address=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.1")
        self.assertEqual(other.status_code, 302)

    def test_a_correct_password_before_the_limit_signs_in_and_clears_the_count(self):
        self.attempt("guess")
        self.attempt("guess")
        self.assertEqual(self.attempt("right-password").status_code, 302)
        self.client.logout()
        # Forgiven: two more mistakes do not lock the editor out.
        self.attempt("guess")
        self.attempt("guess")
        self.assertEqual(self.attempt("right-password").status_code, 302)

    def test_the_front_end_login_for_private_pages_is_throttled_too(self):
        for _ in range(3):
            self.client.post(
                "/_util/login/", {"username": "editor", "password": "x"}, REMOTE_ADDR="203.0.113.9"
            )
        response = self.client.post(
            "/_util/login/",
            {"username": "editor", "password": "right-password"},
            REMOTE_ADDR="203.0.113.9",
        )
        self.assertEqual(response.status_code, 429)

    @override_settings(FOCUS_COUNTERS_CACHE="counters-under-test")
    def test_counts_live_in_the_counters_cache(self):
        from django.core.cache import caches

        with self.settings(
            CACHES={
                "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
                "counters-under-test": {
                    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                    "LOCATION": "counters-under-test",
                },
            }
        ):
            for _ in range(3):
                self.attempt("guess")
            self.assertEqual(self.attempt("right-password").status_code, 429)
            caches["counters-under-test"].clear()


@override_settings(FOCUS_PAGE_PASSWORD_MAX_ATTEMPTS=3, FOCUS_PAGE_PASSWORD_WINDOW=900)
class PagePasswordThrottleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        tree = build_site()
        cls.page = make_article(tree.insights, title="Members only")
        cls.restriction = PageViewRestriction.objects.create(
            page=cls.page, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
        )
        cls.url = f"/_util/authenticate_with_password/{cls.restriction.pk}/{cls.page.pk}/"

    def attempt(self, password, address="203.0.113.9"):
        return self.client.post(
            self.url, {"password": password, "return_url": self.page.url}, REMOTE_ADDR=address
        )

    def test_the_page_asks_for_the_password(self):
        response = self.client.get(self.page.url)
        self.assertContains(response, self.url)

    def test_guessing_is_refused_past_the_limit_even_with_the_right_password(self):
        for _ in range(3):
            self.assertEqual(self.attempt("guess").status_code, 200)
        refused = self.attempt("s3cret")
        self.assertEqual(refused.status_code, 429)
        self.assertEqual(refused["Retry-After"], "900")
        # Another reader is not affected.
        self.assertEqual(self.attempt("s3cret", address="192.0.2.1").status_code, 302)

    def test_the_right_password_opens_the_page(self):
        response = self.attempt("s3cret")
        self.assertRedirects(response, self.page.url, fetch_redirect_response=False)
        self.assertContains(self.client.get(self.page.url), "Members only")

    def test_document_collection_passwords_are_throttled_too(self):
        collection = Collection.get_first_root_node().add_child(name="Private")
        restriction = CollectionViewRestriction.objects.create(
            collection=collection,
            restriction_type=CollectionViewRestriction.PASSWORD,
            password="s3cret",
        )
        url = f"/documents/authenticate_with_password/{restriction.pk}/"
        for _ in range(3):
            self.client.post(
                url, {"password": "guess", "return_url": "/"}, REMOTE_ADDR="203.0.113.9"
            )
        response = self.client.post(
            url, {"password": "s3cret", "return_url": "/"}, REMOTE_ADDR="203.0.113.9"
        )
        self.assertEqual(response.status_code, 429)


class ThrottleCounterTests(TestCase):
    def test_identities_are_separate_and_windows_count_up(self):
        first = [throttle.hit("test-scope", ("a",), 2, 60).allowed for _ in range(3)]
        self.assertEqual(first, [True, True, False])
        self.assertTrue(throttle.hit("test-scope", ("b",), 2, 60).allowed)
        throttle.reset("test-scope", "a")
        self.assertTrue(throttle.hit("test-scope", ("a",), 2, 60).allowed)
        throttle.take_back("test-scope", "b")
        self.assertEqual(throttle.hit("test-scope", ("b",), 2, 60).count, 1)
        # Taking back from a window that has already ended is harmless.
        throttle.take_back("test-scope", "never-counted")
