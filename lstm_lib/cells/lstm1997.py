r"""The LSTM of 1997 (Hochreiter & Schmidhuber): a constant error carousel guarded by an input and an output gate,
with no forget gate (f_t ≡ 1).

Equations, one time step (text notation; ``W_i·[h_{t-1}, x_t]`` is the code's ``concat(h, x) @ W[:, i-block]``)::

    i_t  = σ(W_i·[h_{t-1}, x_t] + b_i)           input gate
    C̃_t  = tanh(W_C·[h_{t-1}, x_t] + b_C)        candidate values
    C_t  = C_{t-1} + i_t ⊙ C̃_t                   cell state: the carousel, self-connection of weight 1
    o_t  = σ(W_o·[h_{t-1}, x_t] + b_o)           output gate
    h_t  = o_t ⊙ tanh(C_t)                        hidden state

This is ``LSTM`` with f_t fixed at 1, so ∂C_t/∂C_{t-1} = I exactly: an error that reaches C_t flows back to every
earlier C unchanged (the "constant error carousel", CEC). Nothing ever makes C smaller except the input itself, so on
a stream that never resets the state, C_t can drift without bound; the forget gate of Gers, Schmidhuber & Cummins
(2000) was added to let the cell learn to reset it.

What is the 1997 paper's and what is not: the carousel, the multiplicative input and output gates and the absence of
a forget gate are. The paper squashed the cell input with g ∈ (−2, 2) and the cell output with h ∈ (−1, 1), and trained with a truncated gradient that stops at the gates' and the
cell input's recurrent connections (full BPTT for LSTM came with Graves & Schmidhuber 2005); here both squashings are
tanh, as in ``LSTM``, and ``backward`` is full BPTT, so that the only difference from ``LSTM`` is the forget gate.

Why its own module and not ``LSTM(forget_gate=False)``: ``LSTM``'s fused step computes the four gates in one tanh
over a (B, 4H) row; a flag would put a branch into that fast path and a fourth block of weights that no gradient may
touch. Here the parameters are the three blocks that exist.

Shapes: x (T, B, D) → y (T, B, H); state (h, c), each (B, H).
Parameters: ``W`` (H + D, 3H) multiplies [h_{t-1}, x_t] (h rows first), ``b`` (3H,); three blocks i | c_tilde | o
(``cell.gate_slice('i')``). All biases start at 0. ``cell.activations`` also has ``'f'`` (all ones), so plots of the
LSTM family work unchanged. No PyTorch counterpart (``from_torch`` raises TypeError).

Example::

    >>> import numpy as np, lstm_lib
    >>> cell = lstm_lib.LSTM1997(3, 5, seed=0)
    >>> y, (h, c) = cell.forward(np.ones((7, 2, 3)))       # T=7 steps, batch B=2
    >>> y.shape, c.shape, cell.params["W"].shape, bool((cell.activations["f"] == 1).all())
    ((7, 2, 5), (2, 5), (8, 15), True)
    >>> dx = cell.backward(np.ones_like(y))                 # fills cell.grads["W"], cell.grads["b"], cell.dstate0
"""
import numpy as np

from ._cell import Cell
from ._ops import sigmoid


class LSTM1997(Cell):
    __doc__ = __doc__
    state_names = ("h", "c")
    gate_names = ("i", "c_tilde", "o")
    _cache_widths = {"tanh_c": 1}                # tanh(C_t), kept for the backward pass

    def _step(self, k):
        H = self.hidden_size
        a = k["a"]                                            # (B, 3H) enters as x_t @ W_x + b
        a += k["h_prev"] @ self.W_h                           # (B, 3H) + h_{t-1} @ W_h
        sigmoid(a[:, :H], out=a[:, :H])                       # i_t
        np.tanh(a[:, H:2 * H], out=a[:, H:2 * H])             # C̃_t
        sigmoid(a[:, 2 * H:], out=a[:, 2 * H:])               # o_t
        i, c_tilde, o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:]
        c = np.multiply(i, c_tilde, out=k["c"])               # C_t = C_{t-1} + i_t ⊙ C̃_t
        c += k["c_prev"]
        np.tanh(c, out=k["tanh_c"])
        np.multiply(o, k["tanh_c"], out=k["h"])               # h_t = o_t ⊙ tanh(C_t)

    def _step_back(self, dh, dc, k, j, dk):
        H = self.hidden_size
        a = k["a"]
        i, c_tilde, o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:]
        tanh_c = k["tanh_c"]
        da = dk["a"]                                          # (B, 3H)
        dc = dc + dh * o * (1 - tanh_c * tanh_c)              # backprop into C_t: carried from t+1, plus via h_t
        np.multiply(dc * c_tilde, i * (1 - i), out=da[:, :H])            # backprop into i_t's pre-activation
        np.multiply(dc * i, 1 - c_tilde * c_tilde, out=da[:, H:2 * H])   # into C̃_t's
        np.multiply(dh * tanh_c, o * (1 - o), out=da[:, 2 * H:])         # into o_t's, via h_t
        dh_prev = da @ self._W_hT                             # (B, H) backprop into h_{t-1}
        return dh_prev, dc                                    # ∂C_t/∂C_{t-1} = I: dC passes back unchanged

    def _activations(self, K):
        acts = super()._activations(K)
        acts["f"] = np.ones_like(acts["i"])                   # the forget gate that is not there, for plots
        return acts

    def _finish_step_cache(self, k):
        k["f"] = np.ones_like(k["i"])
