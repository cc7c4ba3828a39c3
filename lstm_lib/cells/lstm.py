r"""The LSTM of the course (colah 2015; Hochreiter & Schmidhuber 1997 with the forget gate of Gers et al. 2000).

Equations, one time step (text notation; ``W_f·[h_{t-1}, x_t]`` is the code's ``concat(h, x) @ W[:, f-block]``)::

    f_t  = σ(W_f·[h_{t-1}, x_t] + b_f)           forget gate
    i_t  = σ(W_i·[h_{t-1}, x_t] + b_i)           input gate
    C̃_t  = tanh(W_C·[h_{t-1}, x_t] + b_C)        candidate values
    C_t  = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t             cell state
    o_t  = σ(W_o·[h_{t-1}, x_t] + b_o)           output gate
    h_t  = o_t ⊙ tanh(C_t)                        hidden state

Shapes: x (T, B, D) → y (T, B, H); state (h, c), each (B, H).
Parameters: ``W`` (H + D, 4H) multiplies the row vector [h_{t-1}, x_t] (h rows first: ``W[:H]`` is ``cell.W_h``,
``W[H:]`` is ``cell.W_x``); its columns, and ``b`` (4H,), are four blocks of H in colah's order f | i | c_tilde | o
(``cell.gate_slice('f')`` etc.).

``forget_bias`` (default 1.0) is added to b_f at initialisation, so f_t starts near σ(1) ≈ 0.73 instead of σ(0) = 0.5.
The cell state and its gradient (∂C_t/∂C_{t-1} = f_t) then fade by about that factor per step: a time constant
τ = 1/(1 − f) = 1 + e^{b_f} ≈ 3.7 steps instead of 2 — a head start, not a long memory. Dependencies over tens of
steps need a larger bias (b_f = 3 gives τ ≈ 21; chapter 2, section 2.4) or a forget gate the network learns to open.
Gers et al. (2000), who introduced the forget gate, start it open with a positive bias; Jozefowicz et al. (2015) found
in their architecture search that a forget-gate bias of 1 closes the gap between the LSTM and the GRU.
``forget_bias=0.0`` gives all-zero biases.

Example::

    >>> import numpy as np, lstm_lib
    >>> cell = lstm_lib.LSTM(3, 5, seed=0)
    >>> y, (h, c) = cell.forward(np.ones((7, 2, 3)))       # T=7 steps, batch B=2
    >>> y.shape, h.shape, cell.activations["f"].shape
    ((7, 2, 5), (2, 5), (7, 2, 5))
    >>> dx = cell.backward(np.ones_like(y))                 # fills cell.grads["W"], cell.grads["b"], cell.dstate0
"""
import numpy as np

from ._cell import Cell


class LSTM(Cell):
    __doc__ = __doc__
    state_names = ("h", "c")
    gate_names = ("f", "i", "c_tilde", "o")
    _cache_widths = {"tanh_c": 1}                # tanh(C_t), kept for the backward pass
    _torch_order = (1, 0, 2, 3)                  # torch's gates are i, f, g, o
    _torch_name = "nn.LSTM"

    def __init__(self, input_size, hidden_size, seed=0, dtype=np.float64, forget_bias=1.0):
        super().__init__(input_size, hidden_size, seed=seed, dtype=dtype)
        self.forget_bias = float(forget_bias)
        self.params["b"][self.gate_slice("f")] += self.forget_bias
        # σ(x) = ½·tanh(x/2) + ½ and tanh(x) = 1·tanh(x) + 0: with a per-column scale (½ on f, i, o; 1 on C̃) and
        # shift (½; 0), a single tanh over the whole (B, 4H) row computes all four gates — half the time of 4 calls
        H = self.hidden_size
        self._scale = np.concatenate([np.full(2 * H, 0.5), np.ones(H), np.full(H, 0.5)]).astype(self.dtype)
        self._shift = np.concatenate([np.full(2 * H, 0.5), np.zeros(H), np.full(H, 0.5)]).astype(self.dtype)

    def _step(self, k):
        H = self.hidden_size
        a = k["a"]                                            # (B, 4H) enters as x_t @ W_x + b
        a += np.matmul(k["h_prev"], self.W_h, out=self._scratch("hW", a.shape))   # + h_{t-1} @ W_h, all four gates
        a *= self._scale                                      # f_t, i_t, C̃_t, o_t in one pass:
        np.tanh(a, out=a)                                     #   σ(a) = ½·tanh(a/2) + ½ on the f, i, o blocks,
        a *= self._scale                                      #   tanh(a) on the C̃ block
        a += self._shift
        f, i, c_tilde, o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
        c = np.multiply(f, k["c_prev"], out=k["c"])           # C_t = f_t ⊙ C_{t-1} ...
        c += np.multiply(i, c_tilde, out=self._scratch("ic", c.shape))   # ... + i_t ⊙ C̃_t
        np.tanh(c, out=k["tanh_c"])
        np.multiply(o, k["tanh_c"], out=k["h"])               # h_t = o_t ⊙ tanh(C_t)

    def _local(self, K):
        """Local derivatives of one step, for every step at once (leading axes ``...`` = (T, B) or (B,)).

        With a_f, a_i, a_C̃, a_o the pre-activations and σ' = σ(1 − σ), tanh' = 1 − tanh²::

            ∂C_t/∂a_f = C_{t-1} ⊙ f(1 − f)     ∂C_t/∂a_i = C̃_t ⊙ i(1 − i)     ∂C_t/∂a_C̃ = i_t ⊙ (1 − C̃_t²)
            ∂h_t/∂a_o = tanh(C_t) ⊙ o(1 − o)   ∂h_t/∂C_t = o_t ⊙ (1 − tanh²(C_t))

        None depends on the gradient arriving from later steps, so they are computed here in whole-array
        operations and the backward loop is left with the chain rule only.
        """
        H = self.hidden_size
        a, tanh_c = K["a"], K["tanh_c"]
        f, i, c_tilde, o = a[..., :H], a[..., H:2 * H], a[..., 2 * H:3 * H], a[..., 3 * H:]
        dc_da = np.empty(a.shape[:-1] + (3, H), self.dtype)  # (..., 3, H): ∂C_t/∂a for the f, i, C̃ blocks
        np.multiply(K["c_prev"], f * (1 - f), out=dc_da[..., 0, :])
        np.multiply(c_tilde, i * (1 - i), out=dc_da[..., 1, :])
        np.multiply(i, 1 - c_tilde * c_tilde, out=dc_da[..., 2, :])
        return {"dc_da": dc_da,
                "dh_dao": tanh_c * o * (1 - o),               # (..., H)
                "dh_dc": o * (1 - tanh_c * tanh_c)}           # (..., H)

    def _step_back(self, dh, dc, k, j, dk):
        H = self.hidden_size
        B = dh.shape[0]
        da = dk["a"]                                          # (B, 4H) gradient wrt the pre-activations
        np.multiply(dh, j["dh_dao"], out=da[:, 3 * H:])       # backprop into o_t's pre-activation, via h_t
        dc = dc + dh * j["dh_dc"]                             # backprop into C_t: carried from t+1, plus via h_t
        np.multiply(dc[:, None, :], j["dc_da"],               # backprop into the f, i, C̃ pre-activations, via C_t
                    out=da.reshape(B, 4, H)[:, :3])
        dc_prev = dc * k["a"][:, :H]                          # backprop into C_{t-1}: ∂C_t/∂C_{t-1} = f_t, the highway
        dh_prev = da @ self._W_hT                             # (B, H) backprop into h_{t-1}: da · W_hᵀ
        return dh_prev, dc_prev
