"""Checks for the exercises, one module per chapter (``ch01.py`` …, appendices ``appB.py`` …), sharing ``_common.py``: each compares a student's function with the library's reference implementation.

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
from .appB import cell_state_jacobian_full, lstm_bptt
from .ch01 import rnn_step, rnn_step_backward
from .ch02 import clip_by_global_norm, gradient_norm_vs_lag, rnn_jacobian
from .ch03 import lstm_param_count
from .ch04 import cell_state_jacobian, gate
from .ch05 import gate_saturation, lstm_step, lstm_step_backward
from .ch06 import coupled_step, gru_flip_z
from .ch07 import additive_attention, min_gru_scan
from .ch08 import sample_next
from .appC import ridge_readout, scale_to_spectral_radius

__all__ = ["rnn_step", "rnn_step_backward", "lstm_step", "rnn_jacobian", "clip_by_global_norm",
           "gradient_norm_vs_lag", "rel_error", "lstm_step_backward", "gate_saturation", "sample_next",
           "coupled_step", "gru_flip_z", "additive_attention", "min_gru_scan", "lstm_param_count",
           "cell_state_jacobian", "gate", "lstm_bptt", "cell_state_jacobian_full",
           "scale_to_spectral_radius", "ridge_readout"]



# Keep this block last: every check imported above (any chapter's) fails with a CheckFailed, whose traceback in
# IPython/Jupyter is the message alone (see _common.CheckFailed), also where a chapter module raised a plain
# AssertionError. NotImplementedError (an unfinished stub) and anything else pass through unchanged.
def _message_first(check):
    import functools

    from ._common import CheckFailed

    @functools.wraps(check)
    def run(*args, **kwargs):
        __tracebackhide__ = True
        try:
            return check(*args, **kwargs)
        except CheckFailed:
            raise
        except AssertionError as err:
            raise CheckFailed(*err.args).with_traceback(err.__traceback__) from err.__cause__

    run._message_first = True
    return run


for _name, _value in list(globals().items()):
    if (callable(_value) and not _name.startswith("_")
            and getattr(_value, "__module__", "").startswith((__name__ + ".ch", __name__ + ".app"))
            and not getattr(_value, "_message_first", False)):
        globals()[_name] = _message_first(_value)
del _name, _value
