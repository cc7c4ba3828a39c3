"""lstm_lib.diagrams: every figure draws cleanly (no missing glyph, no text outside the canvas, no overlapping
labels), highlighting changes what is drawn, the live figure prints the cell's own values, captions are bilingual."""
from __future__ import annotations

import functools
import itertools
import re
import warnings

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Text

import lstm_lib
from lstm_lib import diagrams
from lstm_lib.diagrams import FIGURES, CAPTIONS, draw_cell

REQUIRED = ["rnn-rolled", "rnn-unrolled", "gap-short", "gap-long", "rnn-module", "lstm-chain", "notation",
            "cell-state-line", "gate", "focus-forget", "focus-input", "focus-update", "focus-output", "peephole",
            "coupled", "gru", "gru-reset-after", "lstm-live", "history-timeline",
            "bidirectional", "esn", "ntm", "lsm"]  # Appendix C
CJK = re.compile(r"[\u4e00-\u9fff]")


@functools.lru_cache(maxsize=None)
def drawn_once(name):
    """``drawn(name)``, once per session, for the tests that only read the figure."""
    return drawn(name)


def drawn(name):
    """Draw FIGURES[name] with every warning an error (a missing glyph is a UserWarning); return fig, renderer."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = FIGURES[name]()
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
    return fig, canvas.get_renderer()


def texts(fig):
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def test_registry_has_every_required_figure():
    assert sorted(FIGURES) == sorted(REQUIRED)
    assert sorted(CAPTIONS) == sorted(REQUIRED)


@pytest.mark.parametrize("name", REQUIRED)
def test_figure_draws_without_missing_glyphs(name):
    fig, _ = drawn_once(name)
    assert isinstance(fig, Figure)
    assert len(texts(fig)) >= 3, "a figure with hardly any labels"


@pytest.mark.parametrize("name", REQUIRED)
def test_no_text_outside_the_canvas(name):
    fig, renderer = drawn_once(name)
    W, H = fig.bbox.width, fig.bbox.height
    for t in texts(fig):
        bb = t.get_window_extent(renderer)
        assert bb.x0 >= -1 and bb.y0 >= -1 and bb.x1 <= W + 1 and bb.y1 <= H + 1, \
            f"{name}: text {t.get_text()!r} at {bb} leaves the {W}x{H} canvas"


@pytest.mark.parametrize("name", REQUIRED)
def test_no_two_labels_overlap(name):
    fig, renderer = drawn_once(name)
    boxes = [(t.get_text(), t.get_window_extent(renderer).shrunk(0.96, 0.9)) for t in texts(fig)]
    for (a, ba), (b, bb) in itertools.combinations(boxes, 2):
        assert not ba.overlaps(bb), f"{name}: labels {a!r} and {b!r} overlap"


def test_overlap_check_catches_an_overlap():
    """Negative control for the two checks above: a label moved onto another one, and one moved off the canvas."""
    fig, renderer = drawn("notation")
    t0, t1 = texts(fig)[:2]
    t1.set_position(t0.get_position())
    t1.set_horizontalalignment(t0.get_horizontalalignment())
    FigureCanvasAgg(fig).draw()
    assert t0.get_window_extent(renderer).overlaps(t1.get_window_extent(renderer))
    t0.set_position((-50, 0))
    assert t0.get_window_extent(renderer).x0 < 0


def _style_of(fig, part):
    """(alpha, face colour) of the layer box drawn for ``part``."""
    for p in fig.findobj(Patch):
        if p.get_gid() == part and p.__class__.__name__ == "FancyBboxPatch":
            return p.get_alpha(), tuple(np.round(p.get_facecolor()[:3], 3))
    raise AssertionError(f"no layer drawn for {part!r}")


def test_highlight_changes_what_is_drawn():
    forget, _ = drawn_once("focus-forget")
    output, _ = drawn_once("focus-output")
    full = diagrams.cell_figure("lstm")
    assert _style_of(forget, "forget")[0] == 1.0 and _style_of(forget, "output")[0] < 0.5
    assert _style_of(output, "output")[0] == 1.0 and _style_of(output, "forget")[0] < 0.5
    assert _style_of(forget, "forget")[1] != _style_of(output, "forget")[1]     # coloured vs grey
    assert _style_of(full, "forget")[0] == _style_of(full, "output")[0] == 1.0  # no highlight: all in colour


@pytest.mark.parametrize("kind", diagrams.KINDS)
def test_each_kind_draws_its_own_layers(kind):
    fig = diagrams.cell_figure(kind)
    gids = {p.get_gid() for p in fig.findobj(Patch) if p.__class__.__name__ == "FancyBboxPatch"}
    expected = {"rnn": {"rnn"}, "lstm": {"forget", "input", "candidate", "output"},
                "peephole": {"forget", "input", "candidate", "output"}, "coupled": {"forget", "candidate", "output"},
                "gru": {"reset", "zgate", "candidate"}, "gru-reset-after": {"reset", "zgate", "candidate"}}[kind]
    assert expected <= gids
    if kind == "coupled":
        assert "input" not in gids
    lines = {l.get_gid() for l in fig.findobj() if hasattr(l, "get_gid")}
    assert ("peephole" in lines) == (kind == "peephole")


def _printed(fig, slot):
    """The numbers printed in the value cells of ``slot``, read back from the figure's text artists."""
    return [float(t.get_text().replace("\u2212", "-")) for t in fig.findobj(Text)
            if t.get_gid() == f"value:{slot}" and re.fullmatch(r"\u2212?\d+\.\d\d", t.get_text())]


