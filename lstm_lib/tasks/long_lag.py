"""The long time-lag tasks of chapters 1–2 (Hochreiter & Schmidhuber 1997; Le, Jaitly & Hinton 2015)."""
import numpy as np

from ..nn import _err, _float_dtype, _positive_int, _rng

__all__ = ["adding_problem", "temporal_order", "remember_first", "TEMPORAL_ORDER_SYMBOLS", "TEMPORAL_ORDER_CLASSES"]


def adding_problem(T, batch_size, rng=None, seed=None, variant="modern", dtype=np.float64):
    """The adding problem: read T pairs (value, marker) and output the sum of the two marked values.

    Two forms, chosen by ``variant``:

    ``"modern"`` — the form of Le, Jaitly & Hinton (2015, Section 4.1), used by most later papers:
        * channel 0: values v_t ~ U(0, 1), independent;
        * channel 1: marker 1.0 at exactly two steps, one drawn uniformly from the first half t ∈ [0, T//2) and one
          from the second half t ∈ [T//2, T); 0.0 elsewhere;
        * target y = v_{t1} + v_{t2} ∈ [0, 2].
        Always answering 1 (the mean of y) gives MSE = Var(v_{t1} + v_{t2}) = 2 · 1/12 = 1/6 ≈ 0.1667, the baseline a
        model must beat. (Le et al. quote about 0.1767 for this baseline; 1/6 is the exact expectation.)

    ``"hs1997"`` — Hochreiter & Schmidhuber (1997), Section 5.4, Experiment 4:
        * channel 0: values X ~ U(−1, 1);
        * channel 1: marker 1.0 at two steps, −1.0 at the first and the last step, 0.0 elsewhere. The first marked
          step is drawn uniformly from the first ten steps; the second uniformly from the first ⌊T/2⌋ − 1 steps that
          are still unmarked (so for T ≥ 20 both marks fall in the first half of the sequence and the last T/2 steps
          are distractors; for shorter T the first mark can land in the second half);
        * if the first step is marked, its value is set to 0 and its marker is 1.0. The paper says "X1 is set to zero
          in the rare case where the first pair of the sequence got marked"; since the second mark, too, can fall on
          the first pair (when X1 is elsewhere among the first ten), we read the rule as "the first pair's value is
          zeroed whenever it is marked" and apply it to either mark;
        * target y = 0.5 + (X1 + X2) / 4.0 ∈ [0, 1], the sum scaled into [0, 1];
        * the paper counts a sequence as processed correctly if |ŷ − y| < 0.04.
        Always answering 0.5 gives MSE = (1/16) · E[(X1 + X2)²] = (1/16) · (2/3 − q/3), where (for T ≥ 10)
        q = 1/10 + (9/10)/(⌊T/2⌋ − 1) is the chance that the first pair is marked (its value then 0): ≈ 0.0392 at
        T = 100, rising to (1/16)(2/3 − 1/30) = 19/480 ≈ 0.0396 for long sequences (q → 1/10: the first mark stays
        among the first ten steps). The paper's success criterion |ŷ − y| < 0.04 is far stricter than beating this
        baseline.
        What differs from the paper: the paper draws each sequence's length at random between T and T + T/10; here all
        sequences of a batch have the same length T so that they fit one (T, B, 2) array. We are sure of the rest as
        listed: it follows the paper's task description of Experiment 4 point by point.

    Args:
        T: sequence length (modern: T ≥ 2; hs1997: T ≥ 4).
        batch_size: number of sequences B.
        rng / seed: source of randomness (see the module docstring).
        variant: ``"modern"`` or ``"hs1997"``.
        dtype: float dtype of x and y.

    Returns:
        x: (T, B, 2) float — x[t, b] = (value, marker).
        y: (B, 1) float — the target, read at the last step.

    Worked example (``variant="modern"``, T = 6, B = 1; rows are steps, columns (value, marker))::

        >>> x, y = adding_problem(6, 1, seed=0)
        >>> print(np.round(x[:, 0, :], 2))
        [[0.64 0.  ]
         [0.27 1.  ]
         [0.04 0.  ]
         [0.02 0.  ]
         [0.81 1.  ]
         [0.91 0.  ]]
        >>> print(np.round(y, 2))
        [[1.08]]

    The marks are at t = 1 (first half, t < 3) and t = 4 (second half); the target is 0.27 + 0.81 = 1.08.
    The paper's form (T = 12): marks at t = 3 and t = 5, −1 at both ends, target 0.5 + (−0.97 + 0.83)/4 ≈ 0.465::

        >>> x, y = adding_problem(12, 1, seed=0, variant="hs1997")
        >>> print(np.round(x[:6, 0, :], 2))
        [[ 0.27 -1.  ]
         [-0.46  0.  ]
         [-0.92  0.  ]
         [-0.97  1.  ]
         [ 0.63  0.  ]
         [ 0.83  1.  ]]
        >>> print(np.round(x[-1, 0, :], 2), np.round(y, 3))
        [-0.99 -1.  ] [[0.465]]
    """
    where = "adding_problem"
    T = _positive_int("T", T, where)
    B = _positive_int("batch_size", batch_size, where)
    dt = _float_dtype(dtype, where)
    g = _rng(rng, seed, where)
    if variant == "modern":
        if T < 2:
            raise _err(f"{where}: the modern variant needs T >= 2 (one marker per half), got T={T}",
                       f"{where}：modern 版本需要 T >= 2（前后两半各一个标记），实际 T={T}")
        half = T // 2
        values = g.uniform(0.0, 1.0, (T, B))                              # (T, B)
        t1 = g.integers(0, half, B)                                       # (B,) in the first half
        t2 = g.integers(half, T, B)                                       # (B,) in the second half
        markers = np.zeros((T, B))
        cols = np.arange(B)
        markers[t1, cols] = 1.0
        markers[t2, cols] = 1.0
        y = values[t1, cols] + values[t2, cols]                           # (B,)
    elif variant == "hs1997":
        if T < 4:
            raise _err(f"{where}: the hs1997 variant needs T >= 4 (the second mark is drawn from the first T/2 - 1 "
                       f"unmarked steps), got T={T}",
                       f"{where}：hs1997 版本需要 T >= 4（第二个标记取自前 T/2 - 1 个未标记的时间步），实际 T={T}")
        values = g.uniform(-1.0, 1.0, (T, B))                             # (T, B)
        markers = np.zeros((T, B))
        markers[0, :] = -1.0                                              # first and last pair carry −1
        markers[-1, :] = -1.0
        n2 = T // 2 - 1                                                   # "the first T/2 − 1 still unmarked pairs"
        t1 = g.integers(0, min(10, T - 1), B)                             # (B,) one of the first ten, never the last
        j = g.integers(0, n2, B)                                          # (B,) index among the unmarked
        t2 = j + (j >= t1)                                                # skip over t1: j-th unmarked step
        cols = np.arange(B)
        values[0, (t1 == 0) | (t2 == 0)] = 0.0                            # zero the first pair's value if marked
        markers[t1, cols] = 1.0
        markers[t2, cols] = 1.0
        y = 0.5 + (values[t1, cols] + values[t2, cols]) / 4.0             # (B,)
    else:
        raise _err(f"{where}: variant must be 'modern' or 'hs1997', got {variant!r}",
                   f"{where}：variant 应为 'modern' 或 'hs1997'，实际为 {variant!r}")
    x = np.stack([values, markers], axis=-1).astype(dt)                   # (T, B, 2)
    return x, y[:, None].astype(dt)                                       # (B, 1)


