r"""The vanilla LSTM of Greff et al. (2015), "LSTM: A Search Space Odyssey", and its eight variants, one cell.

``GreffLSTM(input_size, hidden_size, variant="vanilla")``. Greff et al. call "vanilla" the LSTM with forget gate and
peepholes (Graves & Schmidhuber 2005); each variant changes exactly one thing in it. Equations of the vanilla cell
(text notation; ``W_f·[h_{t-1}, x_t]`` is the code's ``concat(h, x) @ W[:, f-block]``; Greff et al. write z for the
block input C̃, y for the output h, g and h for the two activation functions, both tanh)::

    f_t  = σ(W_f·[h_{t-1}, x_t] + p_f ⊙ C_{t-1} + b_f)     forget gate
    i_t  = σ(W_i·[h_{t-1}, x_t] + p_i ⊙ C_{t-1} + b_i)     input gate
    C̃_t  = g(W_C·[h_{t-1}, x_t] + b_C)                     candidate values (block input), g = tanh
    C_t  = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t                       cell state
    o_t  = σ(W_o·[h_{t-1}, x_t] + p_o ⊙ C_t + b_o)         output gate (peeps at the new C_t)
    h_t  = o_t ⊙ act(C_t)                                  output activation act = tanh

The variants (Greff et al. 2015, Section III):

    NIG   no input gate            i_t = 1
    NFG   no forget gate           f_t = 1            (the cell state can only accumulate: C_t = C_{t-1} + i ⊙ C̃)
    NOG   no output gate           o_t = 1            (h_t = act(C_t))
    NIAF  no input activation      g(a) = a           (C̃_t = W_C·[h_{t-1}, x_t] + b_C, unbounded)
    NOAF  no output activation     act(C) = C         (h_t = o_t ⊙ C_t, unbounded)
    CIFG  coupled input and forget gate   f_t = 1 − i_t   (the *input* gate keeps its weights and peephole)
    NP    no peepholes             p_f = p_i = p_o = 0, and no such parameters  (= ``lstm_lib.LSTM``)
    FGR   full gate recurrence     the gates also read all three gates of the previous step:
          f_t = σ(... + [f_{t-1}, i_{t-1}, o_{t-1}]·R_f),  i_t = σ(... + [·]·R_i),  o_t = σ(... + [·]·R_o)
          (nine more H×H matrices, stored as one R of shape (3H, 3H), rows f | i | o of the previous step,
          columns f | i | o of this step; the state carries (h, c, f, i, o))

Relations to the other cells: ``variant="vanilla"`` with the same seed computes what ``PeepholeLSTM`` computes (same
W, peepholes start at zero); ``"NP"`` is ``LSTM``. ``"CIFG"`` is ``CoupledLSTM`` seen from the other side: there
f = σ(a_f) keeps the weights and i = 1 − f; here i = σ(a_i) keeps them and f = 1 − i, with a peephole on i. Since
1 − σ(a) = σ(−a), a CIFG with p_i = 0 and (W_i, b_i) = −(W_f, b_f) of a CoupledLSTM equals it (tests check all three).

Why one class: the nine cells share every line but one, and the equations of all of them fit in this docstring; eight
near-identical modules would hide the single change that each variant makes. The code below marks that change with
the variant's name.

Shapes: x (T, B, D) → y (T, B, H); state (h, c), each (B, H) — (h, c, f, i, o) for FGR.
Parameters: ``W`` (H + D, nH) (h rows first), ``b`` (nH,), gate blocks in the order f | i | c_tilde | o with the
gate the variant removes left out (NIG: f | c_tilde | o; NFG and CIFG: i | c_tilde | o; NOG: f | i | c_tilde);
peepholes ``p_f``, ``p_i``, ``p_o`` (H,) for the gates that exist (none for NP), initialised to zero; ``R`` (3H, 3H)
for FGR, drawn like W. ``forget_bias`` (default 1.0) is added to b_f; for CIFG it is subtracted from b_i, so that
f = 1 − i starts at σ(forget_bias) as in the other variants. ``cell.activations`` always has 'f', 'i', 'c_tilde', 'o'
(a removed gate shows as its constant, CIFG's f as 1 − i), 'c' and 'h'.

Example::

    >>> import numpy as np, lstm_lib
    >>> cell = lstm_lib.GreffLSTM(3, 5, variant="NFG", seed=0)
    >>> cell.gate_names, sorted(cell.params)
    (('i', 'c_tilde', 'o'), ['W', 'b', 'p_i', 'p_o'])
    >>> y, (h, c) = cell.forward(np.ones((7, 2, 3)))
    >>> float(cell.activations["f"].min())               # NFG: the forget gate is the constant 1
    1.0
"""
import numpy as np

