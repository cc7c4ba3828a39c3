"""lstm_lib.check.coupled_step and gru_flip_z (chapter 6): pass on a correct solution, let a stub's
NotImplementedError through, and fail on deliberately wrong solutions with a bilingual diagnosis."""
import numpy as np
import pytest

from lstm_lib import check

sig = lambda z: 0.5 * np.tanh(0.5 * z) + 0.5  # noqa: E731


def coupled_step(x_t, h_prev, c_prev, W, b, *, mistake=None):
    H = h_prev.shape[1]
    a = np.concatenate([h_prev, x_t], axis=1) @ W + b
    f, c_tilde, o = sig(a[:, :H]), np.tanh(a[:, H:2 * H]), sig(a[:, 2 * H:])
    c_t = {None: f * c_prev + (1 - f) * c_tilde, "swapped": (1 - f) * c_prev + f * c_tilde,
           "i=f": f * c_prev + f * c_tilde, "no tanh": f * c_prev + (1 - f) * a[:, H:2 * H],
           "ungated": f * c_prev + c_tilde}.get(mistake, f * c_prev + (1 - f) * c_tilde)
    h_t = o * c_t if mistake == "h no tanh" else o * np.tanh(c_t)
    return h_t, c_t


def gru_flip_z(W, b, *, mistake=None):
    H = W.shape[1] // 3
    W2, b2 = W.copy(), b.copy()
    if mistake == "unchanged":
        return W2, b2
    if mistake == "all":
        return -W2, -b2
    if mistake == "one minus":
        W2[:, :H], b2[:H] = 1 - W2[:, :H], 1 - b2[:H]
        return W2, b2
    if mistake == "r block":
        W2[:, H:2 * H] *= -1
        b2[H:2 * H] *= -1
        return W2, b2
    W2[:, :H] *= -1
    if mistake != "no bias":
        b2[:H] *= -1
    return W2, b2


def test_correct_solutions_pass(capsys):
    assert check.coupled_step(coupled_step)
    assert check.gru_flip_z(gru_flip_z)
    out = capsys.readouterr().out
    assert "✓ coupled_step passed" in out and "✓ gru_flip_z passed" in out and "通过" in out


def test_stub_raises_not_implemented():
    def stub(*args):
        raise NotImplementedError
    with pytest.raises(NotImplementedError):
        check.coupled_step(stub)
    with pytest.raises(NotImplementedError):
        check.gru_flip_z(stub)


@pytest.mark.parametrize("mistake, en, zh", [
    ("swapped", "the gates are swapped", "两个门用反了"),
    ("i=f", "the input gate is 1 - f", "输入门是 1 - f"),
    ("no tanh", "the tanh is missing", "漏了 tanh"),
    ("ungated", "the candidate is not gated", "候选值没有经过门"),
    ("h no tanh", "c_t is right but h_t is wrong", "c_t 正确但 h_t 不对"),
])
def test_coupled_step_diagnoses_mistakes(mistake, en, zh):
    with pytest.raises(AssertionError) as e:
        check.coupled_step(lambda *a: coupled_step(*a, mistake=mistake))
    assert en in str(e.value) and zh in str(e.value)


@pytest.mark.parametrize("mistake, en, zh", [
    ("unchanged", "came back unchanged", "参数原样返回"),
    ("no bias", "b's is not", "b 的 z 块却没有"),
    ("one minus", "1 − W", "1 − W"),
    ("all", "only the z block changes sign", "只有 z 块要变号"),
    ("r block", "the other GRU computes a different h_t", "算出的 h_t 不同"),
])
def test_gru_flip_z_diagnoses_mistakes(mistake, en, zh):
    with pytest.raises(AssertionError) as e:
        check.gru_flip_z(lambda W, b: gru_flip_z(W, b, mistake=mistake))
    assert en in str(e.value) and zh in str(e.value)


def test_wrong_shapes_and_types_are_reported():
    with pytest.raises(AssertionError, match="shape"):
        check.coupled_step(lambda x_t, h, c, W, b: (h[:, :1], c))
    with pytest.raises(AssertionError, match="tuple"):
        check.gru_flip_z(lambda W, b: W)