TEMPORAL_ORDER_SYMBOLS = ("E", "B", "a", "b", "c", "d", "X", "Y")
"""Input alphabet of ``temporal_order``: channel k of the one-hot input is ``TEMPORAL_ORDER_SYMBOLS[k]``."""

TEMPORAL_ORDER_CLASSES = ("XX", "XY", "YX", "YY")
"""Class k of ``temporal_order`` (the paper's Q, R, S, U)."""


def temporal_order(T, batch_size, rng=None, seed=None, t1_range=None, t2_range=None, dtype=np.float64):
    """Temporal order: classify a sequence by the order of two relevant symbols hidden among distractors.

    Hochreiter & Schmidhuber (1997), Section 5.6, Experiment 6, task 6a ("two relevant, widely separated symbols"):
        * the sequence starts with E, ends with B (the "trigger symbol"), and every other step shows a distractor drawn
          uniformly from {a, b, c, d} — except two steps t1 and t2 that show X or Y (each drawn independently, 1/2–1/2);
        * the class is the order of the two: X,X → Q; X,Y → R; Y,X → S; Y,Y → U (here classes 0, 1, 2, 3, named
          ``TEMPORAL_ORDER_CLASSES = ("XX", "XY", "YX", "YY")``);
        * symbols are one-hot over 8 input units, ``TEMPORAL_ORDER_SYMBOLS = ("E", "B", "a", "b", "c", "d", "X", "Y")``.
        In the paper the length is drawn between 100 and 110, t1 between 10 and 20 and t2 between 50 and 60. Here
        the length is a fixed ``T`` per batch; by default t1 and t2 keep the paper's fractions of the length,
        t1 ∈ [round(0.1 T), round(0.2 T)] and t2 ∈ [round(0.5 T), round(0.6 T)] (inclusive, 0-based) — exactly
        [10, 20] and [50, 60] at T = 100. Pass ``t1_range``/``t2_range`` (inclusive pairs) to choose other windows.

    Chance accuracy is 1/4; the error signal comes only at the end (read the last step).

    Args:
        T: sequence length (≥ 4 with the default windows).
        batch_size: number of sequences B.
        rng / seed: source of randomness.
        t1_range, t2_range: inclusive (low, high) positions; need 0 < low ≤ high < T − 1 and t1 high < t2 low.
        dtype: float dtype of x.

    Returns:
        x: (T, B, 8) float one-hot.
        y: (B,) int64 class in {0: XX, 1: XY, 2: YX, 3: YY}.

    Worked example (T = 10, B = 1, windows t1 ∈ [1, 2], t2 ∈ [5, 6]; the symbols read off the one-hot rows)::

        >>> x, y = temporal_order(10, 1, seed=1, t1_range=(1, 2), t2_range=(5, 6))
        >>> print(" ".join(TEMPORAL_ORDER_SYMBOLS[k] for k in x[:, 0].argmax(-1)), "->", TEMPORAL_ORDER_CLASSES[y[0]])
        E c X d a Y d d a B -> XY
    """
    where = "temporal_order"
    T = _positive_int("T", T, where)
    B = _positive_int("batch_size", batch_size, where)
    dt = _float_dtype(dtype, where)
    if t1_range is None:
        t1_range = (max(1, round(0.1 * T)), max(1, round(0.2 * T)))
    if t2_range is None:
        t2_range = (round(0.5 * T), round(0.6 * T))
    try:
        (a1, b1), (a2, b2) = [tuple(int(v) for v in r) for r in (t1_range, t2_range)]
    except Exception:
        raise _err(f"{where}: t1_range and t2_range must be pairs of integers (low, high), got {t1_range!r}, "
                   f"{t2_range!r}",
                   f"{where}：t1_range 与 t2_range 应为整数对 (low, high)，实际为 {t1_range!r}、{t2_range!r}",
                   TypeError) from None
    if not (0 < a1 <= b1 < a2 <= b2 < T - 1):
        raise _err(f"{where}: need 0 < t1 low <= t1 high < t2 low <= t2 high < T-1 = {T - 1} (the first and last "
                   f"steps hold E and B), got t1_range={(a1, b1)}, t2_range={(a2, b2)}, T={T}",
                   f"{where}：需满足 0 < t1 下限 <= t1 上限 < t2 下限 <= t2 上限 < T-1 = {T - 1}（首尾两步为 E 与 B），"
                   f"实际 t1_range={(a1, b1)}，t2_range={(a2, b2)}，T={T}")
    g = _rng(rng, seed, where)
    sym = g.integers(2, 6, (T, B))                                        # (T, B) distractors a, b, c, d
    sym[0, :] = 0                                                         # E
    sym[-1, :] = 1                                                        # B, the trigger
    t1 = g.integers(a1, b1 + 1, B)                                        # (B,)
    t2 = g.integers(a2, b2 + 1, B)                                        # (B,)
    first = g.integers(0, 2, B)                                           # (B,) 0 = X, 1 = Y
    second = g.integers(0, 2, B)
    cols = np.arange(B)
    sym[t1, cols] = 6 + first
    sym[t2, cols] = 6 + second
    x = np.eye(len(TEMPORAL_ORDER_SYMBOLS), dtype=dt)[sym]                # (T, B, 8)
    y = (2 * first + second).astype(np.int64)                             # (B,) XX=0, XY=1, YX=2, YY=3
    return x, y


