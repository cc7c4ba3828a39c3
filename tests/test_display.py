"""Figures as the book shows them: 2x PNGs that record their smallest text, and that text >= 11 CSS px.

lstm_lib.diagrams._display.figure_png renders at 200 dpi, reports its CSS size (half the pixels) and writes
``lstm:text`` = ``min_pt=…;width_in=…`` into the PNG; the browser test uses that record on the built pages. Here the
same rule is checked on every figure of lstm_lib.diagrams.FIGURES without a browser: shown at 100 CSS px per inch,
shrunk to the 672 px column of a 1280 px page when wider, the smallest text is at least 11 px.
"""
from __future__ import annotations

import base64
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
    return {k: (v if k == "lang" else float(v)) for k, v in (p.split("=") for p in text.split(";"))}


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


# --- single-language renderings (issue 11: figure labels follow the reading mode) -----------------------------------
# Each pair is a label as the course writes it (lstm_lib/diagrams, the chapters' plots) and its two renderings.
LABELS = [
    ("forget gate\n遗忘门", ("forget gate", "遗忘门")),                                   # lstm_lib/diagrams/cell.py
    ("training loss / 训练损失", ("training loss", "训练损失")),                             # chapter 1
    ("forget gate · 遗忘门", ("forget gate", "遗忘门")),                                    # chapter 5
    ("fraction left-saturated\n(< 0.1) · 左饱和比例",                                      # chapter 5: "(< 0.1)" is both
     ("fraction left-saturated\n(< 0.1)", "(< 0.1) 左饱和比例")),
    ("fraction left-saturated (< 0.1)\n左饱和比例", ("fraction left-saturated (< 0.1)", "左饱和比例")),
    # chapter 4: the Chinese half leaves the name and the maths implicit; the Chinese legend must still tell b_f apart
    ("LSTM $b_f$ = 3: cell-state path $\\prod f$ / 细胞状态通路",
     ("LSTM $b_f$ = 3: cell-state path $\\prod f$", "LSTM $b_f$ = 3：细胞状态通路 $\\prod f$")),
    ("$\\prod f$ / 细胞状态通路", ("$\\prod f$", "细胞状态通路 $\\prod f$")),
    ("LSTM $b_f$ = 0: full $\\partial C_T/\\partial C_{T-k}$ / 完整",
     ("LSTM $b_f$ = 0: full $\\partial C_T/\\partial C_{T-k}$", "LSTM $b_f$ = 0：完整 $\\partial C_T/\\partial C_{T-k}$")),
    # chapter 6a: "{name}, median seed / RNN，中位数种子" -- the name is already in the Chinese half
    ("RNN, median seed / RNN，中位数种子", ("RNN, median seed", "RNN，中位数种子")),
    ("clock RNN, median seed / 时钟 RNN，中位数种子", ("clock RNN, median seed", "时钟 RNN，中位数种子")),
    ("RNN, default init / 默认初始化", ("RNN, default init", "RNN，默认初始化")),             # chapter 2
    # separators inside maths or parentheses are not label separators
    ("$\\Vert\\partial h_T / \\partial x_{T-k}\\Vert$\n(gradient norm / 梯度范数)",
     ("$\\Vert\\partial h_T / \\partial x_{T-k}\\Vert$\n(gradient norm)", "$\\Vert\\partial h_T / \\partial x_{T-k}\\Vert$\n(梯度范数)")),
    ("LSTM: $C_t$ (cell state / 细胞状态)", ("LSTM: $C_t$ (cell state)", "LSTM: $C_t$ (细胞状态)")),
    ("training (mean of 50) / 训练（50 次平均）", ("training (mean of 50)", "训练（50 次平均）")),
    ("$f_t$ of unit 3 · 隐藏单元 3 的 $f_t$", ("$f_t$ of unit 3", "隐藏单元 3 的 $f_t$")),
    # not bilingual: unchanged on both sides
    ("tanh", ("tanh", "tanh")),
    ("RNN, ρ = 1", ("RNN, ρ = 1", "RNN, ρ = 1")),
    ("遗忘门", ("遗忘门", "遗忘门")),
    ("种子 0：阴影 = 当前主语为复数", ("种子 0：阴影 = 当前主语为复数", "种子 0：阴影 = 当前主语为复数")),
    ("loss / accuracy", ("loss / accuracy", "loss / accuracy")),
]


@pytest.mark.parametrize("label, expected", LABELS)
def test_split_bilingual(label, expected):
    assert _display.split_bilingual(label) == expected


