"""Checks for the exercises, one module per chapter (``ch01.py`` …), sharing ``_common.py``: each compares a student's function with the library's reference implementation.

Every check calls the student's function on several seeded random inputs, compares the result with the reference
(forward values: maximum absolute error; backward passes: also against centred finite differences from
``lstm_lib.gradcheck.numerical_gradient``, with CS231n's relative error ``lstm_lib.gradcheck.rel_error``,
``max |a - b| / max(1e-8, |a| + |b|)``), and

- on success prints one bilingual line, e.g. ``✓ rnn_step passed (max error < 1e-12) / 通过``, and returns ``True``
  (so a check cell is simply ``assert lstm_lib.check.rnn_step(rnn_step)``);
- on failure raises ``AssertionError`` with a bilingual message saying what is wrong, where, by how much, and a hint;
  the most common mistakes (a missing nonlinearity, a transposed matrix, swapped gate blocks, ...) are recognised by
  comparing the student's output with deliberately wrong variants of the reference;
- lets the ``NotImplementedError`` of an unfinished stub propagate unchanged;
- reports a wrong return type or shape as such, and wraps any other exception raised inside the student's function
  in an ``AssertionError`` that says which inputs (shapes) it was called with.

The references follow the course's notation (CONTRIBUTING.md): row vectors, ``[h, x] @ W + b`` with ``W`` of shape
``(H + D, nH)``, LSTM gate blocks in the order ``f | i | c_tilde | o``.
"""
from ._common import _bound, rel_error  # noqa: F401  (re-exported: rel_error is public, _bound is tested)
from .ch01 import rnn_step, rnn_step_backward
from .ch02 import clip_by_global_norm, gradient_norm_vs_lag, rnn_jacobian
from .ch03 import lstm_param_count  # noqa: F401
from .ch04 import cell_state_jacobian, gate  # noqa: F401
from .ch05 import lstm_step

__all__ = ["rnn_step", "rnn_step_backward", "lstm_step", "rnn_jacobian", "clip_by_global_norm",
           "gradient_norm_vs_lag", "rel_error"]

