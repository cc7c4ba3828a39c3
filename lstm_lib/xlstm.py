r"""The two memory cells of xLSTM (Beck et al. 2024), forward passes only: the sLSTM step and the mLSTM step.

Checked against the paper (Sections 2.2–2.3, Appendix A) and the authors' reference code (github.com/NX-AI/xlstm:
``slstm_forward_pointwise`` in ``blocks/slstm/src/vanilla/slstm.py``; ``recurrent_step_stabilized_simple`` and
``parallel_stabilized_simple`` in ``blocks/mlstm/backends.py``). Written for this course, not copied.

sLSTM, one step. Pre-activations ĩ, f̃, z̃, õ (each (B, H)) are x_t W + h_{t-1} R + b, as in an LSTM::

    z_t = tanh(z̃_t)                 cell input (the LSTM's candidate C̃_t)
    o_t = σ(õ_t)                    output gate
    naive:       i_t = exp(ĩ_t),  f_t = σ(f̃_t)          the input gate is an exponential: it can grow without bound
                 c_t = f_t c_{t-1} + i_t z_t             cell state
                 n_t = f_t n_{t-1} + i_t                 normaliser state: the sum of the gate weights
                 h_t = o_t ⊙ c_t / n_t                   a weighted average of the z's, so |c_t / n_t| ≤ 1
    stabilised:  m_t = max(log σ(f̃_t) + m_{t-1}, ĩ_t)   stabiliser state, m_0 = 0
                 i'_t = exp(ĩ_t − m_t),  f'_t = exp(log σ(f̃_t) + m_{t-1} − m_t)    both ≤ 1: no overflow
                 c_t, n_t as above with i', f';  h_t = o_t ⊙ c_t / n_t

The stabilised c_t and n_t are the naive ones times the same factor exp(−m_t), so h_t is unchanged (the paper's
proof in Appendix A; ``tests/test_min_rnn.py`` checks it). The paper also allows f_t = exp(f̃_t); this module uses
the sigmoid forget gate, as the issue and the authors' vanilla backend (``logsigmoid(fraw)``) do.

mLSTM, one step (no recurrent weights: q_t, k_t, v_t (B, d) and ĩ_t, f̃_t (B,) come from x_t alone)::

    m_t   = max(log σ(f̃_t) + m_{t-1}, ĩ_t)
    f'_t  = exp(log σ(f̃_t) + m_{t-1} − m_t),  i'_t = exp(ĩ_t − m_t)
    C_t   = f'_t C_{t-1} + i'_t v_t k_tᵀ          matrix memory (B, d, d); k_t scaled by 1/√d
    n_t   = f'_t n_{t-1} + i'_t k_t               normaliser (B, d)
    h̃_t   = C_t q_t / max(|n_tᵀ q_t|, exp(−m_t))  read-out (exp(−m_t) is the paper's 1 in stabilised units)

The authors' code stores the transpose (k vᵀ) and reads qᵀ C; the numbers are the same.
Unrolled, h̃_t = Σ_{s≤t} w_ts (k_sᵀ q_t) v_s / max(|Σ_s w_ts k_sᵀ q_t|, 1) with w_ts = i_s Π_{s<r≤t} f_r: attention
over the past with decaying weights (``mlstm_parallel``), which ``tests/test_min_rnn.py`` checks against the steps.
"""
import numpy as np

from . import _validate as V
from .cells._ops import sigmoid

__all__ = ["slstm_step", "mlstm_step", "mlstm_parallel"]


def _log_sigmoid(a):
    return -np.logaddexp(0, -a)


