"""lstm_lib.explorers: the kernel-free HTML is self-contained, deterministic and shows the cell's own numbers (checked
in headless Chromium when available); the live widgets build and redraw with the right numbers."""
from __future__ import annotations

import copy
import json
import os
import re
import shutil
import warnings

import numpy as np
import pytest

import lstm_lib
from lstm_lib import explorers, diagrams


@pytest.fixture(scope="module")
def gate():
    return explorers.gate_explorer()


@pytest.fixture(scope="module")
def stepper():
    return explorers.sequence_stepper()


def payload(html):
    """The JSON the explorer's script reads (frames, cell rectangles)."""
    m = re.search(r"D=(\{.*?\});\n", html)
    assert m, "no data block in the explorer's HTML"
    return json.loads(m.group(1))


@pytest.mark.parametrize("which", ["gate", "stepper"])
def test_kernel_free_html_is_self_contained_and_deterministic(which, request):
    ex = request.getfixturevalue(which)
    html = ex._repr_html_()
    assert not re.search(r"https?://|//cdn|<link|src=\"(?!data:)", html), "external reference in the HTML"
    assert html.count("data:image/png;base64,") == 1          # the drawing travels inside the HTML
    assert "<script>" in html and "addEventListener" in html and 'type="range"' in html
    assert len(html.encode()) < 1_500_000
    d = payload(html)
    assert len(d["frames"]) == int(np.prod(ex.shape)) and all(len(f) == len(d["rects"]) for f in d["frames"])
    # byte-identical on a rebuild from scratch (nbval compares text/html and text/plain exactly)
    again = explorers.gate_explorer() if which == "gate" else explorers.sequence_stepper()
    assert again._repr_html_() == html and repr(again) == repr(ex)
    assert "0x" not in repr(ex)


def test_page_shows_the_starting_frame_without_javascript(gate):
    """Where scripts do not run (GitHub's notebook view, an untrusted notebook) the SVG already holds the numbers."""
    html = gate.html()
    printed = re.findall(r'<text data-t="\d+"[^>]*>([^<]*)</text>', html)
    expected = [float(f"{v:.2f}") for v in explorers._flat(gate.values(gate.start))]
    assert gate.start == (6, 4, 4)                       # s_x = 1, s_h = 1, b_f = 0: the live_example step itself
    np.testing.assert_allclose(gate.values(gate.start)["f"], diagrams.lstm_live().lstm_values["f"], atol=1e-12)
    np.testing.assert_allclose([float(t.replace("\u2212", "-")) for t in printed], expected, atol=1e-9)


def test_gate_explorer_frames_are_the_cells_values(gate):
    d = payload(gate.html())
    cell, x_hat, (h_hat, c_prev) = diagrams.live_example()
    for idx in [(0, 0, 0), (6, 3, 4), (8, 4, 8), (2, 1, 7)]:
        sx, sh, bf = (gate.controls[k][1][i] for k, i in enumerate(idx))
        ref = copy.deepcopy(cell)
        ref.params["b"][ref.gate_slice("f")] = bf
        (h, c), k = ref.step(sx * x_hat, (sh * h_hat, c_prev))
        frame = d["frames"][int(np.ravel_multi_index(idx, gate.shape))]
        # slot order of the page: h_prev, x, c_prev, f, f⊙c_prev, i, c_tilde, i⊙c_tilde, c, tanh(c), o, h
        H, D = 4, 3
        f_at = H + D + H
        np.testing.assert_allclose(frame[f_at:f_at + H], k["f"][0], atol=0.005 + 1e-12)
        np.testing.assert_allclose(frame[-H:], h[0], atol=0.005 + 1e-12)
        assert frame[f_at:f_at + H] == [float(f"{v:.2f}") for v in k["f"][0]]
        np.testing.assert_allclose(gate.values(idx)["c"], c[0], atol=1e-12)
    # the forget-bias slider really moves f: lowest bias gives the smallest f
    f_lo = gate.values((6, 3, 0))["f"]
    f_hi = gate.values((6, 3, 8))["f"]
    assert np.all(f_lo < 0.1) and np.all(f_hi > 0.9)
    assert cell.params["b"][cell.gate_slice("f")].tolist() == [0.0] * 4     # the caller's cell is untouched


def test_stepper_frames_equal_a_whole_sequence_forward(stepper):
    cell, _, state = diagrams.live_example()
    x = explorers.default_sequence()
    y, _ = cell.forward(x, state)
    acts = cell.activations
    for t in (0, 5, 11):
        v = stepper.values(t)
        for name in ("f", "i", "c_tilde", "o", "c"):
            np.testing.assert_allclose(v[name], acts[name][t, 0], atol=1e-12, err_msg=f"{name} at t={t}")
        np.testing.assert_allclose(v["h"], y[t, 0], atol=1e-12)
    # the history rows reveal time steps up to t only
    d = payload(stepper.html())
    n_cell = len(explorers._flat(stepper.values(0)))
    hist3 = d["frames"][3][n_cell:]
    T = 12
    assert all((v is None) == (s > 3) for v, s in zip(hist3, [s for _ in range(4 * 4) for s in range(T)]))


