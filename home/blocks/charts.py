"""Geometry for the small data charts editors type into a chart callout.

The web rendering draws an SVG from these numbers; the same numbers are
also shown as a table, so the chart never hides its data.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

WIDTH = 640
HEIGHT = 320
MARGIN_TOP = 28
MARGIN_BOTTOM = 56
MARGIN_LEFT = 16
MARGIN_RIGHT = 16


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    display: str
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    value_y: float


@dataclass(frozen=True)
class ChartGeometry:
    width: int
    height: int
    baseline_y: float
    bars: list[Bar]


def format_value(value: Decimal, unit: str = "") -> str:
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}".rstrip("0")
    text = text.rstrip(".")
    if not unit:
        return text
    return f"{text}{unit}" if unit in ("%",) else f"{text} {unit}"


def bar_chart(points: list[tuple[str, Decimal]], unit: str = "") -> ChartGeometry:
    """Lay out one bar per point, scaled from zero to the largest value."""
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    baseline = MARGIN_TOP + plot_height
    largest = max((abs(value) for _, value in points), default=Decimal(0)) or Decimal(1)
    slot = plot_width / max(len(points), 1)
    bar_width = slot * 0.62
    bars = []
    for index, (label, value) in enumerate(points):
        height = float(abs(value) / largest) * plot_height
        x = MARGIN_LEFT + index * slot + (slot - bar_width) / 2
        y = baseline - height
        bars.append(
            Bar(
                label=label,
                value=value,
                display=format_value(value, unit),
                x=round(x, 1),
                y=round(y, 1),
                width=round(bar_width, 1),
                height=round(height, 1),
                label_x=round(x + bar_width / 2, 1),
                label_y=round(baseline + 22, 1),
                value_y=round(y - 8, 1),
            )
        )
    return ChartGeometry(width=WIDTH, height=HEIGHT, baseline_y=baseline, bars=bars)


def render_png(geometry: ChartGeometry, scale: int = 2) -> bytes:
    """The same bar chart as a PNG, for email clients and feed readers without SVG."""
    from io import BytesIO

    from PIL import Image, ImageDraw, ImageFont

    ink, paper, accent, rule = (27, 27, 27), (253, 252, 248), (158, 27, 31), (120, 120, 120)
    image = Image.new("RGB", (geometry.width * scale, geometry.height * scale), paper)
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.load_default(size=14 * scale)
        bold = ImageFont.load_default(size=15 * scale)
    except TypeError:  # Pillow built without FreeType: fixed-size bitmap font
        font = bold = ImageFont.load_default()
    baseline = geometry.baseline_y * scale
    draw.line([(0, baseline), (geometry.width * scale, baseline)], fill=rule, width=scale)
    for bar in geometry.bars:
        left, top = bar.x * scale, bar.y * scale
        draw.rectangle([left, top, left + bar.width * scale, baseline], fill=accent)
        for text, y, face in ((bar.display, bar.value_y, bold), (bar.label, bar.label_y, font)):
            box = draw.textbbox((0, 0), text, font=face)
            draw.text(
                (bar.label_x * scale - (box[2] - box[0]) / 2, y * scale - (box[3] - box[1])),
                text,
                fill=ink,
                font=face,
            )
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


@dataclass(frozen=True)
class PastedRow:
    number: int
    label: str
    value: str


def split_pasted_rows(text: str) -> tuple[list[PastedRow], list[str]]:
    """Rows pasted from a spreadsheet (``label<TAB>value``) or typed as ``label, value``.

    Returns the rows and, for the lines that are not rows, what is wrong with
    them. A first line whose value is not a number is taken as a header and
    skipped. With tabs, a value may carry thousands separators (``1,234.5``);
    with commas the last comma separates the label from the value, so a
    comma-separated value must not contain one.
    """
    rows: list[PastedRow] = []
    errors: list[str] = []
    lines = [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
    for position, (number, line) in enumerate(lines):
        if "\t" in line:
            cells = [cell.strip() for cell in line.split("\t")]
            cells = [cell for cell in cells if cell]
            if len(cells) != 2:
                errors.append(
                    f"Row {number} (“{line.strip()}”): expected two cells, a label and a value; "
                    f"found {len(cells)}."
                )
                continue
            label, value = cells
            value = value.replace(",", "").replace("\u202f", "").replace(" ", "")
        elif "," in line:
            label, _, value = (part.strip() for part in line.rpartition(","))
        else:
            errors.append(
                f"Row {number} (“{line.strip()}”): separate the label and the value "
                "with a tab or a comma."
            )
            continue
        value = value.removesuffix("%").strip()
        if position == 0 and not _looks_numeric(value):
            continue  # a header row, e.g. "Quarter<TAB>Debt"
        if not label:
            errors.append(f"Row {number} (“{line.strip()}”): the label is empty.")
            continue
        rows.append(PastedRow(number=number, label=label, value=value))
    if not rows and not errors:
        # Only a header, say: replacing the points with nothing would lose them.
        errors.append(
            "No rows with a number: paste lines of a label and a value, e.g. Q4 2011, 99.4."
        )
    return rows, errors


def _looks_numeric(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True
