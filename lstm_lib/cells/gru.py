r"""The gated recurrent unit (Cho et al. 2014), in its two common forms.

``GRU(..., reset_after=False)`` (the default) — the GRU as colah draws it: the reset gate of Cho et al. (2014) acts on
h_{t-1} *before* the matrix product, and z interpolates the way Chung et al. (2014) and colah write it (see below)
(text notation; ``W_z·[h_{t-1}, x_t]`` is the code's ``concat(h, x) @ W[:, z-block]``)::

    z_t  = σ(W_z·[h_{t-1}, x_t] + b_z)                 update gate
    r_t  = σ(W_r·[h_{t-1}, x_t] + b_r)                 reset gate
    h̃_t  = tanh(W_h̃·[r_t ⊙ h_{t-1}, x_t] + b_h̃)        candidate
    h_t  = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t

``GRU(..., reset_after=True)`` — the form of PyTorch, cuDNN and Keras's default: the reset gate acts *after* the
recurrent product, and the recurrent product has its own bias ``b_h`` (so r_t can scale it too). Written in the code's
row-vector form: ``h_{t-1}·W_h`` is ``h_prev @ cell.W_h`` (B, 3H), ``x_t·W_x,z`` is ``x_t @ cell.W_x[:, z-block]``::

    g_t  = h_{t-1}·W_h + b_h                           recurrent pre-activations, three blocks g_z | g_r | g_h̃
    z_t  = σ(x_t·W_x,z + b_z + g_z)
    r_t  = σ(x_t·W_x,r + b_r + g_r)
    h̃_t  = tanh(x_t·W_x,h̃ + b_h̃ + r_t ⊙ g_h̃)
    h_t  = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t

Which way z interpolates. This library follows colah and Chung et al. (2014): z_t → 1 takes the candidate, z_t → 0
keeps h_{t-1}. Cho et al. (2014, eq. 7) and PyTorch write it the other way round, h' = z⊙h + (1 − z)⊙h̃ (PyTorch:
h' = (1 − z)⊙n + z⊙h): their z → 1 keeps the old state. The two are the same model with z_ours = 1 − z_torch, and
since 1 − σ(a) = σ(−a), that is the same as negating the z rows of PyTorch's weights and biases. ``GRU.from_torch``
does exactly this (and reorders torch's r | z | n blocks to our z | r | h_tilde), so its outputs equal PyTorch's
nn.GRU; ``to_torch`` undoes it.

Shapes: x (T, B, D) → y (T, B, H); state h (B, H).
Parameters: ``W`` (H + D, 3H) multiplies [h_{t-1}, x_t] (h rows first: ``W[:H]`` is ``cell.W_h``, ``W[H:]`` is
``cell.W_x``), ``b`` (3H,); blocks z | r | h_tilde. With ``reset_after=True`` also ``b_h`` (3H,), the recurrent bias
(zero at initialisation).

Example::

    >>> import numpy as np, lstm_lib
    >>> cell = lstm_lib.GRU(3, 5, seed=0)
    >>> y, h = cell.forward(np.ones((7, 2, 3)))
    >>> sorted(cell.activations)
    ['h', 'h_tilde', 'r', 'z']
"""
import numpy as np

from .. import _validate as V
from ._cell import Cell
from ._ops import sigmoid


