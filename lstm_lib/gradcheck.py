r"""Numerical gradients, to check a hand-written backward pass.

A derivative is a limit; with a small step h the centred difference

    ∂f/∂x_i ≈ (f(x + h·e_i) − f(x − h·e_i)) / (2h)

has an error of order h² (the one-sided (f(x + h) − f(x))/h only of order h). Compare with the analytic gradient by
the relative error of CS231n,

    rel_error(a, b) = max_i |a_i − b_i| / max(|a_i| + |b_i|, tiny)

which does not depend on the scale of the gradient. In float64 with h = 1e-5: below 1e-7 the backward pass is right;
around 1e-2 or above, something is wrong (a kink such as ReLU at 0 can give 1e-4 legitimately; our cells have none).

Worked example — check d/dx of f(x) = Σ x³, whose gradient is 3x²::

    >>> import numpy as np
    >>> from lstm_lib.gradcheck import numerical_gradient, rel_error
    >>> x = np.array([1.0, -2.0, 0.5])
    >>> num = numerical_gradient(lambda: np.sum(x ** 3), x)   # f() reads x, which is perturbed in place
    >>> np.round(num, 6)
    array([ 3.  , 12.  ,  0.75])
    >>> rel_error(num, 3 * x ** 2) < 1e-9
    True

For a whole cell, ``check_cell`` draws a random dy (and a random gradient for the final state), uses the loss
L = Σ y ⊙ dy + Σ h_T ⊙ dh_T (+ Σ C_T ⊙ dC_T) whose gradient wrt y is dy, and compares ``cell.backward`` with centred
differences for every parameter, the input and the initial state::

    >>> import lstm_lib
    >>> cell = lstm_lib.LSTM(3, 4, seed=0)
    >>> x = np.random.default_rng(0).normal(size=(5, 2, 3))    # T=5, B=2, D=3
    >>> errors = check_cell(cell, x)
    >>> sorted(errors)
    ['W', 'b', 'c0', 'h0', 'x']
    >>> max(errors.values()) < 1e-7
    True
"""
import numpy as np

from . import _validate as V

__all__ = ["numerical_gradient", "rel_error", "check_cell"]


def numerical_gradient(f, x, h=1e-5, points=2):
    """Centred-difference gradient of the scalar ``f()`` wrt the array ``x``.

    ``f`` takes no arguments and reads ``x`` (or something that shares its memory, e.g. ``cell.params['W']``);
    each entry of ``x`` is moved in place and restored afterwards. Returns an array shaped like ``x``.

    ``points=2`` (the classic):  (f(x+h) − f(x−h)) / 2h, error O(h²).
    ``points=4``: (f(x−2h) − 8 f(x−h) + 8 f(x+h) − f(x+2h)) / 12h, error O(h⁴), so a larger step (h = 1e-3) can be
    used and float64 rounding of f (≈ 1e-16·|f| / h) shrinks a hundredfold. ``check_cell`` uses it because the
    two-point estimate of a gradient entry as small as 1e-5 carries a relative error near 1e-6 from rounding alone,
    which would hide a correct backward pass behind noise.
    """
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        got = type(x).__name__ + (f" of dtype {x.dtype}" if isinstance(x, np.ndarray) else "")
        raise TypeError(V._msg(f"expected x to be a float numpy array (it is perturbed in place), got {got}",
                               f"期望 x 为浮点 numpy 数组（会被原地扰动），实际为 {got}"))
    if points not in (2, 4):
        raise ValueError(V._msg(f"expected points to be 2 or 4, got {points!r}",
                                f"期望 points 为 2 或 4，实际为 {points!r}"))
    steps, weights, denom = ((1, -1), (1, -1), 2 * h) if points == 2 else ((-2, -1, 1, 2), (1, -8, 8, -1), 12 * h)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        total = 0.0
        for s, w in zip(steps, weights):
            x[idx] = old + s * h
            total += w * float(f())
        x[idx] = old                                   # restore
        grad[idx] = total / denom
    return grad


def rel_error(a, b, tiny=1e-8):
    """CS231n's relative error: max_i |a_i − b_i| / max(|a_i| + |b_i|, tiny). ``tiny`` guards 0/0."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.shape != b.shape:
        raise ValueError(V._msg(f"expected two arrays of the same shape, got {a.shape} and {b.shape}",
                                f"期望两个形状相同的数组，实际为 {a.shape} 和 {b.shape}"))
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), tiny)))


def check_cell(cell, x, state=None, seed=0, h=1e-3, points=4):
    """Compare ``cell.backward`` with centred differences; returns {name: relative error}.

    Names: every key of ``cell.params``, ``'x'``, and the initial state (``'h0'``, plus ``'c0'`` for the LSTM
    family). The loss is L = Σ y ⊙ dy + Σ ⟨final state, dstate⟩ with dy and dstate drawn from
    ``np.random.default_rng(seed)``, so the final-state path of backward is checked too. The numerical gradient
    is the four-point centred difference with h = 1e-3 (see ``numerical_gradient``); a correct cell scores 1e-9 or
    less, a wrong term 1e-3 or more. Needs a float64 cell (float32 rounding swamps any small step).
    """
    if cell.dtype != np.float64:
        raise TypeError(V._msg(f"expected a float64 cell for a gradient check, got {np.dtype(cell.dtype).name}",
                               f"梯度检验需要 float64 的单元，实际为 {np.dtype(cell.dtype).name}"))
    x = V.sequence(x, cell.input_size, np.float64).copy()      # (T, B, D), our own copy: perturbed in place
    T, B, _ = x.shape
    H = cell.hidden_size
    rng = np.random.default_rng(seed)
    state = [s.copy() for s in cell._check_state("state", state, B)]
    dy = rng.standard_normal((T, B, H))
    dstate = [rng.standard_normal((B, H)) for _ in state]

    def loss():
        y, final = cell.forward(x, cell._pack(state))
        final = final if isinstance(final, tuple) else (final,)
        return np.sum(y * dy) + sum(np.sum(s * d) for s, d in zip(final, dstate))

    cell.forward(x, cell._pack(state))
    dx = cell.backward(dy, cell._pack(dstate))
    analytic = {n: g.copy() for n, g in cell.grads.items()}
    analytic["x"] = dx
    d0 = cell.dstate0 if isinstance(cell.dstate0, tuple) else (cell.dstate0,)
    for n, d in zip(cell.state_names, d0):
        analytic[n + "0"] = d
    wrt = dict(cell.params)
    wrt["x"] = x
    for n, s in zip(cell.state_names, state):
        wrt[n + "0"] = s
    return {n: rel_error(analytic[n], numerical_gradient(loss, wrt[n], h, points)) for n in analytic}
