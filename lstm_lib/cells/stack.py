r"""A stack of recurrent cells: layer l reads the hidden state of layer l−1 at the same time step.

Equations (Zaremba, Sutskever & Vinyals 2014, "Recurrent Neural Network Regularization"), for an LSTM layer l = 1 … L,
with h_t^0 = x_t::

    f_t^l  = σ(W_f^l·[h_{t-1}^l, D(h_t^{l-1})] + b_f^l)
    i_t^l  = σ(W_i^l·[h_{t-1}^l, D(h_t^{l-1})] + b_i^l)
    C̃_t^l  = tanh(W_C^l·[h_{t-1}^l, D(h_t^{l-1})] + b_C^l)
    C_t^l  = f_t^l ⊙ C_{t-1}^l + i_t^l ⊙ C̃_t^l
    o_t^l  = σ(W_o^l·[h_{t-1}^l, D(h_t^{l-1})] + b_o^l)
    h_t^l  = o_t^l ⊙ tanh(C_t^l)                 the stack's output is y_t = h_t^L

Any cell type works the same way: layer l is a cell whose input x_t is D(h_t^{l−1}) and whose recurrent state is its
own (h^l for RNN/GRU, (h^l, C^l) for the LSTM family); the layers may even be of different types.

Dropout D (inverted: keep a unit with probability 1 − p and divide it by 1 − p) sits only on the *non-recurrent*
connections, the vertical arrows h_t^{l−1} → layer l, never on h_{t−1}^l → h_t^l: Zaremba et al.'s point is that
the memory carried along time is left intact while every layer still learns to be robust to noisy inputs. A fresh mask
is drawn at every time step, from the stack's own generator ``dropout_rng`` (seeded by ``seed``), so a training run
is reproducible. (Zaremba et al. also drop h_t^L on its way to the softmax; that connection belongs to the head.)

**Train / eval switch.** ``stack.training`` is True after construction: dropout is on. Evaluation must see the
expected network, not one random thinned copy of it: ``stack.eval()`` (``training = False``) makes D the identity
(because the masks were divided by 1 − p during training, the expected input of a unit is the same in both modes);
``stack.train()`` switches it back. ``train.Seq.predict`` (used by ``train.evaluate`` and ``train.fit``) evaluates
in eval mode and restores the mode afterwards.

Shapes: x (T, B, D) → y (T, B, H_L); state: a list with one state per layer, each in its cell's form (an array
(B, H_l), or a tuple (h, c)); ``None`` (or ``None`` for a layer) means zeros.

Example::

    >>> import numpy as np, lstm_lib
    >>> stack = lstm_lib.Stack([lstm_lib.LSTM(3, 8, seed=0), lstm_lib.LSTM(8, 5, seed=1)])
    >>> y, state = stack.forward(np.ones((7, 2, 3)))         # T=7 steps, batch B=2
    >>> y.shape, len(state), state[1][0].shape                # output = top layer's h; state[l] = (h, c) of layer l+1
    ((7, 2, 5), 2, (2, 5))
    >>> sorted(stack.params)
    ['layer1.W', 'layer1.b', 'layer2.W', 'layer2.b']
    >>> dx = stack.backward(np.ones_like(y))                  # fills stack.grads, stack.dstate0 (a list per layer)
    >>> lstm_lib.Stack.of(lstm_lib.GRU, 3, [8, 8], seed=0)    # L layers of one type, sizes chained
    Stack([GRU(3, 8), GRU(8, 8)], dropout=0.0)
"""
import numpy as np

from .. import _validate as V


