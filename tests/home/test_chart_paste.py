"""Chart data pasted from a spreadsheet into the chart callout."""

from __future__ import annotations

import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from home.blocks import ChartCalloutBlock
from home.blocks.charts import split_pasted_rows


def chart(paste: str, **fields) -> dict:
    return {"headline": "Debt", "source_note": "FRED", "data": [], "paste": paste, **fields}


class SplitRowsTests(SimpleTestCase):
    def test_tabs_from_a_spreadsheet_with_a_header_row(self):
        rows, errors = split_pasted_rows("Quarter\tDebt\nQ4 2011\t99.4\nQ1 2012\t1,100.7\n")
        self.assertEqual(errors, [])
        self.assertEqual(
            [(r.label, r.value) for r in rows], [("Q4 2011", "99.4"), ("Q1 2012", "1100.7")]
        )

    def test_commas_split_at_the_last_one_and_blank_lines_are_skipped(self):
        rows, errors = split_pasted_rows("Jan, 2024, 12\n\n  \nFeb 2024,13%\n")
        self.assertEqual(errors, [])
        self.assertEqual(
            [(r.label, r.value) for r in rows], [("Jan, 2024", "12"), ("Feb 2024", "13")]
        )

    def test_a_lone_header_is_not_an_empty_chart(self):
        rows, errors = split_pasted_rows("Quarter\tDebt\n")
        self.assertEqual(rows, [])
        self.assertIn("No rows with a number", errors[0])

    def test_lines_without_a_separator_or_with_too_many_cells_are_named(self):
        _rows, errors = split_pasted_rows("2024 12\n2025\t13\t14\n,5")
        self.assertEqual(len(errors), 3)
        self.assertIn("Row 1", errors[0])
        self.assertIn("tab or a comma", errors[0])
        self.assertIn("Row 2", errors[1])
        self.assertIn("found 3", errors[1])
        self.assertIn("Row 3", errors[2])
        self.assertIn("label is empty", errors[2])


class PasteFieldTests(SimpleTestCase):
    block = ChartCalloutBlock()

    def clean(self, value: dict, draft: bool = False):
        python = self.block.to_python(value)
        if draft:
            self.block.defer_required_validation()
        try:
            return self.block.clean(python)
        finally:
            if draft:
                self.block.restore_deferred_validation()

    def errors(self, value: dict, draft: bool = False) -> dict:
        with self.assertRaises(ValidationError) as refused:
            self.clean(value, draft=draft)
        return refused.exception.as_json_data()["blockErrors"]

    def test_pasted_rows_replace_the_points_and_the_box_empties(self):
        value = self.clean(
            chart("Year\tValue\n2023\t1\n2024\t2.5", data=[{"label": "old", "value": "9"}])
        )
        self.assertEqual(value.points, [("2023", Decimal("1")), ("2024", Decimal("2.5"))])
        self.assertEqual(value["paste"], "")

    def test_bad_rows_are_refused_even_in_a_draft_with_each_row_named(self):
        # (A first row whose value is not a number is a header, so row 2 is the bad one.)
        pasted = "Year\tValue\n2023\tabc\n2024\t2\n" + "x" * 41 + "\t3"
        messages = self.errors(chart(pasted), draft=True)["paste"]["messages"]
        self.assertEqual(len(messages), 2)
        self.assertIn("Row 2 (“2023; abc”): value: Enter a number.", messages[0])
        self.assertIn("Row 4", messages[1])
        self.assertIn("at most 40 characters", messages[1])

    def test_more_rows_than_a_chart_holds(self):
        rows = "\n".join(f"{n}\t{n}" for n in range(1, 26))
        errors = self.errors(chart(rows))
        self.assertIn("at most 24 points; 25 rows", json.dumps(errors))

    def test_one_pasted_row_saves_as_a_draft_but_cannot_be_published(self):
        value = self.clean(chart("2024\t1"), draft=True)
        self.assertEqual(len(value.points), 1)
        self.assertIn("at least two data points", json.dumps(self.errors(chart("2024\t1"))))

    def test_every_missing_thing_is_reported_at_once(self):
        errors = self.errors({"headline": "", "source_note": "", "data": [], "paste": ""})
        self.assertEqual(sorted(errors), ["data", "headline", "source_note"])
