r"""minGRU and minLSTM (Feng et al. 2024, "Were RNNs All We Needed?"): recurrences that a parallel scan computes.

Take the gates' dependence on h_{t-1} away and what is left of the GRU and the LSTM is a *linear* recurrence,

    h_t = a_t ⊙ h_{t-1} + b_t,            a_t, b_t computed from x_t alone,

whose T steps need not be taken one after the other. With a_t > 0 and b_t ≥ 0 (hence h_t ≥ 0 when h_0 ≥ 0),
unrolling gives h_t = A_t (h_0 + Σ_{k≤t} b_k / A_k) with A_t = Π_{k≤t} a_k, and in logarithms (Heinsen 2023)

    a*_t   = Σ_{k≤t} log a_k                                     a cumulative sum
    log h_t = a*_t + logcumsumexp_t([log h_0, log b_1 − a*_1, …, log b_t − a*_t])   a cumulative log-sum-exp

both of which are *scans* — associative prefix operations that parallel hardware computes in O(log T) depth.
``np.cumsum`` and ``np.logaddexp.accumulate`` run them over the whole (T, B, H) array in a handful of numpy calls,
without a Python loop over time.

minGRU (Feng et al., Section 3.1, with their g to keep h̃ positive in log space)::

    z_t   = σ(x_t W_z + b_z)                      update gate: x_t only, no h_{t-1}
    h̃_t   = g(x_t W_h + b_h),  g(a) = a + ½ (a ≥ 0), σ(a) (a < 0)      candidate, always > 0
    h_t   = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t       a_t = 1 − z_t,  b_t = z_t ⊙ h̃_t

minLSTM (Section 3.2; the normalised gates make the scale of h_t independent of t)::

    f_t = σ(x_t W_f + b_f),  i_t = σ(x_t W_i + b_i),  h̃_t = g(x_t W_h + b_h)
    f'_t = f_t / (f_t + i_t),  i'_t = i_t / (f_t + i_t)
    h_t = f'_t ⊙ h_{t-1} + i'_t ⊙ h̃_t            a_t = f'_t,  b_t = i'_t ⊙ h̃_t

minLSTM backward, the lines above bottom up (dh_t as for both cells, below; g'(a) = 1 (a ≥ 0), σ(a)(1 − σ(a)))::

    df'_t = dh_t ⊙ h_{t-1},  di'_t = dh_t ⊙ h̃_t,  dh̃_t = dh_t ⊙ i'_t
    df_t = (df'_t − di'_t) ⊙ i_t / (f_t + i_t)²,  di_t = (di'_t − df'_t) ⊙ f_t / (f_t + i_t)²
    da_f = df_t ⊙ f_t (1 − f_t),  da_i = di_t ⊙ i_t (1 − i_t),  da_h = dh̃_t ⊙ g'(x_t W_h + b_h)

(f_t i_t / (f_t + i_t)² = f'_t i'_t, so da_f = (df'_t − di'_t) ⊙ f'_t i'_t (1 − f_t) never divides by a tiny
f_t + i_t.) Then dW = Σ_t x_tᵀ da_t, db = Σ_t da_t, dx_t = da_t Wᵀ, with da_t = da_f | da_i | da_h.

Shapes: x (T, B, D) → y (T, B, H); state h (B, H), h ≥ 0 (zeros by default). Parameters ``W`` (D, nH), ``b`` (nH,)
with blocks z | h_tilde (minGRU) or f | i | h_tilde (minLSTM); ``x @ W`` as everywhere in lstm_lib.

Both are trainable: the backward pass is the same linear recurrence run backwards,
dh_t = dy_t + a_{t+1} ⊙ dh_{t+1} (dh_{T+1} term from ``dstate``; ``dstate0`` = a_1 ⊙ dh_1), then
da_t = dh_t ⊙ h_{t-1}, db_t = dh_t, and from there into each cell's gates.

Example::

    >>> import numpy as np
    >>> cell = MinGRU(3, 4, seed=0)
    >>> x = np.random.default_rng(0).normal(size=(50, 2, 3))
    >>> y_seq, _ = cell.forward(x, mode="sequential")
    >>> y_par, _ = cell.forward(x, mode="parallel")
    >>> bool(np.max(np.abs(y_seq - y_par)) < 1e-12)
    True
"""
import numpy as np

from . import _validate as V
from .cells._cell import Cell
from .cells._ops import sigmoid

__all__ = ["scan_sequential", "scan_parallel_log", "g", "MinGRU", "MinLSTM"]


def scan_sequential(a, b, h0):
    """h_t = a_t ⊙ h_{t-1} + b_t for t = 1..T, one step at a time. a, b (T, B, H); h0 (B, H) -> h (T, B, H)."""
    h = np.empty_like(b)
    prev = h0
    for t in range(a.shape[0]):
        prev = h[t] = a[t] * prev + b[t]
    return h


