"""What a page-cache hit costs: one client per Redis pool, tag versions reused briefly."""

import os
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import SimpleTestCase, TestCase, override_settings
from wagtail.models import Site

from home.caching import feeds, middleware, tags
from home.caching.local_entries import local_entries
from home.caching.redis_store import RedisCache
from home.caching.tags import SITE_TAG, TAG_PREFIX, invalidate, tag_versions
from home.models import SiteSettings
from tests.factories import build_site, make_article

REDIS_URL = os.environ.get("FOCUS_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")


def fresh_versions(test) -> None:
    """Empty shared versions and a still clock (``test.clock``) for versions this process read."""
    caches["counters"].clear()
    tags.recent_versions.versions.clear()
    # An emptied store starts a new epoch: as a new process would, read it.
    tags.recent_versions.epoch_seen_at = float("-inf")
    test.clock = 1000.0
    patcher = mock.patch.object(tags.recent_versions, "clock", lambda: test.clock)
    patcher.start()
    test.addCleanup(patcher.stop)


class RedisClientTests(SimpleTestCase):
    def test_one_client_per_pool_is_reused(self):
        cache = RedisCache("redis://127.0.0.1:6379/3", {})
        first = cache._cache.get_client("a")
        # Django's client would build a new redis.Redis (and its callback table) here.
        self.assertIs(cache._cache.get_client("b", write=True), first)
        other = RedisCache("redis://127.0.0.1:6379/4", {})
        self.assertIsNot(other._cache.get_client("a"), first)


def _redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def test_the_reused_client_reads_and_writes_redis():
    if not _redis_reachable():
        if os.environ.get("FOCUS_REQUIRE_REDIS"):
            pytest.fail(f"Redis at {REDIS_URL} is required")
        pytest.skip(f"no Redis at {REDIS_URL}")
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"focus-test-hit-{os.getpid()}"})
    cache.set("page", {"content": b"<p>x</p>"}, 30)
    cache.set("counter", 1, 30)
    assert cache.get("page") == {"content": b"<p>x</p>"}
    assert cache.incr("counter") == 2
    assert cache.get_many(["page", "counter", "missing"]) == {
        "page": {"content": b"<p>x</p>"},
        "counter": 2,
    }
    cache.delete_many(["page", "counter"])
    assert cache.get("page") is None


class ReusedVersionsTests(TestCase):
    def setUp(self):
        fresh_versions(self)

    def bump_elsewhere(self, tag: str, version: int) -> None:
        """Another worker's edit: straight into the shared store, not through this process."""
        caches["counters"].set(TAG_PREFIX + tag, version, None)

    def test_versions_read_recently_stand_in_for_the_store(self):
        caches["counters"].set(TAG_PREFIX + "page:1", 10, None)
        self.assertEqual(tag_versions(["page:1"], reuse_for=0.5), {"page:1": 10})
        self.bump_elsewhere("page:1", 20)
        self.clock += 0.4
        self.assertEqual(tag_versions(["page:1"], reuse_for=0.5), {"page:1": 10})
        self.clock += 0.2
        self.assertEqual(tag_versions(["page:1"], reuse_for=0.5), {"page:1": 20})

    def test_without_reuse_every_read_goes_to_the_store(self):
        caches["counters"].set(TAG_PREFIX + "page:1", 10, None)
        tag_versions(["page:1"], reuse_for=0.5)
        self.bump_elsewhere("page:1", 20)
        self.assertEqual(tag_versions(["page:1"]), {"page:1": 20})

    def test_an_edit_in_this_process_is_seen_at_once(self):
        caches["counters"].set(TAG_PREFIX + "page:1", 10, None)
        tag_versions(["page:1", "page:2"], reuse_for=0.5)
        invalidate(["page:1"])
        versions = tag_versions(["page:1", "page:2"], reuse_for=0.5)
        self.assertGreater(versions["page:1"], 10)

    def test_only_the_stale_tags_are_read_again(self):
        caches["counters"].set(TAG_PREFIX + "a", 1, None)
        tag_versions(["a"], reuse_for=0.5)
        self.bump_elsewhere("a", 2)
        caches["counters"].set(TAG_PREFIX + "b", 5, None)
        # "b" was never read: it comes from the store; "a" is still recent.
        self.assertEqual(tag_versions(["a", "b"], reuse_for=0.5), {"a": 1, "b": 5})

    def test_what_a_process_keeps_is_bounded(self):
        with mock.patch.object(tags._RecentVersions, "MAX_TAGS", 3):
            tag_versions([f"page:{n}" for n in range(4)], reuse_for=0.5)
            tag_versions(["page:9"], reuse_for=0.5)
            self.assertLessEqual(len(tags.recent_versions.versions), 3)


