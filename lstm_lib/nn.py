"""Losses and the two small layers that sit around a recurrent cell: an output projection and an embedding.

Every layer keeps ``params`` and ``grads`` (dicts name -> ndarray, same keys and shapes, like the cells), has
``forward`` and ``backward`` side by side, and names each gradient ``d`` + the forward name. ``backward`` *fills*
``grads`` (it overwrites them; it does not add to what an earlier call left there), and may be called once per
``forward``.

Losses are plain functions returning ``(loss, dinput)``: the mean loss as a Python float and its gradient with respect
to the prediction, already divided by the number of terms in the mean.

Bad input raises ``ValueError``/``TypeError`` whose message names what was expected and what came, in English and then
in Chinese.
"""
import numpy as np

from ._validate import CallOrderError

__all__ = ["softmax_cross_entropy", "mse", "Linear", "Embedding", "softmax"]


# ---------------------------------------------------------------------------------------------------------------------
# input checks shared by the training kit (nn, optim, train, io, tasks)
# ---------------------------------------------------------------------------------------------------------------------
def _err(en, zh, exc=ValueError):
    """An exception whose message says the same thing in English, then in Chinese."""
    return exc(f"{en} / {zh}")


def _float_array(name, a, where, dtype=None):
    """``a`` as a finite floating-point ndarray (integers and bools are converted; other dtypes refused)."""
    try:
        arr = np.asarray(a)
    except Exception as e:  # ragged lists and the like
        raise _err(f"{where}: {name} must be a numeric array, got {type(a).__name__} ({e})",
                   f"{where}：{name} 应为数值数组，实际得到 {type(a).__name__}（{e}）", TypeError) from None
    if arr.dtype.kind not in "biuf":
        raise _err(f"{where}: {name} must be a real numeric array, got dtype {arr.dtype}",
                   f"{where}：{name} 应为实数数值数组，实际 dtype 为 {arr.dtype}", TypeError)
    if dtype is not None:
        arr = arr.astype(dtype, copy=False)
    elif arr.dtype.kind != "f":
        arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise _err(f"{where}: {name} contains {bad} NaN or inf value(s); expected finite numbers",
                   f"{where}：{name} 含有 {bad} 个 NaN 或 inf；应全部为有限数")
    return arr


def _int_array(name, a, where):
    """``a`` as an integer ndarray (floats that are whole numbers are refused: class labels must be integers)."""
    arr = np.asarray(a)
    if arr.dtype.kind not in "iu":
        raise _err(f"{where}: {name} must hold integer class indices, got dtype {arr.dtype}",
                   f"{where}：{name} 应为整数类别索引，实际 dtype 为 {arr.dtype}", TypeError)
    return arr


def _no_forward(where):
    """The error for a backward without a fresh forward (also used by train.Seq)."""
    return _err(f"{where}: call forward before backward (each forward allows one backward)",
                f"{where}：须先调用 forward 再调用 backward（每次 forward 只能对应一次 backward）", CallOrderError)


def _float_dtype(dtype, where):
    """np.dtype(dtype) if it is a floating type (float32 or float64), else a TypeError naming what came."""
    dt = np.dtype(dtype)
    if dt.kind != "f":
        raise _err(f"{where}: dtype must be a floating type (float32 or float64), got {dt}",
                   f"{where}：dtype 应为浮点类型（float32 或 float64），实际为 {dt}", TypeError)
    return dt


def _positive_int(name, v, where):
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
        raise _err(f"{where}: {name} must be a positive integer, got {v!r} ({type(v).__name__})",
                   f"{where}：{name} 应为正整数，实际为 {v!r}（{type(v).__name__}）", TypeError)
    if v <= 0:
        raise _err(f"{where}: {name} must be a positive integer, got {v}",
                   f"{where}：{name} 应为正整数，实际为 {v}")
    return int(v)


