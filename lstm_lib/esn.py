r"""An echo state network (Jaeger 2001): a fixed random recurrent reservoir, and a linear readout trained by ridge
regression — no backpropagation through time at all.

Equations (row vectors, as everywhere in lstm_lib; u_t the input (B, D), r_t the reservoir state (B, N))::

    r̃_t = tanh(u_t·W_in + r_{t-1}·W + b)             W_in (D, N), W (N, N), b (N,): random, never trained
    r_t  = (1 − α) r_{t-1} + α r̃_t                   leak rate α ∈ (0, 1]; α = 1 is Jaeger's original ESN
    ŷ_t  = [r_t, 1]·W_out                            W_out (N + 1, K): the only trained weights

W is drawn once and rescaled so that its spectral radius ρ(W) = max_i |λ_i(W)| equals ``spectral_radius``. With
ρ < 1 (and a leak α, the effective matrix (1 − α)I + αW has radius ≤ (1 − α) + αρ < 1) the reservoir forgets where it
started: two runs fed the same input from different initial states converge, so r_t is a function of the recent
input only — Jaeger's *echo state property*. It is chapter 2's vanishing-gradient argument read forwards: the
Jacobian ∂r_t/∂r_{t-1} = diag(1 − r̃_t²)·Wᵀ (α = 1) shrinks perturbations of the state by about ρ per step, which in a
trained RNN makes gradients vanish and here makes the memory fade, on purpose.

Training the readout (ridge regression, a linear solve): collect the states after a washout of ``washout`` steps
(the first steps still echo the arbitrary initial state) as rows of X = [R, 1] (n, N + 1) with targets Y (n, K)::

    W_out = (XᵀX + λ I)⁻¹ XᵀY                        λ = ``ridge`` (the bias row is regularised too; λ is small)

Shapes: u (T, B, D) → states (T, B, N), predictions (T, B, K).

Example::

    >>> import numpy as np
    >>> from lstm_lib.esn import ESN
    >>> esn = ESN(1, 50, spectral_radius=0.9, seed=0)
    >>> round(esn.spectral_radius_of_W(), 6)
    0.9
    >>> u = np.sin(0.3 * np.arange(300.0)).reshape(300, 1, 1)        # predict sin one step ahead
    >>> esn.fit(u[:-1], u[1:], washout=50).readout_size
    51
    >>> bool(esn.nmse(u[:-1], u[1:], washout=50) < 1e-6)
    True
"""
import numpy as np

from .nn import _err, _float_array, _float_dtype, _positive_int

__all__ = ["ESN", "nmse"]


def _number(name, v, where, low, high, low_open=True, high_open=False):
    ok = isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))
    if not ok:
        raise _err(f"{where}: {name} must be a number, got {v!r} ({type(v).__name__})",
                   f"{where}：{name} 应为数，实际为 {v!r}（{type(v).__name__}）", TypeError)
    v = float(v)
    above = v > low if low_open else v >= low
    below = v < high if high_open else v <= high
    if not (np.isfinite(v) and above and below):
        rng = ("(" if low_open else "[") + f"{low}, {high}" + (")" if high_open else "]")
        raise _err(f"{where}: {name} must lie in {rng}, got {v}", f"{where}：{name} 应在 {rng} 内，实际为 {v}")
    return v


def nmse(pred, target):
    """Normalised mean squared error: mean((ŷ − y)²) / var(y); 1 is what predicting the mean scores."""
    where = "nmse"
    pred, target = _float_array("pred", pred, where), _float_array("target", target, where)
    if pred.shape != target.shape:
        raise _err(f"{where}: pred and target must have the same shape, got {pred.shape} and {target.shape}",
                   f"{where}：pred 与 target 的形状应相同，实际为 {pred.shape} 和 {target.shape}")
    var = float(np.var(target))
    if var == 0.0:
        raise _err(f"{where}: target must vary (its variance is the denominator), got a constant target",
                   f"{where}：target 应有变化（其方差是分母），实际为常数")
    return float(np.mean((pred - target) ** 2) / var)