def scan_parallel_log(log_a, log_b, log_h0):
    """The same recurrence from logarithms, with two scans and no loop over time (Heinsen 2023).

    log_a, log_b (T, B, H); log_h0 (B, H) (−inf for h_0 = 0) -> h (T, B, H). Needs b_t ≥ 0 and h_0 ≥ 0.
    """
    a_star = np.cumsum(log_a, axis=0)                                        # (T, B, H) log A_t
    terms = np.concatenate([log_h0[None], log_b - a_star], axis=0)          # (T + 1, B, H)
    log_h = a_star + np.logaddexp.accumulate(terms, axis=0)[1:]             # (T, B, H)
    return np.exp(log_h)


def g(a):
    """Feng et al.'s g: a + ½ for a ≥ 0, σ(a) for a < 0 — continuous, increasing, always positive."""
    return np.where(a >= 0, a + 0.5, sigmoid(np.minimum(a, 0)))


def log_g(a):
    """log g(a) without taking the log of a tiny σ: −softplus(−a) for a < 0."""
    return np.where(a >= 0, np.log(np.maximum(a, 0) + 0.5), -np.logaddexp(0, -np.minimum(a, 0)))


def _log_sigmoid(a):
    return -np.logaddexp(0, -a)


class _MinRNN:
    gate_names = ()
    state_names = ("h",)

    def __init__(self, input_size, hidden_size, seed=0, dtype=np.float64):
        self.input_size = D = V.size("input_size", input_size)
        self.hidden_size = H = V.size("hidden_size", hidden_size)
        self.dtype = V.dtype(dtype)
        if np.dtype(self.dtype) != np.float64:
            raise TypeError(V._msg(f"expected dtype float64 for {type(self).__name__}, got {np.dtype(dtype).name}",
                                   f"{type(self).__name__} 需要 float64，实际为 {np.dtype(dtype).name}"))
        rng = np.random.default_rng(seed)
        nH = len(self.gate_names) * H
        k = 1.0 / np.sqrt(D)
        self.params = {"W": rng.uniform(-k, k, (D, nH)), "b": np.zeros(nH)}   # (D, nH), (nH,)
        self.grads = {n: np.zeros_like(p) for n, p in self.params.items()}
        self.dstate0 = None
        self._saved = None

    gate_slice = Cell.gate_slice          # the driver's: blocks of width H in the order of gate_names

    # what lstm_lib.gradcheck.check_cell needs
    def _check_state(self, name, state, batch):
        (h0,) = V.state(name, state, self.state_names, batch, self.hidden_size, np.float64)
        return (h0,)

    def _pack(self, arrays):
        return arrays[0]

    def _coefficients(self, pre):
        raise NotImplementedError

    def _coefficients_backward(self, dh, pre, h_prev, a):
        raise NotImplementedError

    def forward(self, x, state=None, mode="parallel"):
        """x (T, B, D), state h0 (B, H) ≥ 0 -> y (T, B, H), h_T (B, H). mode: "parallel" (scan) or "sequential"."""
        if mode not in ("parallel", "sequential"):
            raise ValueError(V._msg(f"expected mode 'parallel' or 'sequential', got {mode!r}",
                                    f"期望 mode 为 'parallel' 或 'sequential'，实际为 {mode!r}"))
        x = V.sequence(x, self.input_size, np.float64)                     # (T, B, D)
        T, B, D = x.shape
        (h0,) = self._check_state("state", state, B)
        if np.any(h0 < 0):
            raise ValueError(V._msg(f"expected a non-negative initial state (the log-space scan takes log h_0), "
                                    f"got a minimum of {h0.min():.3g}",
                                    f"期望初始状态非负（对数空间的扫描要取 log h_0），实际最小值为 {h0.min():.3g}"))
        pre = (x.reshape(T * B, D) @ self.params["W"] + self.params["b"]).reshape(T, B, -1)   # (T, B, nH)
        log_a, log_b, a, b = self._coefficients(pre)
        if mode == "sequential":
            h = scan_sequential(a, b, h0)
        else:
            with np.errstate(divide="ignore"):
                log_h0 = np.log(h0)                                        # −inf where h_0 = 0: adds nothing
            h = scan_parallel_log(log_a, log_b, log_h0)
        self._saved = (x, pre, h0, h, a)
        return h.copy(), h[-1].copy() if T else h0.copy()

    def backward(self, dy, dstate=None):
        """dy (T, B, H), dstate (B, H) -> dx (T, B, D); fills ``grads`` and ``dstate0``."""
        if self._saved is None:
            raise V.CallOrderError(V._msg("expected forward before backward (once per forward), got no forward",
                                          "期望先调用 forward 再调用 backward（每次 forward 只能一次），实际没有 forward"))
        x, pre, h0, h, a = self._saved
        self._saved = None
        T, B, D = x.shape
        H = self.hidden_size
        dy = np.zeros_like(h) if dy is None else V.array("dy", dy, (T, B, H), np.float64)
        (dhT,) = self._check_state("dstate", dstate, B)
        # backprop through the recurrence: dh_t = dy_t + a_{t+1} ⊙ dh_{t+1} — itself a linear scan, run backwards
        # (a_t = 1 − z_t for minGRU, f'_t for minLSTM)
        dh = np.empty_like(h)
        carry = dhT
        for t in range(T - 1, -1, -1):
            carry = dh[t] = dy[t] + carry
            carry = a[t] * carry                                          # into h_{t-1}
        self.dstate0 = carry
        h_prev = np.concatenate([h0[None], h[:-1]], axis=0)               # (T, B, H)
        dpre = self._coefficients_backward(dh, pre, h_prev, a)            # (T, B, nH) each cell's gates
        # backprop into W, b and x: pre = x W + b
        d2 = dpre.reshape(T * B, -1)
        self.grads["W"] = x.reshape(T * B, D).T @ d2
        self.grads["b"] = d2.sum(axis=0)
        return (d2 @ self.params["W"].T).reshape(T, B, D)


