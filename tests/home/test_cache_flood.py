"""A flood of distinct query strings cannot grow the page cache or evict what must stay."""

from django.core.cache import caches
from django.http import HttpResponse
from django.test import RequestFactory, TestCase, override_settings

from focus_site import throttle
from home.caching import cache_query_params, tag_request
from home.caching.middleware import PageCacheMiddleware
from home.caching.tags import TAG_PREFIX, invalidate, tag_versions

PAGE_ENTRIES = 50
FLOOD = 10_000
SMALL_STORES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "flood-pages",
        "OPTIONS": {"MAX_ENTRIES": PAGE_ENTRIES},
    },
    "counters": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "flood-counters",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}


def listing(request):
    """A paginated listing: reads ?page= and nothing else."""
    listing.renders += 1
    tag_request(request, "wagtailcore.page:7")
    cache_query_params(request, "page")
    return HttpResponse(f"page {request.GET.get('page', '1')}")


listing.renders = 0


@override_settings(
    CACHES=SMALL_STORES, FOCUS_PAGE_CACHE_ENABLED=True, FOCUS_PAGE_CACHE_CLOCK_SKEW=0
)
class FloodTests(TestCase):
    def setUp(self):
        for alias in ("default", "counters"):
            caches[alias].clear()
        listing.renders = 0
        self.middleware = PageCacheMiddleware(listing)
        self.factory = RequestFactory()

    def get(self, query: str):
        return self.middleware(self.factory.get(f"/insights/?{query}"))

    def test_ten_thousand_query_strings_keep_counters_and_tags_and_bound_the_cache(self):
        for _ in range(3):
            throttle.hit("login-address", ("203.0.113.9",), 20, 900)
        login_key = throttle.key("login-address", "203.0.113.9")
        invalidate({"wagtailcore.page:7"})
        version = tag_versions(["wagtailcore.page:7"])["wagtailcore.page:7"]

        statuses = set()
        for n in range(FLOOD):
            # Mostly parameters the page ignores, some page numbers it reads.
            query = f"page={n}" if n % 20 == 0 else f"utm_source=flood{n}&q={n}"
            statuses.add(self.get(query).status_code)

        self.assertEqual(statuses, {200})
        pages = caches["default"]
        self.assertLessEqual(len(pages._cache), PAGE_ENTRIES)
        # Ignored parameters share the plain page's entry: 9,500 of them cost
        # a render only when the 500 page numbers pushed that entry out.
        self.assertLess(listing.renders, 2 * (FLOOD // 20))
        counters = caches["counters"]
        self.assertEqual(counters.get(login_key), 3)
        self.assertEqual(counters.get(TAG_PREFIX + "wagtailcore.page:7"), version)

    def test_ignored_parameters_are_served_from_one_entry(self):
        self.assertEqual(self.get("utm_source=a")["X-Cache"], "MISS")
        self.assertEqual(self.get("utm_source=b")["X-Cache"], "HIT")
        self.assertEqual(self.get("utm_source=c&fbclid=x")["X-Cache"], "HIT")
        # The parameter the page reads keys its own entry.
        self.assertEqual(self.get("page=2").content, b"page 2")
        self.assertEqual(self.get("page=2&utm_source=d")["X-Cache"], "HIT")
        self.assertEqual(listing.renders, 2)

    def test_a_view_that_declares_no_parameters_is_not_cached_with_a_query(self):
        def undeclared(request):
            tag_request(request, "wagtailcore.page:8")
            return HttpResponse(request.GET.get("q", ""))

        middleware = PageCacheMiddleware(undeclared)
        first = middleware(self.factory.get("/search/?q=a"))
        second = middleware(self.factory.get("/search/?q=b"))
        self.assertEqual(second.content, b"b")
        self.assertNotIn("X-Cache", first)
