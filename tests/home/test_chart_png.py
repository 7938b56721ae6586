from django.core.cache import caches
from django.test import TestCase, override_settings

from tests.factories import build_site, list_items, make_issue, stream


class ChartPngTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        tree = build_site()
        cls.issue = make_issue(
            tree.issues,
            body=stream(
                (
                    "chart_callout",
                    {
                        "headline": "Debt",
                        "data": list_items(
                            [
                                {"label": "Q4 2011", "value": "99.4"},
                                {"label": "Q4 2012", "value": "103.7"},
                            ]
                        ),
                        "source_note": "FRED",
                    },
                ),
                ("heading", {"text": "Not a chart", "level": "h2"}),
            ),
        )
        cls.chart_id, cls.heading_id = [child.id for child in cls.issue.body]

    def chart_url(self) -> str:
        """The chart's address as the published page's email and feed renderings give it."""
        self.issue.refresh_from_db()
        version = self.issue.body[0].value.png_version
        return f"/charts/{self.issue.pk}/{self.chart_id}/{version}.png"

    def change_data(self, value: str) -> None:
        self.issue.body[0].value["data"][1]["value"] = value
        self.issue.save_revision().publish()

    def test_data_chart_is_served_as_png(self):
        response = self.client.get(self.chart_url())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/png")
        self.assertTrue(response.content.startswith(b"\x89PNG\r\n\x1a\n"))

    def test_other_blocks_pages_and_drafts_are_404(self):
        self.assertEqual(
            self.client.get(f"/charts/{self.issue.pk}/{self.heading_id}.png").status_code, 404
        )
        self.assertEqual(self.client.get(f"/charts/{self.issue.pk}/nope.png").status_code, 404)
        self.assertEqual(self.client.get(f"/charts/999999/{self.chart_id}.png").status_code, 404)
        self.issue.unpublish()
        self.assertEqual(
            self.client.get(f"/charts/{self.issue.pk}/{self.chart_id}.png").status_code, 404
        )
        self.assertEqual(
            self.client.post(f"/charts/{self.issue.pk}/{self.chart_id}.png").status_code, 405
        )

    def test_the_bare_address_redirects_to_the_current_version(self):
        response = self.client.get(f"/charts/{self.issue.pk}/{self.chart_id}.png")
        self.assertRedirects(response, self.chart_url(), fetch_redirect_response=False)
        self.assertEqual(response["Cache-Control"], "no-cache")

    def test_changed_data_changes_the_address_and_old_addresses_redirect(self):
        old_url = self.chart_url()
        old_png = self.client.get(old_url).content
        self.change_data("150.2")
        new_url = self.chart_url()
        self.assertNotEqual(new_url, old_url)
        # Not the old image under its old address: a redirect to the new one.
        response = self.client.get(old_url)
        self.assertRedirects(response, new_url, fetch_redirect_response=False)
        new_png = self.client.get(new_url).content
        self.assertTrue(new_png.startswith(b"\x89PNG"))
        self.assertNotEqual(new_png, old_png)
        # The headline is not drawn: editing it keeps the address.
        self.issue.body[0].value["headline"] = "Public debt"
        self.issue.save_revision().publish()
        self.assertEqual(self.chart_url(), new_url)

    @override_settings(FOCUS_PAGE_CACHE_ENABLED=True, FOCUS_PAGE_CACHE_CLOCK_SKEW=0)
    def test_a_cached_image_is_cleared_with_its_page(self):
        caches["default"].clear()
        caches["counters"].clear()
        old_url = self.chart_url()
        self.assertEqual(self.client.get(old_url)["X-Cache"], "MISS")
        cached = self.client.get(old_url)
        self.assertEqual(cached["X-Cache"], "HIT")
        self.assertIn("must-revalidate", cached["Cache-Control"])
        self.change_data("150.2")
        response = self.client.get(old_url)
        self.assertEqual(response.status_code, 302)
        self.assertNotIn("X-Cache", response)
