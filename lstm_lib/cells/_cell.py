"""The plumbing the cell modules share: sizes and seeded initialisation, the params/grads dicts, input checks,
the once-per-forward rule, and the loop over time.

A cell module (``rnn.py``, ``lstm.py``, ...) only writes its mathematics: ``_step`` and ``_step_back`` always,
``_local`` and ``_param_grads`` where the defaults below do not fit:

``_step(k)``
    one time step forward. ``k`` is a dict of that step's arrays: ``k["a"]`` holds ``x_t @ W_x + b`` (B, nH) on entry
    and the gate values on exit; ``k["h_prev"]`` (and ``k["c_prev"]``) hold the previous state; the step writes
    ``k["h"]`` (and ``k["c"]``) and any extra arrays it declared in ``_cache_widths``.
``_local(K)`` (optional)
    the local derivatives of a step (gate derivatives that do not depend on the gradient flowing back), computed
    for all steps in a few whole-array operations before the backward loop; passed to ``_step_back`` as ``j``.
``_step_back(dh, dc, k, j, dk)``
    one time step backward. ``dh`` (and ``dc``) is the gradient wrt this step's state; the step writes
    ``dk["a"]`` = the gradient wrt the pre-activations ``a`` (and any extra gradients declared in ``_grad_widths``)
    and returns the gradient wrt the previous state as a tuple. ``self._W_hT`` is W_hᵀ (nH, H) in contiguous memory,
    set by the callers before the loop (BLAS multiplies by it ~1.2–1.3x faster than by the ``.T`` view).
``_param_grads(x, K, dK)`` (optional; the default covers ``W`` and ``b``)
    every parameter gradient at once, from whole-sequence arrays (leading axis T): a few large matrix products
    instead of one small product per step.

``forward``/``backward`` below run these over a sequence; ``step``/``step_backward`` run them once, for teaching.
Both paths go through the same ``_step``/``_step_back``, so step-by-step equals whole-sequence by construction
(and a test checks it).
"""
import numpy as np

from .. import _validate as V