def test_gate_widget_builds_and_updates(gate):
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)     # missing glyphs
        panel = gate.widget()
    assert repr(panel) == "<Gate explorer · 门控探索器 — live widget (needs a running kernel)>"
    first = panel.image.value
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    values = panel.update(8, 4, 0)                        # s_x = 2, s_h = 1, b_f = −4
    np.testing.assert_allclose(values["f"], gate.values((8, 4, 0))["f"])
    printed = panel.last_figure.lstm_drawn
    np.testing.assert_allclose(printed["f"], np.round(values["f"], 2))
    np.testing.assert_allclose(printed["h"], np.round(values["h"], 2))
    assert panel.image.value != first
    # moving a slider (as the browser would) redraws with that slider's value
    panel.sliders[2].value = 8                            # b_f = +4
    np.testing.assert_allclose(panel.last_values["f"], gate.values((8, 4, 8))["f"])
    assert np.all(panel.last_figure.lstm_drawn["f"] >= np.round(values["f"], 2))


def test_stepper_widget_plays(stepper):
    panel = stepper.widget()
    assert repr(panel).startswith("<Sequence stepper")
    play = [w for w in panel.children if w.__class__.__name__ == "Play"]
    assert len(play) == 1 and play[0].max == 11
    panel.sliders[0].value = 7
    np.testing.assert_allclose(panel.last_values["c"], stepper.values(7)["c"])


def test_explorers_reject_bad_input():
    with pytest.raises(TypeError, match="LSTM"):
        explorers.gate_explorer(cell=lstm_lib.GRU(3, 4, seed=0))
    with pytest.raises(ValueError, match="shape"):
        explorers.sequence_stepper(x=np.zeros((5, 3)))


def _chromium():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None, None
    return sync_playwright, shutil.which("chromium")


def test_kernel_free_explorers_play_in_a_browser(gate, stepper, tmp_path):
    """The page's own JavaScript fills the cells: move a slider and read the numbers; press play and watch t move."""
    sync_playwright, exe = _chromium()
    if sync_playwright is None or exe is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("playwright or chromium missing in CI")
        pytest.skip("playwright or chromium not installed")
    (tmp_path / "g.html").write_text(f"<!doctype html><html><body>{gate.html()}</body></html>", encoding="utf-8")
    (tmp_path / "s.html").write_text(f"<!doctype html><html><body>{stepper.html()}</body></html>", encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        errors, requests = [], []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto((tmp_path / "g.html").as_uri())
        read = "root => Array.from(root.querySelectorAll('svg text')).map(t => t.textContent)"
        start = page.eval_on_selector(".lstm-explorer", read)
        page.eval_on_selector_all('input[type="range"]', """els => { els[0].value = 8; els[1].value = 4;
            els[2].value = 0; els[2].dispatchEvent(new Event('input')); }""")
        moved = page.eval_on_selector(".lstm-explorer", read)
        frame = int(page.eval_on_selector(".lstm-explorer", "e => e.dataset.frame"))
        page.goto((tmp_path / "s.html").as_uri())
        t0 = int(page.eval_on_selector(".lstm-explorer", "e => e.dataset.frame"))
        page.click('button[data-role="play"]')
        page.wait_for_timeout(1300)
        t1 = int(page.eval_on_selector(".lstm-explorer", "e => e.dataset.frame"))
        browser.close()
    assert not errors, errors
    assert all(u.startswith("file:") or u.startswith("data:") for u in requests), requests
    assert frame == int(np.ravel_multi_index((8, 4, 0), gate.shape))
    num = lambda s: float(s.replace("\u2212", "-"))
    expected = [float(f"{v:.2f}") for v in explorers._flat(gate.values((8, 4, 0)))]
    assert [num(s) for s in moved] == expected
    assert moved != start
    assert t0 == 0 and t1 >= 1


def test_gate_explorer_bad_input_is_named():
    """A cell of another size without its vectors, or a vector of the wrong size, gets our own error, not numpy's."""
    import numpy as np
    import pytest
    import lstm_lib
    from lstm_lib import explorers

    small = lstm_lib.LSTM(2, 2, seed=0)
    with pytest.raises(ValueError, match=r"needs x_hat \(2,\), h_hat \(2,\) and c_prev \(2,\)"):
        explorers.gate_explorer(cell=small)
    with pytest.raises(ValueError, match=r"expected x_hat of shape \(2,\), got \(3,\)"):
        explorers.gate_explorer(cell=small, x_hat=[1, 2, 3], h_hat=[0, 0], c_prev=[0, 0])
    with pytest.raises(ValueError, match="NaN or inf"):
        explorers.gate_explorer(cell=small, x_hat=[1, np.nan], h_hat=[0, 0], c_prev=[0, 0])
    ex = explorers.gate_explorer(cell=small, x_hat=[1, -1], h_hat=[0.5, 0], c_prev=[0.2, -0.1])
    assert ex is not None


@pytest.mark.parametrize("which", ["gate", "stepper"])
def test_svg_numbers_are_legible_in_the_column(which, request):
    """The numbers' font, scaled from the SVG's width to the book's 672 px figure column, is >= 11 CSS px (issue 11;
    the browser test measures the rendered size in the built book), and the background PNG is drawn at 2x."""
    from lstm_lib.diagrams._style import COLUMN_PX, MIN_TEXT_PX

    html = request.getfixturevalue(which).html()
    W = int(re.search(r'<svg viewBox="0 0 (\d+) \d+"', html).group(1))
    sizes = {float(s) for s in re.findall(r'<text data-t="\d+"[^>]*font-size="([\d.]+)"', html)}
    assert sizes and min(sizes) * min(1.0, COLUMN_PX / W) >= MIN_TEXT_PX, (sizes, W)
    import base64
    import io
    from PIL import Image
    png = base64.b64decode(re.search(r'data:image/png;base64,([^"]+)"', html).group(1))
    assert Image.open(io.BytesIO(png)).size[0] == 2 * W
