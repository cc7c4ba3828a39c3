"""lstm_lib.check's appendix-B checks (lstm_bptt, cell_state_jacobian_full): a correct solution passes, a stub's
NotImplementedError passes through, and deliberately wrong solutions fail with a bilingual diagnosis (the English AND
the Chinese words are asserted)."""
import numpy as np
import pytest
from messages import diagnosed

from lstm_lib import check

sig = lambda z: 0.5 * np.tanh(0.5 * z) + 0.5  # noqa: E731


def lstm_bptt(dy, x, h0, c0, W, b, *, carry=True, recurrent=True, via_h=True, highway=True, sum_time=True,
              sign=1.0):
    """BPTT for an LSTM written independently of lstm_lib; each switch introduces one mistake."""
    T, B, _ = x.shape
    H = h0.shape[1]
    hs, cs, gates = [h0], [c0], []
    for t in range(T):
        a = np.concatenate([hs[-1], x[t]], axis=1) @ W + b
        f, i, c_tilde, o = sig(a[:, :H]), sig(a[:, H:2 * H]), np.tanh(a[:, 2 * H:3 * H]), sig(a[:, 3 * H:])
        cs.append(f * cs[-1] + i * c_tilde)
        hs.append(o * np.tanh(cs[-1]))
        gates.append((f, i, c_tilde, o))
    dW, db, dx = np.zeros_like(W), np.zeros_like(b), np.zeros_like(x)
    dh_next, dc_next = np.zeros((B, H)), np.zeros((B, H))
    for t in reversed(range(T)):
        f, i, c_tilde, o = gates[t]
        tc = np.tanh(cs[t + 1])
        dh = dy[t] + (dh_next if recurrent else 0)
        dc = (dc_next if carry else 0) + (dh * o * (1 - tc ** 2) if via_h else 0)
        da = np.concatenate([dc * cs[t] * f * (1 - f), dc * c_tilde * i * (1 - i),
                             sign * dc * i * (1 - c_tilde ** 2), dh * tc * o * (1 - o)], axis=1)
        if sum_time or t == T - 1:
            dW += np.concatenate([hs[t], x[t]], axis=1).T @ da
            db += da.sum(axis=0)
        dhx = da @ W.T
        dx[t], dh_next = dhx[:, H:], dhx[:, :H]
        dc_next = dc * f if highway else dc
    return dx, dh_next, dc_next, dW, db


def jacobian(c_prev, o_prev, x_t, W, b, *, paths=True, transpose_J=False, transpose_W=True, chain=True,
             forget_term=True, scale=1.0):
    """The full one-step Jacobian dC_t/dC_{t-1}; each switch introduces one mistake."""
    H = c_prev.shape[0]
    a = np.concatenate([o_prev * np.tanh(c_prev), x_t]) @ W + b
    f, i, c_tilde = sig(a[:H]), sig(a[H:2 * H]), np.tanh(a[2 * H:3 * H])
    blk = [W[:H, k * H:(k + 1) * H] for k in range(3)]
    blk = [m.T if transpose_W else m for m in blk]
    M = (i * (1 - c_tilde ** 2))[:, None] * blk[2] + (c_tilde * i * (1 - i))[:, None] * blk[1]
    if forget_term:
        M = M + (c_prev * f * (1 - f))[:, None] * blk[0]
    if chain:
        M = M * (o_prev * (1 - np.tanh(c_prev) ** 2))[None, :]
    J = np.diag(f) + (scale * M if paths else 0)
    return J.T if transpose_J else J


def test_correct_solutions_pass(capsys):
    assert check.lstm_bptt(lstm_bptt)
    assert check.cell_state_jacobian_full(jacobian)
    out = capsys.readouterr().out
    assert "✓ lstm_bptt passed (max error < 1e-12" in out and "有限差分" in out
    assert "✓ cell_state_jacobian_full passed (max error < 1e-12" in out


@pytest.mark.parametrize("check_name", ["lstm_bptt", "cell_state_jacobian_full"])
def test_stub_raises_not_implemented(check_name):
    def stub(*args, **kwargs):
        raise NotImplementedError
    with pytest.raises(NotImplementedError):
        getattr(check, check_name)(stub)


@pytest.mark.parametrize("wrong, words", [
    (dict(carry=False), ("not carried back", "没有往回传")),
    (dict(recurrent=False), ("truncation of 1997", "1997 年的截断")),
    (dict(via_h=False), ("path from h_t into c_t", "从 h_t 到 c_t")),
    (dict(highway=False), ("dc_next must be dc * f", "乘以遗忘门")),
    (dict(sum_time=False), ("summed over all time steps", "对所有时间步求和")),
    (dict(sign=-1.0), ("go backwards from the last step", "从最后一步往前走")),   # an unrecognised mistake
])
def test_wrong_bptt_is_diagnosed(wrong, words):
    diagnosed(lambda: check.lstm_bptt(lambda *a: lstm_bptt(*a, **wrong)), *words)


def test_bptt_wrong_shape_and_arity():
    with pytest.raises(AssertionError, match="tuple"):
        check.lstm_bptt(lambda *a: lstm_bptt(*a)[:4])
    with pytest.raises(AssertionError, match=r"dW has shape .*the transpose"):
        check.lstm_bptt(lambda *a: lstm_bptt(*a)[:3] + (lstm_bptt(*a)[3].T, lstm_bptt(*a)[4]))


@pytest.mark.parametrize("wrong, words", [
    (dict(paths=False), ("only the cell-state path", "只是细胞状态通路")),
    (dict(transpose_J=True), ("J is transposed", "J 被转置了")),
    (dict(transpose_W=False), ("must be transposed", "需要转置")),
    (dict(chain=False), ("∂h_{t-1}/∂C_{t-1}", "漏了因子")),
    (dict(forget_term=False), ("product rule", "乘积法则")),
    (dict(scale=2.0), ("compare with J = diag(f)", "请对照")),                 # an unrecognised mistake
])
def test_wrong_jacobian_is_diagnosed(wrong, words):
    diagnosed(lambda: check.cell_state_jacobian_full(lambda *a: jacobian(*a, **wrong)), *words)


def test_jacobian_of_a_batch_is_a_shape_error():
    with pytest.raises(AssertionError, match=r"J has shape \(1, 4, 4\).*\(4, 4\)"):
        check.cell_state_jacobian_full(lambda *a: jacobian(*a)[None])
