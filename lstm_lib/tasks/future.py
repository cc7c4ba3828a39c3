"""Tasks whose answer at a position lies *after* it in the sequence (Appendix C: bidirectional networks).

A network that reads left to right has not yet seen the answer when it must give it, so it can only guess; a
bidirectional network reads the sequence from both ends and has.
"""
import numpy as np

from ..nn import _err, _float_dtype, _positive_int, _rng

__all__ = ["lookahead_tags", "best_unidirectional_accuracy"]


def lookahead_tags(T, batch_size, n_symbols=4, lag=2, rng=None, seed=None, dtype=np.float64):
    """Tag each position with the symbol that comes ``lag`` steps later; the last ``lag`` positions get the tag
    ``n_symbols`` ("nothing follows").

    Args:
        T: sequence length (T > lag).
        batch_size: number of sequences B.
        n_symbols: vocabulary size V (V ≥ 2); there are V + 1 tags.
        lag: how far ahead the tag lies (lag ≥ 1).
        rng / seed: source of randomness (see ``lstm_lib.tasks``).
        dtype: float dtype of x.

    Returns:
        x: (T, B, V) float one-hot — x[t, b] encodes the t-th symbol of sequence b.
        y: (T, B) int64 — y[t, b] = the symbol at position t + lag, or V for t ≥ T − lag.

    A left-to-right reader can do no better than chance (1/V) on the first T − lag positions, whose tag it has not
    read yet; it can learn the last lag positions (tag V) by counting steps. So its best expected accuracy is
    ((T − lag)/V + lag) / T; a bidirectional reader can reach 1.

    Worked example (T = 6, B = 1, V = 4, lag = 2)::

        >>> x, y = lookahead_tags(6, 1, n_symbols=4, lag=2, seed=0)
        >>> x.shape, y.shape
        ((6, 1, 4), (6, 1))
        >>> x[:, 0].argmax(-1), y[:, 0]
        (array([3, 2, 2, 1, 1, 0]), array([2, 1, 1, 0, 4, 4]))
    """
    where = "lookahead_tags"
    T = _positive_int("T", T, where)
    B = _positive_int("batch_size", batch_size, where)
    V = _positive_int("n_symbols", n_symbols, where)
    lag = _positive_int("lag", lag, where)
    if V < 2:
        raise _err(f"{where}: n_symbols must be at least 2 (one symbol carries no information), got {V}",
                   f"{where}：n_symbols 至少为 2（只有一个符号时不携带任何信息），实际为 {V}")
    if lag >= T:
        raise _err(f"{where}: lag must be shorter than the sequence (T = {T}), got lag = {lag}",
                   f"{where}：lag 应小于序列长度（T = {T}），实际 lag = {lag}")
    dt = _float_dtype(dtype, where)
    g = _rng(rng, seed, where)
    ids = g.integers(0, V, size=(T, B))                            # (T, B) the symbols
    x = np.zeros((T, B, V), dtype=dt)
    x[np.arange(T)[:, None], np.arange(B)[None, :], ids] = 1.0     # (T, B, V) one-hot
    y = np.full((T, B), V, dtype=np.int64)                         # tag V: nothing follows at distance lag
    y[:T - lag] = ids[lag:]                                        # y[t] = ids[t + lag]
    return x, y


def best_unidirectional_accuracy(T, n_symbols=4, lag=2):
    """The accuracy a left-to-right reader can expect at best: chance on the first T − lag tags, all of the rest."""
    return ((T - lag) / n_symbols + lag) / T
