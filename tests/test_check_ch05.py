"""lstm_lib.check's chapter-5 checks (lstm_step_backward, gate_saturation): a correct solution passes, a stub's
NotImplementedError passes through, and deliberately wrong solutions fail with a bilingual diagnosis (the English AND
the Chinese words are asserted)."""
import numpy as np
import pytest
from messages import diagnosed

from lstm_lib import check

sig = lambda z: 0.5 * np.tanh(0.5 * z) + 0.5  # noqa: E731


def lstm_step_backward(dh_t, dc_t, x_t, h_prev, c_prev, W, b, *, carry=True, via_h=True, highway=True, dsig=True,
                       sign=1.0):
    H = h_prev.shape[1]
    hx = np.concatenate([h_prev, x_t], axis=1)
    a = hx @ W + b
    f, i, c_tilde, o = sig(a[:, :H]), sig(a[:, H:2 * H]), np.tanh(a[:, 2 * H:3 * H]), sig(a[:, 3 * H:])
    c_t = f * c_prev + i * c_tilde
    tc = np.tanh(c_t)
    dc = (dc_t if carry else 0) + (dh_t * o * (1 - tc ** 2) if via_h else 0)
    sd = (lambda s: s * (1 - s)) if dsig else (lambda s: 1.0)
    da = np.concatenate([dc * c_prev * sd(f), dc * c_tilde * sd(i), sign * dc * i * (1 - c_tilde ** 2),
                         dh_t * tc * sd(o)], axis=1)
    dhx = da @ W.T
    return dhx[:, H:], dhx[:, :H], dc * f if highway else dc, hx.T @ da, da.sum(0)


def gate_saturation(gate, low=0.1, high=0.9, *, swap=False, fixed=False, nonstrict=False, axis=(0, 1)):
    lo, hi = (0.1, 0.9) if fixed else (low, high)
    left = (gate <= lo if nonstrict else gate < lo).mean(axis=axis)
    right = (gate > hi).mean(axis=axis)
    return (right, left) if swap else (left, right)


def test_correct_solutions_pass(capsys):
    assert check.lstm_step_backward(lstm_step_backward)
    assert check.gate_saturation(gate_saturation)
    out = capsys.readouterr().out
    assert "✓ lstm_step_backward passed (max error < 1e-12" in out and "有限差分" in out
    assert "✓ gate_saturation passed" in out


@pytest.mark.parametrize("check_name", ["lstm_step_backward", "gate_saturation"])
def test_stub_raises_not_implemented(check_name):
    def stub(*args, **kwargs):
        raise NotImplementedError
    with pytest.raises(NotImplementedError):
        getattr(check, check_name)(stub)


@pytest.mark.parametrize("wrong, words", [
    (dict(carry=False), ("dc_t", "not added", "没有加上 dc_t")),
    (dict(via_h=False), ("path from h_t into c_t", "从 h_t 到 c_t")),
    (dict(highway=False), ("dc_prev must be dc * f", "乘以遗忘门")),
    (dict(dsig=False), ("sigmoid derivatives", "sigmoid 的导数")),
    (dict(sign=-1.0), ("go back through the four steps", "按四个步骤倒着走")),   # an unrecognised mistake
])
def test_wrong_lstm_backward_is_diagnosed(wrong, words):
    diagnosed(lambda: check.lstm_step_backward(lambda *a: lstm_step_backward(*a, **wrong)), *words)


def test_lstm_backward_wrong_shape_and_arity():
    with pytest.raises(AssertionError, match="tuple"):
        check.lstm_step_backward(lambda *a: lstm_step_backward(*a)[:4])
    with pytest.raises(AssertionError, match=r"db has shape .*应为"):
        check.lstm_step_backward(lambda *a: lstm_step_backward(*a)[:4] + (np.zeros(3),))


@pytest.mark.parametrize("wrong, words", [
    (dict(swap=True), ("swapped", "弄反了")),
    (dict(fixed=True), ("ignored", "没有使用阈值")),
    (dict(nonstrict=True), ("strict inequalities", "严格不等号")),
    (dict(axis=(0,)), ("one fraction per unit", "每个隐藏单元一个比例")),
    (dict(axis=(0, 2)), ("one fraction per unit", "每个隐藏单元一个比例")),
])
def test_wrong_saturation_is_diagnosed(wrong, words):
    with pytest.raises(AssertionError) as e:
        check.gate_saturation(lambda g, low=0.1, high=0.9: gate_saturation(g, low, high, **wrong))
    for w in words:
        assert w in str(e.value), (w, str(e.value))


def test_saturation_of_the_whole_array_is_caught():
    with pytest.raises(AssertionError, match="per unit"):
        check.gate_saturation(lambda g, low=0.1, high=0.9: ((g < low).mean() * np.ones(g.shape[2]),
                                                            (g > high).mean() * np.ones(g.shape[2])))
