"""minGRU / minLSTM (sequential loop = parallel log-space scan, both cells' gradients), the xLSTM steps (sLSTM:
stabilised = naive where the naive form is finite, and finite where it overflows; mLSTM: steps = parallel form), and
the self-attention layer."""
import doctest

import numpy as np
import pytest

from lstm_lib import _validate as V
from lstm_lib import min_rnn, self_attention, xlstm
from lstm_lib.gradcheck import check_cell
from lstm_lib.min_rnn import MinGRU, MinLSTM, scan_parallel_log, scan_sequential


def test_doctests():
    for mod in (min_rnn, xlstm, self_attention):
        assert doctest.testmod(mod).failed == 0, mod.__name__


@pytest.mark.parametrize("cls", [MinGRU, MinLSTM])
def test_sequential_equals_parallel_at_T_1000(cls):
    x = np.random.default_rng(0).normal(size=(1000, 3, 4))
    cell = cls(4, 5, seed=1)
    h0 = np.abs(np.random.default_rng(1).normal(size=(3, 5)))
    y_seq, hT_seq = cell.forward(x, h0, mode="sequential")
    y_par, hT_par = cell.forward(x, h0, mode="parallel")
    assert np.max(np.abs(y_seq - y_par) / y_seq) < 1e-11
    assert np.array_equal(hT_par, y_par[-1])


def test_scan_functions_and_a_wrong_scan():
    rng = np.random.default_rng(2)
    a, b = rng.uniform(0.5, 1.0, (50, 2, 3)), rng.uniform(0, 1, (50, 2, 3))
    h0 = rng.uniform(0.1, 1, (2, 3))
    h = scan_sequential(a, b, h0)
    assert np.max(np.abs(scan_parallel_log(np.log(a), np.log(b), np.log(h0)) - h)) < 1e-12
    # negative control: a cumulative sum in place of the log-sum-exp is far off
    a_star = np.cumsum(np.log(a), 0)
    wrong = np.exp(a_star + np.cumsum(np.concatenate([np.log(h0)[None], np.log(b) - a_star]), 0)[1:])
    assert np.max(np.abs(wrong - h)) > 1e-1


def test_min_gru_gradients_and_negative_control():
    rng = np.random.default_rng(3)
    cell = MinGRU(3, 4, seed=0)
    x = rng.normal(size=(6, 2, 3)) * 2                          # both branches of g are visited
    errors = check_cell(cell, x, state=np.abs(rng.normal(size=(2, 4))))
    assert set(errors) == {"W", "b", "x", "h0"} and max(errors.values()) < 1e-8, errors

    class Wrong(MinGRU):                                        # drops the − h_{t-1} term of ∂h_t/∂z_t
        def backward(self, dy, dstate=None):
            x, pre, h0, h, a = self._saved
            self._saved = (x, pre, np.zeros_like(h0), np.zeros_like(h), a)
            return super().backward(dy, dstate)
    wrong = Wrong(3, 4, seed=0)
    assert max(check_cell(wrong, x, state=np.abs(rng.normal(size=(2, 4)))).values()) > 1e-3


def test_min_lstm_gradients_and_negative_control():
    rng = np.random.default_rng(3)
    cell = MinLSTM(3, 4, seed=0)
    x = rng.normal(size=(6, 2, 3)) * 2                          # both branches of g are visited
    h0 = np.abs(rng.normal(size=(2, 4)))
    errors = check_cell(cell, x, state=h0)
    assert set(errors) == {"W", "b", "x", "h0"} and max(errors.values()) < 1e-7, errors

    class Wrong(MinLSTM):                                       # drops df'_t = dh_t ⊙ h_{t-1}, the forget gate's term
        def backward(self, dy, dstate=None):
            x, pre, h0, h, a = self._saved
            self._saved = (x, pre, np.zeros_like(h0), np.zeros_like(h), a)
            return super().backward(dy, dstate)
    wrong = Wrong(3, 4, seed=0)
    assert max(check_cell(wrong, x, state=h0).values()) > 1e-3