def test_lstm_live_prints_the_cells_own_values():
    cell, x_t, state = diagrams.live_example()
    fig = diagrams.lstm_live(cell, x_t, state)
    (h, c), cache = cell.step(x_t, state)
    expected = {"f": cache["f"], "i": cache["i"], "c_tilde": cache["c_tilde"], "o": cache["o"], "c": c, "h": h,
                "c_prev": state[1], "f_c_prev": cache["f"] * state[1], "i_c_tilde": cache["i"] * cache["c_tilde"]}
    for slot, value in expected.items():
        np.testing.assert_allclose(_printed(fig, slot), np.round(value[0], 2), atol=1e-9, err_msg=slot)
        np.testing.assert_allclose(fig.lstm_values[slot], value[0], rtol=0, atol=1e-12, err_msg=slot)
    # the point of the figure: f_t cuts at least one unit of C_{t-1}, i_t ⊙ C̃_t refills
    assert cache["f"].min() < 0.1 and np.abs(cache["i"] * cache["c_tilde"]).max() > 0.3


def test_lstm_live_follows_another_cell():
    """Not hard-coded: a different cell and state print different numbers, still the cell's own."""
    cell = lstm_lib.LSTM(2, 3, seed=7)
    x_t = np.array([[0.5, -1.0]])
    state = (np.zeros((1, 3)), np.array([[1.0, -0.5, 0.25]]))
    fig = diagrams.lstm_live(cell, x_t, state)
    _, cache = cell.step(x_t, state)
    np.testing.assert_allclose(_printed(fig, "f"), np.round(cache["f"][0], 2))
    assert len(_printed(fig, "f")) == 3 and len(_printed(fig, "x")) == 2
    assert _printed(fig, "f") != _printed(diagrams.lstm_live(), "f")[:3]


def test_lstm_live_rejects_what_it_cannot_draw():
    with pytest.raises(ValueError, match="at most 4"):
        diagrams.lstm_live(lstm_lib.LSTM(3, 8, seed=0), np.zeros((1, 3)), None)
    with pytest.raises(ValueError, match="x_t"):
        diagrams.lstm_live(lstm_lib.LSTM(3, 2, seed=0))


def test_draw_cell_errors_in_our_words():
    fig = Figure()
    ax = fig.add_subplot()
    with pytest.raises(ValueError, match="kind must be one of"):
        draw_cell(ax, "transformer")
    with pytest.raises(ValueError, match="LSTM family"):
        draw_cell(ax, "gru", values={"h": [0.1]})
    with pytest.raises(KeyError, match="no place for value"):
        draw_cell(ax, "lstm", values={"z": [0.1]})
    with pytest.raises(KeyError, match="no figure named"):
        diagrams.draw("lstm-chains")


def test_equations_follow_the_notation():
    eq = diagrams.EQ
    assert eq["f"] == r"$f_t = \sigma(W_f\cdot[h_{t-1}, x_t] + b_f)$"
    assert eq["i"] == r"$i_t = \sigma(W_i\cdot[h_{t-1}, x_t] + b_i)$"
    assert eq["c_tilde"] == r"$\tilde{C}_t = \tanh(W_C\cdot[h_{t-1}, x_t] + b_C)$"
    assert eq["c"] == r"$C_t = f_t \odot C_{t-1} + i_t \odot \tilde{C}_t$"
    assert eq["o"] == r"$o_t = \sigma(W_o\cdot[h_{t-1}, x_t] + b_o)$"
    assert eq["h"] == r"$h_t = o_t \odot \tanh(C_t)$"
    assert eq["c_coupled"] == r"$C_t = f_t \odot C_{t-1} + (1 - f_t) \odot \tilde{C}_t$"
    assert r"p_o \odot C_t" in eq["o_peep"] and r"p_f \odot C_{t-1}" in eq["f_peep"]
    # the GRU interpolates as lstm_lib.gru's docstring says
    assert r"(1 - z_t) \odot h_{t-1} + z_t \odot \tilde{h}_t" in eq["h_gru"]
    assert "h_t  = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t" in lstm_lib.GRU.__doc__


