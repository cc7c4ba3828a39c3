r"""A bidirectional recurrent network (Schuster & Paliwal 1997): two cells of one kind, one reading the sequence
forwards and one reading it backwards, their hidden states concatenated at every step.

Equations (any cell: RNN, LSTM, GRU, PeepholeLSTM, ...; "cell" is its own step, with its own state)::

    h→_t = cell→(x_t, h→_{t-1})          t = 1, …, T        h→_0 = initial state of the forward cell
    h←_t = cell←(x_t, h←_{t+1})          t = T, …, 1        h←_{T+1} = initial state of the backward cell
    y_t  = [h→_t, h←_t]                                      (B, 2H): forward half first

So y_t has seen the whole input: x_1 … x_t through h→_t and x_t … x_T through h←_t. Graves & Schmidhuber (2005)
used this with two LSTMs (a "BLSTM") for framewise phoneme classification.

The backward direction is the ordinary cell run on the time-reversed input: with R the reversal of the time axis,
h← = R(cell←(R x)). Backpropagation routes through the two cells: the forward half of dy goes to the forward cell as
it is; the backward half is reversed in time before the backward cell's own BPTT, and the dx it returns is reversed
back; dx is the sum of the two (both cells read every x_t)::

    dx = cell→.backward(dy[..., :H]) + R(cell←.backward(R dy[..., H:]))

Shapes: x (T, B, D) → y (T, B, 2H). ``hidden_size`` is H, the size of *each* direction (as in PyTorch's
``nn.LSTM(bidirectional=True)``); ``output_size`` = 2H is the width of y (what a head or the next layer reads).
State: a tuple ``(state→, state←)``, each in the inner cell's form (an array (B, H) or a tuple (h, c)); as initial
state, state← is the state the backward cell starts from at t = T; the final state returned is (state→ after x_T,
state← after x_1). ``None`` (for the whole or for one direction) means zeros.
Parameters: the two cells' own arrays, names prefixed ``"fwd."`` and ``"bwd."`` (``"fwd.W"``, ``"bwd.b"``, …).

There is no ``step``: the output at t needs x_T, so a bidirectional network cannot run one step at a time.

Example::

    >>> import numpy as np, lstm_lib
    >>> bi = lstm_lib.Bidirectional(lstm_lib.GRU, 3, 5, seed=0)
    >>> y, (h_fwd, h_bwd) = bi.forward(np.ones((7, 2, 3)))    # T=7 steps, batch B=2
    >>> y.shape, h_fwd.shape, bi.output_size
    ((7, 2, 10), (2, 5), 10)
    >>> sorted(bi.params)
    ['bwd.W', 'bwd.b', 'fwd.W', 'fwd.b']
    >>> dx = bi.backward(np.ones_like(y))                      # fills bi.grads and bi.dstate0 = (dstate→, dstate←)
    >>> dx.shape
    (7, 2, 3)
"""
import numpy as np

from .. import _validate as V


