"""Checks for the exercises: each compares a student's function with the library's reference implementation.

Every check calls the student's function on several seeded random inputs, compares the result with the reference
(forward values: maximum absolute error; backward passes: also against centred finite differences from
``lstm_lib.gradcheck.numerical_gradient``, with CS231n's relative error ``lstm_lib.gradcheck.rel_error``,
``max |a - b| / max(1e-8, |a| + |b|)``), and

- on success prints one bilingual line, e.g. ``✓ rnn_step passed (max error < 1e-12) / 通过``, and returns ``True``
  (so a check cell is simply ``assert lstm_lib.check.rnn_step(rnn_step)``);
- on failure raises ``AssertionError`` with a bilingual message saying what is wrong, where, by how much, and a hint;
  the most common mistakes (a missing nonlinearity, a transposed matrix, swapped gate blocks, ...) are recognised by
  comparing the student's output with deliberately wrong variants of the reference;
- lets the ``NotImplementedError`` of an unfinished stub propagate unchanged;
- reports a wrong return type or shape as such, and wraps any other exception raised inside the student's function
  in an ``AssertionError`` that says which inputs (shapes) it was called with.

The references follow the course's notation (CONTRIBUTING.md): row vectors, ``[h, x] @ W + b`` with ``W`` of shape
``(H + D, nH)``, LSTM gate blocks in the order ``f | i | c_tilde | o``.
"""
import copy

import numpy as np

from .cells import _ops
from .gradcheck import numerical_gradient, rel_error

__all__ = ["rnn_step", "rnn_step_backward", "lstm_step", "rnn_jacobian", "clip_by_global_norm",
           "gradient_norm_vs_lag", "rel_error"]

# forward values are O(1); anything a float32 implementation gets right passes, anything conceptually wrong fails
_FORWARD_TOL = 1e-6
# backward: relative error against finite differences (float64, centred, eps = 1e-6 gives ~1e-9 for correct code)
_FD_TOL = 1e-5
_SEEDS = (0, 1, 2)


# ----------------------------------------------------------------------------------------------------------- helpers
def _max_err(a, b):
    return float(np.max(np.abs(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64))))


def _fail(en, zh):
    raise AssertionError(f"{en} / {zh}")


def _bound(err, tiers=(1e-12, 1e-9, 1e-6, 1e-3)):
    """The smallest tier that err is below, as a string: ``1e-12`` for 2.2e-16.

    A pass line prints this bound, never err itself: err is rounding-level (1.1e-16 on one BLAS kernel, 2.2e-16 on
    another), and the stored outputs nbval compares must read the same on every correct machine.
    """
    for tier in tiers:
        if err < tier:
            return f"{tier:.0e}"
    return f"{tiers[-1]:.0e}"  # unreachable for a passing check: every tolerance is below the last tier


def _passed(name, err, what="max error", what_zh="最大误差", fd=None):
    more_en = f"; relative error against finite differences < {_bound(fd)}" if fd is not None else ""
    more_zh = f"；与有限差分的相对误差 < {_bound(fd)}" if fd is not None else ""
    print(f"✓ {name} passed ({what} < {_bound(err)}{more_en}) / 通过（{what_zh} < {_bound(err)}{more_zh}）")
    return True


def _shapes(args):
    return ", ".join(f"{k} {tuple(np.shape(v))}" if isinstance(v, np.ndarray) else f"{k}={v!r}" for k, v in args.items())


def _call(name, fn, args):
    """Call the student's fn with copies of args (keyword order = positional order)."""
    if not callable(fn):
        _fail(f"{name}: expected a function, got {type(fn).__name__}",
              f"{name}：应传入一个函数，实际传入的是 {type(fn).__name__}")
    call_args = [copy.deepcopy(v) for v in args.values()]
    try:
        return fn(*call_args)
    except NotImplementedError:
        raise
    except Exception as err:  # any other error inside the student's code: say with which inputs it happened
        raise AssertionError(
            f"{name} raised {type(err).__name__}: {err} — called with {_shapes(args)} / "
            f"{name} 抛出了 {type(err).__name__}：{err} —— 调用时的输入为 {_shapes(args)}") from err


def _where(index):
    return "[" + ", ".join(str(int(i)) for i in index) + "]"


def _array(name, what, out, shape):
    """Check that ``out`` is a finite float ndarray of ``shape``; ``what`` names the output (e.g. 'h_t')."""
    if out is None:
        _fail(f"{name} returned None for {what} — did you forget `return`?",
              f"{name} 的 {what} 返回了 None —— 是否忘了写 `return`？")
    if not isinstance(out, np.ndarray):
        _fail(f"{name}: {what} should be a numpy array of shape {shape}, got {type(out).__name__}",
              f"{name}：{what} 应为形状 {shape} 的 numpy 数组，实际为 {type(out).__name__}")
    if out.shape != tuple(shape):
        hint_en = hint_zh = ""
        if out.ndim == 2 and len(shape) == 2 and out.shape == tuple(shape)[::-1]:
            hint_en, hint_zh = " (the transpose of what is expected)", "（恰好是所需形状的转置）"
        _fail(f"{name}: {what} has shape {out.shape}{hint_en}, expected {tuple(shape)}",
              f"{name}：{what} 的形状是 {out.shape}{hint_zh}，应为 {tuple(shape)}")
    if not np.issubdtype(out.dtype, np.floating):
        _fail(f"{name}: {what} has dtype {out.dtype}, expected floating point",
              f"{name}：{what} 的数据类型是 {out.dtype}，应为浮点数")
    if not np.all(np.isfinite(out)):
        _fail(f"{name}: {what} contains NaN or inf at {_where(np.argwhere(~np.isfinite(out))[0])}",
              f"{name}：{what} 在 {_where(np.argwhere(~np.isfinite(out))[0])} 处含有 NaN 或 inf")
    return out