def _rng(rng, seed, where):
    """One ``np.random.Generator`` from either ``rng`` or ``seed`` (not both).

    Neither given means seed 0: every result in the course is reproducible by default, as nbval requires.
    """
    if rng is not None and seed is not None:
        raise _err(f"{where}: pass either rng or seed, not both",
                   f"{where}：rng 与 seed 只能传其一", TypeError)
    if rng is not None:
        if not isinstance(rng, np.random.Generator):
            raise _err(f"{where}: rng must be a numpy.random.Generator, got {type(rng).__name__}",
                       f"{where}：rng 应为 numpy.random.Generator，实际为 {type(rng).__name__}", TypeError)
        return rng
    if seed is None:
        seed = 0
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise _err(f"{where}: seed must be a non-negative integer, got {seed!r}",
                   f"{where}：seed 应为非负整数，实际为 {seed!r}", TypeError)
    return np.random.default_rng(int(seed))


# ---------------------------------------------------------------------------------------------------------------------
# losses
# ---------------------------------------------------------------------------------------------------------------------
def softmax(z, axis=-1):
    """Numerically stable softmax: p_k = exp(z_k − max z) / Σ_j exp(z_j − max z)."""
    z = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_cross_entropy(logits, targets):
    """Mean softmax cross-entropy of integer targets under logits, and its gradient.

    Equations (for each of the N = prod(logits.shape[:-1]) rows, K classes)::

        p = softmax(z),   p_k = exp(z_k) / Σ_j exp(z_j)
        L = −(1/N) Σ_n log p_{n, y_n}  = (1/N) Σ_n (logsumexp(z_n) − z_{n, y_n})
        dL/dz_n = (p_n − onehot(y_n)) / N

    Args:
        logits: (B, K) or (T, B, K) float — unnormalised scores (any leading shape).
        targets: (B,) or (T, B) int — class indices in [0, K), shape ``logits.shape[:-1]``.

    Returns:
        (loss, dlogits): ``loss`` a float, ``dlogits`` with the shape and dtype of ``logits`` (float64 if the logits
        are integers).

    Example:
        >>> loss, dz = softmax_cross_entropy(np.zeros((2, 4)), np.array([0, 3]))
        >>> round(loss, 4)   # log 4: uniform prediction over 4 classes
        1.3863
    """
    where = "softmax_cross_entropy"
    z = _float_array("logits", logits, where)
    y = _int_array("targets", targets, where)
    if z.ndim < 2:
        raise _err(f"{where}: logits must have shape (..., K) with at least 2 dimensions, e.g. (B, K); got shape {z.shape}",
                   f"{where}：logits 的形状应为 (..., K)，至少二维，如 (B, K)；实际形状为 {z.shape}")
    if y.shape != z.shape[:-1]:
        raise _err(f"{where}: targets must have shape {z.shape[:-1]} to match logits {z.shape}, got {y.shape}",
                   f"{where}：targets 的形状应为 {z.shape[:-1]}（与 logits {z.shape} 对应），实际为 {y.shape}")
    K = z.shape[-1]
    if y.size and (y.min() < 0 or y.max() >= K):
        raise _err(f"{where}: targets must lie in [0, {K}) for {K} classes, got values in [{y.min()}, {y.max()}]",
                   f"{where}：targets 应在 [0, {K}) 内（共 {K} 类），实际取值范围为 [{y.min()}, {y.max()}]")
    N = y.size
    if N == 0:
        raise _err(f"{where}: got an empty batch (logits {z.shape}); expected at least one row",
                   f"{where}：批次为空（logits {z.shape}）；至少需要一行")
    zs = z - np.max(z, axis=-1, keepdims=True)                         # (..., K) shift: exp never overflows
    log_p = zs - np.log(np.sum(np.exp(zs), axis=-1, keepdims=True))    # (..., K) log softmax
    log_p_y = np.take_along_axis(log_p, y[..., None], axis=-1)         # (..., 1) log p of the target class
    loss = float(-np.sum(log_p_y) / N)
    dlogits = np.exp(log_p)                                            # (..., K) p
    np.put_along_axis(dlogits, y[..., None], np.take_along_axis(dlogits, y[..., None], axis=-1) - 1.0, axis=-1)
    dlogits /= N                                                       # backprop into z: (p − onehot(y)) / N
    return loss, dlogits


