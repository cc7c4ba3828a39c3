r"""Additive attention (Bahdanau, Cho & Bengio 2015) and a small encoder–decoder built from the library's cells.

Equations (decoder step t, encoder step j, batch element b; row vectors as everywhere in lstm_lib)::

    e_tj   = vᵀ tanh(s_t W_q + h_j W_k + b)          score: how well encoder state h_j answers query s_t
    e_tj   = −∞  where mask_j is False               padded source positions get no weight
    α_tj   = exp(e_tj) / Σ_j' exp(e_tj')             attention weights, Σ_j α_tj = 1 (softmax over j)
    c_t    = Σ_j α_tj h_j                            context vector: a weighted average of encoder states

Shapes: queries s (Tq, B, Hq), encoder states h (Ts, B, Hk), mask (Ts, B) bool (True = a real position) →
weights α (Tq, B, Ts), context c (Tq, B, Hk). Parameters: ``W_q`` (Hq, A), ``W_k`` (Hk, A), ``b`` (A,), ``v`` (A,).

Backward (u_tj = tanh(s_t W_q + h_j W_k + b), shape (A,); dc_t given)::

    dα_tj  = dc_t · h_j                              backprop into the weights
    de_tj  = α_tj (dα_tj − Σ_j' α_tj' dα_tj')        through the softmax (masked entries have α = 0, so de = 0)
    dv     = Σ_tj de_tj u_tj
    dz_tj  = de_tj v ⊙ (1 − u_tj²)                   through tanh
    dW_q   = Σ_t s_tᵀ (Σ_j dz_tj)     ds_t = (Σ_j dz_tj) W_qᵀ
    dW_k   = Σ_j h_jᵀ (Σ_t dz_tj)     db = Σ_tj dz_tj
    dh_j   = Σ_t α_tj dc_t + (Σ_t dz_tj) W_kᵀ        h_j is both a value (averaged) and a key (scored)

Bahdanau et al. feed c_t into the decoder's recurrence; ``EncoderDecoder`` below instead reads c_t next to the
decoder state at the output layer (the "attend after the step" placement of Luong, Pham & Manning 2015, with
Bahdanau's additive score). Then encoder, decoder and attention each run over whole sequences at once, and the
backward pass is three library calls in reverse order.

Example::

    >>> import numpy as np
    >>> att = AdditiveAttention(query_size=3, key_size=4, attn_size=5, seed=0)
    >>> s = np.ones((2, 1, 3)); h = np.ones((6, 1, 4))            # Tq = 2 queries, Ts = 6 encoder states
    >>> c, alpha = att.forward(s, h)
    >>> c.shape, alpha.shape, bool(np.allclose(alpha.sum(-1), 1))
    ((2, 1, 4), (2, 1, 6), True)
"""
import numpy as np

from . import _validate as V
from .nn import Linear, _err, _no_forward, softmax_cross_entropy

__all__ = ["AdditiveAttention", "EncoderDecoder"]


def _seq(name, a, size, where):
    """A float (T, B, size) array with T ≥ 1, checked in the library's words."""
    a = V.array(name, a, (None, None, size), np.float64, ("T", "B", size))
    if a.shape[0] == 0:
        raise _err(f"{where}: {name} is an empty sequence (T = 0, shape {a.shape}); expected at least one step",
                   f"{where}：{name} 是空序列（T = 0，形状 {a.shape}）；至少需要一个时间步")
    return a