def _tuple(name, out, names):
    if not isinstance(out, (tuple, list)) or len(out) != len(names):
        got = f"a {type(out).__name__} of length {len(out)}" if isinstance(out, (tuple, list)) else type(out).__name__
        got_zh = f"长度为 {len(out)} 的 {type(out).__name__}" if isinstance(out, (tuple, list)) else type(out).__name__
        _fail(f"{name} should return a tuple ({', '.join(names)}), got {got}",
              f"{name} 应返回元组 ({', '.join(names)})，实际返回 {got_zh}")
    return out


def _diagnose(out, candidates, tol=_FORWARD_TOL):
    """Name of the first wrong variant that ``out`` reproduces, or None."""
    for key, value in candidates.items():
        if value is not None and np.shape(value) == np.shape(out) and _max_err(out, value) <= tol:
            return key
    return None


def _num_grad(f, x, df):
    """Centred-difference gradient of sum(f() * df) wrt x (perturbed in place), by ``lstm_lib.gradcheck``."""
    return numerical_gradient(lambda: np.sum(f() * df), x, h=1e-3, points=4)


def _sigmoid(z):
    return _ops.sigmoid(np.asarray(z, dtype=np.float64))


# -------------------------------------------------------------------------------------------------------- references
def _cell(kind, W, b):
    """A library cell (lstm_lib.RNN / lstm_lib.LSTM) holding the given parameters: the reference IS the library."""
    from .cells import lstm as _lstm, rnn as _rnn
    cls = {"RNN": _rnn.RNN, "LSTM": _lstm.LSTM}[kind]
    n_blocks = len(cls.gate_names)
    H = W.shape[1] // n_blocks
    cell = cls(W.shape[0] - H, H, seed=0)
    cell.params["W"][...] = W
    cell.params["b"][...] = b
    return cell


def _rnn_step_ref(x_t, h_prev, W, b):
    """h_t = tanh([h_prev, x_t] @ W + b), by ``lstm_lib.RNN.step``."""
    h_t, _ = _cell("RNN", W, b).step(x_t, h_prev)
    return h_t


def _rnn_step_backward_ref(dh_t, x_t, h_prev, W, b):
    """(dx_t, dh_prev, dW, db) by ``lstm_lib.RNN.step_backward``."""
    cell = _cell("RNN", W, b)
    _, cache = cell.step(x_t, h_prev)
    cell.zero_grad()
    dx_t, dh_prev = cell.step_backward(dh_t, cache)
    return dx_t, dh_prev, cell.grads["W"].copy(), cell.grads["b"].copy()


def _lstm_gates(x_t, h_prev, W, b, order="fico", concat="hx", act=None):
    """Gates of one LSTM step, with switches used to imitate common mistakes."""
    act = {"f": _sigmoid, "i": _sigmoid, "c_tilde": np.tanh, "o": _sigmoid, **(act or {})}
    H = h_prev.shape[1]
    hx = np.concatenate([h_prev, x_t] if concat == "hx" else [x_t, h_prev], axis=1)
    a = hx @ W + b                                                      # (B, 4H)
    names = {"f": "f", "i": "i", "c": "c_tilde", "o": "o"}
    blocks = {names[k]: a[:, n * H:(n + 1) * H] for n, k in enumerate(order)}
    return {g: act[g](blocks[g]) for g in ("f", "i", "c_tilde", "o")}


def _lstm_step_ref(x_t, h_prev, c_prev, W, b):
    """(h_t, c_t) by ``lstm_lib.LSTM.step``."""
    (h_t, c_t), _ = _cell("LSTM", W, b).step(x_t, (h_prev, c_prev))
    return h_t, c_t


def _rnn_jacobian_ref(x_t, h_prev, W, b):
    """J = diag(1 - h_t²) @ W[:H].T, with h_t from ``lstm_lib.RNN.step`` (batch of one)."""
    H = h_prev.shape[0]
    h_t = _rnn_step_ref(x_t[None], h_prev[None], W, b)[0]
    return (1.0 - h_t ** 2)[:, None] * W[:H].T        # J[j, k] = (1 - h_t[j]^2) W[k, j]


def _clip_ref(grads, max_norm):
    total = float(np.sqrt(sum(np.sum(g.astype(np.float64) ** 2) for g in grads.values())))
    scale = max_norm / total if total > max_norm else 1.0
    return {k: g * scale for k, g in grads.items()}, total


def _gradient_norm_vs_lag_ref(W_hh, lags):
    return np.array([np.linalg.norm(np.linalg.matrix_power(W_hh, k), 2) for k in lags])


def _random_rnn(rng, B, D, H, scale=0.5):
    return (rng.normal(size=(B, D)), rng.normal(size=(B, H)) * 0.8,
            rng.normal(size=(H + D, H)) * scale, rng.normal(size=H) * scale)


_SHAPES = ((3, 4, 5), (2, 3, 2), (4, 2, 6))       # (B, D, H); D != H so a swapped concatenation is visible