def mse(pred, target):
    """Mean squared error and its gradient.

    Equations (N = number of elements)::

        L = (1/N) Σ_n (ŷ_n − y_n)²
        dL/dŷ = 2 (ŷ − y) / N

    Args:
        pred: float array of any shape, e.g. (B, 1) from a linear head.
        target: float array of exactly the same shape.

    Returns:
        (loss, dpred): ``loss`` a float, ``dpred`` with the shape of ``pred``.

    Example:
        >>> round(mse(np.array([[1.0], [1.0]]), np.array([[0.5], [1.5]]))[0], 4)
        0.25
    """
    where = "mse"
    p = _float_array("pred", pred, where)
    y = _float_array("target", target, where, dtype=p.dtype)
    if p.shape != y.shape:
        raise _err(f"{where}: target must have the same shape as pred {p.shape}, got {y.shape}",
                   f"{where}：target 的形状应与 pred {p.shape} 相同，实际为 {y.shape}")
    if p.size == 0:
        raise _err(f"{where}: got empty arrays (shape {p.shape}); expected at least one element",
                   f"{where}：数组为空（形状 {p.shape}）；至少需要一个元素")
    diff = p - y                                                       # same shape as pred
    loss = float(np.mean(diff * diff))
    dpred = (2.0 / diff.size) * diff                                   # backprop into ŷ
    return loss, dpred


# ---------------------------------------------------------------------------------------------------------------------
# layers
# ---------------------------------------------------------------------------------------------------------------------
class Linear:
    """Output projection (the "head" that reads a hidden state), applied to the last axis.

    Equations (row vectors, as everywhere in lstm_lib)::

        y = h @ W + b          h: (..., H)   W: (H, K)   b: (K,)   y: (..., K)
        dh = dy @ Wᵀ
        dW = Σ_rows hᵀ dy      db = Σ_rows dy

    ``h`` may be one state (B, H) or a whole sequence (T, B, H); the leading axes are treated as rows.

    Initialisation: W ~ U(−1/√H, 1/√H), b = 0, drawn from ``np.random.default_rng(seed)`` (or from ``rng``).

    Example:
        >>> head = Linear(3, 2, seed=0)
        >>> head.forward(np.zeros((4, 3))).shape
        (4, 2)
    """

    def __init__(self, in_features, out_features, seed=0, rng=None, dtype=np.float64):
        where = "Linear"
        self.in_features = _positive_int("in_features", in_features, where)
        self.out_features = _positive_int("out_features", out_features, where)
        self.dtype = _float_dtype(dtype, where)
        g = _rng(rng, None if rng is not None else seed, where)
        bound = 1.0 / np.sqrt(self.in_features)
        self.params = {
            "W": g.uniform(-bound, bound, (self.in_features, self.out_features)).astype(self.dtype),  # (H, K)
            "b": np.zeros(self.out_features, dtype=self.dtype),                                       # (K,)
        }
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self._h = None

    def forward(self, h):
        """h (..., H) -> y (..., K)."""
        where = "Linear.forward"
        h = _float_array("h", h, where, dtype=self.dtype)
        if h.ndim < 1 or h.shape[-1] != self.in_features:
            raise _err(f"{where}: h must have shape (..., {self.in_features}), e.g. (B, {self.in_features}) or "
                       f"(T, B, {self.in_features}); got {h.shape}",
                       f"{where}：h 的形状应为 (..., {self.in_features})，如 (B, {self.in_features}) 或 "
                       f"(T, B, {self.in_features})；实际为 {h.shape}")
        self._h = h
        return h @ self.params["W"] + self.params["b"]                  # (..., K)

    def backward(self, dy):
        """dy (..., K) -> dh (..., H); fills grads['W'], grads['b']."""
        where = "Linear.backward"
        if self._h is None:
            raise _no_forward(where)
        h, self._h = self._h, None
        expected = h.shape[:-1] + (self.out_features,)
        dy = _float_array("dy", dy, where, dtype=self.dtype)
        if dy.shape != expected:
            raise _err(f"{where}: dy must have shape {expected} (the forward output), got {dy.shape}",
                       f"{where}：dy 的形状应为 {expected}（与 forward 的输出相同），实际为 {dy.shape}")
        h2 = h.reshape(-1, self.in_features)                              # (N, H) rows
        dy2 = dy.reshape(-1, self.out_features)                           # (N, K)
        self.grads["W"] = h2.T @ dy2                                      # (H, K) backprop into W
        self.grads["b"] = dy2.sum(axis=0)                                 # (K,)   backprop into b
        return dy @ self.params["W"].T                                    # (..., H) backprop into h


