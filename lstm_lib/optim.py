"""Optimisers and gradient clipping.

An optimiser is given *modules*: one object or a list of objects that each have ``params`` and ``grads`` (dicts
name -> ndarray, same keys and shapes) — a cell, ``nn.Linear``, ``nn.Embedding`` or a ``train.Seq`` model. It reads
``module.grads[name]`` afresh at every ``step()`` (so a ``backward`` that replaces the gradient arrays is fine) and
updates ``module.params[name]`` **in place**, so every object that holds a reference to a parameter array sees the
new values.

Example::

    head = lstm_lib.nn.Linear(8, 1)
    opt = Adam(head, lr=1e-2)
    ...                      # forward, loss, backward (fills head.grads)
    norm = clip_grad_norm(head, max_norm=1.0)
    opt.step()
"""
import numpy as np

from .nn import _err

__all__ = ["SGD", "Adam", "clip_grad_norm", "global_norm"]


def _modules(modules, where):
    """A list of modules, each with matching ``params``/``grads`` dicts."""
    mods = list(modules) if isinstance(modules, (list, tuple)) else [modules]
    if not mods:
        raise _err(f"{where}: expected at least one module with params and grads, got an empty list",
                   f"{where}：至少需要一个带 params 与 grads 的模块，实际得到空列表")
    for m in mods:
        if not (hasattr(m, "params") and hasattr(m, "grads")):
            raise _err(f"{where}: expected objects with .params and .grads dicts (a cell, nn.Linear, nn.Embedding, "
                       f"train.Seq), got {type(m).__name__}",
                       f"{where}：应传入带有 .params 与 .grads 字典的对象（循环单元、nn.Linear、nn.Embedding、"
                       f"train.Seq），实际为 {type(m).__name__}", TypeError)
    return mods


def _pairs(mods, where):
    """Yield (module index, name, param, grad) after checking that each grad matches its param."""
    for j, m in enumerate(mods):
        params, grads = m.params, m.grads
        if set(params) != set(grads):
            raise _err(f"{where}: {type(m).__name__}.grads must have the keys of params {sorted(params)}, got "
                       f"{sorted(grads)}",
                       f"{where}：{type(m).__name__}.grads 的键应与 params 相同 {sorted(params)}，实际为 {sorted(grads)}",
                       KeyError)
        for name, p in params.items():
            g = grads[name]
            if g.shape != p.shape:
                raise _err(f"{where}: gradient {name!r} of {type(m).__name__} must have shape {p.shape}, got {g.shape}",
                           f"{where}：{type(m).__name__} 的梯度 {name!r} 形状应为 {p.shape}，实际为 {g.shape}")
            if not np.all(np.isfinite(g)):
                raise _err(f"{where}: gradient {name!r} of {type(m).__name__} contains NaN or inf; expected finite "
                           f"values (try a smaller learning rate or gradient clipping)",
                           f"{where}：{type(m).__name__} 的梯度 {name!r} 含 NaN 或 inf；应为有限值"
                           f"（可减小学习率或使用梯度裁剪）")
            yield j, name, p, g


def _check_lr(lr, where):
    if isinstance(lr, (bool, np.bool_)) or not isinstance(lr, (int, float, np.floating, np.integer)) or not lr > 0 \
            or not np.isfinite(lr):
        raise _err(f"{where}: lr must be a positive finite number, got {lr!r}",
                   f"{where}：lr（学习率）应为有限正数，实际为 {lr!r}")
    return float(lr)


def _finite_number(name, v, where):
    """float(v) for a real, finite number; otherwise an error in our own words (not Python's '<=' TypeError)."""
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.floating, np.integer)):
        raise _err(f"{where}: {name} must be a number, got {v!r}", f"{where}：{name} 应为数值，实际为 {v!r}", TypeError)
    if not np.isfinite(v):
        raise _err(f"{where}: {name} must be finite, got {v!r}", f"{where}：{name} 应为有限数，实际为 {v!r}")
    return float(v)