# ------------------------------------------------------------------------------------------------------------ checks
def rnn_step(fn):
    """Check ``fn(x_t, h_prev, W, b) -> h_t``, one step of a vanilla RNN.

    Shapes: ``x_t`` (B, D), ``h_prev`` (B, H), ``W`` (H + D, H), ``b`` (H,) -> ``h_t`` (B, H), with

        h_t = tanh([h_prev, x_t] @ W + b)          (text: h_t = tanh(W · [h_{t-1}, x_t] + b))

    Recognised mistakes: no tanh, sigmoid instead of tanh, ``[x, h]`` instead of ``[h, x]``, no bias.
    """
    name, worst = "rnn_step", 0.0
    for seed, (B, D, H) in zip(_SEEDS, _SHAPES):
        rng = np.random.default_rng(seed)
        x_t, h_prev, W, b = _random_rnn(rng, B, D, H)
        args = {"x_t": x_t, "h_prev": h_prev, "W": W, "b": b}
        out = _array(name, "h_t", _call(name, fn, args), (B, H))
        ref = _rnn_step_ref(x_t, h_prev, W, b)
        err = _max_err(out, ref)
        if err > _FORWARD_TOL:
            hx, xh = np.concatenate([h_prev, x_t], 1), np.concatenate([x_t, h_prev], 1)
            mistake = _diagnose(out, {
                "no_tanh": hx @ W + b, "sigmoid": _sigmoid(hx @ W + b), "xh": np.tanh(xh @ W + b),
                "no_b": np.tanh(hx @ W), "b_after": np.tanh(hx @ W) + b})
            hints = {
                "no_tanh": ("you returned [h_prev, x_t] @ W + b: apply tanh", "你返回的是 [h_prev, x_t] @ W + b：还要套上 tanh"),
                "sigmoid": ("you used the sigmoid; a vanilla RNN uses tanh", "你用的是 sigmoid；普通 RNN 用的是 tanh"),
                "xh": ("you concatenated [x_t, h_prev]; the course's order is [h_prev, x_t] (h first)",
                       "你拼接成了 [x_t, h_prev]；本课程的顺序是 [h_prev, x_t]（h 在前）"),
                "no_b": ("the bias b is missing", "漏加了偏置 b"),
                "b_after": ("b is added after tanh; it belongs inside: tanh([h_prev, x_t] @ W + b)",
                            "b 加在了 tanh 之后；它应在 tanh 之内：tanh([h_prev, x_t] @ W + b)"),
            }
            hint = hints.get(mistake, ("compare with h_t = tanh([h_prev, x_t] @ W + b)",
                                       "请对照 h_t = tanh([h_prev, x_t] @ W + b)"))
            at = _where(np.unravel_index(np.argmax(np.abs(out - ref)), ref.shape))
            _fail(f"h_t wrong at {at} (batch row, unit) (max error {err:.2g}): {hint[0]}",
                  f"h_t 在 {at}（批次行，单元）处不对（最大误差 {err:.2g}）：{hint[1]}")
        worst = max(worst, err)
    return _passed(name, worst)