class ESN:
    """Echo state network: ``ESN(input_size, reservoir_size, spectral_radius=0.9, leak=1.0, input_scale=1.0,
    ridge=1e-8, seed=0, dtype=np.float64)``; ``states(u)``, ``fit(u, y, washout)``, ``predict(u)``.

    ``W_in`` and ``b`` are U(−input_scale, input_scale); ``W`` is standard normal, rescaled to ``spectral_radius``.
    ``params`` holds the fixed weights and, after ``fit``, ``W_out``; only ``W_out`` is trained
    (``readout_size`` = (N + 1)·K numbers).
    """

    def __init__(self, input_size, reservoir_size, spectral_radius=0.9, leak=1.0, input_scale=1.0, ridge=1e-8,
                 seed=0, dtype=np.float64):
        where = "ESN"
        self.input_size = D = _positive_int("input_size", input_size, where)
        self.reservoir_size = N = _positive_int("reservoir_size", reservoir_size, where)
        # ρ ≥ 1 is allowed (an exercise shows what it breaks), up to 10 to catch a typo such as 90 for 0.9
        self.spectral_radius = _number("spectral_radius", spectral_radius, where, 0.0, 10.0)
        self.leak = _number("leak", leak, where, 0.0, 1.0)
        self.input_scale = _number("input_scale", input_scale, where, 0.0, 1e3)
        self.ridge = _number("ridge", ridge, where, 0.0, 1e6, low_open=False)
        if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise _err(f"{where}: seed must be a non-negative integer, got {seed!r}",
                       f"{where}：seed 应为非负整数，实际为 {seed!r}", TypeError)
        self.seed = int(seed)
        self.dtype = _float_dtype(dtype, where).type
        rng = np.random.default_rng(self.seed)
        W = rng.standard_normal((N, N))                                      # (N, N)
        W *= self.spectral_radius / np.abs(np.linalg.eigvals(W)).max()       # ρ(W) = spectral_radius
        self.params = {"W_in": rng.uniform(-self.input_scale, self.input_scale, (D, N)).astype(self.dtype),
                       "W": W.astype(self.dtype),
                       "b": rng.uniform(-self.input_scale, self.input_scale, N).astype(self.dtype)}

    def __repr__(self):
        return (f"ESN(input_size={self.input_size}, reservoir_size={self.reservoir_size}, "
                f"spectral_radius={self.spectral_radius}, leak={self.leak}, seed={self.seed})")

    @property
    def readout_size(self):
        """Number of trained weights, (N + 1)·K (0 before ``fit``)."""
        return int(self.params["W_out"].size) if "W_out" in self.params else 0

    def spectral_radius_of_W(self):
        """ρ(W) measured from the eigenvalues of the reservoir matrix (equals ``spectral_radius`` by construction)."""
        return float(np.abs(np.linalg.eigvals(self.params["W"])).max())

    def _inputs(self, u, where):
        u = _float_array("u", u, where, self.dtype)
        if u.ndim != 3 or u.shape[2] != self.input_size:
            raise _err(f"{where}: u must have shape (T, B, {self.input_size}), got {u.shape}",
                       f"{where}：u 的形状应为 (T, B, {self.input_size})，实际为 {u.shape}")
        return u

    def states(self, u, state=None):
        """Run the reservoir: u (T, B, D) → r (T, B, N), r[t] = r_t; ``state`` r_0 (B, N), None = zeros."""
        where = "ESN.states"
        u = self._inputs(u, where)
        T, B, _ = u.shape
        N, a = self.reservoir_size, self.leak
        if state is None:
            r = np.zeros((B, N), self.dtype)
        else:
            r = _float_array("state", state, where, self.dtype)
            if r.shape != (B, N):
                raise _err(f"{where}: state must have shape (B, N) = ({B}, {N}), got {r.shape}",
                           f"{where}：state 的形状应为 (B, N) = ({B}, {N})，实际为 {r.shape}")
        p = self.params
        drive = u @ p["W_in"] + p["b"]                                       # (T, B, N) all input terms at once
        R = np.empty((T, B, N), self.dtype)
        for t in range(T):
            r_tilde = np.tanh(drive[t] + r @ p["W"])                         # (B, N) r̃_t
            r = (1 - a) * r + a * r_tilde                                    # (B, N) r_t, leaky integration
            R[t] = r
        return R

    def _design(self, R):
        """X = [r_t, 1] for every step and sequence: (n, N + 1)."""
        X = R.reshape(-1, self.reservoir_size)
        return np.concatenate([X, np.ones((X.shape[0], 1), self.dtype)], axis=1)

    def _washout(self, washout, T, where):
        if isinstance(washout, (bool, np.bool_)) or not isinstance(washout, (int, np.integer)) or washout < 0:
            raise _err(f"{where}: washout must be a non-negative integer number of steps, got {washout!r}",
                       f"{where}：washout 应为非负整数（步数），实际为 {washout!r}", TypeError)
        if washout >= T:
            raise _err(f"{where}: washout must be shorter than the sequence (T = {T}), got {washout}",
                       f"{where}：washout 应短于序列长度（T = {T}），实际为 {washout}")
        return int(washout)

    def fit(self, u, y, washout=100, state=None):
        """Ridge regression of y (T, B, K) on the states after ``washout`` steps; sets ``params['W_out']``
        (N + 1, K). Returns the ESN."""
        where = "ESN.fit"
        u = self._inputs(u, where)
        y = _float_array("y", y, where, self.dtype)
        if y.ndim != 3 or y.shape[:2] != u.shape[:2]:
            raise _err(f"{where}: y must have shape (T, B, K) with the T, B of u = {u.shape[:2]}, got {y.shape}",
                       f"{where}：y 的形状应为 (T, B, K)，T、B 与 u 相同 = {u.shape[:2]}，实际为 {y.shape}")
        w = self._washout(washout, u.shape[0], where)
        X = self._design(self.states(u, state)[w:])                          # (n, N + 1)
        Y = y[w:].reshape(-1, y.shape[2])                                    # (n, K)
        A = X.T @ X + self.ridge * np.eye(X.shape[1], dtype=self.dtype)      # (N + 1, N + 1)
        self.params["W_out"] = np.linalg.solve(A, X.T @ Y)                   # (N + 1, K)
        return self

    def predict(self, u, state=None):
        """ŷ (T, B, K) = [r_t, 1]·W_out at every step (discard the first washout steps yourself)."""
        where = "ESN.predict"
        if "W_out" not in self.params:
            raise _err(f"{where}: call fit before predict (the readout W_out is not trained yet)",
                       f"{where}：须先调用 fit 再调用 predict（读出权重 W_out 尚未训练）", ValueError)
        u = self._inputs(u, where)
        T, B, _ = u.shape
        return (self._design(self.states(u, state)) @ self.params["W_out"]).reshape(T, B, -1)

    def nmse(self, u, y, washout=100, state=None):
        """Test NMSE of ``predict(u)`` against y, both after the washout."""
        u = self._inputs(u, "ESN.nmse")
        w = self._washout(washout, u.shape[0], "ESN.nmse")
        return nmse(self.predict(u, state)[w:], np.asarray(y)[w:])