@override_settings(
    FOCUS_PAGE_CACHE_ENABLED=True,
    FOCUS_PAGE_CACHE_CLOCK_SKEW=0,
    FOCUS_TAG_VERSIONS_REUSE_SECONDS=0.5,
)
class HitPathTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_site()
        # Created on first use otherwise, which itself (rightly) clears the cache.
        SiteSettings.for_site(Site.objects.get(is_default_site=True))

    def setUp(self):
        caches["default"].clear()
        fresh_versions(self)

    def test_another_workers_edit_shows_within_the_reuse_window(self):
        self.client.get("/insights/")
        self.assertEqual(self.client.get("/insights/")["X-Cache"], "HIT")
        # Another worker changes the site settings: written to the shared store only.
        caches["counters"].set(TAG_PREFIX + SITE_TAG, tags.time.time_ns(), None)
        self.clock += 0.6
        self.assertNotEqual(self.client.get("/insights/").get("X-Cache"), "HIT")

    def test_a_hit_reads_the_store_for_its_entry_only_while_versions_are_recent(self):
        self.client.get("/insights/")
        self.client.get("/insights/")
        with mock.patch.object(tags, "_read_versions", wraps=tags._read_versions) as reads:
            self.assertEqual(self.client.get("/insights/")["X-Cache"], "HIT")
            self.assertEqual(reads.call_count, 0)
            self.clock += 0.6
            self.assertEqual(self.client.get("/insights/")["X-Cache"], "HIT")
            self.assertEqual(reads.call_count, 1)


@override_settings(
    FOCUS_PAGE_CACHE_ENABLED=True,
    FOCUS_PAGE_CACHE_CLOCK_SKEW=0,
    FOCUS_TAG_VERSIONS_REUSE_SECONDS=0,
    FOCUS_PAGE_CACHE_LOCAL_BYTES=10 * 1024 * 1024,
)
class LocalEntriesTests(TestCase):
    """A worker's own copies of entries: served only while the shared versions allow."""

    @classmethod
    def setUpTestData(cls):
        build_site()
        SiteSettings.for_site(Site.objects.get(is_default_site=True))

    def setUp(self):
        caches["default"].clear()
        caches["counters"].clear()
        local_entries.clear()
        self.addCleanup(local_entries.clear)

    def shared_gets(self):
        return mock.patch.object(caches["default"], "get", wraps=caches["default"].get)

    def test_a_hit_on_a_kept_entry_does_not_read_the_shared_store(self):
        self.assertEqual(self.client.get("/insights/")["X-Cache"], "MISS")
        with self.shared_gets() as gets:
            response = self.client.get("/insights/")
        self.assertEqual(response["X-Cache"], "HIT")
        self.assertEqual(gets.call_count, 0)

    def test_another_workers_edit_stops_the_kept_copy(self):
        self.client.get("/insights/")
        # Another worker's edit reaches the shared versions only.
        caches["counters"].set(TAG_PREFIX + SITE_TAG, tags.time.time_ns(), None)
        self.assertEqual(self.client.get("/insights/")["X-Cache"], "MISS")

    def test_a_fresh_shared_entry_is_kept_for_the_next_hit(self):
        self.client.get("/insights/")
        local_entries.clear()  # as in a worker that did not render it
        with self.shared_gets() as gets:
            self.assertEqual(self.client.get("/insights/")["X-Cache"], "HIT")
            self.assertEqual(self.client.get("/insights/")["X-Cache"], "HIT")
        self.assertEqual(gets.call_count, 1)

    def test_a_kept_copy_ends_with_the_shared_entrys_lifetime(self):
        self.client.get("/insights/")
        later = tags.time.time() + 3601
        with mock.patch("home.caching.local_entries.time.time", return_value=later):
            self.assertIsNone(local_entries.get(next(iter(local_entries._entries))))
        self.assertEqual(len(local_entries), 0)

    def test_kept_copies_stay_within_their_byte_budget(self):
        self.client.get("/insights/")
        self.client.get("/this-week/")
        sizes = [size for _entry, _expires, size in local_entries._entries.values()]
        self.assertEqual(len(sizes), 2)
        with override_settings(FOCUS_PAGE_CACHE_LOCAL_BYTES=max(sizes)):
            local_entries.clear()
            self.client.get("/insights/")
            self.client.get("/this-week/")
            self.assertEqual(len(local_entries), 1)

    @override_settings(FOCUS_PAGE_CACHE_LOCAL_BYTES=0)
    def test_none_are_kept_when_switched_off(self):
        self.client.get("/insights/")
        self.assertEqual(len(local_entries), 0)