def rnn_step_backward(fn):
    """Check ``fn(dh_t, x_t, h_prev, W, b) -> (dx_t, dh_prev, dW, db)``, the backward pass of ``rnn_step``.

    ``dh_t`` (B, H) is the gradient of the loss with respect to ``h_t = tanh(a)``, ``a = [h_prev, x_t] @ W + b``:

        da = dh_t * (1 - h_t**2)         (B, H)
        dW = [h_prev, x_t]^T @ da        (H + D, H)
        db = sum of da over the batch    (H,)
        [dh_prev, dx_t] = da @ W^T       (B, H) and (B, D)

    Each gradient is compared with the reference and with centred finite differences of ``sum(h_t * dh_t)``.
    Recognised mistakes: no ``(1 - h_t²)`` factor, ``W`` instead of ``W^T``, ``db`` not summed over the batch
    (or averaged), ``dx_t`` and ``dh_prev`` taken from the wrong columns.
    """
    name, worst, worst_fd = "rnn_step_backward", 0.0, 0.0
    names = ("dx_t", "dh_prev", "dW", "db")
    for seed, (B, D, H) in zip(_SEEDS, _SHAPES):
        rng = np.random.default_rng(100 + seed)
        x_t, h_prev, W, b = _random_rnn(rng, B, D, H)
        dh_t = rng.normal(size=(B, H))
        args = {"dh_t": dh_t, "x_t": x_t, "h_prev": h_prev, "W": W, "b": b}
        out = _tuple(name, _call(name, fn, args), names)
        shapes = {"dx_t": (B, D), "dh_prev": (B, H), "dW": (H + D, H), "db": (H,)}
        if np.shape(out[3]) == (B, H):
            _fail(f"{name}: db has shape {(B, H)}, expected {(H,)}: sum da over the batch (axis 0) — b is shared "
                  f"by every example", f"{name}：db 的形状是 {(B, H)}，应为 {(H,)}：要对 da 沿批次维（axis 0）求和——"
                  f"所有样本共用同一个 b")
        out = {k: _array(name, k, v, shapes[k]) for k, v in zip(names, out)}
        ref = dict(zip(names, _rnn_step_backward_ref(dh_t, x_t, h_prev, W, b)))
        # finite differences of the true forward pass
        xs = {"dx_t": x_t.copy(), "dh_prev": h_prev.copy(), "dW": W.copy(), "db": b.copy()}
        f = lambda: _rnn_step_ref(xs["dx_t"], xs["dh_prev"], xs["dW"], xs["db"])  # noqa: E731
        num = {k: _num_grad(f, xs[k], dh_t) for k in names}
        # wrong variants, computed once
        h_t = _rnn_step_ref(x_t, h_prev, W, b)
        hx = np.concatenate([h_prev, x_t], 1)
        da, da_raw = dh_t * (1 - h_t ** 2), dh_t
        dhx, dhx_raw = da @ W.T, da_raw @ W.T
        wrong = {
            "dx_t": {"no_dtanh": dhx_raw[:, H:], "no_T": (da @ W[H:] if D == H else None),
                     "cols": dhx[:, :D]},
            "dh_prev": {"no_dtanh": dhx_raw[:, :H], "no_T": da @ W[:H], "cols": dhx[:, D:]},
            "dW": {"no_dtanh": hx.T @ da_raw},
            "db": {"no_dtanh": da_raw.sum(0), "mean": da.mean(0)},
        }
        hints = {
            "no_dtanh": ("the tanh derivative is missing: multiply dh_t by (1 - h_t²) first",
                         "漏了 tanh 的导数：先把 dh_t 乘以 (1 - h_t²)"),
            "no_T": ("you multiplied by W; backprop into the input of a @ W uses W transposed (da @ W.T)",
                     "你乘的是 W；对 a @ W 的输入反向传播要用 W 的转置（da @ W.T）"),
            "cols": ("dx_t and dh_prev come from the wrong columns of da @ W.T: the first H columns belong to h_prev",
                     "dx_t 与 dh_prev 取错了 da @ W.T 的列：前 H 列属于 h_prev"),
            "mean": ("you averaged da over the batch; db is the sum (b is shared by all examples)",
                     "你对 da 在批次上取了平均；db 应是求和（所有样本共用 b）"),
        }
        for k in names:
            err = _max_err(out[k], ref[k])
            worst = max(worst, err)
            if err > _FORWARD_TOL * max(1.0, float(np.max(np.abs(ref[k])))):
                rel = rel_error(out[k], num[k])
                mistake = _diagnose(out[k], wrong[k])
                hint = hints.get(mistake, ("compare with da = dh_t * (1 - h_t²), dW = [h_prev, x_t].T @ da, "
                                           "db = da.sum(0), [dh_prev, dx_t] = da @ W.T",
                                           "请对照 da = dh_t * (1 - h_t²)、dW = [h_prev, x_t].T @ da、"
                                           "db = da.sum(0)、[dh_prev, dx_t] = da @ W.T"))
                at = _where(np.unravel_index(np.argmax(np.abs(out[k] - ref[k])), ref[k].shape))
                _fail(f"{k} wrong (relative error {rel:.2g} against finite differences; max error {err:.2g} at "
                      f"{k}{at}): {hint[0]}",
                      f"{k} 不对（与有限差分的相对误差 {rel:.2g}；最大误差 {err:.2g}，位于 {k}{at}）：{hint[1]}")
            rel = rel_error(out[k], num[k])
            worst_fd = max(worst_fd, rel)
            if rel > _FD_TOL:   # agrees with the reference but not with finite differences: cannot happen for float64
                _fail(f"{k} disagrees with finite differences (relative error {rel:.2g}); is it computed in float64?",
                      f"{k} 与有限差分不符（相对误差 {rel:.2g}）；是否用 float64 计算？")
    return _passed(name, worst, fd=worst_fd)