def _plot(labels=("training loss / 训练损失", "held-out loss / 留出集损失")):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5, 3))
    ax = fig.add_subplot()
    for k, label in enumerate(labels):
        ax.plot([0, 1], [k, k + 1], label=label)
    ax.legend(fontsize=9)
    ax.set_xlabel("training step / 训练步数", fontsize=9)
    ax.set_title("gap k = 5\n间隔 k = 5", fontsize=9)
    ax.text(0.5, 1.0, "遗忘门", fontsize=9)          # Chinese only: hidden in the English rendering
    ax.tick_params(labelsize=9)
    return fig


def _texts(fig):
    from matplotlib.text import Text

    return [(t.get_text(), t.get_visible(), t.get_position()) for t in fig.findobj(Text)]


def test_figure_png_renders_an_english_and_a_chinese_variant():
    fig = _plot()
    fig.draw_without_rendering()   # axis labels get their positions when the figure is laid out
    before = _texts(fig)
    png, metadata = _display.figure_png(fig)
    assert _texts(fig) == before, "figure_png changed the figure"
    again, _ = _display.figure_png(fig)
    assert again == png, "the bilingual PNG changed after rendering the variants"
    variants = metadata["lstm_variants"]
    assert set(variants) == {"en", "zh"}
    bilingual = record_of(png)
    assert "lang" not in bilingual
    for lang, variant in variants.items():
        data = base64.b64decode(variant["png"])
        assert data != png
        record = record_of(data)
        assert record["lang"] == lang and record["min_pt"] == 9.0
        with Image.open(io.BytesIO(data)) as image:
            assert abs(image.size[0] - 2 * variant["width"]) <= 1 and abs(image.size[1] - 2 * variant["height"]) <= 1
    assert record_of(base64.b64decode(variants["en"]["png"]))["han"] == 0
    assert record_of(base64.b64decode(variants["zh"]["png"]))["han"] == 5   # 2 legend entries, xlabel, title, 遗忘门


def test_the_english_variant_shows_no_chinese():
    """What the English variant draws: the English halves only, the Chinese-only text hidden."""
    from matplotlib.text import Text

    fig = _plot()
    drawn = {}
    real = _display._render

    def spy(fig_, ours, extra=""):
        drawn[extra] = [t.get_text() for t in fig_.findobj(Text) if t.get_visible() and t.get_text()]
        return real(fig_, ours, extra)

    _display._render = spy
    try:
        _display.figure_png(fig)
    finally:
        _display._render = real
    en = drawn[";lang=en"]
    assert "training loss" in en and "gap k = 5" in en and not any(_display.has_han(t) for t in en), en
    zh = drawn[";lang=zh"]
    assert "训练损失" in zh and "遗忘门" in zh and "training loss" not in zh, zh
    assert any(" / " in t for t in drawn[""]), "the bilingual rendering keeps the bilingual labels"


def test_figures_without_chinese_get_no_variants():
    fig = _plot(labels=("loss", "accuracy"))
    fig.axes[0].set_xlabel("step")
    fig.axes[0].set_title("gap k = 5")
    fig.axes[0].texts[0].set_text("A")
    _, metadata = _display.figure_png(fig)
    assert "lstm_variants" not in metadata and set(metadata) == {"width", "height"}


def test_the_course_diagrams_have_variants():
    _, metadata = _display.figure_png(diagrams.FIGURES["focus-forget"]())
    en = metadata["lstm_variants"]["en"]
    assert record_of(base64.b64decode(en["png"]))["han"] == 0
    assert (en["width"], en["height"]) == (metadata["width"], metadata["height"])   # laid out to the edge: same size


def test_notebooks_show_one_png_and_keep_the_renderings_in_metadata():
    """JupyterLab and Colab show an output's data, not its metadata: a stored figure is one bilingual PNG, and its
    renderings sit in metadata["image/png"]["lstm_variants"] (valid nbformat, which nbval does not compare)."""
    from pathlib import Path

    import nbformat

    path = Path(__file__).resolve().parents[1] / "notebooks" / "01_recurrent_neural_networks.ipynb"
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    figures = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})]
    assert figures
    for output in figures:
        assert [k for k in output.data if k.startswith("image/")] == ["image/png"]
        variants = output.metadata["image/png"]["lstm_variants"]
        assert set(variants) == {"en", "zh"}
        assert record_of(base64.b64decode(variants["en"]["png"]))["han"] == 0
        assert "lang" not in record_of(base64.b64decode(output.data["image/png"]))
