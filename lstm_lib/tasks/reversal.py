"""Reversal: read a sequence of symbols, then write it back in reverse order (chapter 7).

The answer needs the whole input: the first symbol written is the last one read, and the last symbol written is the
first one read, so a decoder that only receives a summary of the input must fit all of it into that summary.
"""
import numpy as np

from ..nn import _err, _float_dtype, _positive_int, _rng

__all__ = ["reverse_sequence"]


def reverse_sequence(T, batch_size, n_symbols=8, rng=None, seed=None, dtype=np.float64):
    """T symbols drawn uniformly from n_symbols; the target is the same symbols, reversed.

    Args:
        T: sequence length (T ≥ 1).
        batch_size: number of sequences B.
        n_symbols: vocabulary size V (V ≥ 2); guessing gives accuracy 1/V per symbol.
        rng / seed: source of randomness (see ``lstm_lib.tasks``).
        dtype: float dtype of x.

    Returns:
        x: (T, B, V) float one-hot — x[t, b] encodes the t-th symbol of sequence b.
        y: (T, B) int64 — y[t, b] = the symbol at position T − 1 − t, the answer at output step t.

    Worked example (T = 5, B = 1, V = 4)::

        >>> x, y = reverse_sequence(5, 1, n_symbols=4, seed=0)
        >>> x.shape, y.shape
        ((5, 1, 4), (5, 1))
        >>> x[:, 0].argmax(-1), y[:, 0]
        (array([3, 2, 2, 1, 1]), array([1, 1, 2, 2, 3]))
    """
    where = "reverse_sequence"
    T = _positive_int("T", T, where)
    B = _positive_int("batch_size", batch_size, where)
    V = _positive_int("n_symbols", n_symbols, where)
    if V < 2:
        raise _err(f"{where}: n_symbols must be at least 2 (one symbol carries no information), got {V}",
                   f"{where}：n_symbols 至少为 2（只有一个符号时不携带任何信息），实际为 {V}")
    dt = _float_dtype(dtype, where)
    g = _rng(rng, seed, where)
    ids = g.integers(0, V, size=(T, B))                            # (T, B) the source symbols
    x = np.zeros((T, B, V), dtype=dt)
    x[np.arange(T)[:, None], np.arange(B)[None, :], ids] = 1.0     # (T, B, V) one-hot
    return x, ids[::-1].copy()                                     # y[t] = ids[T - 1 - t]
