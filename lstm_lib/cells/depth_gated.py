r"""The depth-gated LSTM of Yao, Cohn, Vylomova, Duh & Dyer (2015): a stack of LSTM layers in which a *depth gate*
lets the cell state of the layer below flow straight into the cell state of the layer above.

Layer l reads x^l_t = h^{l-1}_t (layer 1 reads x_t). Each layer has the gates of ``lstm_lib.LSTM`` (text notation;
``W_f·[h_{t-1}, x_t]`` is the code's ``concat(h, x) @ W[:, f-block]``; superscripts are layers)::

    f^l_t  = σ(W^l_f·[h^l_{t-1}, x^l_t] + b^l_f)           (and i^l_t, C̃^l_t = tanh(…), o^l_t likewise)
    d^l_t  = σ(W^l_d·x^l_t + w^l_cd ⊙ C^l_{t-1} + w^l_ld ⊙ C^{l-1}_t + b^l_d)      depth gate, layers l ≥ 2
    C^l_t  = d^l_t ⊙ C^{l-1}_t + f^l_t ⊙ C^l_{t-1} + i^l_t ⊙ C̃^l_t                 (layer 1: no d term)
    h^l_t  = o^l_t ⊙ tanh(C^l_t)

The depth gate reads the layer's input, its own previous cell state and the cell state just computed below
(w_cd, w_ld are diagonal, (H,)), as in Yao et al.'s eq. for d. The output y is the top layer's h. So a gradient has two
linear paths: along time through f (as in any LSTM) and down the stack through d — ∂C^l_t/∂C^{l-1}_t contains d^l_t,
with no matrix and no squashing in between, which is the point of the gate.

What differs from the paper: Yao et al.'s input, forget and output gates also have peephole terms (W_ci c_{t-1} …);
here they are the peephole-free gates of ``lstm_lib.LSTM``, so that with one layer this cell *is* ``LSTM`` (the tests
check it) and the only new thing is d. All layers have the same hidden size H (C^{l-1} and C^l are added).

This is a self-contained module (its own loop forward and back, layer by layer: the whole sequence through layer 1,
then layer 2, …; backward from the top layer down). It does not use a generic stack of cells.

Shapes: x (T, B, D) → y (T, B, H); state (h, c), each (L, B, H) — layer first, as PyTorch's multi-layer nn.LSTM.
Parameters (layers numbered from 1): ``W1`` (H + D, 4H), ``b1`` (4H,); for l ≥ 2 ``W{l}`` (2H, 4H) (rows: h^l_{t-1},
then x^l_t = h^{l-1}_t), ``b{l}`` (4H,), ``W_d{l}`` (H, H), ``b_d{l}``, ``w_cd{l}``, ``w_ld{l}`` (H,). Gate blocks
f | i | c_tilde | o. Initialisation: every W ~ U(−1/√H, 1/√H) (one generator, layer by layer), ``b_f`` = forget_bias,
depth-gate biases and diagonal weights zero (d starts at σ(W_d·x), about ½).
``cell.activations``: 'f', 'i', 'c_tilde', 'o', 'c', 'h' of shape (L, T, B, H), 'd' of shape (L − 1, T, B, H).

Example::

    >>> import numpy as np, lstm_lib
    >>> cell = lstm_lib.DepthGatedLSTM(3, 5, num_layers=2, seed=0)
    >>> y, (h, c) = cell.forward(np.ones((7, 2, 3)))
    >>> y.shape, h.shape, cell.activations["d"].shape
    ((7, 2, 5), (2, 2, 5), (1, 7, 2, 5))
"""
import numbers

import numpy as np

from .. import _validate as V
from ._ops import sigmoid


