"""The client address every throttle counts: only what our own proxies appended."""

from django.test import RequestFactory, SimpleTestCase, override_settings

from focus_site.client_address import client_address


def request(remote="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


class ClientAddressTests(SimpleTestCase):
    @override_settings(FOCUS_TRUSTED_PROXY_COUNT=0)
    def test_without_a_trusted_proxy_the_header_is_ignored(self):
        self.assertEqual(client_address(request("203.0.113.9", "198.51.100.1")), "203.0.113.9")

    @override_settings(FOCUS_TRUSTED_PROXY_COUNT=1)
    def test_one_proxy_takes_the_last_entry_never_the_client_written_first(self):
        self.assertEqual(client_address(request(forwarded="203.0.113.9")), "203.0.113.9")
        spoofed = request(forwarded="198.51.100.1, 198.51.100.2, 203.0.113.9")
        self.assertEqual(client_address(spoofed), "203.0.113.9")

    @override_settings(FOCUS_TRUSTED_PROXY_COUNT=2)
    def test_cdn_and_proxy_take_the_second_entry_from_the_right(self):
        # The client wrote 198.51.100.1, the CDN appended the client (203.0.113.9),
        # the load balancer appended the CDN's edge (192.0.2.50).
        forwarded = "198.51.100.1, 203.0.113.9, 192.0.2.50"
        self.assertEqual(client_address(request(forwarded=forwarded)), "203.0.113.9")

    @override_settings(FOCUS_TRUSTED_PROXY_COUNT=2)
    def test_too_few_entries_means_a_proxy_was_bypassed(self):
        self.assertEqual(client_address(request("10.0.0.7", "203.0.113.9")), "10.0.0.7")
        self.assertEqual(client_address(request("10.0.0.7")), "10.0.0.7")

    @override_settings(FOCUS_TRUSTED_PROXY_COUNT=1)
    def test_garbage_in_the_trusted_entry_falls_back_to_the_connection(self):
        for forwarded in ("not-an-ip", "1.2.3.4, <script>", "\x00", " , ", "9" * 5000):
            with self.subTest(forwarded=forwarded[:20]):
                self.assertEqual(client_address(request("10.0.0.7", forwarded)), "10.0.0.7")

    @override_settings(FOCUS_TRUSTED_PROXY_COUNT=1)
    def test_ports_and_brackets_are_dropped(self):
        self.assertEqual(client_address(request(forwarded="203.0.113.9:4711")), "203.0.113.9")
        self.assertEqual(
            client_address(request(forwarded="[2001:db8:1:2::9]:443")), "2001:db8:1:2::/64"
        )

    def test_ipv6_is_counted_per_64(self):
        one = client_address(request("2001:db8:1:2:aaaa::1"))
        other = client_address(request("2001:db8:1:2:bbbb:cccc:dddd:eeee"))
        elsewhere = client_address(request("2001:db8:1:3::1"))
        self.assertEqual(one, "2001:db8:1:2::/64")
        self.assertEqual(one, other)
        self.assertNotEqual(one, elsewhere)

    def test_ipv4_mapped_ipv6_is_the_ipv4_address(self):
        self.assertEqual(client_address(request("::ffff:203.0.113.9")), "203.0.113.9")

    def test_no_address_at_all(self):
        self.assertEqual(client_address(request("")), "unknown")
        self.assertEqual(client_address(None), "unknown")