def lstm_step(fn):
    """Check ``fn(x_t, h_prev, c_prev, W, b) -> (h_t, c_t)``, one step of an LSTM.

    Shapes: ``x_t`` (B, D), ``h_prev`` and ``c_prev`` (B, H), ``W`` (H + D, 4H), ``b`` (4H,); the columns of ``W``
    and ``b`` are four blocks of width H in the order ``f | i | c_tilde | o``:

        a = [h_prev, x_t] @ W + b                        (B, 4H)
        f = σ(a[:, :H])        i = σ(a[:, H:2H])        c_tilde = tanh(a[:, 2H:3H])        o = σ(a[:, 3H:])
        c_t = f * c_prev + i * c_tilde
        h_t = o * tanh(c_t)

    The message names the gate that is wrong: each single mistake in one gate (missing or wrong nonlinearity,
    blocks in another order, ``1 - f``, ...) is tried; otherwise the gate is located by rerunning with ``c_prev = 0``.
    """
    name, worst = "lstm_step", 0.0
    gate_names = {"f": ("forget gate f", "遗忘门 f"), "i": ("input gate i", "输入门 i"),
                  "c_tilde": ("candidate values c_tilde", "候选值 c_tilde"), "o": ("output gate o", "输出门 o")}
    for seed, (B, D, H) in zip(_SEEDS, _SHAPES):
        rng = np.random.default_rng(200 + seed)
        x_t, h_prev = rng.normal(size=(B, D)), rng.normal(size=(B, H)) * 0.8
        c_prev = rng.normal(size=(B, H))
        W, b = rng.normal(size=(H + D, 4 * H)) * 0.5, rng.normal(size=4 * H) * 0.5
        args = {"x_t": x_t, "h_prev": h_prev, "c_prev": c_prev, "W": W, "b": b}
        h_out, c_out = _tuple(name, _call(name, fn, args), ("h_t", "c_t"))
        h_out, c_out = _array(name, "h_t", h_out, (B, H)), _array(name, "c_t", c_out, (B, H))
        h_ref, c_ref = _lstm_step_ref(x_t, h_prev, c_prev, W, b)
        err_h, err_c = _max_err(h_out, h_ref), _max_err(c_out, c_ref)
        worst = max(worst, err_h, err_c)
        if max(err_h, err_c) <= _FORWARD_TOL:
            continue

        def variant(order="fico", concat="hx", act=None, cell=None, out=None, bias=True):
            g = _lstm_gates(x_t, h_prev, W, b if bias else 0 * b, order, concat, act)
            c = cell(g) if cell else g["f"] * c_prev + g["i"] * g["c_tilde"]
            return (out(g, c) if out else g["o"] * np.tanh(c)), c

        ident = lambda z: z  # noqa: E731
        sig, tanh = _sigmoid, np.tanh
        # (gate or None, english, chinese) -> (h, c)
        candidates = [
            ("f", "did you apply the sigmoid?", "是否漏了 sigmoid？", variant(act={"f": ident})),
            ("f", "it should be a sigmoid, not tanh", "应使用 sigmoid，而不是 tanh", variant(act={"f": tanh})),
            ("f", "you used 1 - f: c_t = f * c_prev + i * c_tilde keeps c_prev where f is near 1",
             "你用了 1 - f：c_t = f * c_prev + i * c_tilde，f 接近 1 时保留 c_prev",
             variant(cell=lambda g: (1 - g["f"]) * c_prev + g["i"] * g["c_tilde"])),
            ("f", "the forget gate is not applied: c_t = f * c_prev + i * c_tilde",
             "没有使用遗忘门：c_t = f * c_prev + i * c_tilde",
             variant(cell=lambda g: c_prev + g["i"] * g["c_tilde"])),
            ("i", "did you apply the sigmoid?", "是否漏了 sigmoid？", variant(act={"i": ident})),
            ("i", "it should be a sigmoid, not tanh", "应使用 sigmoid，而不是 tanh", variant(act={"i": tanh})),
            ("i", "the input gate is not applied: c_t = f * c_prev + i * c_tilde",
             "没有使用输入门：c_t = f * c_prev + i * c_tilde",
             variant(cell=lambda g: g["f"] * c_prev + g["c_tilde"])),
            ("c_tilde", "it should be tanh, not the sigmoid", "应使用 tanh，而不是 sigmoid",
             variant(act={"c_tilde": sig})),
            ("c_tilde", "did you apply tanh?", "是否漏了 tanh？", variant(act={"c_tilde": ident})),
            ("o", "did you apply the sigmoid?", "是否漏了 sigmoid？", variant(act={"o": ident})),
            ("o", "it should be a sigmoid, not tanh", "应使用 sigmoid，而不是 tanh", variant(act={"o": tanh})),
            ("o", "h_t = o * tanh(c_t): the tanh of c_t is missing", "h_t = o * tanh(c_t)：漏了对 c_t 取 tanh",
             variant(out=lambda g, c: g["o"] * c)),
            ("o", "h_t = o * tanh(c_t) uses the new cell state c_t, not c_prev",
             "h_t = o * tanh(c_t) 用的是新的细胞状态 c_t，而不是 c_prev",
             variant(out=lambda g, c: g["o"] * np.tanh(c_prev))),
            (None, "the gate blocks are in the order i | f | c_tilde | o; the course uses f | i | c_tilde | o",
             "门的分块顺序成了 i | f | c_tilde | o；本课程的顺序是 f | i | c_tilde | o", variant(order="ifco")),
            (None, "the gate blocks are in the order i | f | o | c_tilde; the course uses f | i | c_tilde | o",
             "门的分块顺序成了 i | f | o | c_tilde；本课程的顺序是 f | i | c_tilde | o", variant(order="ifoc")),
            (None, "the gate blocks are in the order f | i | o | c_tilde; the course uses f | i | c_tilde | o",
             "门的分块顺序成了 f | i | o | c_tilde；本课程的顺序是 f | i | c_tilde | o", variant(order="fioc")),
            (None, "you concatenated [x_t, h_prev]; the course's order is [h_prev, x_t] (h first)",
             "你拼接成了 [x_t, h_prev]；本课程的顺序是 [h_prev, x_t]（h 在前）", variant(concat="xh")),
            (None, "the bias b is missing", "漏加了偏置 b", variant(bias=False)),
        ]
        for gate, en, zh, (h_v, c_v) in candidates:
            if _max_err(h_out, h_v) <= _FORWARD_TOL and _max_err(c_out, c_v) <= _FORWARD_TOL:
                g_en, g_zh = gate_names[gate] if gate else ("all four gates", "")
                which, err = ("c_t", err_c) if err_c > _FORWARD_TOL else ("h_t", err_h)
                head_zh = f"{g_zh} 不对" if gate else "四个门都不对"
                _fail(f"{g_en} wrong (max error {err:.2g} in {which}): {en}",
                      f"{head_zh}（{which} 的最大误差 {err:.2g}）：{zh}")
        # no known mistake: locate the gate. c_t right, h_t wrong -> output side
        if err_c <= _FORWARD_TOL:
            _fail(f"c_t is right but h_t is wrong (max error {err_h:.2g}): check the output gate o = σ(a[:, 3H:]) "
                  f"and h_t = o * tanh(c_t)",
                  f"c_t 正确但 h_t 不对（最大误差 {err_h:.2g}）：请检查输出门 o = σ(a[:, 3H:]) 与 h_t = o * tanh(c_t)")
        # with c_prev = 0 the forget gate drops out: if c_t is right then, the forget gate is the culprit
        args0 = dict(args, c_prev=np.zeros_like(c_prev))
        _, c0 = _tuple(name, _call(name, fn, args0), ("h_t", "c_t"))
        c0 = _array(name, "c_t", c0, (B, H))
        if _max_err(c0, _lstm_step_ref(x_t, h_prev, args0["c_prev"], W, b)[1]) <= _FORWARD_TOL:
            _fail(f"forget gate f wrong (max error {err_c:.2g} in c_t; c_t is right when c_prev = 0): check "
                  f"f = σ(a[:, :H]) and the term f * c_prev",
                  f"遗忘门 f 不对（c_t 的最大误差 {err_c:.2g}；c_prev = 0 时 c_t 正确）：请检查 f = σ(a[:, :H]) "
                  f"与 f * c_prev 这一项")
        _fail(f"input gate i or candidate values c_tilde wrong (max error {err_c:.2g} in c_t, even with c_prev = 0):"
              f" check i = σ(a[:, H:2H]), c_tilde = tanh(a[:, 2H:3H]) and the term i * c_tilde",
              f"输入门 i 或候选值 c_tilde 不对（c_t 的最大误差 {err_c:.2g}，c_prev = 0 时依然如此）：请检查 "
              f"i = σ(a[:, H:2H])、c_tilde = tanh(a[:, 2H:3H]) 与 i * c_tilde 这一项")
    return _passed(name, worst)


