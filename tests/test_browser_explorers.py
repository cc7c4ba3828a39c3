"""The explorers of appendix A (notebooks/A1_explorers) in the built book, in headless Chromium.

The kernel-free explorers are HTML outputs stored in the notebook; this checks that they still work once Jupyter Book
has put them into a page (its own scripts, the reading switch and MathJax around them): moving a slider of the gate
explorer shows exactly the numbers ``lstm_lib`` computes for that slider position, and ``play`` on the sequence
stepper advances the time step and shows that step's numbers. The page must load with no console error, page error
or third-party request.

Fixtures come from conftest.py (the session's book build) and test_browser.py (``server``, ``browser``,
``open_page``); like test_browser.py, this skips with a message without playwright or chromium, and fails instead
when CI=true.
"""
from __future__ import annotations

import numpy as np
import pytest

from conftest import toc_files
from test_browser import browser, open_page, server  # noqa: F401  (fixtures used by the tests below)

from lstm_lib import explorers

PAGE = "notebooks/A1_explorers"
GATE = '.lstm-explorer:has(svg[aria-label^="Gate explorer"])'
STEPPER = '.lstm-explorer:has(svg[aria-label^="Sequence stepper"])'
NUMBERS = "root => Array.from(root.querySelectorAll('svg text')).map(t => t.textContent)"
POSITIONS = "root => Array.from(root.querySelectorAll('input[type=range]')).map(e => parseInt(e.value))"


def shown(locator) -> list[float]:
    """The numbers an explorer displays in its value cells, in the library's slot order (explorers._flat)."""
    return [float(s.replace("\u2212", "-")) for s in locator.evaluate(NUMBERS)]


def expected(values: dict) -> list[float]:
    """What the page should display for these vectors: two decimals, as the explorer's HTML rounds them."""
    return [float(f"{v:.2f}") for v in explorers._flat(values)]


@pytest.fixture
def appendix(open_page):
    if PAGE not in toc_files():
        pytest.fail(f"{PAGE} is not listed in _toc.yml, so the book does not build it; add "
                    f"`- file: {PAGE}` to the Appendices part")
    page, watch = open_page(PAGE)
    page.wait_for_load_state("networkidle")
    return page, watch


@pytest.fixture(scope="module")
def gate_explorer():
    return explorers.gate_explorer()


def test_gate_explorer_slider_shows_the_cells_values(appendix, gate_explorer):
    page, watch = appendix
    root = page.locator(GATE)
    assert root.count() == 1, f"expected one gate explorer on {PAGE}, found {root.count()}"
    start = tuple(root.evaluate(POSITIONS))
    assert start == gate_explorer.start
    before = shown(root)
    assert before == expected(gate_explorer.values(start))

    sliders = root.locator('input[type="range"]')
    sliders.nth(2).focus()                    # forget-gate bias b_f
    page.keyboard.press("Home")               # to its lowest value, as a reader's keyboard would
    sliders.nth(0).focus()                    # input scale s_x
    page.keyboard.press("End")                # to its highest value
    moved = tuple(root.evaluate(POSITIONS))
    assert moved == (len(gate_explorer.controls[0][1]) - 1, start[1], 0), moved
    after = shown(root)
    assert after != before, "moving the sliders did not change the displayed numbers"
    want = expected(gate_explorer.values(moved))
    assert after == want, f"page shows {after}, lstm_lib computes {want} for slider position {moved}"
    # the comparison can fail: the starting numbers are not those of the new position
    assert before != want
    labels = root.locator("output").all_text_contents()
    assert labels[0] == "2" and labels[2] == "\u22124", labels     # s_x = 2, b_f = −4
    assert not watch.problems, "\n".join(watch.problems)


def test_sequence_stepper_plays(appendix):
    page, watch = appendix
    stepper = explorers.sequence_stepper()
    root = page.locator(STEPPER)
    assert root.count() == 1, f"expected one sequence stepper on {PAGE}, found {root.count()}"
    assert int(root.evaluate("e => e.dataset.frame")) == 0
    first = shown(root)
    assert first == expected(stepper.values(0))
    root.locator('button[data-role="play"]').click()
    page.wait_for_function(f"() => parseInt(document.querySelector('{STEPPER}').dataset.frame) >= 2",
                           timeout=10000)
    root.locator('button[data-role="play"]').click()            # pause, so the frame read below stays put
    frame = int(root.evaluate("e => e.dataset.frame"))
    assert 2 <= frame < stepper.shape[0]
    assert shown(root) == expected(stepper.values(frame))
    assert shown(root) != first
    # the slider's label is the text's time step t = frame + 1 (steps count from 1)
    assert root.locator("output").text_content() == str(frame + 1)
    assert not watch.problems, "\n".join(watch.problems)


