"""A failing check, run in a real Jupyter kernel, shows its message first and none of lstm_lib's source frames
(issue 10, item 8); an error inside the student's function still shows the student's own line."""
import re

import nbformat
import pytest
from nbclient import NotebookClient

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run_cells(*sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True).execute()
    return nb


def error_of(cell):
    errors = [o for o in cell.outputs if o.output_type == "error"]
    assert errors, f"expected the cell to fail: {cell.outputs}"
    return errors[0], ANSI.sub("", "\n".join(errors[0].traceback))


@pytest.fixture(scope="module")
def executed():
    return run_cells(
        "import numpy as np, lstm_lib",
        # a wrong rnn_step (no tanh): a diagnosed mistake, raised by the check itself
        "def rnn_step(x_t, h_prev, W, b):\n    return np.concatenate([h_prev, x_t], axis=1) @ W + b",
        "assert lstm_lib.check.rnn_step(rnn_step)",
        # a function that crashes: the student's own frame is shown, after the message
        "def rnn_step(x_t, h_prev, W, b):\n    return x_t @ W  # wrong shapes\n",
        "assert lstm_lib.check.rnn_step(rnn_step)",
        # a chapter module raising a plain AssertionError (ch02's clip check wraps a crash that way)
        "def clip_by_global_norm(grads, max_norm):\n    return grads['nope'], 1.0",
        "assert lstm_lib.check.clip_by_global_norm(clip_by_global_norm)",
        # an unfinished stub still raises its NotImplementedError
        "def rnn_step(x_t, h_prev, W, b):\n    raise NotImplementedError('rnn_step: not written yet / 尚未完成')",
        "assert lstm_lib.check.rnn_step(rnn_step)",
    )


def test_diagnosed_mistake_shows_only_the_message(executed):
    error, text = error_of(executed.cells[2])
    assert error.ename == "CheckFailed" and "apply tanh" in error.evalue
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0].startswith("AssertionError: h_t wrong at"), lines[0]      # the message is the first line
    assert "应用" in text or "tanh" in lines[0]
    assert "_common.py" not in text and "ch01.py" not in text and "lstm_lib/check" not in text, text
    assert len(lines) == 1, text


def test_crash_in_student_code_shows_the_students_line_after_the_message(executed):
    error, text = error_of(executed.cells[4])
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0].startswith("AssertionError: rnn_step raised ValueError"), lines[0]
    assert "return x_t @ W  # wrong shapes" in text                   # the student's own line
    assert "_common.py" not in text and "ch01.py" not in text, text


def test_plain_assertion_of_a_chapter_module_is_rendered_the_same_way(executed):
    error, text = error_of(executed.cells[6])
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0].startswith("AssertionError: clip_by_global_norm raised KeyError"), lines[0]
    assert "ch02.py" not in text and "_common.py" not in text, text


def test_unfinished_stub_still_raises_not_implemented(executed):
    error, _ = error_of(executed.cells[8])
    assert error.ename == "NotImplementedError"


def test_outside_ipython_it_is_an_ordinary_assertion_error():
    import numpy as np

    import lstm_lib

    with pytest.raises(AssertionError, match="apply tanh"):
        lstm_lib.check.rnn_step(lambda x, h, W, b: np.concatenate([h, x], axis=1) @ W + b)