def rnn_jacobian(fn):
    """Check ``fn(x_t, h_prev, W, b) -> J``, the Jacobian of one RNN step with respect to the previous hidden state.

    Single example (no batch): ``x_t`` (D,), ``h_prev`` (H,), ``W`` (H + D, H), ``b`` (H,) -> ``J`` (H, H) with
    ``h_t = tanh([h_prev, x_t] @ W + b)`` and

        J[j, k] = ∂h_t[j] / ∂h_prev[k] = (1 - h_t[j]**2) * W[k, j]

    (the first H rows of ``W`` multiply ``h_prev``; in matrix form ``J = diag(1 - h_t²) @ W[:H].T``).
    Compared with the reference and with centred finite differences. Recognised mistakes: transposed ``J``,
    no ``(1 - h_t²)`` factor, the factor applied to the wrong axis.
    """
    name, worst, worst_fd = "rnn_jacobian", 0.0, 0.0
    for seed, (_, D, H) in zip(_SEEDS, _SHAPES):
        rng = np.random.default_rng(300 + seed)
        x_t, h_prev = rng.normal(size=D), rng.normal(size=H) * 0.8
        W, b = rng.normal(size=(H + D, H)) * 0.5, rng.normal(size=H) * 0.5
        args = {"x_t": x_t, "h_prev": h_prev, "W": W, "b": b}
        out = _array(name, "J", _call(name, fn, args), (H, H))
        ref = _rnn_jacobian_ref(x_t, h_prev, W, b)
        hp = h_prev.copy()
        num = np.stack([_num_grad(lambda: _rnn_step_ref(x_t[None], hp[None], W, b)[0], hp, np.eye(H)[j])
                        for j in range(H)])    # row j: gradient of h_t[j] wrt h_prev
        err = _max_err(out, ref)
        worst, worst_fd = max(worst, err), max(worst_fd, rel_error(out, num))
        if err > _FORWARD_TOL:
            h_t = np.tanh(np.concatenate([h_prev, x_t]) @ W + b)
            mistake = _diagnose(out, {"T": ref.T, "no_dtanh": W[:H].T, "no_dtanh_T": W[:H],
                                      "axis": W[:H].T * (1 - h_t ** 2)[None, :]})
            hints = {
                "T": ("J is transposed: row j is ∂h_t[j], column k is ∂h_prev[k], so J = diag(1 - h_t²) @ W[:H].T",
                      "J 被转置了：第 j 行对应 ∂h_t[j]，第 k 列对应 ∂h_prev[k]，故 J = diag(1 - h_t²) @ W[:H].T"),
                "no_dtanh": ("the tanh derivative (1 - h_t²) is missing", "漏了 tanh 的导数 (1 - h_t²)"),
                "no_dtanh_T": ("the tanh derivative (1 - h_t²) is missing and J is transposed",
                               "漏了 tanh 的导数 (1 - h_t²)，而且 J 被转置了"),
                "axis": ("(1 - h_t²) scales the wrong axis: it belongs to row j (the output unit), J[j, k] = "
                         "(1 - h_t[j]²) W[k, j]",
                         "(1 - h_t²) 乘错了维度：它属于第 j 行（输出单元），J[j, k] = (1 - h_t[j]²) W[k, j]"),
            }
            hint = hints.get(mistake, ("compare with J[j, k] = (1 - h_t[j]²) * W[k, j]",
                                       "请对照 J[j, k] = (1 - h_t[j]²) * W[k, j]"))
            at = _where(np.unravel_index(np.argmax(np.abs(out - ref)), ref.shape))
            _fail(f"J wrong (relative error {rel_error(out, num):.2g} against finite differences; max error {err:.2g} "
                  f"at J{at}): {hint[0]}",
                  f"J 不对（与有限差分的相对误差 {rel_error(out, num):.2g}；最大误差 {err:.2g}，位于 J{at}）：{hint[1]}")
    return _passed(name, worst, fd=worst_fd)


