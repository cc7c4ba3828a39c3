r"""The simple recurrent network of Elman (1990): one tanh layer fed its own previous output.

Equations, one time step (text notation; ``W·[h_{t-1}, x_t]`` is the code's ``concat(h, x) @ W``)::

    h_t = tanh(W·[h_{t-1}, x_t] + b)

Shapes: x (T, B, D) → y (T, B, H); state h (B, H).
Parameters: ``W`` (H + D, H) multiplies the row vector [h_{t-1}, x_t] (h rows first: ``W[:H]`` is ``cell.W_h``,
``W[H:]`` is ``cell.W_x``); ``b`` (H,).

Backward (row vectors, as in the code; W_h = ``cell.W_h``): with dh the gradient wrt h_t (from the output at t plus
from step t+1), da = dh ⊙ (1 − h_t²) and dh_{t-1} = da · W_hᵀ. So dh_{t-1} = dh · diag(1 − h_t²) · W_hᵀ: the product
of T such Jacobian factors is what vanishes or explodes.

Example::

    >>> import numpy as np, lstm_lib
    >>> cell = lstm_lib.RNN(3, 5, seed=0)
    >>> y, h = cell.forward(np.ones((7, 2, 3)))       # T=7 steps, batch B=2
    >>> y.shape, h.shape
    ((7, 2, 5), (2, 5))
    >>> dx = cell.backward(np.ones_like(y))           # fills cell.grads["W"], cell.grads["b"], cell.dstate0
"""
import numpy as np

from ._cell import Cell


class RNN(Cell):
    __doc__ = __doc__
    state_names = ("h",)
    gate_names = ("h",)           # one block: the new hidden state itself
    _torch_order = (0,)           # nn.RNN(nonlinearity="tanh")
    _torch_name = "nn.RNN"

    def _step(self, k):
        a = k["a"]                                   # (B, H) enters as x_t @ W_x + b
        a += k["h_prev"] @ self.W_h                  # (B, H) + h_{t-1} @ W_h
        np.tanh(a, out=a)                            # h_t = tanh(W·[h_{t-1}, x_t] + b)
        k["h"][...] = a

    def _step_back(self, dh, k, j, dk):
        h = k["h"]
        np.multiply(dh, 1 - h * h, out=dk["a"])      # backprop into the pre-activation through tanh
        dh_prev = dk["a"] @ self._W_hT               # (B, H) backprop into h_{t-1}
        return (dh_prev,)

    def _activations(self, K):
        return {"h": K["h"]}
