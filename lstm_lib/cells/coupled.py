r"""LSTM with coupled input and forget gates: what is forgotten is exactly what makes room for the new.

Equations, one time step (text notation; ``W_f·[h_{t-1}, x_t]`` is the code's ``concat(h, x) @ W[:, f-block]``)::

    f_t  = σ(W_f·[h_{t-1}, x_t] + b_f)           forget gate
    i_t  = 1 − f_t                               input gate, coupled: no weights of its own
    C̃_t  = tanh(W_C·[h_{t-1}, x_t] + b_C)        candidate values
    C_t  = f_t ⊙ C_{t-1} + (1 − f_t) ⊙ C̃_t       cell state
    o_t  = σ(W_o·[h_{t-1}, x_t] + b_o)           output gate
    h_t  = o_t ⊙ tanh(C_t)

Shapes: x (T, B, D) → y (T, B, H); state (h, c), each (B, H).
Parameters: ``W`` (H + D, 3H) multiplies [h_{t-1}, x_t] (h rows first), ``b`` (3H,); three blocks f | c_tilde | o.
``forget_bias`` (default 1.0) as in ``LSTM``. ``cell.activations`` still has ``'i'`` (= 1 − f) for plots.
No PyTorch counterpart (``from_torch`` raises TypeError).
"""
import numpy as np

from ._cell import Cell
from ._ops import sigmoid


class CoupledLSTM(Cell):
    __doc__ = __doc__
    state_names = ("h", "c")
    gate_names = ("f", "c_tilde", "o")
    _cache_widths = {"tanh_c": 1}

    def __init__(self, input_size, hidden_size, seed=0, dtype=np.float64, forget_bias=1.0):
        super().__init__(input_size, hidden_size, seed=seed, dtype=dtype)
        self.forget_bias = float(forget_bias)
        self.params["b"][self.gate_slice("f")] += self.forget_bias

    def _step(self, k):
        H = self.hidden_size
        a, c_prev = k["a"], k["c_prev"]                       # (B, 3H) enters as x_t @ W_x + b
        a += k["h_prev"] @ self.W_h                           # (B, 3H) + h_{t-1} @ W_h
        sigmoid(a[:, :H], out=a[:, :H])                       # f_t
        np.tanh(a[:, H:2 * H], out=a[:, H:2 * H])             # C̃_t
        sigmoid(a[:, 2 * H:], out=a[:, 2 * H:])               # o_t
        f, c_tilde, o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:]
        # C_t = f ⊙ C_{t-1} + (1 − f) ⊙ C̃_t, written as C̃_t + f ⊙ (C_{t-1} − C̃_t)
        c = np.subtract(c_prev, c_tilde, out=k["c"])
        c *= f
        c += c_tilde
        np.tanh(c, out=k["tanh_c"])
        np.multiply(o, k["tanh_c"], out=k["h"])               # h_t = o_t ⊙ tanh(C_t)

    def _step_back(self, dh, dc, k, j, dk):
        H = self.hidden_size
        a = k["a"]
        f, c_tilde, o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:]
        tanh_c = k["tanh_c"]
        da = dk["a"]                                          # (B, 3H)
        do = dh * tanh_c                                      # backprop into o_t
        dc = dc + dh * o * (1 - tanh_c * tanh_c)              # backprop into C_t
        df = dc * (k["c_prev"] - c_tilde)                     # backprop into f_t, through both of its uses
        dc_tilde = dc * (1 - f)                               # backprop into C̃_t
        dc_prev = dc * f                                      # backprop into C_{t-1}
        np.multiply(df, f * (1 - f), out=da[:, :H])
        np.multiply(dc_tilde, 1 - c_tilde * c_tilde, out=da[:, H:2 * H])
        np.multiply(do, o * (1 - o), out=da[:, 2 * H:])
        dh_prev = da @ self._W_hT                             # (B, H) backprop into h_{t-1}
        return dh_prev, dc_prev

    def _activations(self, K):
        acts = super()._activations(K)
        acts["i"] = 1 - acts["f"]                             # the coupled input gate, for plots
        return acts

    def _finish_step_cache(self, k):
        k["i"] = 1 - k["f"]