def clip_by_global_norm(fn):
    """Check ``fn(grads, max_norm) -> (clipped, total_norm)``, gradient clipping by the global norm.

    ``grads`` is a dict name -> ndarray; ``total_norm = sqrt(sum over all tensors of sum(g**2))`` is the norm of all
    gradients taken together *before* clipping. If ``total_norm > max_norm`` every tensor is scaled by the same factor
    ``max_norm / total_norm`` (so the direction of the whole gradient is kept); otherwise the gradients are returned
    unchanged. ``clipped`` is a new dict with the same keys and shapes; the input arrays must not be modified.
    Recognised mistakes: clipping each tensor separately, modifying the input in place, clipping when the norm is
    below the threshold, returning the norm after clipping, forgetting the square root.
    """
    name = "clip_by_global_norm"
    worst = 0.0
    for seed, (max_norm, big) in enumerate([(1.0, True), (5.0, True), (100.0, False)]):
        rng = np.random.default_rng(400 + seed)
        grads = {"W": rng.normal(size=(6, 4)) * (3.0 if big else 0.5), "b": rng.normal(size=4),
                 "W_y": rng.normal(size=(4, 2)) * (0.2 if big else 0.5)}
        original = {k: v.copy() for k, v in grads.items()}
        ref, ref_total = _clip_ref(grads, max_norm)
        try:
            result = fn(grads, max_norm)      # the real dict, to catch in-place modification
        except NotImplementedError:
            raise
        except Exception as err:
            raise AssertionError(
                f"{name} raised {type(err).__name__}: {err} — called with grads {{'W' (6, 4), 'b' (4,), "
                f"'W_y' (4, 2)}}, max_norm={max_norm} / {name} 抛出了 {type(err).__name__}：{err} —— 调用时 grads 为 "
                f"{{'W' (6, 4), 'b' (4,), 'W_y' (4, 2)}}，max_norm={max_norm}") from err
        clipped, total = _tuple(name, result, ("clipped", "total_norm"))
        if set(grads) != set(original) or any(not np.array_equal(grads[k], original[k]) for k in original):
            _fail(f"{name} modified the input gradients in place: return new arrays (g * scale, not g *= scale)",
                  f"{name} 原地修改了输入的梯度：请返回新的数组（用 g * scale，而不是 g *= scale）")
        if not isinstance(clipped, dict) or set(clipped) != set(grads):
            got = sorted(clipped) if isinstance(clipped, dict) else type(clipped).__name__
            _fail(f"{name}: clipped should be a dict with keys {sorted(grads)}, got {got}",
                  f"{name}：clipped 应为键为 {sorted(grads)} 的 dict，实际为 {got}")
        for k in grads:
            _array(name, f"clipped[{k!r}]", clipped[k], grads[k].shape)
        try:
            total = float(total)
        except (TypeError, ValueError):
            _fail(f"{name}: total_norm should be a number, got {type(total).__name__}",
                  f"{name}：total_norm 应为一个数，实际为 {type(total).__name__}")
        squares = ref_total ** 2
        if abs(total - ref_total) > 1e-6 * ref_total:
            if abs(total - squares) <= 1e-6 * squares:
                hint = ("you returned the sum of squares: take its square root", "你返回的是平方和：还要开平方根")
            elif big and abs(total - max_norm) <= 1e-6 * max_norm:
                hint = ("you returned the norm after clipping; return the norm before clipping",
                        "你返回的是裁剪后的范数；应返回裁剪前的范数")
            else:
                hint = ("total_norm = sqrt(sum over all tensors of sum(g ** 2))", "total_norm = sqrt(所有张量的 sum(g ** 2) 之和)")
            _fail(f"total_norm wrong: got {total:.6g}, expected {ref_total:.6g}: {hint[0]}",
                  f"total_norm 不对：得到 {total:.6g}，应为 {ref_total:.6g}：{hint[1]}")
        errs = {k: _max_err(clipped[k], ref[k]) for k in grads}
        err = max(errs.values())
        worst = max(worst, err)
        if err > 1e-6 * max(1.0, max_norm):
            key = max(errs, key=errs.get)
            per_tensor = {k: g * min(1.0, max_norm / np.linalg.norm(g)) for k, g in grads.items()}
            if not big and all(np.allclose(clipped[k], max_norm / ref_total * grads[k]) for k in grads):
                hint = (f"the total norm {ref_total:.4g} is below max_norm = {max_norm:g}, so nothing should change",
                        f"总范数 {ref_total:.4g} 小于 max_norm = {max_norm:g}，梯度应保持不变")
            elif all(np.allclose(clipped[k], per_tensor[k]) for k in grads):
                hint = ("each tensor was clipped separately; use one factor max_norm / total_norm for all of them",
                        "你对每个张量分别裁剪了；应对所有张量使用同一个因子 max_norm / total_norm")
            elif big and all(np.allclose(clipped[k], grads[k]) for k in grads):
                hint = (f"nothing was clipped although the total norm {ref_total:.4g} exceeds max_norm = {max_norm:g}",
                        f"总范数 {ref_total:.4g} 超过了 max_norm = {max_norm:g}，却没有裁剪")
            else:
                hint = ("scale every tensor by max_norm / total_norm when total_norm > max_norm",
                        "当 total_norm > max_norm 时，把每个张量乘以 max_norm / total_norm")
            _fail(f"clipped[{key!r}] wrong (max error {errs[key]:.2g}; total norm {ref_total:.4g}, max_norm "
                  f"{max_norm:g}): {hint[0]}",
                  f"clipped[{key!r}] 不对（最大误差 {errs[key]:.2g}；总范数 {ref_total:.4g}，max_norm {max_norm:g}）："
                  f"{hint[1]}")
    return _passed(name, worst)