class AdditiveAttention:
    __doc__ = __doc__

    def __init__(self, query_size, key_size, attn_size, seed=0):
        self.query_size = V.size("query_size", query_size)
        self.key_size = V.size("key_size", key_size)
        self.attn_size = A = V.size("attn_size", attn_size)
        rng = np.random.default_rng(seed)
        self.params = {"W_q": rng.uniform(-1, 1, (self.query_size, A)) / np.sqrt(self.query_size),   # (Hq, A)
                       "W_k": rng.uniform(-1, 1, (self.key_size, A)) / np.sqrt(self.key_size),       # (Hk, A)
                       "b": np.zeros(A),                                                              # (A,)
                       "v": rng.uniform(-1, 1, A) / np.sqrt(A)}                                       # (A,)
        self.grads = {k: np.zeros_like(p) for k, p in self.params.items()}
        self._saved = None

    def forward(self, s, h, mask=None):
        """s (Tq, B, Hq), h (Ts, B, Hk), mask (Ts, B) bool or None -> context c (Tq, B, Hk), weights α (Tq, B, Ts)."""
        where = "AdditiveAttention.forward"
        s = _seq("s (queries)", s, self.query_size, where)
        h = _seq("h (encoder states)", h, self.key_size, where)
        Tq, B, _ = s.shape
        Ts = h.shape[0]
        if h.shape[1] != B:
            raise _err(f"{where}: s and h must have the same batch size, got s {s.shape} and h {h.shape}",
                       f"{where}：s 与 h 的批大小应相同，实际 s 为 {s.shape}，h 为 {h.shape}")
        if mask is None:
            mask = np.ones((Ts, B), bool)
        mask = np.asarray(mask)
        if mask.shape != (Ts, B) or mask.dtype != bool:
            raise _err(f"{where}: mask must be a bool array of shape (Ts, B) = {(Ts, B)}, got {mask.dtype} "
                       f"of shape {mask.shape}",
                       f"{where}：mask 应为形状 (Ts, B) = {(Ts, B)} 的布尔数组，实际为形状 {mask.shape} 的 {mask.dtype}")
        if not mask.any(axis=0).all():
            b = int(np.flatnonzero(~mask.any(axis=0))[0])
            raise _err(f"{where}: mask hides every source position of batch element {b}; expected at least one True",
                       f"{where}：mask 把第 {b} 个样本的所有源位置都遮住了；每列至少需要一个 True")
        p = self.params
        pq = s @ p["W_q"]                                        # (Tq, B, A)
        pk = h @ p["W_k"] + p["b"]                               # (Ts, B, A)
        u = np.tanh(pq[:, None] + pk[None])                      # (Tq, Ts, B, A)
        e = np.einsum("tjba,a->tbj", u, p["v"])                  # (Tq, B, Ts) scores
        e = np.where(mask.T[None], e, -np.inf)                   # masked positions: weight exactly 0
        e = e - e.max(axis=-1, keepdims=True)
        alpha = np.exp(e)
        alpha /= alpha.sum(axis=-1, keepdims=True)               # (Tq, B, Ts) softmax over source positions
        c = np.einsum("tbj,jbh->tbh", alpha, h)                  # (Tq, B, Hk) context
        self._saved = (s, h, u, alpha)
        return c, alpha

    def backward(self, dc, dalpha=None):
        """dc (Tq, B, Hk) [, dalpha (Tq, B, Ts)] -> (ds (Tq, B, Hq), dh (Ts, B, Hk)); fills ``grads``."""
        where = "AdditiveAttention.backward"
        if self._saved is None:
            raise _no_forward(where)
        s, h, u, alpha = self._saved
        self._saved = None
        dc = V.array("dc", dc, alpha.shape[:2] + (self.key_size,), np.float64)
        p = self.params
        da = np.einsum("tbh,jbh->tbj", dc, h)                    # (Tq, B, Ts) backprop into α via c
        if dalpha is not None:
            da = da + V.array("dalpha", dalpha, alpha.shape, np.float64)
        de = alpha * (da - np.sum(alpha * da, axis=-1, keepdims=True))   # (Tq, B, Ts) through the softmax
        de_j = de.transpose(0, 2, 1)                             # (Tq, Ts, B) same layout as u
        self.grads["v"] = np.einsum("tjb,tjba->a", de_j, u)
        dz = de_j[..., None] * p["v"] * (1 - u * u)              # (Tq, Ts, B, A) through tanh
        dpq, dpk = dz.sum(axis=1), dz.sum(axis=0)                # (Tq, B, A), (Ts, B, A)
        A = self.attn_size
        self.grads["W_q"] = s.reshape(-1, self.query_size).T @ dpq.reshape(-1, A)
        self.grads["W_k"] = h.reshape(-1, self.key_size).T @ dpk.reshape(-1, A)
        self.grads["b"] = dpk.sum(axis=(0, 1))
        ds = dpq @ p["W_q"].T                                    # (Tq, B, Hq) backprop into the queries
        dh = np.einsum("tbj,tbh->jbh", alpha, dc) + dpk @ p["W_k"].T   # (Ts, B, Hk): as values + as keys
        return ds, dh