class Cell:
    state_names = ("h",)      # ("h", "c") for the LSTM family
    gate_names = ("a",)       # names of the nH-wide blocks of W's columns, in order
    _cache_widths = {}        # extra per-step arrays: name -> width in units of H
    _grad_widths = {}         # extra per-step gradient arrays: name -> width in units of H

    def __init__(self, input_size, hidden_size, seed=0, dtype=np.float64):
        self.input_size = D = V.size("input_size", input_size)
        self.hidden_size = H = V.size("hidden_size", hidden_size)
        self.dtype = V.dtype(dtype)
        self.seed = V.seed(seed)
        rng = np.random.default_rng(self.seed)
        nH = len(self.gate_names) * H
        # U(−1/√H, 1/√H), the range PyTorch's nn.LSTM/nn.GRU use, so the scales of the two libraries match
        k = 1.0 / np.sqrt(H)
        self.params = {"W": rng.uniform(-k, k, (H + D, nH)).astype(self.dtype),   # (H + D, nH), rows: h first, then x
                       "b": np.zeros(nH, self.dtype)}                              # (nH,)
        self._init_extra(rng)
        self.grads = {name: np.zeros_like(p) for name, p in self.params.items()}
        self.activations = {}
        self.dstate0 = None
        self._saved = None

    def _init_extra(self, rng):
        """Extra parameters of a cell (peepholes, recurrent bias); none by default."""

    # ---- parameter views -------------------------------------------------------------------------------------
    @property
    def W_h(self):
        """The recurrent rows W[:H], shape (H, nH): the part of W that multiplies h_{t-1}."""
        return self.params["W"][:self.hidden_size]

    @property
    def W_x(self):
        """The input rows W[H:], shape (D, nH): the part of W that multiplies x_t."""
        return self.params["W"][self.hidden_size:]

    def gate_slice(self, name):
        """Columns of W and entries of b that belong to gate ``name``, e.g. ``W[:, cell.gate_slice('f')]``."""
        if name not in self.gate_names:
            raise KeyError(V._msg(f"expected a gate name among {list(self.gate_names)}, got {name!r}",
                                  f"期望门的名称属于 {list(self.gate_names)}，实际为 {name!r}"))
        k, H = self.gate_names.index(name), self.hidden_size
        return slice(k * H, (k + 1) * H)

    def zero_grad(self):
        """Set every gradient to zero (step_backward accumulates; backward overwrites)."""
        for g in self.grads.values():
            g.fill(0)

    def __repr__(self):
        return f"{type(self).__name__}(input_size={self.input_size}, hidden_size={self.hidden_size}, " \
               f"seed={self.seed}, dtype=np.{np.dtype(self.dtype).name})"

    # ---- the state: one array h, or a tuple (h, c) -----------------------------------------------------------
    def _pack(self, arrays):
        return arrays[0] if len(self.state_names) == 1 else tuple(arrays)

    def _check_state(self, name, state, batch):
        return V.state(name, state, self.state_names, batch, self.hidden_size, self.dtype)

    def _gates(self, a):
        """Per-gate views of a (..., nH) array, by name."""
        H = self.hidden_size
        return {g: a[..., k * H:(k + 1) * H] for k, g in enumerate(self.gate_names)}

    # ---- one step (teaching API) -----------------------------------------------------------------------------
    def step(self, x_t, state=None):
        """One time step: ``state_new, cache = cell.step(x_t, state)``.

        x_t (B, D); state as in ``forward`` (None = zeros). ``cache`` is a dict of this step's arrays by name
        (the input, the previous state, every gate value, the new state) for ``step_backward`` and for printing.
        """
        x_t = V.step_input(x_t, self.input_size, self.dtype)                 # (B, D)
        prev = self._check_state("state", state, x_t.shape[0])
        k = self._new_cache(x_t.shape[0])
        k["x"] = x_t
        for n, s in zip(self.state_names, prev):
            k[n + "_prev"] = s
        np.matmul(x_t, self.W_x, out=k["a"])                                 # (B, nH) this step's input projection
        k["a"] += self.params["b"]
        self._step(k)
        k.update(self._gates(k["a"]))
        self._finish_step_cache(k)
        return self._pack([k[n] for n in self.state_names]), k

    def step_backward(self, dstate_new, cache):
        """One step back: ``dx_t, dstate_prev = cell.step_backward(dstate_new, cache)``.

        dstate_new is the *total* gradient wrt the state returned by ``step`` (same form): add the gradient of this
        step's output dy_t to its h part yourself. The gradients of this step's parameters are *added* to
        ``cell.grads`` (call ``cell.zero_grad()`` first), so a loop of step_backward calls from the last step to the
        first, each given (dy_t + dh_t, dc_t), reproduces ``backward``.
        """
        if not isinstance(cache, dict) or "x" not in cache or "a" not in cache:
            got = (f"a dict with keys {sorted(cache)}" if isinstance(cache, dict) else type(cache).__name__)
            raise TypeError(V._msg(f"expected the cache dict returned by cell.step (with 'x' and 'a'), got {got}",
                                   f"期望 cell.step 返回的 cache 字典（含 'x' 与 'a'），实际为 {got}"))
        B = cache["x"].shape[0]
        ds = self._check_state("dstate_new", dstate_new, B)
        dk = self._new_grad_cache(B)
        self._W_hT = np.ascontiguousarray(self.W_h.T)
        dprev = self._step_back(*ds, cache, self._local(cache), dk)
        K = {n: v[None] for n, v in cache.items() if isinstance(v, np.ndarray)}
        grads = self._param_grads(cache["x"][None], K, {n: v[None] for n, v in dk.items()})
        for n, g in grads.items():
            self.grads[n] += g
        dx_t = dk["a"] @ self.W_x.T                                          # (B, D) backprop into x_t
        return dx_t, self._pack(dprev)

    def _finish_step_cache(self, k):
        """Add derived names to a step's cache (CoupledLSTM adds i = 1 − f)."""

    def _new_arrays(self, widths, B, T):
        """'a' (…, nH) and one (…, w·H) array per entry of ``widths``; leading axes (B,), or (T, B) for a sequence."""
        H, dt = self.hidden_size, self.dtype
        lead = (B,) if T is None else (T, B)
        arrays = {"a": np.empty(lead + (len(self.gate_names) * H,), dt)}
        for n, w in widths.items():
            arrays[n] = np.empty(lead + (w * H,), dt)
        return arrays

    def _new_cache(self, B, T=None):
        k = self._new_arrays(self._cache_widths, B, T)
        if T is None:                                    # one step also holds its new state; forward uses S instead
            for n in self.state_names:
                k[n] = np.empty((B, self.hidden_size), self.dtype)
        return k

    def _new_grad_cache(self, B, T=None):
        return self._new_arrays(self._grad_widths, B, T)

    # ---- a whole sequence ------------------------------------------------------------------------------------
    def forward(self, x, state=None):
        """Run the cell over a sequence: ``y, state = cell.forward(x, state=None)``.

        x (T, B, D) -> y (T, B, H), the hidden state at every step; ``state`` is the initial state (None = zeros)
        and the returned state is the final one, in the same form (see the class docstring). T = 0 is allowed:
        y is then empty, shape (0, B, H), and the initial state is returned unchanged.
        """
        x = V.sequence(x, self.input_size, self.dtype)                       # (T, B, D)
        T, B, D = x.shape
        H = self.hidden_size
        prev = self._check_state("state", state, B)
        K = self._new_cache(B, T)                                            # per-step arrays, (T, B, ·)
        S = {n: np.empty((T + 1, B, H), self.dtype) for n in self.state_names}   # states, S[n][0] = initial
        for n, s in zip(self.state_names, prev):
            S[n][0] = s
        nH = K["a"].shape[-1]
        np.matmul(x.reshape(T * B, D), self.W_x, out=K["a"].reshape(T * B, nH))  # (T*B, nH) all input projections
        K["a"] += self.params["b"]
        for t in range(T):
            k = {n: v[t] for n, v in K.items()}
            for n in self.state_names:
                k[n + "_prev"], k[n] = S[n][t], S[n][t + 1]
            self._step(k)
        for n in self.state_names:
            K[n + "_prev"], K[n] = S[n][:-1], S[n][1:]
        self._saved = (x, K)
        self.activations = self._activations(K)
        for v in self.activations.values():
            v.flags.writeable = False                                        # views of the saved arrays
        return S["h"][1:].copy(), self._pack([S[n][T].copy() for n in self.state_names])

    def _activations(self, K):
        acts = self._gates(K["a"])
        acts.update({n: K[n] for n in self.state_names})
        return acts

    def backward(self, dy, dstate=None):
        """Backpropagation through time: ``dx = cell.backward(dy, dstate=None)``.

        dy (T, B, H) is the gradient wrt y (None = zeros); ``dstate`` the gradient wrt the final state, in the form of
        the state (None = zeros). Returns dx (T, B, D); sets ``cell.grads`` (overwriting) and ``cell.dstate0``, the
        gradient wrt the initial state (same form as the state). Passing ``dstate0`` as ``dstate`` to the backward of
        the previous chunk, and summing the chunks' grads, gives full BPTT over the chunks; not passing it is truncated
        BPTT. Allowed once per forward, and only the last forward is kept: to go back through an earlier chunk, keep
        a copy of the cell made right after that chunk's forward (``copy.deepcopy``) or run its forward again.
        """
        if self._saved is None:
            raise V.no_forward()
        x, K = self._saved
        T, B, _ = x.shape
        H = self.hidden_size
        if dy is None:
            dy = np.zeros((T, B, H), self.dtype)
        dy = V.array("dy", dy, (T, B, H), self.dtype)                       # (T, B, H)
        ds = self._check_state("dstate", dstate, B)
        self._saved = None
        dK = self._new_grad_cache(B, T)
        J = self._local(K)                                                   # all steps at once
        self._W_hT = np.ascontiguousarray(self.W_h.T)   # (nH, H) W_hᵀ laid out for BLAS: ~1.25x faster than a .T view
        for t in range(T - 1, -1, -1):
            k = {n: v[t] for n, v in K.items()}
            j = {n: v[t] for n, v in J.items()}
            ds = self._step_back(dy[t] + ds[0], *ds[1:], k, j, {n: v[t] for n, v in dK.items()})
        for n, g in self._param_grads(x, K, dK).items():
            self.grads[n][...] = g
        self.dstate0 = self._pack(ds)
        da = dK["a"].reshape(T * B, dK["a"].shape[-1])                     # (T*B, nH)
        dx = np.matmul(da, self.W_x.T)                                       # (T*B, D) backprop into x, one product
        return dx.reshape(T, B, self.input_size)

    def _local(self, K):
        """Local derivatives for all steps at once; none by default (the step computes its own)."""
        return {}

    def _scratch(self, name, shape):
        """A reusable work array (no allocation inside the time loop); its contents are never kept."""
        buf = self.__dict__.setdefault("_work", {}).get(name)
        if buf is None or buf.shape != shape:
            buf = self._work[name] = np.empty(shape, self.dtype)
        return buf

    def _param_grads(self, x, K, dK):
        """dW = [h_{t-1}, x_t]ᵀ · da summed over steps and batch; db = Σ da. Cells with more parameters extend it."""
        T, B, D = x.shape
        H = self.hidden_size
        da = dK["a"].reshape(T * B, dK["a"].shape[-1])                     # (T*B, nH)
        dW = np.empty_like(self.params["W"])                                 # (H + D, nH)
        np.matmul(K["h_prev"].reshape(T * B, H).T, da, out=dW[:H])           # backprop into W_h
        np.matmul(x.reshape(T * B, D).T, da, out=dW[H:])                     # backprop into W_x
        return {"W": dW, "b": da.sum(axis=0)}

    # ---- PyTorch interchange (numpy arrays only; torch is never imported) ------------------------------------
    # _torch_order[k] = index of our gate block k in torch's order; _torch_name for messages
    _torch_order = None
    _torch_name = None

    @classmethod
    def from_torch(cls, sd, dtype=np.float64):
        """A cell with the weights of a one-layer PyTorch module's ``state_dict()`` (as numpy arrays or tensors).

        Expects exactly ``weight_ih_l0`` (nH, D), ``weight_hh_l0`` (nH, H), ``bias_ih_l0`` (nH,), ``bias_hh_l0``
        (nH,), gates in PyTorch's order. Our W is the transposes stacked, h rows first, gate blocks reordered;
        our b = bias_ih + bias_hh (the two always appear as a sum).
        """
        if cls._torch_order is None:
            raise TypeError(V._msg(f"expected a cell with a PyTorch counterpart (LSTM, GRU, RNN), got {cls.__name__}",
                                   f"期望在 PyTorch 中有对应模块的单元（LSTM、GRU、RNN），实际为 {cls.__name__}"))
        n = len(cls._torch_order)
        D, H = V.torch_sizes(sd, n, cls._torch_name)
        p = V.torch_state_dict(sd, {"weight_ih_l0": (n * H, D), "weight_hh_l0": (n * H, H),
                                    "bias_ih_l0": (n * H,), "bias_hh_l0": (n * H,)}, cls._torch_name)
        cell = cls(D, H, dtype=dtype)
        rows = np.concatenate([np.arange(j * H, (j + 1) * H) for j in cls._torch_order])  # torch rows in our order
        W = np.concatenate([p["weight_hh_l0"], p["weight_ih_l0"]], axis=1)[rows].T       # (H + D, nH)
        cell.params["W"][...] = W
        cell.params["b"][...] = (p["bias_ih_l0"] + p["bias_hh_l0"])[rows]
        return cell

    def to_torch(self):
        """The parameters as a one-layer PyTorch ``state_dict`` of numpy arrays (load with
        ``module.load_state_dict({k: torch.from_numpy(v) for k, v in sd.items()})``); bias_hh_l0 is zero."""
        if self._torch_order is None:
            raise TypeError(V._msg(f"expected a cell with a PyTorch counterpart (LSTM, GRU, RNN), got "
                                   f"{type(self).__name__}",
                                   f"期望在 PyTorch 中有对应模块的单元（LSTM、GRU、RNN），实际为 {type(self).__name__}"))
        H = self.hidden_size
        inv = np.argsort(self._torch_order)             # torch block j = our block inv[j]
        cols = np.concatenate([np.arange(j * H, (j + 1) * H) for j in inv])
        W = self.params["W"][:, cols]                   # (H + D, nH) in torch's gate order
        return {"weight_ih_l0": np.ascontiguousarray(W[H:].T), "weight_hh_l0": np.ascontiguousarray(W[:H].T),
                "bias_ih_l0": self.params["b"][cols].copy(), "bias_hh_l0": np.zeros(len(cols), self.dtype)}