def _forbidden_terms():
    """Variants book/terms.yml (the glossary's machine-readable twin) forbids, with the phrases it allows."""
    import yaml
    from pathlib import Path
    terms = yaml.safe_load((Path(__file__).resolve().parents[1] / "book" / "terms.yml").read_text("utf-8"))["terms"]
    return [(bad, t.get("allow") or []) for t in terms for bad in t.get("forbidden") or []]


FORBIDDEN_TERMS = _forbidden_terms()


def uses_forbidden(text):
    return [bad for bad, allow in FORBIDDEN_TERMS
            if bad.lower() in text.lower() and not any(bad in a and a in text for a in allow)]


@pytest.mark.parametrize("name", REQUIRED)
def test_captions_are_bilingual(name):
    c = CAPTIONS[name]
    assert set(c) == {"en", "zh", "alt_en", "alt_zh"}
    for key in ("en", "alt_en"):
        assert len(c[key]) > 30 and not CJK.search(c[key]), (name, key)
    for key in ("zh", "alt_zh"):
        assert len(CJK.findall(c[key])) > 10, (name, key)
        assert not uses_forbidden(c[key]), (name, key, uses_forbidden(c[key]))


def test_figure_labels_use_the_canonical_terms():
    for name in REQUIRED:
        fig, _ = drawn_once(name)
        for t in texts(fig):
            assert not uses_forbidden(t.get_text()), (name, t.get_text())
    assert uses_forbidden("LSTM 的单元状态") == ["单元状态"]          # negative control


def test_captions_typeset_symbols_and_alt_texts_stay_plain():
    for name, c in CAPTIONS.items():
        for key in ("en", "zh"):
            assert c[key].count("$") % 2 == 0, (name, key)
            assert "h_{t-1}" not in c[key].replace("$h_{t-1}$", "").replace(r"W\cdot h_{t-1}", ""), (name, key)
        for key in ("alt_en", "alt_zh"):
            assert "$" not in c[key] and "\\" not in c[key], (name, key)
    assert "$C_t = f_t \\odot C_{t-1} + i_t \\odot \\tilde{C}_t$" in CAPTIONS["focus-update"]["en"]


def test_caption_helpers_for_the_book():
    md = diagrams.caption_markdown("gate")
    assert md.startswith('<span class="lang-en">') and '</span> <span class="lang-zh">' in md and "\n" not in md
    meta = diagrams.mystnb_metadata("focus-forget")["mystnb"]
    assert meta["figure"] == {"caption": diagrams.caption_markdown("focus-forget"), "name": "fig-focus-forget"}
    assert meta["image"]["alt"].startswith(CAPTIONS["focus-forget"]["alt_en"])
    assert meta["image"]["alt"].endswith(CAPTIONS["focus-forget"]["alt_zh"])
    with pytest.raises(KeyError, match="no caption for figure"):
        diagrams.caption_markdown("focus-forgot")


def test_gate_alt_text_states_the_drawn_numbers():
    fig, _ = drawn_once("gate")
    for slot in ("v", "g", "vg"):
        shown = ", ".join(f"{v:.2f}".replace("-", "\u2212") for v in _printed(fig, slot))
        assert f"({shown})" in CAPTIONS["gate"]["alt_en"], (slot, shown)


def test_no_font_fallback_messages(caplog):
    """matplotlib logs "findfont: Failed to find font weight bold ..." when a label asks for a face the CJK font lacks
    (the pip font is Regular only); in a notebook that log line lands on stderr and breaks nbval's comparison."""
    import io
    import logging
    import matplotlib.pyplot as plt
    from matplotlib import font_manager
    from lstm_lib import diagrams

    font_manager.fontManager._findfont_cached.cache_clear()   # the message is logged once per lookup, then cached
    with caplog.at_level(logging.WARNING, logger="matplotlib"):
        for name, draw in diagrams.FIGURES.items():
            fig = draw()
            fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")   # as the notebook's inline backend does
            plt.close(fig)
    assert [r.getMessage() for r in caplog.records] == []