# ---- legibility (issue 11): the explorers' numbers at the size the book shows them ------------------------------------
MIN_TEXT_PX = 11.0
# rendered size of every non-empty SVG <text> inside the matched roots: its font size times the SVG's scale on screen
TEXT_PX = """(sel) => Array.from(document.querySelectorAll(sel)).flatMap(root =>
  Array.from(root.querySelectorAll('svg text')).filter(t => t.textContent.trim()).map(t =>
    ({text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a})))"""
# each control row: the readout (<output>) beside its slider, on the slider's line, not wrapped below it
ROWS = """(sel) => Array.from(document.querySelectorAll(sel + ' input[type=range]')).map(s => {
  const o = s.nextElementSibling.getBoundingClientRect(), r = s.getBoundingClientRect();
  const label = s.previousElementSibling.getBoundingClientRect();
  return {slider: [r.left, r.right, r.top, r.bottom], output: [o.left, o.right, o.top, o.bottom],
          label: [label.left, label.right, label.top, label.bottom], page: document.documentElement.clientWidth};
})"""


def explorer_page(browser, server, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{server}/{PAGE}.html", wait_until="load")
    page.wait_for_function("() => document.querySelectorAll('.lstm-explorer[data-frame]').length === 2",
                           timeout=20000)
    return context, page


def smallest(texts):
    return min(texts, key=lambda t: t["px"])


def test_text_measure_catches_small_svg_text(browser):
    """Negative control: the same measurement on a synthetic explorer whose SVG text is 5 px reports 5 px."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.set_content('<div class="lstm-explorer" style="width:688px"><svg viewBox="0 0 1000 100" width="100%">'
                         '<text x="10" y="50" font-size="7.27">0.42</text><text x="90" y="50"> </text></svg></div>')
        texts = page.evaluate(TEXT_PX, ".lstm-explorer")
    finally:
        page.close()
    assert len(texts) == 1 and abs(texts[0]["px"] - 5.0) < 0.05, texts
    assert smallest(texts)["px"] < MIN_TEXT_PX


def test_explorer_numbers_are_legible_at_1280(browser, server):
    """Every number of both explorers renders at >= 11 CSS px at a 1280 px window (issue 11: it was 5.2 px)."""
    if PAGE not in toc_files():
        pytest.fail(f"{PAGE} is not listed in _toc.yml")
    context, page = explorer_page(browser, server, 1280)
    try:
        texts = page.evaluate(TEXT_PX, ".lstm-explorer")
        # the page's own numbers: 47 per explorer (lstm_lib's 12 vectors, H = 4, D = 3)
        per = {which: len(page.evaluate(TEXT_PX, sel)) for which, sel in (("gate", GATE), ("stepper", STEPPER))}
    finally:
        context.close()
    assert per == {"gate": 47, "stepper": 47}, per
    low = smallest(texts)
    assert low["px"] >= MIN_TEXT_PX, f"explorer text {low['text']!r} renders at {low['px']:.2f} px at 1280 px"


@pytest.mark.parametrize("width", (390, 1280))
def test_explorer_readouts_stay_beside_their_sliders(browser, server, width):
    """On a phone too, each readout sits on its slider's line, right of it, inside the page (issue 11 item 6)."""
    context, page = explorer_page(browser, server, width)
    try:
        rows = page.evaluate(ROWS, ".lstm-explorer")
    finally:
        context.close()
    assert len(rows) == 4, rows          # three gate sliders, one time-step slider
    for row in rows:
        (sl, sr, st, sb), (ol, orr, ot, ob), (ll, lr, lt, lb) = row["slider"], row["output"], row["label"]
        assert ol >= sr - 1 and lr <= sl + 1, f"{width} px: label, slider and readout overlap: {row}"
        assert ot < sb and ob > st, f"{width} px: the readout is not on its slider's line: {row}"
        assert orr <= row["page"] + 1 and sr - sl >= 60, f"{width} px: the slider row does not fit: {row}"