class Stack:
    __doc__ = __doc__

    def __init__(self, cells, dropout=0.0, seed=0):
        if not isinstance(cells, (list, tuple)) or len(cells) == 0:
            got = f"an empty {type(cells).__name__}" if isinstance(cells, (list, tuple)) else type(cells).__name__
            raise TypeError(V._msg(f"expected cells to be a non-empty list of lstm_lib cells, got {got}",
                                   f"期望 cells 为非空的 lstm_lib 单元列表，实际为 {got}"))
        for l, cell in enumerate(cells, 1):
            if not all(hasattr(cell, a) for a in ("step", "forward", "backward", "params", "state_names")):
                raise TypeError(V._msg(f"expected layer {l} to be an lstm_lib cell (LSTM, GRU, RNN, ...), got "
                                       f"{type(cell).__name__}",
                                       f"期望第 {l} 层为 lstm_lib 的单元（LSTM、GRU、RNN 等），实际为 {type(cell).__name__}"))
        for l in range(1, len(cells)):
            below, above = cells[l - 1], cells[l]
            if above.input_size != below.hidden_size:
                raise ValueError(V._msg(
                    f"expected layer {l + 1}'s input_size to equal layer {l}'s hidden_size {below.hidden_size} (layer "
                    f"l reads h_t^(l-1)), got input_size {above.input_size}",
                    f"期望第 {l + 1} 层的 input_size 等于第 {l} 层的 hidden_size {below.hidden_size}（第 l 层读入 "
                    f"h_t^(l-1)），实际 input_size 为 {above.input_size}"))
            if np.dtype(above.dtype) != np.dtype(below.dtype):
                raise TypeError(V._msg(f"expected every layer to have the same dtype, got {np.dtype(below.dtype)} "
                                       f"(layer {l}) and {np.dtype(above.dtype)} (layer {l + 1})",
                                       f"期望各层的 dtype 相同，实际第 {l} 层为 {np.dtype(below.dtype)}，第 {l + 1} 层为 "
                                       f"{np.dtype(above.dtype)}"))
        if len({id(c) for c in cells}) != len(cells):
            raise ValueError(V._msg("expected distinct cell objects, one per layer, got the same cell twice",
                                    "期望每层是不同的单元对象，实际同一个单元出现了两次"))
        if isinstance(dropout, bool) or not isinstance(dropout, (int, float, np.integer, np.floating)) \
                or not 0 <= dropout < 1:
            raise ValueError(V._msg(f"expected dropout to be a probability in [0, 1), got {dropout!r}",
                                    f"期望 dropout 为 [0, 1) 内的概率，实际为 {dropout!r}"))
        V.seed(seed)
        self.layers = list(cells)
        self.dropout = float(dropout)
        self.seed = int(seed)
        self.dropout_rng = np.random.default_rng(self.seed)   # the masks' own stream: reassign it to replay masks
        self.training = True
        self.input_size = cells[0].input_size
        self.hidden_size = cells[-1].hidden_size
        self.dtype = cells[0].dtype
        self.dstate0 = None
        self._masks = None                                     # masks of the pending forward (None: no forward)

    @classmethod
    def of(cls, cell_class, input_size, hidden_sizes, seed=0, dropout=0.0, **kwargs):
        """L layers of one cell type with sizes chained: layer l gets seed ``seed + l − 1``."""
        if isinstance(hidden_sizes, (int, np.integer)):
            hidden_sizes = [hidden_sizes]
        sizes = [input_size, *hidden_sizes]
        cells = [cell_class(sizes[l], sizes[l + 1], seed=seed + l, **kwargs) for l in range(len(hidden_sizes))]
        return cls(cells, dropout=dropout, seed=seed)

    def __repr__(self):
        inner = ", ".join(f"{type(c).__name__}({c.input_size}, {c.hidden_size})" for c in self.layers)
        return f"Stack([{inner}], dropout={self.dropout})"

    @property
    def kind(self):
        return repr(self)

    # ---- train / eval ----------------------------------------------------------------------------------------
    def train(self):
        """Dropout on (the default). Returns the stack."""
        self.training = True
        return self

    def eval(self):
        """Dropout off: D is the identity. Returns the stack."""
        self.training = False
        return self

    # ---- params / grads / activations: the layers' own arrays, names prefixed by the layer ---------------------
    @property
    def params(self):
        return {f"layer{l}.{k}": v for l, c in enumerate(self.layers, 1) for k, v in c.params.items()}

    @property
    def grads(self):
        return {f"layer{l}.{k}": v for l, c in enumerate(self.layers, 1) for k, v in c.grads.items()}

    @property
    def activations(self):
        """Each layer's activations of the last forward, keys ``'layer1.f'``, …, each (T, B, H_l)."""
        return {f"layer{l}.{k}": v for l, c in enumerate(self.layers, 1) for k, v in c.activations.items()}

    def zero_grad(self):
        for c in self.layers:
            c.zero_grad()

    @property
    def _saved(self):
        return self._masks

    @_saved.setter
    def _saved(self, value):
        # train.Seq.predict sets cell._saved = None to drop the cache: drop every layer's too
        if value is None:
            self._masks = None
            for c in self.layers:
                c._saved = None
        else:
            self._masks = value

    # ---- the state: a list of per-layer states ---------------------------------------------------------------
    def _check_states(self, name, state):
        L = len(self.layers)
        if state is None:
            return [None] * L
        if not isinstance(state, (list, tuple)) or len(state) != L:
            got = (f"an array of shape {np.shape(state)}" if isinstance(state, np.ndarray)
                   else f"a {type(state).__name__}" + (f" of length {len(state)}" if isinstance(state, (list, tuple))
                                                        else ""))
            raise TypeError(V._msg(f"expected {name} to be a list of {L} per-layer states (one per layer), got {got}",
                                   f"期望 {name} 为由 {L} 个逐层状态组成的列表（每层一个），实际为 {got}"))
        return list(state)

    def _layer_error(self, l, err):
        """Re-raise a layer's own error with the layer named."""
        return type(err)(f"layer {l} / 第 {l} 层: {err}")

    def _mask(self, shape):
        """An inverted-dropout mask: 0 with probability p, 1/(1 − p) otherwise; None when dropout is off."""
        if not self.training or self.dropout == 0.0:
            return None
        keep = 1.0 - self.dropout
        return (self.dropout_rng.random(shape) < keep).astype(self.dtype) / np.dtype(self.dtype).type(keep)

    # ---- a whole sequence ------------------------------------------------------------------------------------
    def forward(self, x, state=None):
        """``y, state = stack.forward(x, state=None)``: x (T, B, D) → y (T, B, H_L) = h^L at every step; the final
        state is a list with one state per layer."""
        x = V.sequence(x, self.input_size, self.dtype)                       # (T, B, D)
        states = self._check_states("state", state)
        masks, out = [], []
        h = x                                                                # h_t^0 = x_t, all steps
        for l, (cell, s) in enumerate(zip(self.layers, states), 1):
            m = self._mask(h.shape)                                          # (T, B, H_{l-1}) or None
            masks.append(m)
            try:
                h, s_new = cell.forward(h if m is None else h * m, s)        # (T, B, H_l)
            except (ValueError, TypeError) as err:
                raise self._layer_error(l, err) from None
            out.append(s_new)
        self._saved = masks
        return h, out

    def backward(self, dy, dstate=None):
        """``dx = stack.backward(dy, dstate=None)``: dy (T, B, H_L), dstate a list of per-layer gradients wrt the final
        states (None = zeros). Top layer first: each layer's dx, through the dropout mask, is the dy of the layer
        below. Fills ``stack.grads`` (overwriting) and ``stack.dstate0`` (a list, one per layer)."""
        if self._masks is None:
            raise V.no_forward("stack")
        dstates = self._check_states("dstate", dstate)
        masks = self._masks
        d = dy
        for l in range(len(self.layers), 0, -1):
            try:
                d = self.layers[l - 1].backward(d, dstates[l - 1])           # (T, B, H_{l-1}) backprop into D(h^{l-1})
            except (ValueError, TypeError) as err:
                raise self._layer_error(l, err) from None
            if masks[l - 1] is not None:
                d = d * masks[l - 1]                                         # backprop through the dropout mask
        self._masks = None
        self.dstate0 = [c.dstate0 for c in self.layers]
        return d

    # ---- one step (teaching API) -----------------------------------------------------------------------------
    def step(self, x_t, state=None):
        """``state_new, cache = stack.step(x_t, state)``: x_t (B, D), state a list of per-layer states. The stack's
        output at this step is the top layer's h. ``cache`` holds every layer's cache under prefixed names
        (``'layer1.f'``, …) and the dropout masks (``'dropout1'`` … on each layer's input; absent when off)."""
        x_t = V.step_input(x_t, self.input_size, self.dtype)                 # (B, D)
        states = self._check_states("state", state)
        cache, out = {}, []
        h = x_t
        for l, (cell, s) in enumerate(zip(self.layers, states), 1):
            m = self._mask(h.shape)                                          # (B, H_{l-1}) or None
            if m is not None:
                cache[f"dropout{l}"] = m
            try:
                s_new, k = cell.step(h if m is None else h * m, s)
            except (ValueError, TypeError) as err:
                raise self._layer_error(l, err) from None
            cache.update({f"layer{l}.{n}": v for n, v in k.items()})
            out.append(s_new)
            h = s_new if len(cell.state_names) == 1 else s_new[0]
        return out, cache

    def step_backward(self, dstate_new, cache):
        """``dx_t, dstate_prev = stack.step_backward(dstate_new, cache)``: dstate_new a list of per-layer gradients
        wrt the states returned by ``step`` (add this step's dy_t to the top layer's h part yourself); returns dx_t
        (B, D) and a list of per-layer gradients wrt the previous states. Adds to ``stack.grads``."""
        if not isinstance(cache, dict) or "layer1.x" not in cache:
            got = (f"a dict with keys {sorted(cache)[:6]}" if isinstance(cache, dict) else type(cache).__name__)
            raise TypeError(V._msg(f"expected the cache dict returned by stack.step (with 'layer1.x'), got {got}",
                                   f"期望 stack.step 返回的 cache 字典（含 'layer1.x'），实际为 {got}"))
        L = len(self.layers)
        dstate_new = self._check_states("dstate_new", dstate_new)
        dprev = [None] * L
        dh_above = None                                  # gradient wrt this layer's h_t coming from the layer above
        for l in range(L, 0, -1):
            cell = self.layers[l - 1]
            k = {n[len(f"layer{l}."):]: v for n, v in cache.items() if n.startswith(f"layer{l}.")}
            ds = dstate_new[l - 1]
            if dh_above is not None:                     # layer l's h_t also fed layer l+1 at this step
                if len(cell.state_names) == 1:
                    ds = dh_above if ds is None else ds + dh_above
                else:
                    ds = (dh_above, None) if ds is None else (ds[0] + dh_above, ds[1])
                    ds = tuple(np.zeros_like(dh_above) if p is None else p for p in ds)
            try:
                dx_l, dprev[l - 1] = cell.step_backward(ds, k)
            except (ValueError, TypeError) as err:
                raise self._layer_error(l, err) from None
            m = cache.get(f"dropout{l}")
            dh_above = dx_l if m is None else dx_l * m   # backprop through the dropout mask into h_t^{l-1}
        return dh_above, dprev
