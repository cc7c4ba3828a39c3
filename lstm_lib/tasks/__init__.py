"""Synthetic sequence tasks, generated on the fly (nothing is downloaded); one module per family of tasks.

Every generator returns ``(x, y)`` time-major, like the cells expect:

- ``adding_problem``: x (T, B, 2) float (value, marker), y (B, 1) float; baseline MSE 1/6 ≈ 0.1667 (modern form),
  ≈ 0.039 (Hochreiter & Schmidhuber's form at T = 100).
- ``temporal_order``: x (T, B, 8) float one-hot, y (B,) int64 in {0, 1, 2, 3}; chance accuracy 1/4.
- ``remember_first``: x (k + 1, B, n + m) float one-hot, y (B,) int64 in [0, n); chance accuracy 1/n.

Every generator takes ``rng`` (a ``np.random.Generator``, for a stream of fresh batches in a training loop) or
``seed`` (an int, for one reproducible batch); with neither it uses seed 0, so a notebook is reproducible by default.
"""
from .long_lag import (TEMPORAL_ORDER_CLASSES, TEMPORAL_ORDER_SYMBOLS, adding_problem, remember_first,  # noqa: F401
                       temporal_order)
from .reber import *  # noqa: F401,F403  embedded Reber grammar, continual form (reber.__all__)

__all__ = ["adding_problem", "temporal_order", "remember_first", "TEMPORAL_ORDER_SYMBOLS", "TEMPORAL_ORDER_CLASSES"]
