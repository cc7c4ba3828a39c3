"""Checks of chapters 3 and 4 (lstm_lib.check.ch03, ch04): a correct solution passes, a stub's NotImplementedError
goes through, and each deliberately wrong solution fails with its own bilingual diagnosis."""
import re

import numpy as np
import pytest

import lstm_lib
from lstm_lib import check

CJK = re.compile(r"[\u4e00-\u9fff]")
sig = lambda z: 0.5 * np.tanh(0.5 * z) + 0.5  # noqa: E731


def fails_with(fn_check, fn, *words):
    with pytest.raises(AssertionError) as e:
        fn_check(fn)
    msg = str(e.value)
    assert " / " in msg and CJK.search(msg), msg
    for w in words:
        assert w in msg, (w, msg)


# ---------------------------------------------------------------------------------------------- lstm_param_count
def test_param_count_correct_passes(capsys):
    assert check.lstm_param_count(lambda D, H: 4 * ((H + D) * H + H))
    assert "passed" in capsys.readouterr().out
    assert check.lstm_param_count(lambda D, H: float(4 * (H + D + 1) * H))   # a whole float is accepted


@pytest.mark.parametrize("wrong, en, zh", [
    (lambda D, H: (H + D) * H + H, "RNN", "四个"),
    (lambda D, H: 4 * (H + D) * H, "biases are missing", "漏了偏置"),
    (lambda D, H: 4 * (H + D) * H + H, "one bias vector", "只算了一个偏置"),
    (lambda D, H: 4 * (H + D) * H + 8 * H, "PyTorch", "PyTorch"),
    (lambda D, H: 4 * (D * H + H), "recurrent weights", "循环权重"),
    (lambda D, H: 4 * (H * H + H), "input weights", "输入权重"),
    (lambda D, H: 3 * ((H + D) * H + H), "three layers", "三个层"),
    (lambda D, H: 4 * ((H + D) * D + H), "count the entries", "请数一数"),      # D and H swapped: generic hint
    (lambda D, H: 4.5 * H, "integer", "整数"),
    (lambda D, H: None, "integer", "整数"),
])
def test_param_count_mistakes_are_named(wrong, en, zh):
    fails_with(check.lstm_param_count, wrong, en, zh)


def test_param_count_reference_is_the_library():
    from lstm_lib.check.ch03 import _lstm_param_count_ref
    cell = lstm_lib.LSTM(3, 5)
    assert _lstm_param_count_ref(3, 5) == cell.params["W"].size + cell.params["b"].size == 4 * (8 * 5 + 5)


def test_stub_not_implemented_propagates():
    def stub(*args):
        raise NotImplementedError
    for c in (check.lstm_param_count, check.gate, check.cell_state_jacobian):
        with pytest.raises(NotImplementedError):
            c(stub)


# ------------------------------------------------------------------------------------------------------------ gate
def gate(v, h_prev, x_t, W, b, *, act=sig, mul=True, order="hx"):
    hx = np.concatenate([h_prev, x_t] if order == "hx" else [x_t, h_prev], axis=1)
    g = act(hx @ W + b)
    return g * v if mul == True else (g if mul is False else g + v)  # noqa: E712


def test_gate_correct_passes_and_matches_the_lstm():
    assert check.gate(gate)
    # the same gate inside the library's LSTM: the output gate applied to tanh(C_t) gives h_t
    cell = lstm_lib.LSTM(3, 4, seed=0)
    rng = np.random.default_rng(0)
    x_t, h, c = rng.normal(size=(2, 3)), rng.normal(size=(2, 4)), rng.normal(size=(2, 4))
    (h_t, c_t), cache = cell.step(x_t, (h, c))
    so = cell.gate_slice("o")
    np.testing.assert_allclose(gate(np.tanh(c_t), h, x_t, cell.params["W"][:, so], cell.params["b"][so]), h_t,
                               atol=1e-14)


@pytest.mark.parametrize("kw, en, zh", [
    (dict(act=np.tanh), "sigmoid", "sigmoid"),
    (dict(mul=False), "multiply them pointwise", "逐点相乘"),
    (dict(order="xh"), "h first", "h 在前"),
    (dict(mul="add"), "does not add", "不是相加"),
    (dict(act=lambda z: np.maximum(z, 0)), "compare with", "请对照"),
])
def test_gate_mistakes_are_named(kw, en, zh):
    fails_with(check.gate, lambda *a: gate(*a, **kw), en, zh)


def test_gate_wrong_shape_is_reported():
    fails_with(check.gate, lambda v, h, x, W, b: gate(v, h, x, W, b).T, "shape", "形状")


# ---------------------------------------------------------------------------------------------- cell_state_jacobian
def test_cell_state_jacobian_correct_passes_and_matches_a_real_cell():
    assert check.cell_state_jacobian(lambda f: np.diag(np.prod(f, axis=0)))
    # in an LSTM whose gates ignore h (W_h = 0) the cell state is the only path: backward gives exactly diag(∏ f)
    T, D, H = 7, 2, 3
    cell = lstm_lib.LSTM(D, H, seed=1, forget_bias=2.0)
    cell.W_h[...] = 0.0
    x = np.random.default_rng(2).normal(size=(T, H, D))           # H copies of one sequence
    x[:] = x[:, :1]
    cell.forward(x)
    f = cell.activations["f"][:, 0]                              # (T, H)
    cell.backward(None, (np.zeros((H, H)), np.eye(H)))            # copy j: dL/dC_T = e_j
    np.testing.assert_allclose(cell.dstate0[1], np.diag(np.prod(f, axis=0)), atol=1e-15)


@pytest.mark.parametrize("wrong, en, zh", [
    (lambda f: np.diag(f.sum(0)), "∏ f, not Σ f", "而不是 Σ f"),
    (lambda f: np.diag(np.prod(f[:-1], 0)), "last step", "最后一步"),
    (lambda f: np.diag(np.prod(f[1:], 0)), "first step", "第一步"),
    (lambda f: np.diag(np.prod(1 - f, 0)), "not diag(1 − f_t)", "而不是 diag(1 − f_t)"),
    (lambda f: np.prod(f, 0), "shape", "形状"),
    (lambda f: np.diag(np.prod(f, 0) ** 2), "compare with", "请对照"),
])
def test_cell_state_jacobian_mistakes_are_named(wrong, en, zh):
    fails_with(check.cell_state_jacobian, wrong, en, zh)