class MinGRU(_MinRNN):
    __doc__ = __doc__
    gate_names = ("z", "h_tilde")

    def _coefficients(self, pre):
        H = self.hidden_size
        az, ah = pre[..., :H], pre[..., H:]
        z, h_tilde = sigmoid(az), g(ah)
        log_z = _log_sigmoid(az)
        log_a = _log_sigmoid(-az)                                         # log(1 − z) = log σ(−a_z)
        return log_a, log_z + log_g(ah), 1 - z, z * h_tilde

    def _coefficients_backward(self, dh, pre, h_prev, a):
        """dh (T, B, H) -> dpre (T, B, 2H), through a_t = 1 − z_t and b_t = z_t ⊙ h̃_t."""
        H = self.hidden_size
        az, ah = pre[..., :H], pre[..., H:]
        z = sigmoid(az)
        dz = dh * (g(ah) - h_prev)                                        # h_t = h_{t-1} + z ⊙ (h̃_t − h_{t-1})
        dpre = np.empty_like(pre)
        dpre[..., :H] = dz * z * (1 - z)                                  # through σ
        sig = sigmoid(np.minimum(ah, 0))
        dpre[..., H:] = dh * z * np.where(ah >= 0, 1.0, sig * (1 - sig))  # through g
        return dpre


class MinLSTM(_MinRNN):
    __doc__ = __doc__
    gate_names = ("f", "i", "h_tilde")

    def _coefficients(self, pre):
        H = self.hidden_size
        af, ai, ah = pre[..., :H], pre[..., H:2 * H], pre[..., 2 * H:]
        log_f, log_i = _log_sigmoid(af), _log_sigmoid(ai)
        log_norm = np.logaddexp(log_f, log_i)                             # log(f + i)
        log_a, log_i_n = log_f - log_norm, log_i - log_norm               # log f', log i'
        return log_a, log_i_n + log_g(ah), np.exp(log_a), np.exp(log_i_n) * g(ah)

    def _coefficients_backward(self, dh, pre, h_prev, a):
        """dh (T, B, H) -> dpre (T, B, 3H), through a_t = f'_t and b_t = i'_t ⊙ h̃_t (the equations above)."""
        H = self.hidden_size
        af, ai, ah = pre[..., :H], pre[..., H:2 * H], pre[..., 2 * H:]
        f_n = a                                                           # f' (saved by forward)
        i_n = np.exp(_log_sigmoid(ai) - np.logaddexp(_log_sigmoid(af), _log_sigmoid(ai)))   # i', as forward has it
        # backprop into f', i' and h̃: h_t = f' ⊙ h_{t-1} + i' ⊙ h̃_t
        df_n = dh * h_prev
        di_n = dh * g(ah)
        dh_tilde = dh * i_n
        # backprop into f and i through the normalisation (f i / (f + i)² = f' i'), then through σ
        dpre = np.empty_like(pre)
        dpre[..., :H] = (df_n - di_n) * f_n * i_n * sigmoid(-af)           # df ⊙ f (1 − f)
        dpre[..., H:2 * H] = (di_n - df_n) * f_n * i_n * sigmoid(-ai)      # di ⊙ i (1 − i)
        # backprop into h̃'s pre-activation, through g
        sig = sigmoid(np.minimum(ah, 0))
        dpre[..., 2 * H:] = dh_tilde * np.where(ah >= 0, 1.0, sig * (1 - sig))
        return dpre
