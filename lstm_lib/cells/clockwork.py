r"""The clockwork RNN of Koutník, Greff, Gomez & Schmidhuber (2014): an Elman RNN whose hidden units are split into
modules that run at different clock rates.

The hidden state is g modules of k = H / g units; module n has a period T_n, and the periods increase from the first
module to the last (the paper's ordering: fastest first). At clock tick t, module n is *active* if t mod T_n = 0; an
active module computes like an Elman RNN, an inactive one keeps its value (text notation, as ``RNN``)::

    a_t       = W·[h_{t-1}, x_t] + b                      (W_h masked, below)
    h_t[n]    = tanh(a_t[n])      if t mod T_n = 0        module n is active at tick t
    h_t[n]    = h_{t-1}[n]        otherwise               module n keeps its state

Connections between modules run only from slower modules to faster ones (and within a module): module n reads
h_{t-1}[m] only if T_m ≥ T_n. In the paper's column-vector form h_t = f(W_H·h_{t-1} + …), with modules in order of
increasing period, W_H is block-upper-triangular. The code multiplies row vectors (``h_prev @ W_h``, rows = the unit
read, columns = the unit written), so here the allowed blocks of ``cell.W_h`` are those with row module m ≥ column
module n: block-*lower*-triangular (``cell.mask``, (H, H) of 0/1). The same connections, transposed.

The clock. The first step of a sequence is tick ``t0`` (default 0), so at t0 = 0 every module is active on the first
step, then module n every T_n steps. ``forward(x, state, t0=…)`` continues a clock across chunks (the next chunk
starts at t0 + T). The slow modules are what the paper is about: with few updates, their gradient passes through few
tanh factors (an inactive step's Jacobian is the identity for that module).

Backward, one step (row vectors; m_t = the (H,) 0/1 mask of active units): with dh the gradient wrt h_t,
da = dh ⊙ (1 − h_t²) ⊙ m_t, and dh_{t-1} = dh ⊙ (1 − m_t) + da · (W_h ⊙ mask)ᵀ: an inactive unit passes its gradient
straight back. dW_h is masked too, so an optimiser never fills the forbidden blocks.

Shapes: x (T, B, D) → y (T, B, H); state h (B, H). Parameters: ``W`` (H + D, H) (h rows first; entries of W_h outside
the mask are zero and ignored), ``b`` (H,). ``cell.n_params`` counts only the trainable entries:
k²·g(g+1)/2 + D·H + H. Initialisation as ``RNN``: W ~ U(−1/√H, 1/√H), then masked.

Example::

    >>> import numpy as np, lstm_lib
    >>> cell = lstm_lib.ClockworkRNN(1, 6, periods=(1, 2, 4), seed=0)     # three modules of two units
    >>> cell.active(5).astype(int)                                         # ticks 0..4: which units update
    array([[1, 1, 1, 1, 1, 1],
           [1, 1, 0, 0, 0, 0],
           [1, 1, 1, 1, 0, 0],
           [1, 1, 0, 0, 0, 0],
           [1, 1, 1, 1, 1, 1]])
    >>> y, h = cell.forward(np.ones((5, 1, 1)))
    >>> bool(np.all(y[1, :, 2:] == y[0, :, 2:]))                            # slow units held at tick 1
    True
"""
import numbers

import numpy as np

from .. import _validate as V


def _periods(periods, hidden_size):
    if isinstance(periods, (str, bytes)) or not hasattr(periods, "__len__") or len(periods) == 0:
        raise TypeError(V._msg(f"expected periods to be a non-empty sequence of positive integers, got {periods!r}",
                               f"期望 periods 为由正整数组成的非空序列，实际为 {periods!r}"))
    out = []
    for p in periods:
        if isinstance(p, bool) or not isinstance(p, numbers.Integral) or p <= 0:
            raise ValueError(V._msg(f"expected every period to be a positive integer, got {p!r} in {list(periods)}",
                                    f"期望每个周期都是正整数，实际 {list(periods)} 中有 {p!r}"))
        out.append(int(p))
    if any(b <= a for a, b in zip(out, out[1:])):
        raise ValueError(V._msg(f"expected strictly increasing periods (fastest module first), got {out}",
                                f"期望周期严格递增（最快的模块在前），实际为 {out}"))
    if hidden_size % len(out):
        raise ValueError(V._msg(f"expected hidden_size divisible into {len(out)} modules of equal size, got "
                                f"hidden_size = {hidden_size}",
                                f"期望 hidden_size 能均分为 {len(out)} 个等大的模块，实际 hidden_size = {hidden_size}"))
    return tuple(out)