class Bidirectional:
    __doc__ = __doc__

    def __init__(self, cell, input_size, hidden_size, seed=0, dtype=np.float64, **cell_kwargs):
        if not (isinstance(cell, type) and all(hasattr(cell, a) for a in ("forward", "backward", "state_names"))):
            got = (f"the class {cell.__name__}" if isinstance(cell, type) else
                   f"an instance of {type(cell).__name__}" if hasattr(cell, "forward") else type(cell).__name__)
            raise TypeError(V._msg(f"expected cell to be an lstm_lib cell class (lstm_lib.LSTM, lstm_lib.GRU, "
                                   f"lstm_lib.RNN, ...), got {got}",
                                   f"期望 cell 为 lstm_lib 的单元类（lstm_lib.LSTM、lstm_lib.GRU、lstm_lib.RNN 等），"
                                   f"实际为 {got}"))
        self.seed = V.seed(seed)
        # two independent cells: the backward one gets the next seed, so the two directions start different
        self.fwd = cell(input_size, hidden_size, seed=self.seed, dtype=dtype, **cell_kwargs)
        self.bwd = cell(input_size, hidden_size, seed=self.seed + 1, dtype=dtype, **cell_kwargs)
        self.input_size, self.hidden_size = self.fwd.input_size, self.fwd.hidden_size
        self.output_size = 2 * self.hidden_size
        self.dtype = self.fwd.dtype
        self.state_names = self.fwd.state_names
        self.dstate0 = None
        self._T = None                    # length of the pending forward (None: no forward)

    def __repr__(self):
        return f"Bidirectional({self.fwd!r})"

    @property
    def kind(self):
        return repr(self)

    # ---- params / grads / activations: the two cells' own arrays, names prefixed by the direction ----------------
    @property
    def _cells(self):
        return (("fwd", self.fwd), ("bwd", self.bwd))

    @property
    def params(self):
        return {f"{p}.{k}": v for p, c in self._cells for k, v in c.params.items()}

    @property
    def grads(self):
        return {f"{p}.{k}": v for p, c in self._cells for k, v in c.grads.items()}

    @property
    def activations(self):
        """Each direction's activations of the last forward, in the time order of x: ``'fwd.h'``, ``'bwd.h'``, …"""
        acts = {f"fwd.{k}": v for k, v in self.fwd.activations.items()}
        acts.update({f"bwd.{k}": v[::-1] for k, v in self.bwd.activations.items()})   # the bwd cell saw R x
        return acts

    def zero_grad(self):
        self.fwd.zero_grad()
        self.bwd.zero_grad()

    @property
    def _saved(self):
        return self._T

    @_saved.setter
    def _saved(self, value):
        # train.Seq.predict sets cell._saved = None to drop the cache: drop both cells' too
        self._T = value
        if value is None:
            self.fwd._saved = self.bwd._saved = None

    def _split(self, name, state):
        """(state→, state←) from a pair or None; each part is checked by its own cell."""
        if state is None:
            return None, None
        if not isinstance(state, (tuple, list)) or len(state) != 2:
            got = (f"an array of shape {np.shape(state)}" if isinstance(state, np.ndarray)
                   else f"a {type(state).__name__}" + (f" of length {len(state)}" if isinstance(state, (tuple, list))
                                                        else ""))
            raise TypeError(V._msg(f"expected {name} to be a pair ({name}_fwd, {name}_bwd), one state per direction, "
                                   f"got {got}",
                                   f"期望 {name} 为二元组 ({name}_fwd, {name}_bwd)，每个方向一个状态，实际为 {got}"))
        return state[0], state[1]

    def _direction_error(self, direction, err):
        """Re-raise a cell's own error with the direction named."""
        zh = "前向" if direction == "fwd" else "后向"
        return type(err)(f"{direction} direction / {zh}方向: {err}")

    # ---- a whole sequence ------------------------------------------------------------------------------------
    def forward(self, x, state=None):
        """``y, (state→, state←) = bi.forward(x, state=None)``: x (T, B, D) → y (T, B, 2H) = [h→_t, h←_t]."""
        x = V.sequence(x, self.input_size, self.dtype)                       # (T, B, D)
        s_f, s_b = self._split("state", state)
        try:
            y_f, s_f = self.fwd.forward(x, s_f)                              # (T, B, H) reads x_1 … x_T
        except (ValueError, TypeError) as err:
            raise self._direction_error("fwd", err) from None
        try:
            y_b, s_b = self.bwd.forward(x[::-1], s_b)                        # (T, B, H) reads x_T … x_1
        except (ValueError, TypeError) as err:
            raise self._direction_error("bwd", err) from None
        self._T = x.shape[0]
        y = np.concatenate([y_f, y_b[::-1]], axis=-1)                        # (T, B, 2H) h←_t back in x's order
        return y, (s_f, s_b)

    def backward(self, dy, dstate=None):
        """``dx = bi.backward(dy, dstate=None)``: dy (T, B, 2H); dstate a pair of gradients wrt the final states.
        Fills ``bi.grads`` (overwriting) and ``bi.dstate0`` = (dstate→_0, dstate←_0)."""
        if self._T is None:
            raise V.no_forward("bi")
        T, H = self._T, self.hidden_size
        if dy is not None:
            dy = V.array("dy", dy, (T, None, 2 * H), self.dtype, (T, "B", 2 * H))   # (T, B, 2H)
        ds_f, ds_b = self._split("dstate", dstate)
        try:
            dx_f = self.fwd.backward(None if dy is None else dy[..., :H], ds_f)          # (T, B, D)
        except (ValueError, TypeError) as err:
            raise self._direction_error("fwd", err) from None
        try:
            # the bwd cell ran on R x, so its dy is R(dy←) and its dx comes back reversed
            dx_b = self.bwd.backward(None if dy is None else dy[::-1, :, H:], ds_b)[::-1]  # (T, B, D)
        except (ValueError, TypeError) as err:
            raise self._direction_error("bwd", err) from None
        self._T = None
        self.dstate0 = (self.fwd.dstate0, self.bwd.dstate0)
        return dx_f + dx_b                                                   # both cells read every x_t

    def step(self, x_t, state=None):
        raise TypeError(V._msg("expected a whole sequence: a bidirectional network has no step, because its output "
                               "at t needs the input up to x_T (call bi.forward(x) with x of shape (T, B, D))",
                               "期望整个序列：双向网络没有 step，因为它在 t 时刻的输出需要直到 x_T 的输入"
                               "（请用形状为 (T, B, D) 的 x 调用 bi.forward(x)）"))