class SGD:
    """Stochastic gradient descent with (heavy-ball) momentum.

    Equations, for each parameter θ with gradient g (μ = momentum, η = lr)::

        v ← μ v + g
        θ ← θ − η v

    With μ = 0 this is plain gradient descent, θ ← θ − η g. (This is PyTorch's form of momentum; v starts at 0.)
    """

    def __init__(self, modules, lr=0.1, momentum=0.0):
        where = "SGD"
        self.modules = _modules(modules, where)
        self.lr = _check_lr(lr, where)
        momentum = _finite_number("momentum", momentum, where)
        if not (0.0 <= momentum < 1.0):
            raise _err(f"{where}: momentum must be in [0, 1), got {momentum!r}",
                       f"{where}：momentum（动量）应在 [0, 1) 内，实际为 {momentum!r}")
        self.momentum = float(momentum)
        self.v = {}                                      # (module index, name) -> velocity, same shape as θ

    def step(self):
        """Update every parameter in place from the current gradients."""
        for j, name, p, g in _pairs(self.modules, "SGD.step"):
            if self.momentum:
                v = self.v.get((j, name))
                v = g.copy() if v is None else self.momentum * v + g
                self.v[(j, name)] = v
                p -= (self.lr * v).astype(p.dtype, copy=False)
            else:
                p -= (self.lr * g).astype(p.dtype, copy=False)


class Adam:
    """Adam (Kingma & Ba, 2014, published at ICLR 2015; Algorithm 1).

    Equations, at step t = 1, 2, … for each parameter θ with gradient g::

        m ← β₁ m + (1 − β₁) g              first moment (mean of g)
        v ← β₂ v + (1 − β₂) g ⊙ g          second moment (uncentred variance of g)
        m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)   bias corrections (m and v start at 0)
        θ ← θ − η m̂ / (√v̂ + ε)

    Defaults η = 1e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, as in the paper.
    """

    def __init__(self, modules, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        where = "Adam"
        self.modules = _modules(modules, where)
        self.lr = _check_lr(lr, where)
        try:
            b1, b2 = (float(b) for b in betas)
        except Exception:
            raise _err(f"{where}: betas must be a pair (beta1, beta2), got {betas!r}",
                       f"{where}：betas 应为二元组 (beta1, beta2)，实际为 {betas!r}", TypeError) from None
        if not (0.0 <= b1 < 1.0 and 0.0 <= b2 < 1.0):
            raise _err(f"{where}: betas must both lie in [0, 1), got {betas!r}",
                       f"{where}：betas 的两个值都应在 [0, 1) 内，实际为 {betas!r}")
        eps = _finite_number("eps", eps, where)
        if not eps > 0:
            raise _err(f"{where}: eps must be positive, got {eps!r}", f"{where}：eps 应为正数，实际为 {eps!r}")
        self.beta1, self.beta2, self.eps = b1, b2, float(eps)
        self.t = 0
        self.m, self.v = {}, {}                          # (module index, name) -> moment, same shape as θ

    def step(self):
        """Update every parameter in place from the current gradients."""
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        c1, c2 = 1.0 - b1 ** self.t, 1.0 - b2 ** self.t  # bias corrections for this step
        for j, name, p, g in _pairs(self.modules, "Adam.step"):
            key = (j, name)
            m = self.m.get(key)
            v = self.v.get(key)
            if m is None:
                m, v = np.zeros_like(p), np.zeros_like(p)
            m = b1 * m + (1.0 - b1) * g
            v = b2 * v + (1.0 - b2) * (g * g)
            self.m[key], self.v[key] = m, v
            p -= (self.lr * (m / c1) / (np.sqrt(v / c2) + self.eps)).astype(p.dtype, copy=False)


def global_norm(modules):
    """‖g‖ = sqrt(Σ over every gradient array of Σ g²): the norm of all gradients seen as one long vector."""
    mods = _modules(modules, "global_norm")
    total = 0.0
    for _, _, _, g in _pairs(mods, "global_norm"):
        total += float(np.sum(np.square(g, dtype=np.float64)))
    return float(np.sqrt(total))


def clip_grad_norm(modules, max_norm):
    """Gradient clipping by global norm (Pascanu, Mikolov & Bengio, 2013), in place.

    Equations::

        n = ‖g‖ = sqrt(Σ_all g²)
        if n > max_norm:  g ← g · max_norm / n      (every gradient scaled by the same factor: direction unchanged)

    Returns the norm n measured *before* clipping (useful to log how often clipping fires).
    """
    where = "clip_grad_norm"
    if isinstance(max_norm, (bool, np.bool_)) or not isinstance(max_norm, (int, float, np.integer, np.floating)) \
            or not max_norm > 0 or not np.isfinite(max_norm):
        raise _err(f"{where}: max_norm must be a positive finite number, got {max_norm!r}",
                   f"{where}：max_norm 应为有限正数，实际为 {max_norm!r}")
    mods = _modules(modules, where)
    n = global_norm(mods)
    if n > max_norm:
        scale = max_norm / n
        for m in mods:
            for name in m.grads:
                m.grads[name] *= np.asarray(scale, dtype=m.grads[name].dtype)
    return n
