from django.test import TestCase

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

    def test_data_chart_is_served_as_png(self):
        response = self.client.get(f"/charts/{self.issue.pk}/{self.chart_id}.png")
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