from .. import _validate as V
from ._cell import Cell
from ._ops import sigmoid

VARIANTS = ("vanilla", "NIG", "NFG", "NOG", "NIAF", "NOAF", "CIFG", "NP", "FGR")
_GATES = {"NIG": ("f", "c_tilde", "o"), "NFG": ("i", "c_tilde", "o"), "CIFG": ("i", "c_tilde", "o"),
          "NOG": ("f", "i", "c_tilde")}


class GreffLSTM(Cell):
    __doc__ = __doc__

    def __init__(self, input_size, hidden_size, variant="vanilla", seed=0, dtype=np.float64, forget_bias=1.0):
        if not isinstance(variant, str) or variant not in VARIANTS:
            raise ValueError(V._msg(f"expected variant to be one of {list(VARIANTS)}, got {variant!r}",
                                    f"期望 variant 为 {list(VARIANTS)} 之一，实际为 {variant!r}"))
        self.variant = variant
        self.gate_names = _GATES.get(variant, ("f", "i", "c_tilde", "o"))
        self.state_names = ("h", "c", "f", "i", "o") if variant == "FGR" else ("h", "c")
        self._cache_widths = {"act_c": 1}                     # act(C_t): tanh(C_t), or C_t itself for NOAF
        self._peep = variant != "NP"
        super().__init__(input_size, hidden_size, seed=seed, dtype=dtype)
        self.forget_bias = float(forget_bias)
        if "f" in self.gate_names:
            self.params["b"][self.gate_slice("f")] += self.forget_bias
        elif variant == "CIFG":
            self.params["b"][self.gate_slice("i")] -= self.forget_bias   # f = 1 − σ(b_i) = σ(forget_bias)

    def _init_extra(self, rng):
        H = self.hidden_size
        if self._peep:
            for g in ("f", "i", "o"):
                if g in self.gate_names:
                    self.params["p_" + g] = np.zeros(H, self.dtype)      # (H,) diagonal peepholes
        if self.variant == "FGR":
            k = 1.0 / np.sqrt(H)
            self.params["R"] = rng.uniform(-k, k, (3 * H, 3 * H)).astype(self.dtype)   # (3H, 3H) gate → gate

    def __repr__(self):
        return super().__repr__()[:-1] + f", variant={self.variant!r})"

    def _blocks(self, a):
        """Per-gate views of a (B, nH) row; a removed gate is absent."""
        H = self.hidden_size
        return {g: a[:, n * H:(n + 1) * H] for n, g in enumerate(self.gate_names)}

    def _step(self, k):
        p, v = self.params, self.variant
        a, c_prev = k["a"], k["c_prev"]                       # (B, nH) enters as x_t @ W_x + b
        a += k["h_prev"] @ self.W_h                           # + h_{t-1} @ W_h
        g = self._blocks(a)
        if v == "FGR":                                        # FGR: + [f, i, o]_{t-1} @ R
            r = np.concatenate([k["f_prev"], k["i_prev"], k["o_prev"]], axis=1) @ p["R"]   # (B, 3H)
            H = self.hidden_size
            g["f"] += r[:, :H]
            g["i"] += r[:, H:2 * H]
            g["o"] += r[:, 2 * H:]
        for n in ("f", "i"):
            if n in g:
                if self._peep:
                    g[n] += p["p_" + n] * c_prev              # + p ⊙ C_{t-1}
                sigmoid(g[n], out=g[n])
        if v != "NIAF":                                       # NIAF: C̃_t is the pre-activation itself
            np.tanh(g["c_tilde"], out=g["c_tilde"])
        f, i = self._f_i(g)
        c = np.multiply(f, c_prev, out=k["c"])                # C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t
        c += i * g["c_tilde"]
        act_c = k["act_c"]
        if v == "NOAF":                                       # NOAF: no squashing of C_t on the way out
            act_c[...] = c
        else:
            np.tanh(c, out=act_c)
        if "o" in g:
            if self._peep:
                g["o"] += p["p_o"] * c                        # + p_o ⊙ C_t
            sigmoid(g["o"], out=g["o"])
            np.multiply(g["o"], act_c, out=k["h"])            # h_t = o_t ⊙ act(C_t)
        else:
            k["h"][...] = act_c                               # NOG: h_t = act(C_t)
        if v == "FGR":                                        # this step's gates are part of the state
            k["f"][...], k["i"][...], k["o"][...] = g["f"], g["i"], g["o"]

    def _f_i(self, g):
        """f_t and i_t, with a removed gate as the constant 1 and CIFG's f as 1 − i."""
        v = self.variant
        i = 1.0 if v == "NIG" else g["i"]
        f = 1.0 if v == "NFG" else (1.0 - g["i"]) if v == "CIFG" else g["f"]
        return f, i

    def _step_back(self, dh, dc, *rest):
        dgates, (k, j, dk) = rest[:-3], rest[-3:]             # FGR carries dL/d(f, i, o)_t from step t + 1
        p, v = self.params, self.variant
        g = self._blocks(k["a"])                              # gate values of this step
        dg = self._blocks(dk["a"])                            # their pre-activation gradients, written below
        carry = dict(zip(("f", "i", "o"), dgates))
        act_c = k["act_c"]
        if "o" in g:
            o = g["o"]
            do = dh * act_c                                   # backprop into o_t
            if "o" in carry:
                do = do + carry["o"]
            np.multiply(do, o * (1 - o), out=dg["o"])         # through σ
            dact = dh * o
        else:
            dact = dh
        dc = dc + (dact if v == "NOAF" else dact * (1 - act_c * act_c))   # backprop into C_t via h_t
        if "o" in g and self._peep:
            dc += dg["o"] * p["p_o"]                          # ... and via the peephole into o_t
        f, i = self._f_i(g)
        c_tilde = g["c_tilde"]
        di = dc * c_tilde                                     # backprop into i_t
        df = dc * k["c_prev"]                                 # backprop into f_t
        if v == "CIFG":                                       # f = 1 − i: i's gradient gets −df
            ig = g["i"]
            np.multiply(di - df, ig * (1 - ig), out=dg["i"])
        else:
            for n, dn in (("f", df), ("i", di)):
                if n in g:
                    if n in carry:
                        dn = dn + carry[n]
                    np.multiply(dn, g[n] * (1 - g[n]), out=dg[n])
        dc_tilde = dc * i                                     # backprop into C̃_t
        if v == "NIAF":
            dg["c_tilde"][...] = dc_tilde
        else:
            np.multiply(dc_tilde, 1 - c_tilde * c_tilde, out=dg["c_tilde"])
        dc_prev = dc * f                                      # backprop into C_{t-1}: through the state ...
        if self._peep:
            for n in ("f", "i"):
                if n in g:
                    dc_prev += dg[n] * p["p_" + n]            # ... and through the peepholes
        dh_prev = dk["a"] @ self._W_hT                        # (B, H) backprop into h_{t-1}
        if v != "FGR":
            return dh_prev, dc_prev
        H = self.hidden_size
        dprev = np.concatenate([dg["f"], dg["i"], dg["o"]], axis=1) @ p["R"].T   # backprop into [f, i, o]_{t-1}
        return dh_prev, dc_prev, dprev[:, :H], dprev[:, H:2 * H], dprev[:, 2 * H:]

    def _param_grads(self, x, K, dK):
        H = self.hidden_size
        grads = super()._param_grads(x, K, dK)                # W, b
        da = dK["a"]                                          # (T, B, nH)
        col = {n: slice(m * H, (m + 1) * H) for m, n in enumerate(self.gate_names)}
        for n in ("f", "i", "o"):
            if "p_" + n in self.params:                       # backprop into the peepholes
                seen = K["c"] if n == "o" else K["c_prev"]
                grads["p_" + n] = np.einsum("tbh,tbh->h", da[..., col[n]], seen)
        if self.variant == "FGR":                             # backprop into R
            prev = np.concatenate([K["f_prev"], K["i_prev"], K["o_prev"]], axis=-1)          # (T, B, 3H)
            dfio = np.concatenate([da[..., col["f"]], da[..., col["i"]], da[..., col["o"]]], axis=-1)
            grads["R"] = prev.reshape(-1, 3 * H).T @ dfio.reshape(-1, 3 * H)
        return grads

    def _constants(self, acts):
        """Add the removed gate (as its constant) and CIFG's f = 1 − i, for plots and the step cache."""
        ref = acts["c_tilde"]
        if self.variant == "NIG":
            acts["i"] = np.ones_like(ref)
        elif self.variant == "NFG":
            acts["f"] = np.ones_like(ref)
        elif self.variant == "NOG":
            acts["o"] = np.ones_like(ref)
        elif self.variant == "CIFG":
            acts["f"] = 1 - acts["i"]

    def _activations(self, K):
        acts = self._gates(K["a"])
        self._constants(acts)
        acts.update({n: K[n] for n in ("h", "c")})
        return acts

    def _finish_step_cache(self, k):
        self._constants(k)
