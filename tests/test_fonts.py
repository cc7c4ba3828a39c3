"""lstm_lib.fonts.use_cjk_font(): Chinese plot labels render without missing-glyph warnings.

Negative controls: the same drawing with matplotlib's defaults does warn, and so does the CJK font placed *after*
DejaVu Sans when a label mixes Chinese and mathtext (why use_cjk_font puts it first).
"""
from __future__ import annotations

import logging
import os
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.ft2font import FT2Font  # noqa: E402

from lstm_lib import fonts  # noqa: E402

LABELS = ("forget gate / 遗忘门", "细胞状态 $C_t$ / cell state", "隐藏状态 $h_t$", "梯度消失 −0.5")
MISSING = ("missing from font", "does not have a glyph", "Glyph", "substituting with a dummy symbol")


def draw_messages(caplog) -> list[str]:
    """Draw a figure with Chinese labels; return every warning / log message about missing glyphs."""
    caplog.clear()
    fig, ax = plt.subplots(figsize=(4, 3))
    try:
        ax.set_title(LABELS[0])
        ax.set_xlabel(LABELS[1])
        ax.set_ylabel(LABELS[2])
        ax.plot([-1, 1], [-0.5, 0.5], label=LABELS[3])
        ax.legend()
        with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING):
            warnings.simplefilter("always")
            fig.canvas.draw()
    finally:
        plt.close(fig)
    messages = [str(w.message) for w in caught] + [r.getMessage() for r in caplog.records]
    return [m for m in messages if any(k in m for k in MISSING)]


@pytest.fixture
def fresh(monkeypatch):
    """Default rcParams and no remembered font for the duration of a test; everything restored afterwards."""
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.use("Agg")
        monkeypatch.setattr(fonts, "_chosen", None)
        yield


def test_chinese_labels_render_without_warnings(fresh, caplog):
    family = fonts.use_cjk_font()
    assert family in fonts.CJK_FAMILIES
    assert matplotlib.rcParams["font.sans-serif"][0] == family
    assert draw_messages(caplog) == []


def test_default_font_warns_negative_control(fresh, caplog):
    messages = draw_messages(caplog)
    assert any("missing from font" in m for m in messages), messages


def test_cjk_font_second_breaks_mathtext_labels_negative_control(fresh, caplog):
    family = fonts.use_cjk_font()
    matplotlib.rcParams["font.sans-serif"] = ["DejaVu Sans", family]
    messages = draw_messages(caplog)
    assert any("does not have a glyph" in m or "missing from font" in m for m in messages), messages


def test_idempotent(fresh):
    first = fonts.use_cjk_font()
    before = list(matplotlib.rcParams["font.sans-serif"])
    n_fonts = len(font_manager.fontManager.ttflist)
    assert fonts.use_cjk_font() == first
    assert list(matplotlib.rcParams["font.sans-serif"]) == before
    assert len(font_manager.fontManager.ttflist) == n_fonts
    assert before.count(first) == 1


def test_pip_package_font_works_without_system_fonts(fresh, monkeypatch, caplog):
    """What Binder, Colab and a bare CI image get: the font from `pip install noto-cjk-sans-otc`."""
    path = fonts._package_font_path()
    assert path is not None, "noto-cjk-sans-otc is not installed (it is in requirements.txt)"
    monkeypatch.setattr(fonts, "_static_system_family", lambda fm: None)
    assert fonts.find_cjk_font() == ("Noto Sans CJK SC", path)
    assert fonts.use_cjk_font() == "Noto Sans CJK SC"
    registered = {os.path.realpath(e.fname) for e in font_manager.fontManager.ttflist if e.name == "Noto Sans CJK SC"}
    assert os.path.realpath(path) in registered
    face = next(k for k in range(16) if FT2Font(path, face_index=k).family_name == "Noto Sans CJK SC")
    font = FT2Font(path, face_index=face)
    for char in "遗忘门细胞状态隐藏梯度消失":
        assert font.get_char_index(ord(char)) != 0, f"the package font has no glyph for {char}"
    assert draw_messages(caplog) == []


def test_clear_error_without_any_font(fresh, monkeypatch):
    monkeypatch.setattr(fonts, "_static_system_family", lambda fm: None)
    monkeypatch.setattr(fonts, "_package_font_path", lambda: None)
    with pytest.raises(RuntimeError, match="pip install noto-cjk-sans-otc"):
        fonts.use_cjk_font()
