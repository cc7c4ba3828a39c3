"""Figures as the book shows them: 2x PNGs that record their smallest text, and that text >= 11 CSS px.

lstm_lib.diagrams._display.figure_png renders at 200 dpi, reports its CSS size (half the pixels) and writes
``lstm:text`` = ``min_pt=…;width_in=…`` into the PNG; the browser test uses that record on the built pages. Here the
same rule is checked on every figure of lstm_lib.diagrams.FIGURES without a browser: shown at 100 CSS px per inch,
shrunk to the 672 px column of a 1280 px page when wider, the smallest text is at least 11 px.
"""
from __future__ import annotations

import io

import matplotlib
import pytest

matplotlib.use("Agg")

from PIL import Image  # noqa: E402

from lstm_lib import diagrams  # noqa: E402
from lstm_lib.diagrams import _display, _style  # noqa: E402
from lstm_lib.diagrams.figures import _RAW_FIGURES  # noqa: E402


def shown_px(record: dict) -> float:
    px_per_in = min(100.0, _style.COLUMN_PX / record["width_in"])
    return record["min_pt"] / 72 * px_per_in


def record_of(png: bytes) -> dict:
    with Image.open(io.BytesIO(png)) as image:
        text = image.text["lstm:text"]
    return {k: float(v) for k, v in (p.split("=") for p in text.split(";"))}


@pytest.mark.parametrize("name", sorted(diagrams.FIGURES))
def test_figure_text_is_at_least_11_px(name):
    png, size = _display.figure_png(diagrams.FIGURES[name]())
    record = record_of(png)
    with Image.open(io.BytesIO(png)) as image:
        assert all(abs(a - 2 * b) <= 1 for a, b in zip(image.size, (size["width"], size["height"]))), \
            f"the PNG ({image.size}) is not 2x its CSS size ({size})"
    assert abs(record["width_in"] * 100 - size["width"]) <= 1
    assert shown_px(record) >= 11, f"{name}: smallest text {shown_px(record):.1f} px ({record['min_pt']} pt)"


def test_the_floor_is_what_makes_them_legible():
    """Negative control: drawn without the floor, the cell diagrams have text below 11 px."""
    png, _ = _display.figure_png(_RAW_FIGURES["focus-forget"]())
    assert shown_px(record_of(png)) < 11


def test_pyplot_figures_get_a_record_too():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 3))
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], label="loss / 损失")
    ax.tick_params(labelsize=6)
    png, size = _display.figure_png(fig)
    record = record_of(png)
    assert record["min_pt"] == 6.0 and shown_px(record) < 11     # ticks at 6 pt are too small, and it is seen
    assert size["width"] < 400   # cropped like the inline backend's bbox_inches="tight"


@pytest.mark.parametrize("width, pt, legible", [(10.0, 7.0, False), (10.0, 10.0, False), (10.0, 12.0, True),
                                                (6.5, 8.0, True), (6.5, 7.5, False)])
def test_pyplot_figures_are_held_to_the_same_rule(width, pt, legible):
    """Negative control of the browser test, which holds every PNG (pyplot plots too) to 11 px: a 10 in plot with
    7 pt (or 10 pt) text yields a record that fails; 12 pt passes, as does 8 pt in a plot narrower than the column."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, 3))
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], label="loss / 损失")
    ax.tick_params(labelsize=pt)
    ax.xaxis.label.set_size(pt)
    ax.legend(fontsize=pt)
    ax.set_xlabel("step / 步数")
    fig.tight_layout()
    png, size = _display.figure_png(fig)
    record = record_of(png)
    assert "diagram" not in record and record["min_pt"] == pt
    assert (shown_px(record) >= 11) == legible, f"{pt} pt in a {record['width_in']} in figure: {shown_px(record):.1f} px"
    with Image.open(io.BytesIO(png)) as image:
        assert abs(image.size[0] - 2 * size["width"]) <= 1      # a 2x PNG, like the diagrams