class EpochReuseTests(TestCase):
    def setUp(self):
        fresh_versions(self)

    def test_the_epoch_before_a_render_is_read_now_and_then(self):
        with mock.patch.object(tags, "_read_versions", wraps=tags._read_versions) as reads:
            tag_versions((), reuse_for=0.5)
            tag_versions((), reuse_for=0.5)
            self.assertEqual(reads.call_count, 1)
            self.clock += 0.6
            tag_versions((), reuse_for=0.5)
            self.assertEqual(reads.call_count, 2)
            tag_versions(())
            self.assertEqual(reads.call_count, 3)


class FeedSiteTestCase(TestCase):
    """One article's site; empty stores and a still clock for the versions a worker read."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        make_article(cls.tree.insights, title="First article")

    def setUp(self):
        caches["default"].clear()
        local_entries.clear()
        self.addCleanup(local_entries.clear)
        fresh_versions(self)
        feeds._recent_versions.clear()
        patcher = mock.patch.object(feeds, "_clock", lambda: self.clock)
        patcher.start()
        self.addCleanup(patcher.stop)


@override_settings(
    FOCUS_TAG_VERSIONS_REUSE_SECONDS=0.5,
    FOCUS_PAGE_CACHE_LOCAL_BYTES=10 * 1024 * 1024,
    FOCUS_FEED_CACHE_SECONDS=3600,
)
class FeedHitTests(FeedSiteTestCase):
    """A feed served again: this worker's copy under the current version, no store trips."""

    def test_a_repeated_feed_costs_no_trip_to_either_store(self):
        first = self.client.get("/feeds/insights.rss")
        self.assertContains(first, "First article")
        store = caches[settings.FOCUS_FEED_CACHE_ALIAS]
        with (
            mock.patch.object(store, "get", wraps=store.get) as pages,
            mock.patch.object(caches["counters"], "get", wraps=caches["counters"].get) as counts,
        ):
            again = self.client.get("/feeds/insights.rss")
        self.assertEqual(again.content, first.content)
        self.assertEqual((pages.call_count, counts.call_count), (0, 0))

    def test_another_workers_change_shows_once_the_version_is_read_again(self):
        self.client.get("/feeds/insights.rss")
        before = feeds.content_version("en")
        article = make_article(self.tree.insights, title="Second article")
        # As if published through another worker: the shared version moved,
        # this process's recent read of it does not know yet.
        feeds._recent_versions[feeds._version_key("en")] = (before, self.clock)
        self.assertNotContains(self.client.get("/feeds/insights.rss"), article.title)
        self.clock += 0.6
        self.assertContains(self.client.get("/feeds/insights.rss"), article.title)

    def test_a_kept_document_ends_with_the_shared_one(self):
        self.client.get("/feeds/insights.rss")
        (key,) = [key for key in local_entries._entries if key.startswith("focus:feed:")]
        later = tags.time.time() + 3601
        with mock.patch("home.caching.local_entries.time.time", return_value=later):
            self.assertIsNone(local_entries.get(key))