class ClockworkRNN:
    __doc__ = __doc__
    state_names = ("h",)

    def __init__(self, input_size, hidden_size, periods=(1, 2, 4, 8), seed=0, dtype=np.float64):
        self.input_size = D = V.size("input_size", input_size)
        self.hidden_size = H = V.size("hidden_size", hidden_size)
        self.dtype = V.dtype(dtype)
        self.seed = V.seed(seed)
        self.periods = _periods(periods, H)
        k = H // len(self.periods)
        self.unit_period = np.repeat(self.periods, k)                 # (H,) period of each hidden unit
        # row = unit read (h_{t-1}), column = unit written: allowed iff the reader's period ≥ the writer's
        self.mask = (self.unit_period[:, None] >= self.unit_period[None, :]).astype(self.dtype)   # (H, H)
        rng = np.random.default_rng(self.seed)
        s = 1.0 / np.sqrt(H)
        W = rng.uniform(-s, s, (H + D, H)).astype(self.dtype)         # (H + D, H), h rows first
        W[:H] *= self.mask
        self.params = {"W": W, "b": np.zeros(H, self.dtype)}
        self.grads = {n: np.zeros_like(p) for n, p in self.params.items()}
        self.activations = {}
        self.dstate0 = None
        self._saved = None

    @property
    def W_h(self):
        """The recurrent rows W[:H], shape (H, H) (entries outside ``mask`` are ignored)."""
        return self.params["W"][:self.hidden_size]

    @property
    def W_x(self):
        """The input rows W[H:], shape (D, H)."""
        return self.params["W"][self.hidden_size:]

    @property
    def n_params(self):
        """Number of trainable entries: the masked W_h, W_x and b."""
        return int(self.mask.sum()) + self.W_x.size + self.params["b"].size

    def active(self, T, t0=0):
        """(T, H) bool: unit j updates at tick t0 + t."""
        t = np.arange(t0, t0 + T)[:, None]
        return t % self.unit_period[None, :] == 0

    def zero_grad(self):
        for g in self.grads.values():
            g.fill(0)

    def __repr__(self):
        return (f"ClockworkRNN(input_size={self.input_size}, hidden_size={self.hidden_size}, "
                f"periods={self.periods}, seed={self.seed}, dtype=np.{np.dtype(self.dtype).name})")

    # the state is one array h, as for RNN
    def _pack(self, arrays):
        return arrays[0]

    def _check_state(self, name, state, batch):
        return V.state(name, state, self.state_names, batch, self.hidden_size, self.dtype)

    @staticmethod
    def _t0(t0):
        if isinstance(t0, bool) or not isinstance(t0, numbers.Integral) or t0 < 0:
            raise TypeError(V._msg(f"expected the clock tick t0 to be a non-negative integer, got {t0!r}",
                                   f"期望时钟刻度 t0 为非负整数，实际为 {t0!r}"))
        return int(t0)

    # ---- the loop, shared by forward/backward and step/step_backward ----------------------------------------
    def _run(self, x, h0, t0):
        T, B, D = x.shape
        H = self.hidden_size
        W_h = self.W_h * self.mask                                    # (H, H) only slow → fast and within modules
        m = self.active(T, t0).astype(self.dtype)                     # (T, H) 1 where the unit updates
        a = (x.reshape(T * B, D) @ self.W_x).reshape(T, B, H) + self.params["b"]   # (T, B, H) input projections
        h = np.empty((T + 1, B, H), self.dtype)
        h[0] = h0
        for t in range(T):
            a[t] += h[t] @ W_h
            np.tanh(a[t], out=a[t])                                   # what an active module would compute
            h[t + 1] = h[t] + m[t] * (a[t] - h[t])                    # active: tanh(a_t); inactive: h_{t-1}
        return h, {"x": x, "h": h, "m": m, "W_h": W_h}

    def _back(self, saved, dy, dh_T):
        x, h, m, W_h = saved["x"], saved["h"], saved["m"], saved["W_h"]
        T, B, D = x.shape
        H = self.hidden_size
        W_hT = np.ascontiguousarray(W_h.T)
        da = np.empty((T, B, H), self.dtype)
        dh = dh_T
        for t in range(T - 1, -1, -1):
            dh = dh + dy[t]                                           # gradient wrt h_t, total
            np.multiply(dh * m[t], 1 - h[t + 1] * h[t + 1], out=da[t])   # backprop through tanh, active units only
            dh = dh * (1 - m[t]) + da[t] @ W_hT                       # inactive units pass it straight back
        daf = da.reshape(T * B, H)
        dW = np.empty_like(self.params["W"])
        dW[:H] = (h[:-1].reshape(T * B, H).T @ daf) * self.mask       # backprop into W_h (allowed blocks only)
        dW[H:] = x.reshape(T * B, D).T @ daf                          # backprop into W_x
        dx = (daf @ self.W_x.T).reshape(T, B, D)
        return dx, {"W": dW, "b": daf.sum(axis=0)}, dh

    # ---- the cells' API ---------------------------------------------------------------------------------------
    def forward(self, x, state=None, t0=0):
        """``y, h = cell.forward(x, state=None, t0=0)``: x (T, B, D) → y (T, B, H); the first step is tick t0."""
        x = V.sequence(x, self.input_size, self.dtype)
        (h0,) = self._check_state("state", state, x.shape[1])
        h, saved = self._run(x, h0, self._t0(t0))
        self._saved = saved
        self.activations = {"h": h[1:], "active": np.broadcast_to(saved["m"][:, None, :].astype(bool), h[1:].shape)}
        for v in self.activations.values():
            if v.flags.writeable:
                v.flags.writeable = False
        return h[1:].copy(), h[-1].copy()

    def backward(self, dy, dstate=None):
        """``dx = cell.backward(dy, dstate=None)``: fills ``grads`` (overwriting) and ``dstate0``; once per forward."""
        if self._saved is None:
            raise V.no_forward()
        T, B, _ = self._saved["x"].shape
        H = self.hidden_size
        dy = np.zeros((T, B, H), self.dtype) if dy is None else V.array("dy", dy, (T, B, H), self.dtype)
        (dh_T,) = self._check_state("dstate", dstate, B)
        saved, self._saved = self._saved, None
        dx, grads, self.dstate0 = self._back(saved, dy, dh_T)
        for n, g in grads.items():
            self.grads[n][...] = g
        return dx

    def step(self, x_t, state=None, t=0):
        """One step at clock tick t: ``h, cache = cell.step(x_t, state, t)``; cache has 'x', 'h_prev', 'h', 'active'."""
        x_t = V.step_input(x_t, self.input_size, self.dtype)
        (h0,) = self._check_state("state", state, x_t.shape[0])
        h, saved = self._run(x_t[None], h0, self._t0(t))
        cache = {"x": x_t, "h_prev": h[0], "h": h[1], "active": saved["m"][0].astype(bool), "_saved": saved}
        return h[1].copy(), cache

    def step_backward(self, dstate_new, cache):
        """``dx_t, dh_prev = cell.step_backward(dh_t, cache)``; *adds* this step's gradients to ``grads``."""
        if not isinstance(cache, dict) or "_saved" not in cache:
            raise TypeError(V._msg("expected the cache dict returned by ClockworkRNN.step, got "
                                   f"{type(cache).__name__}",
                                   f"期望 ClockworkRNN.step 返回的 cache 字典，实际为 {type(cache).__name__}"))
        saved = cache["_saved"]
        (dh,) = self._check_state("dstate_new", dstate_new, saved["x"].shape[1])
        dx, grads, dh_prev = self._back(saved, np.zeros_like(saved["h"][1:]), dh)
        for n, g in grads.items():
            self.grads[n] += g
        return dx[0], dh_prev