@pytest.mark.parametrize("cls", [MinGRU, MinLSTM])
def test_min_rnn_bad_input(cls):
    cell = cls(3, 4)
    with pytest.raises(ValueError, match="non-negative initial state.*初始状态非负"):
        cell.forward(np.zeros((5, 2, 3)), -np.ones((2, 4)))
    with pytest.raises(ValueError, match="mode 'parallel' or 'sequential'.*期望 mode"):
        cell.forward(np.zeros((5, 2, 3)), mode="fast")
    with pytest.raises(ValueError, match=r"expected x of shape \(T, B, 3\)"):
        cell.forward(np.zeros((5, 2, 4)))
    with pytest.raises(ValueError, match="forward before backward"):
        cell.backward(np.zeros((5, 2, 4)))
    cell.forward(np.zeros((5, 2, 3)))
    with pytest.raises(ValueError, match=r"expected dy of shape \(5, 2, 4\)"):
        cell.backward(np.zeros((5, 2, 3)))
    cell.forward(np.zeros((5, 2, 3)))
    cell.backward(np.zeros((5, 2, 4)))
    with pytest.raises(V.CallOrderError, match="once per forward"):         # a second backward for one forward
        cell.backward(np.zeros((5, 2, 4)))


def _slstm_run(pres, stabilised):
    B, H = pres.shape[1], pres.shape[2] // 4
    st = tuple(np.zeros((B, H)) for _ in range(4))
    hs = []
    for pre in pres:
        st = xlstm.slstm_step(pre, st, stabilised)
        hs.append(st[0])
    return np.stack(hs), st


def test_slstm_stabiliser_same_h_and_no_overflow():
    rng = np.random.default_rng(4)
    pres = rng.normal(size=(30, 2, 12)) * 3
    h_st, (_, c, n, m) = _slstm_run(pres, True)
    h_nv, (_, c_nv, n_nv, _) = _slstm_run(pres, False)
    assert np.max(np.abs(h_st - h_nv)) < 1e-12
    assert np.allclose(c, c_nv * np.exp(-m), rtol=1e-10) and np.allclose(n, n_nv * np.exp(-m), rtol=1e-10)
    pres[10, :, :3] = 1000.0                                    # one huge input gate pre-activation
    h_st, _ = _slstm_run(pres, True)
    h_nv, _ = _slstm_run(pres, False)
    assert np.all(np.isfinite(h_st)) and np.all(np.abs(h_st) <= 1)
    assert np.isnan(h_nv[10:, :, :3]).all()                     # naive: exp(1000) = inf, inf / inf = NaN
    # bad input: pre must hold four blocks
    with pytest.raises(ValueError, match=r"\(B, 4H\)"):
        xlstm.slstm_step(np.zeros((2, 7)), tuple(np.zeros((2, 1)) for _ in range(4)))


def test_mlstm_steps_equal_parallel_form():
    rng = np.random.default_rng(5)
    T, B, d = 9, 2, 4
    q, k, v = (rng.normal(size=(T, B, d)) for _ in range(3))
    i_pre, f_pre = rng.normal(size=(T, B)) * 3, rng.normal(size=(T, B)) + 2
    state, out = None, []
    for t in range(T):
        h, state = xlstm.mlstm_step(q[t], k[t], v[t], i_pre[t], f_pre[t], state)
        out.append(h)
    assert np.max(np.abs(np.stack(out) - xlstm.mlstm_parallel(q, k, v, i_pre, f_pre))) < 1e-12
    # the matrix memory really is Σ_s w_ts v_s k_sᵀ (stabilised units): check it at the last step
    C, n, m = state
    F = np.cumsum(-np.logaddexp(0, -f_pre), 0)
    w = np.exp(F[-1] - F + i_pre - m)                           # (T, B)
    C_ref = np.einsum("tb,tbi,tbj->bij", w, v, k / np.sqrt(d))
    assert np.max(np.abs(C - C_ref)) < 1e-12


def test_self_attention_is_causal_and_flops_grow_quadratically():
    layer = self_attention.SelfAttention(3, 4, seed=0)
    x = np.random.default_rng(6).normal(size=(6, 2, 3))
    y, A = layer.forward(x)
    x2 = x.copy()
    x2[4:] += 1.0                                               # change the future
    y2, _ = layer.forward(x2)
    assert np.max(np.abs(y2[:4] - y[:4])) < 1e-12 and np.max(np.abs(y2[4:] - y[4:])) > 1e-3
    assert np.allclose(A.sum(-1), 1) and np.all(np.triu(A[0], 1) == 0)
    f = self_attention.attention_flops
    assert f(2000, 16, 16) / f(1000, 16, 16) > 3.5 and self_attention.recurrent_flops(2000, 16, 16) == \
        2 * self_attention.recurrent_flops(1000, 16, 16)
