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
