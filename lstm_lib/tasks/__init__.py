"""Synthetic sequence tasks, generated on the fly (nothing is downloaded); one module per family of tasks.

Every generator returns ``(x, y)`` time-major, like the cells expect:

- ``adding_problem``: x (T, B, 2) float (value, marker), y (B, 1) float; baseline MSE 1/6 ≈ 0.1667 (modern form),
  ≈ 0.039 (Hochreiter & Schmidhuber's form at T = 100).
- ``temporal_order``: x (T, B, 8) float one-hot, y (B,) int64 in {0, 1, 2, 3}; chance accuracy 1/4.
- ``remember_first``: x (k + 1, B, n + m) float one-hot, y (B,) int64 in [0, n); chance accuracy 1/n.
- ``agreement``: x (T, B) int64 word ids, y (B,) int64, the number (or the verb) the last subject needs; chance 1/2.
- ``reverse_sequence``: x (T, B, V) float one-hot, y (T, B) int64, the input reversed; chance accuracy 1/V per symbol.
- ``lookahead_tags``: x (T, B, V) float one-hot, y (T, B) int64, the symbol lag steps later (V at the end); a
  left-to-right reader gets chance 1/V on the first T − lag positions.
- ``mackey_glass``: x (T, B, 1) float, the chaotic Mackey–Glass series; y (T, B, 1) the series horizon samples ahead.

Every generator takes ``rng`` (a ``np.random.Generator``, for a stream of fresh batches in a training loop) or
``seed`` (an int, for one reproducible batch); with neither it uses seed 0, so a notebook is reproducible by default.
"""
from .long_lag import (TEMPORAL_ORDER_CLASSES, TEMPORAL_ORDER_SYMBOLS, adding_problem, remember_first,  # noqa: F401
                       temporal_order)
from .agreement import AGREEMENT_CLASSES, AGREEMENT_VERB_CLASSES, AGREEMENT_VOCAB, agreement, decode  # noqa: F401
from .reber import *  # noqa: F401,F403  embedded Reber grammar, continual form (reber.__all__)
from .reversal import reverse_sequence  # noqa: F401
from .future import best_unidirectional_accuracy, lookahead_tags  # noqa: F401
from .signals import mackey_glass  # noqa: F401
from . import reber as _reber

__all__ = ["adding_problem", "temporal_order", "remember_first", "TEMPORAL_ORDER_SYMBOLS", "TEMPORAL_ORDER_CLASSES",
           "agreement", "decode", "AGREEMENT_VOCAB", "AGREEMENT_CLASSES", "AGREEMENT_VERB_CLASSES", "reverse_sequence",
           "lookahead_tags", "best_unidirectional_accuracy", "mackey_glass",
           *_reber.__all__]