class Embedding:
    """A lookup table turning integer tokens into vectors.

    Equations::

        x[t, b] = E[ids[t, b]]          ids: (T, B) int   E: (V, D)   x: (T, B, D)
        dE[v] = Σ_{(t, b): ids[t, b] = v} dx[t, b]

    It is the same as multiplying a one-hot row by E, without building the one-hot matrix.
    Initialisation: E ~ N(0, 1) · 0.1, from ``np.random.default_rng(seed)`` (or from ``rng``).

    Example:
        >>> emb = Embedding(5, 3, seed=0)
        >>> emb.forward(np.array([[0, 4], [2, 2]])).shape
        (2, 2, 3)
    """

    def __init__(self, num_embeddings, embedding_dim, seed=0, rng=None, dtype=np.float64):
        where = "Embedding"
        self.num_embeddings = _positive_int("num_embeddings", num_embeddings, where)
        self.embedding_dim = _positive_int("embedding_dim", embedding_dim, where)
        self.dtype = _float_dtype(dtype, where)
        g = _rng(rng, None if rng is not None else seed, where)
        self.params = {"E": (0.1 * g.standard_normal((self.num_embeddings, self.embedding_dim))).astype(self.dtype)}
        self.grads = {"E": np.zeros_like(self.params["E"])}
        self._ids = None

    def forward(self, ids):
        """ids (...) int in [0, V) -> x (..., D)."""
        where = "Embedding.forward"
        ids = _int_array("ids", ids, where)
        V = self.num_embeddings
        if ids.size and (ids.min() < 0 or ids.max() >= V):
            raise _err(f"{where}: ids must lie in [0, {V}), got values in [{ids.min()}, {ids.max()}]",
                       f"{where}：ids 应在 [0, {V}) 内，实际取值范围为 [{ids.min()}, {ids.max()}]")
        self._ids = ids
        return self.params["E"][ids]                                      # (..., D)

    def backward(self, dx):
        """dx (..., D) -> None (token ids have no gradient); fills grads['E']."""
        where = "Embedding.backward"
        if self._ids is None:
            raise _no_forward(where)
        ids, self._ids = self._ids, None
        expected = ids.shape + (self.embedding_dim,)
        dx = _float_array("dx", dx, where, dtype=self.dtype)
        if dx.shape != expected:
            raise _err(f"{where}: dx must have shape {expected} (the forward output), got {dx.shape}",
                       f"{where}：dx 的形状应为 {expected}（与 forward 的输出相同），实际为 {dx.shape}")
        dE = np.zeros_like(self.params["E"])                              # (V, D)
        np.add.at(dE, ids.reshape(-1), dx.reshape(-1, self.embedding_dim))  # a token seen twice gets both gradients
        self.grads["E"] = dE
        return None
