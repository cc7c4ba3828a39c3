r"""A tiny self-attention layer (Vaswani et al. 2017), forward only, and its operation count.

Equations (one head; a sequence X of T row vectors, each of size D)::

    Q = X W_q,  K = X W_k,  V = X W_v                 (T, d_k), (T, d_k), (T, d_v)
    S = Q Kᵀ / √d_k                                   (T, T) every position scores every other
    S_ts = −∞ for s > t                               (causal=True: a position sees only the past)
    A = softmax(S) row by row                         (T, T) attention weights
    Y = A V                                           (T, d_v)

Shapes here are time-major like the rest of lstm_lib: x (T, B, D) -> y (T, B, d_v), weights (B, T, T).
No step depends on the previous one, so all T positions are computed at once — the reason Transformers train in
parallel — but S and A have T² entries: time and memory grow with the square of the length, where a recurrent
layer grows linearly.

Example::

    >>> import numpy as np
    >>> layer = SelfAttention(4, 8, seed=0)
    >>> y, A = layer.forward(np.ones((5, 2, 4)))
    >>> y.shape, A.shape
    ((5, 2, 8), (2, 5, 5))
"""
import numpy as np

from . import _validate as V
from .nn import softmax

__all__ = ["SelfAttention", "attention_flops", "recurrent_flops"]


class SelfAttention:
    __doc__ = __doc__

    def __init__(self, input_size, head_size, seed=0, causal=True):
        self.input_size = D = V.size("input_size", input_size)
        self.head_size = d = V.size("head_size", head_size)
        self.causal = bool(causal)
        rng = np.random.default_rng(seed)
        self.params = {n: rng.normal(size=(D, d)) / np.sqrt(D) for n in ("W_q", "W_k", "W_v")}   # (D, d) each

    def forward(self, x):
        x = V.sequence(x, self.input_size, np.float64)                      # (T, B, D)
        T = x.shape[0]
        xb = x.transpose(1, 0, 2)                                           # (B, T, D)
        Q, K, Vv = (xb @ self.params[n] for n in ("W_q", "W_k", "W_v"))     # (B, T, d)
        S = Q @ K.transpose(0, 2, 1) / np.sqrt(self.head_size)             # (B, T, T)
        if self.causal:
            S = np.where(np.tril(np.ones((T, T), bool)), S, -np.inf)
        A = softmax(S, axis=-1)                                             # (B, T, T)
        return (A @ Vv).transpose(1, 0, 2), A                               # (T, B, d), (B, T, T)


def attention_flops(T, D, d):
    """Multiply-adds of one head on one sequence: 3 T D d (projections) + T² d (Q Kᵀ) + T² d (A V)."""
    return 3 * T * D * d + 2 * T * T * d


def recurrent_flops(T, D, H, gates=4):
    """Multiply-adds of an LSTM layer (4 gates) on one sequence: T (D + H) 4H — linear in T."""
    return T * (D + H) * gates * H