def gradient_norm_vs_lag(fn):
    """Check ``fn(W_hh, lags) -> norms``, how the gradient through a linear recurrence grows or vanishes with the lag.

    For the linear recurrence ``h_t = h_{t-1} @ W_hh`` (row vectors, ``W_hh`` of shape (H, H)) the Jacobian of one step
    is ``∂h_t/∂h_{t-1} = W_hh^T`` (J[j, k] = ∂h_t[j]/∂h_{t-1}[k] = W_hh[k, j]), so over k steps

        ∂h_T / ∂h_{T-k} = (W_hh^T)^k        and        norms[n] = ‖(W_hh^T)^k‖₂ = ‖W_hh^k‖₂   for k = lags[n],

    the spectral norm (largest singular value, ``np.linalg.norm(M, 2)``), with ``‖W^0‖₂ = ‖I‖₂ = 1``. Returns an
    array of shape ``(len(lags),)``. Recognised mistakes: the Frobenius norm (numpy's default for a matrix), the
    spectral radius to the power k, the bound ``‖W_hh‖₂^k``, a lag off by one.
    """
    name, worst = "gradient_norm_vs_lag", 0.0
    lags = [0, 1, 2, 5, 10, 20]
    rng = np.random.default_rng(500)
    H = 6
    Q, _ = np.linalg.qr(rng.normal(size=(H, H)))
    mats = [rng.normal(size=(H, H)) * 0.9 / np.sqrt(H),            # contracting
            Q * 1.15,                                              # expanding, normal
            np.diag(np.full(H, 0.9)) + np.diag(np.full(H - 1, 0.8), 1)]   # non-normal: bound and radius both wrong
    for W_hh in mats:
        args = {"W_hh": W_hh, "lags": list(lags)}
        out = _call(name, fn, args)
        if isinstance(out, (list, tuple)):
            out = np.asarray(out, dtype=float)
        out = _array(name, "norms", out, (len(lags),))
        ref = _gradient_norm_vs_lag_ref(W_hh, lags)
        err = rel_error(out, ref)
        worst = max(worst, err)
        if err > 1e-6:
            mp = np.linalg.matrix_power
            radius = np.max(np.abs(np.linalg.eigvals(W_hh)))
            mistake = _diagnose(out, {
                "fro": np.array([np.linalg.norm(mp(W_hh, k)) for k in lags]),
                "radius": radius ** np.array(lags, dtype=float),
                "bound": np.linalg.norm(W_hh, 2) ** np.array(lags, dtype=float),
                "plus1": np.array([np.linalg.norm(mp(W_hh, k + 1), 2) for k in lags]),
                "minus1": np.array([np.linalg.norm(mp(W_hh, max(k - 1, 0)), 2) for k in lags]),
            }, tol=1e-6 * max(1.0, float(np.max(ref))))
            hints = {
                "fro": ("you used the Frobenius norm (numpy's default for a matrix); use np.linalg.norm(M, 2)",
                        "你用了 Frobenius 范数（numpy 对矩阵的默认范数）；应使用 np.linalg.norm(M, 2)"),
                "radius": ("you used the spectral radius to the power k; it gives the long-run rate, not ‖W_hh^k‖₂",
                           "你用了谱半径的 k 次方；它只给出长期的增长率，并不等于 ‖W_hh^k‖₂"),
                "bound": ("you used ‖W_hh‖₂^k, an upper bound; compute the norm of the product W_hh^k itself",
                          "你用了上界 ‖W_hh‖₂^k；应计算乘积 W_hh^k 本身的范数"),
                "plus1": ("the lag is off by one: lag k is a product of k Jacobians (lag 0 gives the identity)",
                          "时间间隔错了一步：时间间隔 k 对应 k 个雅可比矩阵之积（k = 0 时是单位矩阵）"),
                "minus1": ("the lag is off by one: lag k is a product of k Jacobians (lag 0 gives the identity)",
                           "时间间隔错了一步：时间间隔 k 对应 k 个雅可比矩阵之积（k = 0 时是单位矩阵）"),
            }
            hint = hints.get(mistake, ("norms[n] = ‖W_hh^k‖₂ with k = lags[n]", "norms[n] = ‖W_hh^k‖₂，其中 k = lags[n]"))
            n = int(np.argmax(np.abs(out - ref) / np.maximum(1e-8, np.abs(out) + np.abs(ref))))
            _fail(f"norm wrong at lag k = {lags[n]} (got {out[n]:.4g}, expected {ref[n]:.4g}; relative error "
                  f"{err:.2g}): {hint[0]}",
                  f"时间间隔 k = {lags[n]} 处的范数不对（得到 {out[n]:.4g}，应为 {ref[n]:.4g}；相对误差 {err:.2g}）：{hint[1]}")
    return _passed(name, worst, "relative error", "相对误差")
