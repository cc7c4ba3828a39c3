r"""A chaotic signal to predict (Appendix C: echo state networks): the Mackey–Glass delay equation.

    ds/dt = β s(t − τ) / (1 + s(t − τ)^n) − γ s(t),    β = 0.2, γ = 0.1, n = 10, τ = 17

Mackey & Glass (1977) wrote it for blood-cell production; with τ = 17 the solution is chaotic, and it has been the
standard benchmark of echo state networks since Jaeger (2001). It is integrated here with fourth-order Runge–Kutta,
step dt = 0.1 (the delayed value s(t − τ) is held fixed within a step, taken from the grid), from a constant history
s = s₀ drawn per sequence in [0.5, 1.5], and sampled every ``sample_every`` time units after a warm-up of 500 time
units (which removes the transient from the constant history).
"""
import numpy as np

from ..nn import _float_dtype, _positive_int, _rng

__all__ = ["mackey_glass"]


def _mg_rhs(s, s_tau, beta=0.2, gamma=0.1):
    # s_tau**10 by multiplications only: each is correctly rounded in IEEE arithmetic, so the series is the same
    # bit for bit on every machine (a libm pow() may differ in the last bit, and the series is chaotic)
    q2 = s_tau * s_tau
    q8 = (q2 * q2) * (q2 * q2)
    return beta * s_tau / (1.0 + q8 * q2) - gamma * s


def _integrate(s0, lag, steps, dt):
    """RK4 on the grid for one series, in Python floats (a scalar loop is ~20x faster than numpy on one value)."""
    h = [s0] * (lag + 1)
    for k in range(lag, lag + steps):
        s, s_tau = h[k], h[k - lag]
        k1 = _mg_rhs(s, s_tau)
        k2 = _mg_rhs(s + 0.5 * dt * k1, s_tau)
        k3 = _mg_rhs(s + 0.5 * dt * k2, s_tau)
        k4 = _mg_rhs(s + dt * k3, s_tau)
        h.append(s + dt / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4))
    return h


def mackey_glass(T, batch_size, horizon=1, sample_every=1, tau=17, rng=None, seed=None, dtype=np.float64):
    """T samples of a Mackey–Glass series per sequence; the target is the series ``horizon`` samples ahead.

    Args:
        T: number of samples (T ≥ 1).
        batch_size: number of independent series B (each from its own initial history).
        horizon: how many samples ahead the target lies (≥ 1).
        sample_every: time units between samples (≥ 1).
        tau: the delay τ (≥ 1; 17 gives the classic chaotic regime).
        rng / seed: source of randomness (see ``lstm_lib.tasks``); it only draws the initial histories.
        dtype: float dtype of x and y.

    Returns:
        x: (T, B, 1) float — x[t, b, 0] = s(t_0 + t·sample_every) of series b.
        y: (T, B, 1) float — y[t] = x[t + horizon] (the series continues past the end of x).

    Worked example::

        >>> x, y = mackey_glass(300, 2, seed=0)
        >>> x.shape, y.shape
        ((300, 2, 1), (300, 2, 1))
        >>> bool(np.array_equal(y[:-1], x[1:]))             # the target is the next sample
        True
        >>> bool(0.2 < x.min() and x.max() < 1.5)            # the attractor's range
        True
    """
    where = "mackey_glass"
    T = _positive_int("T", T, where)
    B = _positive_int("batch_size", batch_size, where)
    horizon = _positive_int("horizon", horizon, where)
    every = _positive_int("sample_every", sample_every, where)
    tau = _positive_int("tau", tau, where)
    dt_type = _float_dtype(dtype, where)
    g = _rng(rng, seed, where)
    dt, per_unit, warm = 0.1, 10, 500
    lag = tau * per_unit                                             # the delay in grid steps
    n_samples = T + horizon
    steps = (warm + n_samples * every) * per_unit
    hist = np.empty((lag + steps + 1, B))                            # the whole grid, history first
    for b, s0 in enumerate(g.uniform(0.5, 1.5, B)):                  # constant history s = s0 on [−τ, 0]
        hist[:, b] = _integrate(float(s0), lag, steps, dt)
    start = lag + warm * per_unit
    series = hist[start + np.arange(n_samples) * every * per_unit]   # (T + horizon, B)
    series = series[:, :, None].astype(dt_type)
    return series[:T].copy(), series[horizon:].copy()