def slstm_step(pre, state, stabilised=True):
    """One sLSTM step. pre (B, 4H) = ĩ | f̃ | z̃ | õ; state (h, c, n, m), each (B, H) -> new state (h, c, n, m).

    ``stabilised=False`` computes the naive form (m is passed through unchanged and unused): exp(ĩ) overflows to
    inf for ĩ above about 709 in float64, and h becomes NaN (inf / inf). Initial state: zeros, with n = 0 and m = 0.
    """
    pre = V.array("pre", pre, (None, None), np.float64, ("B", "4H"))
    if pre.shape[1] % 4:
        raise ValueError(V._msg(f"expected pre of shape (B, 4H) (blocks i, f, z, o), got {pre.shape}",
                                f"期望 pre 的形状为 (B, 4H)（依次为 i、f、z、o 四块），实际为 {pre.shape}"))
    B, H = pre.shape[0], pre.shape[1] // 4
    if not isinstance(state, (tuple, list)) or len(state) != 4:
        raise TypeError(V._msg("expected state to be a tuple (h, c, n, m) of (B, H) arrays",
                               "期望 state 为由 (B, H) 数组组成的元组 (h, c, n, m)"))
    if stabilised:
        h, c, n, m = (V.array(name, s, (B, H), np.float64) for name, s in zip("hcnm", state))
    else:                                       # the naive form may carry inf and NaN forward: show them, not refuse
        h, c, n, m = (np.asarray(s, np.float64) for s in state)
    i_pre, f_pre, z_pre, o_pre = pre[:, :H], pre[:, H:2 * H], pre[:, 2 * H:3 * H], pre[:, 3 * H:]
    z, o = np.tanh(z_pre), sigmoid(o_pre)
    if stabilised:
        log_f = _log_sigmoid(f_pre)
        m_new = np.maximum(log_f + m, i_pre)
        i = np.exp(i_pre - m_new)                               # ≤ 1
        f = np.exp(log_f + m - m_new)                           # ≤ 1
    else:
        m_new = m
        with np.errstate(over="ignore"):
            i = np.exp(i_pre)                                   # may be inf
        f = sigmoid(f_pre)
    with np.errstate(invalid="ignore"):
        c_new = f * c + i * z
        n_new = f * n + i
        h_new = o * c_new / n_new
    return h_new, c_new, n_new, m_new


def mlstm_step(q, k, v, i_pre, f_pre, state=None):
    """One stabilised mLSTM step. q, k, v (B, d); i_pre, f_pre (B,); state (C (B, d, d), n (B, d), m (B,)) or None.

    Returns h̃ (B, d) and the new state (C, n, m).
    """
    q = V.array("q", q, (None, None), np.float64, ("B", "d"))
    B, d = q.shape
    k = V.array("k", k, (B, d), np.float64) / np.sqrt(d)
    v = V.array("v", v, (B, d), np.float64)
    i_pre = V.array("i_pre", i_pre, (B,), np.float64)
    f_pre = V.array("f_pre", f_pre, (B,), np.float64)
    if state is None:
        state = (np.zeros((B, d, d)), np.zeros((B, d)), np.zeros(B))
    C, n, m = state
    log_f = _log_sigmoid(f_pre)
    m_new = np.maximum(log_f + m, i_pre)                        # (B,)
    f = np.exp(log_f + m - m_new)[:, None]                      # (B, 1)
    i = np.exp(i_pre - m_new)[:, None]
    C_new = f[..., None] * C + i[..., None] * (v[:, :, None] * k[:, None, :])   # (B, d, d): v kᵀ
    n_new = f * n + i * k                                       # (B, d)
    num = np.einsum("bij,bj->bi", C_new, q)                     # C_t q_t
    den = np.maximum(np.abs(np.sum(n_new * q, axis=1)), np.exp(-m_new))[:, None]
    return num / den, (C_new, n_new, m_new)


def mlstm_parallel(q, k, v, i_pre, f_pre):
    """All steps at once, as attention with decay. q, k, v (T, B, d); i_pre, f_pre (T, B) -> h̃ (T, B, d).

    log w_ts = ĩ_s + Σ_{s<r≤t} log σ(f̃_r) for s ≤ t (−∞ for s > t), stabilised by its row maximum.
    """
    T, B, d = q.shape
    k = k / np.sqrt(d)
    F = np.cumsum(_log_sigmoid(f_pre), axis=0)                  # (T, B)
    log_w = F[:, None] - F[None, :] + i_pre[None, :]            # (t, s, B): F_t − F_s + ĩ_s
    causal = np.tril(np.ones((T, T), bool))[..., None]
    log_w = np.where(causal, log_w, -np.inf)
    m = log_w.max(axis=1)                                       # (T, B) row maximum: the stabiliser
    w = np.exp(log_w - m[:, None])                              # (t, s, B)
    scores = np.einsum("tbd,sbd->tsb", q, k) * w                # (t, s, B)
    den = np.maximum(np.abs(scores.sum(axis=1)), np.exp(-m))    # (T, B)
    return np.einsum("tsb,sbd->tbd", scores, v) / den[..., None]