class DepthGatedLSTM:
    __doc__ = __doc__
    state_names = ("h", "c")
    gate_names = ("f", "i", "c_tilde", "o")

    def __init__(self, input_size, hidden_size, num_layers=2, seed=0, dtype=np.float64, forget_bias=1.0):
        self.input_size = D = V.size("input_size", input_size)
        self.hidden_size = H = V.size("hidden_size", hidden_size)
        self.num_layers = L = V.size("num_layers", num_layers)
        self.dtype = V.dtype(dtype)
        V.seed(seed)
        if isinstance(forget_bias, bool) or not isinstance(forget_bias, numbers.Real) or not np.isfinite(forget_bias):
            raise TypeError(V._msg(f"expected forget_bias to be a finite number, got {forget_bias!r}",
                                   f"期望 forget_bias 为有限实数，实际为 {forget_bias!r}"))
        self.seed, self.forget_bias = int(seed), float(forget_bias)
        rng = np.random.default_rng(self.seed)
        s = 1.0 / np.sqrt(H)
        self.params = {}
        for l in range(1, L + 1):
            D_l = D if l == 1 else H
            self.params[f"W{l}"] = rng.uniform(-s, s, (H + D_l, 4 * H)).astype(self.dtype)   # (H + D_l, 4H)
            b = np.zeros(4 * H, self.dtype)
            b[:H] = self.forget_bias
            self.params[f"b{l}"] = b
            if l > 1:
                self.params[f"W_d{l}"] = rng.uniform(-s, s, (H, H)).astype(self.dtype)       # (H, H) reads x^l
                for n in ("b_d", "w_cd", "w_ld"):
                    self.params[f"{n}{l}"] = np.zeros(H, self.dtype)                           # (H,)
        self.grads = {n: np.zeros_like(p) for n, p in self.params.items()}
        self.activations = {}
        self.dstate0 = None
        self._saved = None

    def zero_grad(self):
        for g in self.grads.values():
            g.fill(0)

    def __repr__(self):
        return (f"DepthGatedLSTM(input_size={self.input_size}, hidden_size={self.hidden_size}, "
                f"num_layers={self.num_layers}, seed={self.seed}, dtype=np.{np.dtype(self.dtype).name})")

    def _check_state(self, name, state, batch):
        """(h, c), each (L, B, H); None = zeros. Returns a tuple of two arrays."""
        L, H = self.num_layers, self.hidden_size
        if state is None:
            return tuple(np.zeros((L, batch, H), self.dtype) for _ in range(2))
        if not isinstance(state, (tuple, list)) or len(state) != 2:
            got = (f"an array of shape {np.shape(state)}" if isinstance(state, np.ndarray)
                   else type(state).__name__)
            raise TypeError(V._msg(f"expected {name} to be a tuple (h, c) of arrays of shape ({L}, B, {H}), got {got}",
                                   f"期望 {name} 为由形状 ({L}, B, {H}) 的数组组成的元组 (h, c)，实际为 {got}"))
        return tuple(V.array(f"{name}[{k}] ({n})", v, (L, batch, H), self.dtype, (L, batch, H))
                     for k, (n, v) in enumerate(zip(self.state_names, state)))

    # ---- the loops ---------------------------------------------------------------------------------------------
    def _run(self, x, h0, c0):
        T, B, _ = x.shape
        H, p = self.hidden_size, self.params
        layers, xin, c_below = [], x, None
        for l in range(1, self.num_layers + 1):
            W, Dl = p[f"W{l}"], xin.shape[-1]
            W_h, W_x = W[:H], W[H:]
            a = (xin.reshape(T * B, Dl) @ W_x).reshape(T, B, 4 * H) + p[f"b{l}"]     # (T, B, 4H)
            h = np.empty((T + 1, B, H), self.dtype)
            c = np.empty((T + 1, B, H), self.dtype)
            h[0], c[0] = h0[l - 1], c0[l - 1]
            tanh_c = np.empty((T, B, H), self.dtype)
            d = None
            if l > 1:
                d = (xin.reshape(T * B, H) @ p[f"W_d{l}"]).reshape(T, B, H) + p[f"b_d{l}"]   # (T, B, H) W_d·x^l + b_d
            for t in range(T):
                at = a[t]
                at += h[t] @ W_h
                sigmoid(at[:, :2 * H], out=at[:, :2 * H])                 # f, i
                np.tanh(at[:, 2 * H:3 * H], out=at[:, 2 * H:3 * H])       # C̃
                sigmoid(at[:, 3 * H:], out=at[:, 3 * H:])                 # o
                f, i, c_tilde = at[:, :H], at[:, H:2 * H], at[:, 2 * H:3 * H]
                c[t + 1] = f * c[t] + i * c_tilde
                if l > 1:                                                 # the depth gate
                    dt = d[t]
                    dt += p[f"w_cd{l}"] * c[t] + p[f"w_ld{l}"] * c_below[t + 1]
                    sigmoid(dt, out=dt)
                    c[t + 1] += dt * c_below[t + 1]                       # + d ⊙ C^{l-1}_t
                np.tanh(c[t + 1], out=tanh_c[t])
                h[t + 1] = at[:, 3 * H:] * tanh_c[t]                      # h = o ⊙ tanh(C)
            layers.append({"x": xin, "a": a, "d": d, "h": h, "c": c, "tanh_c": tanh_c})
            xin, c_below = h[1:], c
        return layers

    def _back(self, layers, dy, dh_T, dc_T):
        H, p, L = self.hidden_size, self.params, self.num_layers
        grads = {}
        dh_in, dc_in = dy, None                                           # gradients arriving from above
        dh0, dc0 = np.empty_like(dh_T), np.empty_like(dc_T)
        for l in range(L, 0, -1):
            k = layers[l - 1]
            xin, a, d, h, c, tanh_c = k["x"], k["a"], k["d"], k["h"], k["c"], k["tanh_c"]
            T, B, Dl = xin.shape
            W = p[f"W{l}"]
            W_hT = np.ascontiguousarray(W[:H].T)
            da = np.empty_like(a)                                         # (T, B, 4H)
            dd = np.empty((T, B, H), self.dtype) if l > 1 else None       # gradient wrt d's pre-activation
            dc_below = np.empty((T, B, H), self.dtype) if l > 1 else None   # backprop into C^{l-1}_t
            c_low = layers[l - 2]["c"] if l > 1 else None                 # C^{l-1}, (T + 1, B, H)
            dh, dc = dh_T[l - 1], dc_T[l - 1]
            for t in range(T - 1, -1, -1):
                at = a[t]
                f, i, c_tilde, o = at[:, :H], at[:, H:2 * H], at[:, 2 * H:3 * H], at[:, 3 * H:]
                dh = dh + dh_in[t]
                dc = dc + dh * o * (1 - tanh_c[t] ** 2)                   # backprop into C^l_t
                if dc_in is not None:
                    dc = dc + dc_in[t]                                    # ... and from the depth gate above
                dat = da[t]
                np.multiply(dh * tanh_c[t], o * (1 - o), out=dat[:, 3 * H:])
                np.multiply(dc * c[t], f * (1 - f), out=dat[:, :H])
                np.multiply(dc * c_tilde, i * (1 - i), out=dat[:, H:2 * H])
                np.multiply(dc * i, 1 - c_tilde ** 2, out=dat[:, 2 * H:3 * H])
                dc_prev = dc * f
                if l > 1:
                    dt = d[t]
                    np.multiply(dc * c_low[t + 1], dt * (1 - dt), out=dd[t])   # backprop into d's pre-activation
                    dc_below[t] = dc * dt + dd[t] * p[f"w_ld{l}"]         # through d ⊙ C^{l-1} and w_ld
                    dc_prev += dd[t] * p[f"w_cd{l}"]                      # through the peephole w_cd on C^l_{t-1}
                dh = dat @ W_hT                                           # backprop into h^l_{t-1}
                dc = dc_prev
            dh0[l - 1], dc0[l - 1] = dh, dc
            daf = da.reshape(T * B, 4 * H)
            dW = np.empty_like(W)
            dW[:H] = h[:-1].reshape(T * B, H).T @ daf
            dW[H:] = xin.reshape(T * B, Dl).T @ daf
            grads[f"W{l}"], grads[f"b{l}"] = dW, daf.sum(axis=0)
            dxin = daf @ W[H:].T                                          # (T*B, D_l) backprop into x^l
            if l > 1:
                ddf = dd.reshape(T * B, H)
                grads[f"W_d{l}"] = xin.reshape(T * B, H).T @ ddf
                grads[f"b_d{l}"] = ddf.sum(axis=0)
                grads[f"w_cd{l}"] = np.einsum("tbh,tbh->h", dd, c[:-1])
                grads[f"w_ld{l}"] = np.einsum("tbh,tbh->h", dd, c_low[1:])
                dxin += ddf @ p[f"W_d{l}"].T
            dh_in, dc_in = dxin.reshape(T, B, Dl), dc_below
        return dh_in, grads, (dh0, dc0)

    # ---- the cells' API ----------------------------------------------------------------------------------------
    def forward(self, x, state=None):
        """``y, (h, c) = cell.forward(x, state=None)``: x (T, B, D) → y (T, B, H), the top layer; h, c (L, B, H)."""
        x = V.sequence(x, self.input_size, self.dtype)
        h0, c0 = self._check_state("state", state, x.shape[1])
        layers = self._run(x, h0, c0)
        self._saved = layers
        H = self.hidden_size
        acts = {n: np.stack([k["a"][..., m * H:(m + 1) * H] for k in layers]) for m, n in enumerate(self.gate_names)}
        acts["c"] = np.stack([k["c"][1:] for k in layers])
        acts["h"] = np.stack([k["h"][1:] for k in layers])
        acts["d"] = np.stack([k["d"] for k in layers[1:]]) if self.num_layers > 1 else \
            np.zeros((0,) + x.shape[:2] + (H,), self.dtype)
        for v in acts.values():
            v.flags.writeable = False
        self.activations = acts
        return layers[-1]["h"][1:].copy(), (np.stack([k["h"][-1] for k in layers]),
                                             np.stack([k["c"][-1] for k in layers]))

    def backward(self, dy, dstate=None):
        """``dx = cell.backward(dy, dstate=None)``; dy (T, B, H) wrt the top layer's h; dstate (dh, dc), each
        (L, B, H). Fills ``grads`` (overwriting) and ``dstate0``; once per forward."""
        if self._saved is None:
            raise V.no_forward()
        T, B, _ = self._saved[0]["x"].shape
        H = self.hidden_size
        dy = np.zeros((T, B, H), self.dtype) if dy is None else V.array("dy", dy, (T, B, H), self.dtype)
        dh_T, dc_T = self._check_state("dstate", dstate, B)
        layers, self._saved = self._saved, None
        dx, grads, self.dstate0 = self._back(layers, dy, dh_T, dc_T)
        for n, g in grads.items():
            self.grads[n][...] = g
        return dx

    def step(self, x_t, state=None):
        """One step through every layer: ``(h, c), cache = cell.step(x_t, state)``; x_t (B, D); h, c (L, B, H)."""
        x_t = V.step_input(x_t, self.input_size, self.dtype)
        h0, c0 = self._check_state("state", state, x_t.shape[0])
        layers = self._run(x_t[None], h0, c0)
        H = self.hidden_size
        cache = {"x": x_t, "h_prev": h0, "c_prev": c0, "_layers": layers,
                 "h": np.stack([k["h"][1] for k in layers]), "c": np.stack([k["c"][1] for k in layers])}
        for m, n in enumerate(self.gate_names):
            cache[n] = np.stack([k["a"][0, :, m * H:(m + 1) * H] for k in layers])
        if self.num_layers > 1:
            cache["d"] = np.stack([k["d"][0] for k in layers[1:]])
        return (cache["h"].copy(), cache["c"].copy()), cache

    def step_backward(self, dstate_new, cache):
        """``dx_t, (dh_prev, dc_prev) = cell.step_backward((dh, dc), cache)``; *adds* to ``grads``. The gradient of
        the step's output joins the top layer's part of dh (``dh[-1]``)."""
        if not isinstance(cache, dict) or "_layers" not in cache:
            raise TypeError(V._msg("expected the cache dict returned by DepthGatedLSTM.step, got "
                                   f"{type(cache).__name__}",
                                   f"期望 DepthGatedLSTM.step 返回的 cache 字典，实际为 {type(cache).__name__}"))
        B = cache["x"].shape[0]
        dh, dc = self._check_state("dstate_new", dstate_new, B)
        dy = np.zeros((1, B, self.hidden_size), self.dtype)
        dx, grads, dprev = self._back(cache["_layers"], dy, dh, dc)
        for n, g in grads.items():
            self.grads[n] += g
        return dx[0], dprev
