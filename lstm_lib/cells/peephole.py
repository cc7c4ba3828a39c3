r"""LSTM with peephole connections (Gers & Schmidhuber 2000): the gates also look at the cell state.

Equations, one time step (text notation; ``W_f·[h_{t-1}, x_t]`` is the code's ``concat(h, x) @ W[:, f-block]``)::

    f_t  = σ(W_f·[h_{t-1}, x_t] + p_f ⊙ C_{t-1} + b_f)     forget gate sees the old cell state
    i_t  = σ(W_i·[h_{t-1}, x_t] + p_i ⊙ C_{t-1} + b_i)     input gate sees the old cell state
    C̃_t  = tanh(W_C·[h_{t-1}, x_t] + b_C)                  candidate values
    C_t  = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t                       cell state
    o_t  = σ(W_o·[h_{t-1}, x_t] + p_o ⊙ C_t + b_o)         output gate sees the *new* cell state
    h_t  = o_t ⊙ tanh(C_t)

The peephole weights p_f, p_i, p_o (each (H,)) are diagonal: unit j of a gate sees only C[j], as in the paper and
in most libraries. (colah writes W_f·[C_{t-1}, h_{t-1}, x_t], which would allow a full matrix on C; Gers &
Schmidhuber connect each cell only to its own gates.)

Shapes: x (T, B, D) → y (T, B, H); state (h, c), each (B, H). Parameters: ``W`` (H + D, 4H), ``b`` (4H,) laid out as
in ``LSTM`` (h rows first; blocks f | i | c_tilde | o), plus ``p_f``, ``p_i``, ``p_o`` (H,), initialised to zero
(so a fresh PeepholeLSTM computes what an LSTM with the same seed computes). ``forget_bias`` as in ``LSTM``.
No PyTorch counterpart (``from_torch`` raises TypeError).
"""
import numpy as np

from ._cell import Cell
from ._ops import sigmoid


class PeepholeLSTM(Cell):
    __doc__ = __doc__
    state_names = ("h", "c")
    gate_names = ("f", "i", "c_tilde", "o")
    _cache_widths = {"tanh_c": 1}

    def __init__(self, input_size, hidden_size, seed=0, dtype=np.float64, forget_bias=1.0):
        super().__init__(input_size, hidden_size, seed=seed, dtype=dtype)
        self.forget_bias = float(forget_bias)
        self.params["b"][self.gate_slice("f")] += self.forget_bias

    def _init_extra(self, rng):
        H = self.hidden_size
        for n in ("p_f", "p_i", "p_o"):
            self.params[n] = np.zeros(H, self.dtype)          # (H,) diagonal peephole weights

    def _step(self, k):
        H, p = self.hidden_size, self.params
        a, c_prev = k["a"], k["c_prev"]                       # (B, 4H) enters as x_t @ W_x + b
        a += k["h_prev"] @ self.W_h                           # (B, 4H) + h_{t-1} @ W_h
        a[:, :H] += p["p_f"] * c_prev                         # + p_f ⊙ C_{t-1}
        a[:, H:2 * H] += p["p_i"] * c_prev                    # + p_i ⊙ C_{t-1}
        sigmoid(a[:, :2 * H], out=a[:, :2 * H])               # f_t, i_t
        np.tanh(a[:, 2 * H:3 * H], out=a[:, 2 * H:3 * H])     # C̃_t
        f, i, c_tilde, o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
        c = np.multiply(f, c_prev, out=k["c"])                # C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t
        c += i * c_tilde
        o += p["p_o"] * c                                     # + p_o ⊙ C_t (after C_t exists)
        sigmoid(o, out=o)                                     # o_t
        np.tanh(c, out=k["tanh_c"])
        np.multiply(o, k["tanh_c"], out=k["h"])               # h_t = o_t ⊙ tanh(C_t)

    def _step_back(self, dh, dc, k, j, dk):
        H, p = self.hidden_size, self.params
        a = k["a"]
        f, i, c_tilde, o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
        tanh_c = k["tanh_c"]
        da = dk["a"]                                          # (B, 4H) gradient wrt the pre-activations
        do = dh * tanh_c                                      # backprop into o_t
        np.multiply(do, o * (1 - o), out=da[:, 3 * H:])       # through σ
        dc = dc + dh * o * (1 - tanh_c * tanh_c)              # backprop into C_t: carried, via h_t ...
        dc += da[:, 3 * H:] * p["p_o"]                        # ... and via the peephole into o_t
        df = dc * k["c_prev"]                                 # backprop into f_t
        di = dc * c_tilde                                     # backprop into i_t
        dc_tilde = dc * i                                     # backprop into C̃_t
        np.multiply(df, f * (1 - f), out=da[:, :H])
        np.multiply(di, i * (1 - i), out=da[:, H:2 * H])
        np.multiply(dc_tilde, 1 - c_tilde * c_tilde, out=da[:, 2 * H:3 * H])
        dc_prev = dc * f                                      # backprop into C_{t-1}: through the state ...
        dc_prev += da[:, :H] * p["p_f"] + da[:, H:2 * H] * p["p_i"]   # ... and through the two peepholes
        dh_prev = da @ self._W_hT                             # (B, H) backprop into h_{t-1}
        return dh_prev, dc_prev

    def _param_grads(self, x, K, dK):
        H = self.hidden_size
        g = super()._param_grads(x, K, dK)                    # W, b
        da = dK["a"]                                          # (T, B, 4H)
        g["p_f"] = np.einsum("tbh,tbh->h", da[..., :H], K["c_prev"])         # backprop into p_f
        g["p_i"] = np.einsum("tbh,tbh->h", da[..., H:2 * H], K["c_prev"])    # backprop into p_i
        g["p_o"] = np.einsum("tbh,tbh->h", da[..., 3 * H:], K["c"])          # backprop into p_o
        return g