@override_settings(
    FOCUS_PAGE_CACHE_ENABLED=True,
    FOCUS_TAG_VERSIONS_REUSE_SECONDS=0.5,
    FOCUS_PAGE_CACHE_LOCAL_BYTES=10 * 1024 * 1024,
    FOCUS_FEED_CACHE_SECONDS=3600,
    FOCUS_FEED_MAX_AGE=300,
)
class FeedPageCacheTests(FeedSiteTestCase):
    """A feed hit is answered by the page cache, as a page is, not by the feed view."""

    URL = "/feeds/insights.rss"

    def views_reached(self, *paths: str) -> int:
        with mock.patch("home.feeds.views.cached_feed", wraps=feeds.cached_feed) as built:
            for path in paths:
                self.last = self.client.get(path)
        return built.call_count

    def test_a_repeated_feed_never_reaches_its_view(self):
        first = self.client.get(self.URL)
        self.assertEqual(first["X-Cache"], "MISS")
        self.assertEqual(self.views_reached(self.URL), 0)
        self.assertEqual(self.last["X-Cache"], "HIT")
        self.assertEqual(self.last.content, first.content)
        self.assertEqual(self.last["Content-Type"], first["Content-Type"])

    def test_a_hit_keeps_the_feeds_own_headers(self):
        first = self.client.get(self.URL)
        hit = self.client.get(self.URL)
        for name in ("ETag", "Last-Modified", "Cache-Control"):
            self.assertEqual(hit[name], first[name], name)
        # Readers poll with a short public lifetime, not a page's revalidate-always.
        self.assertIn("max-age=300", hit["Cache-Control"])

    def test_conditional_requests_are_answered_from_the_entry(self):
        first = self.client.get(self.URL)
        for headers in (
            {"HTTP_IF_NONE_MATCH": first["ETag"]},
            {"HTTP_IF_MODIFIED_SINCE": first["Last-Modified"]},
        ):
            with self.subTest(headers=headers):
                with mock.patch("home.feeds.views.cached_feed") as built:
                    response = self.client.get(self.URL, **headers)
                self.assertEqual(response.status_code, 304)
                self.assertEqual(response["ETag"], first["ETag"])
                built.assert_not_called()

    def test_tracking_parameters_share_the_entry(self):
        self.client.get(self.URL)
        self.assertEqual(self.views_reached(f"{self.URL}?utm_source=a", f"{self.URL}?x=1"), 0)
        self.assertEqual(self.last["X-Cache"], "HIT")

    def test_a_change_in_this_process_is_served_at_once(self):
        self.client.get(self.URL)
        article = make_article(self.tree.insights, title="Second article")
        response = self.client.get(self.URL)
        self.assertContains(response, article.title)
        self.assertEqual(response["X-Cache"], "MISS")

    def test_another_workers_change_shows_once_the_version_is_read_again(self):
        self.client.get(self.URL)
        before = feeds.content_version("en")
        article = make_article(self.tree.insights, title="Second article")
        # As if published through another worker: the shared version moved,
        # this process's recent read of it does not know yet.
        feeds._recent_versions[feeds._version_key("en")] = (before, self.clock)
        self.assertNotContains(self.client.get(self.URL), article.title)
        self.clock += 0.6
        response = self.client.get(self.URL)
        self.assertContains(response, article.title)
        self.assertNotEqual(response["X-Cache"], "HIT")

    def test_each_edition_is_checked_against_its_own_version(self):
        self.client.get(self.URL)
        feeds.invalidate_feeds("zh-hans")
        self.assertEqual(self.views_reached(self.URL), 0)
        feeds.invalidate_feeds("en")
        self.assertEqual(self.views_reached(self.URL), 1)

    def test_an_entry_ends_with_the_document_it_holds(self):
        with mock.patch.object(feeds, "next_scheduled_change", return_value=tags.time.time() + 90):
            self.client.get(self.URL)
        (key,) = [key for key in local_entries._entries if key.startswith(middleware.ENTRY_PREFIX)]
        entry = caches["default"].get(key)
        self.assertLessEqual(entry["expires_at"], tags.time.time() + 91)
        later = tags.time.time() + 120
        with mock.patch("home.caching.local_entries.time.time", return_value=later):
            self.assertIsNone(local_entries.get(key))

    def test_a_head_request_is_answered_but_not_stored(self):
        self.assertEqual(self.client.head(self.URL).status_code, 200)
        self.assertEqual(self.views_reached(self.URL), 1)


@override_settings(
    FOCUS_PAGE_CACHE_ENABLED=True,
    FOCUS_PAGE_CACHE_CLOCK_SKEW=0,
    FOCUS_PAGE_CACHE_UNTAGGED_SECONDS=60,
)
class UntaggedTests(TestCase):
    """A URL that answered untagged is not looked for in the page cache for a while."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        SiteSettings.for_site(Site.objects.get(is_default_site=True))

    def setUp(self):
        caches["default"].clear()
        caches["counters"].clear()
        middleware.untagged.until.clear()
        self.addCleanup(middleware.untagged.until.clear)

    def test_an_untagged_answer_skips_the_lookup_next_time(self):
        # The list of feeds, a page for people, carries no tags.
        self.client.get("/feeds/")
        with mock.patch.object(caches["default"], "get", wraps=caches["default"].get) as gets:
            self.client.get("/feeds/")
        keys = [call.args[0] for call in gets.call_args_list]
        self.assertFalse([key for key in keys if key.startswith(middleware.ENTRY_PREFIX)])

    def test_a_page_that_starts_being_stored_is_still_fresh(self):
        # Not found first (untagged), then published: served fresh at once.
        self.assertEqual(self.client.get("/insights/later/").status_code, 404)
        make_article(self.tree.insights, title="Later", slug="later")
        response = self.client.get("/insights/later/")
        self.assertContains(response, "Later")
        self.assertNotEqual(response.get("X-Cache"), "HIT")

    def test_tagged_pages_are_looked_up_as_before(self):
        self.client.get("/insights/")
        self.assertEqual(self.client.get("/insights/")["X-Cache"], "HIT")
