"""Chapter 1, recurrent neural networks: one RNN step forward and back."""

import numpy as np

from ._common import (
    _FORWARD_TOL, _SEEDS, _SHAPES, _array, _call, _check_grads, _diagnose, _fail, _max_err, _num_grad, _passed,
    _random_rnn, _rnn_step_backward_ref, _rnn_step_ref, _sigmoid, _tuple, _where)


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
        default = ("compare with da = dh_t * (1 - h_t²), dW = [h_prev, x_t].T @ da, db = da.sum(0), "
                   "[dh_prev, dx_t] = da @ W.T",
                   "请对照 da = dh_t * (1 - h_t²)、dW = [h_prev, x_t].T @ da、db = da.sum(0)、[dh_prev, dx_t] = da @ W.T")
        err, rel = _check_grads(out, ref, num, wrong, hints, default)
        worst, worst_fd = max(worst, err), max(worst_fd, rel)
    return _passed(name, worst, fd=worst_fd)