class EncoderDecoder:
    """Sequence to sequence with the library's cells: an encoder reads the source, a decoder writes the target.

    Both cells are ``lstm_lib`` cells (``lstm_lib.LSTM`` by default, or ``lstm_lib.GRU``...). Inputs are one-hot
    symbols; the model appends a one-hot of the position to each encoder input, and the decoder's input at output
    step t is the one-hot of t (it is told *where* it is, never *what* to write)::

        h_1..h_Ts, state = encoder([x_j, onehot(j)])          encoder states (Ts, B, H)
        s_1..s_Tq        = decoder(onehot(t), initial=state)  decoder states (Tq, B, H): start from the last state
        bottleneck:  logits_t = s_t W_o + b_o                 (everything must pass through ``state``)
        attention:   c_t = attend(s_t, h_1..h_Ts);  logits_t = [s_t, c_t] W_o + b_o

    ``attention=False`` is the decoder that sees only the encoder's last state (Sutskever, Vinyals & Le 2014;
    Cho et al. 2014); ``attention=True`` adds the additive attention above. Everything else is identical.

    forward(x) with x (Ts, B, n_symbols) one-hot -> logits (Tq, B, n_symbols), Tq = Ts (``out_len`` to change).
    backward(dlogits) fills ``grads``; ``params``/``grads`` carry prefixed keys ('enc.W', 'att.v', ...), so
    ``optim.Adam(model)`` and ``optim.clip_grad_norm(model, 1.0)`` work on it.
    """

    def __init__(self, n_symbols, hidden_size, max_len, attention=True, cell=None, attn_size=None, seed=0):
        from .cells.lstm import LSTM
        cell = LSTM if cell is None else cell
        where = "EncoderDecoder"
        self.n_symbols = V.size("n_symbols", n_symbols)
        self.hidden_size = H = V.size("hidden_size", hidden_size)
        self.max_len = V.size("max_len", max_len)
        if not isinstance(attention, bool):
            raise _err(f"{where}: attention must be True or False, got {attention!r}",
                       f"{where}：attention 应为 True 或 False，实际为 {attention!r}", TypeError)
        self.attention = attention
        self.encoder = cell(self.n_symbols + self.max_len, H, seed=seed)
        self.decoder = cell(self.max_len, H, seed=seed + 1)
        if self.encoder.state_names != self.decoder.state_names:   # pragma: no cover (same class)
            raise _err(f"{where}: encoder and decoder states differ", f"{where}：编码器与解码器的状态形式不同")
        mods = {"enc": self.encoder, "dec": self.decoder}
        if attention:
            self.att = AdditiveAttention(H, H, attn_size or H, seed=seed + 2)
            mods["att"] = self.att
        self.head = Linear(2 * H if attention else H, self.n_symbols, seed=seed + 3)
        mods["head"] = self.head
        self._mods = mods
        self._saved = None

    @property
    def params(self):
        return {f"{m}.{k}": v for m, mod in self._mods.items() for k, v in mod.params.items()}

    @property
    def grads(self):
        return {f"{m}.{k}": v for m, mod in self._mods.items() for k, v in mod.grads.items()}

    def n_params(self):
        return int(sum(p.size for p in self.params.values()))

    def _positions(self, T, B):
        P = np.zeros((T, B, self.max_len))
        P[np.arange(T), :, np.arange(T)] = 1.0                   # (T, B, max_len) one-hot of the step
        return P

    def forward(self, x, out_len=None, mask=None):
        where = "EncoderDecoder.forward"
        x = _seq("x (source)", x, self.n_symbols, where)
        Ts, B, _ = x.shape
        Tq = Ts if out_len is None else V.size("out_len", out_len)
        if max(Ts, Tq) > self.max_len:
            raise _err(f"{where}: sequences of at most max_len = {self.max_len} steps, got source {Ts}, output {Tq}",
                       f"{where}：序列长度至多为 max_len = {self.max_len}，实际源序列 {Ts}、输出 {Tq}")
        h, state = self.encoder.forward(np.concatenate([x, self._positions(Ts, B)], axis=2))  # (Ts, B, H)
        s, _ = self.decoder.forward(self._positions(Tq, B), state)                           # (Tq, B, H)
        if self.attention:
            c, self.alpha = self.att.forward(s, h, mask)
            feats = np.concatenate([s, c], axis=2)               # (Tq, B, 2H)
        else:
            feats = s
        self._saved = True
        return self.head.forward(feats)                          # (Tq, B, n_symbols)

    def backward(self, dlogits):
        if self._saved is None:
            raise _no_forward("EncoderDecoder.backward")
        self._saved = None
        H = self.hidden_size
        dfeats = self.head.backward(dlogits)
        ds, dh = dfeats[..., :H], None
        if self.attention:
            ds_att, dh = self.att.backward(dfeats[..., H:])
            ds = ds + ds_att
        self.decoder.backward(ds)                                # dstate0: gradient into the encoder's last state
        self.encoder.backward(dh, self.decoder.dstate0)          # dh None for the bottleneck: only the last state

    def predict(self, x):
        out = self.forward(x)
        self._saved = None
        for m in self._mods.values():
            m._saved = None
        self.head._h = None
        return out

    def loss(self, x, y):
        """Mean cross-entropy of targets y (Tq, B) int, and accuracy per symbol; keeps the forward for backward."""
        logits = self.forward(x)
        L, dlogits = softmax_cross_entropy(logits, y)
        return L, dlogits, float(np.mean(logits.argmax(-1) == y))