class GRU(Cell):
    __doc__ = __doc__
    state_names = ("h",)
    gate_names = ("z", "r", "h_tilde")
    _torch_name = "nn.GRU"

    def __init__(self, input_size, hidden_size, seed=0, dtype=np.float64, reset_after=False):
        if not isinstance(reset_after, (bool, np.bool_)):
            raise TypeError(V._msg(f"expected reset_after to be True or False, got {reset_after!r}",
                                   f"期望 reset_after 为 True 或 False，实际为 {reset_after!r}"))
        self.reset_after = bool(reset_after)
        if self.reset_after:
            self._cache_widths = {"g": 3}        # h_{t-1}·W_h + b_h, needed for dr
            self._grad_widths = {"g": 3}         # its gradient, for dW_h and db_h
        else:
            self._cache_widths = {"rh": 1}       # r_t ⊙ h_{t-1}, the input of the candidate's recurrent product
        super().__init__(input_size, hidden_size, seed=seed, dtype=dtype)

    def _init_extra(self, rng):
        if self.reset_after:
            self.params["b_h"] = np.zeros(3 * self.hidden_size, self.dtype)   # (3H,) recurrent bias

    def __repr__(self):
        return super().__repr__()[:-1] + f", reset_after={self.reset_after})"

    def _step(self, k):
        H, W_h = self.hidden_size, self.W_h
        a, h_prev = k["a"], k["h_prev"]                        # (B, 3H) enters as x_t @ W_x + b
        if self.reset_after:
            g = np.matmul(h_prev, W_h, out=k["g"])             # (B, 3H) g_t = h_{t-1}·W_h + b_h
            g += self.params["b_h"]
            a[:, :2 * H] += g[:, :2 * H]
            sigmoid(a[:, :2 * H], out=a[:, :2 * H])            # z_t, r_t
            r = a[:, H:2 * H]
            a[:, 2 * H:] += r * g[:, 2 * H:]                   # reset after the product: r_t ⊙ g_h̃
        else:
            a[:, :2 * H] += h_prev @ W_h[:, :2 * H]            # (B, 2H)
            sigmoid(a[:, :2 * H], out=a[:, :2 * H])            # z_t, r_t
            r = a[:, H:2 * H]
            rh = np.multiply(r, h_prev, out=k["rh"])           # reset before the product: r_t ⊙ h_{t-1}
            a[:, 2 * H:] += rh @ W_h[:, 2 * H:]
        np.tanh(a[:, 2 * H:], out=a[:, 2 * H:])                # h̃_t
        z, h_tilde = a[:, :H], a[:, 2 * H:]
        h = np.subtract(h_tilde, h_prev, out=k["h"])           # h_t = (1 − z)⊙h_{t-1} + z⊙h̃_t
        h *= z                                                 #     = h_{t-1} + z ⊙ (h̃_t − h_{t-1})
        h += h_prev

    def _step_back(self, dh, k, j, dk):
        H = self.hidden_size
        a, h_prev = k["a"], k["h_prev"]
        z, r, h_tilde = a[:, :H], a[:, H:2 * H], a[:, 2 * H:]
        da = dk["a"]                                           # (B, 3H) gradient wrt the pre-activations
        dz = dh * (h_tilde - h_prev)                           # backprop into z_t
        dh_tilde = dh * z                                      # backprop into h̃_t
        dh_prev = dh * (1 - z)                                 # backprop into h_{t-1}, the direct path
        np.multiply(dh_tilde, 1 - h_tilde * h_tilde, out=da[:, 2 * H:])       # through tanh
        if self.reset_after:
            g = k["g"]
            dr = da[:, 2 * H:] * g[:, 2 * H:]                  # backprop into r_t
            np.multiply(dz, z * (1 - z), out=da[:, :H])
            np.multiply(dr, r * (1 - r), out=da[:, H:2 * H])
            dg = dk["g"]                                       # (B, 3H) backprop into g_t
            dg[:, :2 * H] = da[:, :2 * H]
            np.multiply(da[:, 2 * H:], r, out=dg[:, 2 * H:])
            dh_prev += dg @ self._W_hT                         # backprop into h_{t-1} through g_t
        else:
            drh = da[:, 2 * H:] @ self._W_hT[2 * H:]           # (B, H) backprop into r_t ⊙ h_{t-1}
            dr = drh * h_prev                                  # backprop into r_t
            dh_prev += drh * r                                 # backprop into h_{t-1} through the reset
            np.multiply(dz, z * (1 - z), out=da[:, :H])
            np.multiply(dr, r * (1 - r), out=da[:, H:2 * H])
            dh_prev += da[:, :2 * H] @ self._W_hT[:2 * H]      # backprop into h_{t-1} through z_t, r_t
        return (dh_prev,)

    def _param_grads(self, x, K, dK):
        T, B, D = x.shape
        H = self.hidden_size
        da = dK["a"].reshape(T * B, 3 * H)
        dW = np.empty_like(self.params["W"])                   # (H + D, 3H)
        h_prev = K["h_prev"].reshape(T * B, H)
        grads = {"W": dW, "b": da.sum(axis=0)}
        if self.reset_after:
            dg = dK["g"].reshape(T * B, 3 * H)
            np.matmul(h_prev.T, dg, out=dW[:H])                # backprop into W_h
            grads["b_h"] = dg.sum(axis=0)                      # backprop into b_h
        else:
            dW[:H, :2 * H] = h_prev.T @ da[:, :2 * H]          # backprop into W_h of z and r
            dW[:H, 2 * H:] = K["rh"].reshape(T * B, H).T @ da[:, 2 * H:]   # ... and of h̃, which saw r ⊙ h
        np.matmul(x.reshape(T * B, D).T, da, out=dW[H:])       # backprop into W_x
        return grads

    # ---- PyTorch interchange: torch blocks r | z | n, ours z | r | h_tilde with z_ours = 1 − z_torch ----------
    @classmethod
    def from_torch(cls, sd, dtype=np.float64):
        """A ``GRU(reset_after=True)`` computing exactly what a one-layer ``nn.GRU`` with state_dict ``sd`` computes.

        ``sd`` has ``weight_ih_l0`` (3H, D), ``weight_hh_l0`` (3H, H), ``bias_ih_l0`` (3H,), ``bias_hh_l0`` (3H,)
        with torch's gate blocks r | z | n. Our blocks are z | r | h_tilde, and the z rows are negated because our
        z is 1 − torch's z (see the module docstring).
        """
        D, H = V.torch_sizes(sd, 3, cls._torch_name)
        p = V.torch_state_dict(sd, {"weight_ih_l0": (3 * H, D), "weight_hh_l0": (3 * H, H),
                                    "bias_ih_l0": (3 * H,), "bias_hh_l0": (3 * H,)}, cls._torch_name)
        rows, sign = cls._torch_rows(H)
        cell = cls(D, H, dtype=dtype, reset_after=True)
        cell.params["W"][:H] = (p["weight_hh_l0"][rows] * sign[:, None]).T
        cell.params["W"][H:] = (p["weight_ih_l0"][rows] * sign[:, None]).T
        cell.params["b"][...] = p["bias_ih_l0"][rows] * sign
        cell.params["b_h"][...] = p["bias_hh_l0"][rows] * sign
        return cell

    def to_torch(self):
        """The parameters as a one-layer ``nn.GRU`` state_dict of numpy arrays (only for ``reset_after=True``)."""
        if not self.reset_after:
            raise ValueError(V._msg("expected a GRU(reset_after=True) (PyTorch's form), got reset_after=False, "
                                    "which nn.GRU cannot express",
                                    "期望 GRU(reset_after=True)（PyTorch 的形式），实际为 reset_after=False，"
                                    "nn.GRU 无法表示"))
        H = self.hidden_size
        rows, sign = self._torch_rows(H)
        sign = sign.astype(self.dtype)
        inv = np.argsort(rows)                                  # our column -> torch row, inverted
        W = self.params["W"] * sign                             # undo the negation of z
        return {"weight_ih_l0": np.ascontiguousarray(W[H:].T[inv]),
                "weight_hh_l0": np.ascontiguousarray(W[:H].T[inv]),
                "bias_ih_l0": (self.params["b"] * sign)[inv], "bias_hh_l0": (self.params["b_h"] * sign)[inv]}

    @staticmethod
    def _torch_rows(H):
        """Torch row indices in our column order (z ← torch block 1, r ← 0, h_tilde ← 2) and the sign per column."""
        rows = np.concatenate([np.arange(H, 2 * H), np.arange(0, H), np.arange(2 * H, 3 * H)])
        sign = np.concatenate([-np.ones(H), np.ones(2 * H)])
        return rows, sign