def remember_first(k, batch_size, n_symbols=4, n_distractors=1, rng=None, seed=None, dtype=np.float64):
    """Remember the first symbol across a gap of k steps (the long-gap experiment of chapter 2).

    Step 0 shows one of ``n_symbols`` symbols s ∈ [0, n); steps 1 … k show distractors (each drawn uniformly from
    ``n_distractors`` further symbols; with the default ``n_distractors=1`` that is a constant "blank"); after the
    last step the model must name s. So T = k + 1 and the only useful input is k steps before the answer: the task
    measures nothing but how long a network can hold one piece of information.

    One-hot layout: channels 0 … n−1 are the symbols, channels n … n+m−1 the distractors (m = ``n_distractors``).
    Chance accuracy is 1/n (cross-entropy ln n for a uniform guess).

    Args:
        k: the gap, number of distractor steps after the symbol (k ≥ 0; k = 0 means the answer is due at once).
        batch_size: number of sequences B.
        n_symbols: n ≥ 2 symbols to remember.
        n_distractors: m ≥ 1 distractor symbols.
        rng / seed: source of randomness.
        dtype: float dtype of x.

    Returns:
        x: (k + 1, B, n + m) float one-hot.
        y: (B,) int64 in [0, n), equal to x[0].argmax(-1).

    Worked example (k = 3, B = 2, n = 3, m = 2; rows are steps, columns the channels s0 s1 s2 | d0 d1)::

        >>> x, y = remember_first(3, 2, n_symbols=3, n_distractors=2, seed=1)
        >>> print(x[:, 0].astype(int))
        [[0 1 0 0 0]
         [0 0 0 0 1]
         [0 0 0 1 0]
         [0 0 0 0 1]]
        >>> print(y)
        [1 1]

    Sequence 0 shows symbol 1 at step 0, then distractors d1, d0, d1; its target is 1.
    """
    where = "remember_first"
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)):
        raise _err(f"{where}: k (the gap) must be a non-negative integer, got {k!r} ({type(k).__name__})",
                   f"{where}：k（间隔）应为非负整数，实际为 {k!r}（{type(k).__name__}）", TypeError)
    if k < 0:
        raise _err(f"{where}: k (the gap) must be a non-negative integer, got {k}",
                   f"{where}：k（间隔）应为非负整数，实际为 {k}")
    B = _positive_int("batch_size", batch_size, where)
    n = _positive_int("n_symbols", n_symbols, where)
    m = _positive_int("n_distractors", n_distractors, where)
    if n < 2:
        raise _err(f"{where}: n_symbols must be at least 2 (one symbol is nothing to remember), got {n}",
                   f"{where}：n_symbols 至少为 2（只有一个符号就无需记忆），实际为 {n}")
    dt = _float_dtype(dtype, where)
    g = _rng(rng, seed, where)
    first = g.integers(0, n, B)                                           # (B,) the symbol to remember
    sym = np.empty((int(k) + 1, B), dtype=np.int64)                       # (T, B) channel index per step
    sym[0] = first
    sym[1:] = n + g.integers(0, m, (int(k), B))                           # distractor channels n … n+m−1
    x = np.eye(n + m, dtype=dt)[sym]                                      # (k + 1, B, n + m)
    return x, first.astype(np.int64)
