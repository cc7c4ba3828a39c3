"""Chapter 5, the LSTM step by step: one LSTM step forward, one step back, and the gate-saturation statistic."""

import numpy as np

from ._common import (
    _FORWARD_TOL, _SEEDS, _SHAPES, _array, _call, _cell, _check_grads, _fail, _lstm_gates, _lstm_step_ref, _max_err,
    _passed, _sigmoid, _tuple, numerical_gradient)


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


def _lstm_step_backward_ref(dh_t, dc_t, x_t, h_prev, c_prev, W, b):
    """(dx_t, dh_prev, dc_prev, dW, db) by ``lstm_lib.LSTM.step_backward``."""
    cell = _cell("LSTM", W, b)
    _, cache = cell.step(x_t, (h_prev, c_prev))
    cell.zero_grad()
    dx_t, (dh_prev, dc_prev) = cell.step_backward((dh_t, dc_t), cache)
    return dx_t, dh_prev, dc_prev, cell.grads["W"].copy(), cell.grads["b"].copy()


def lstm_step_backward(fn):
    """Check ``fn(dh_t, dc_t, x_t, h_prev, c_prev, W, b) -> (dx_t, dh_prev, dc_prev, dW, db)``, one LSTM step back.

    ``dh_t`` and ``dc_t`` (B, H) are the gradients of the loss wrt the step's outputs ``h_t`` and ``c_t`` (``dc_t``
    comes from the next step along the cell state). The backward pass in the four steps of the chapter, in reverse::

        do      = dh_t * tanh(c_t)                      output gate
        dc      = dc_t + dh_t * o * (1 - tanh(c_t)**2)  total gradient reaching C_t
        di      = dc * c_tilde;  dc_tilde = dc * i      input gate and candidates
        df      = dc * c_prev;   dc_prev  = dc * f      forget gate; the cell-state highway
        da      = [df * f(1-f), di * i(1-i), dc_tilde * (1 - c_tilde**2), do * o(1-o)]    (B, 4H)
        dW = [h_prev, x_t]^T @ da;  db = da.sum(0);  [dh_prev, dx_t] = da @ W^T

    Each gradient is compared with ``lstm_lib.LSTM.step_backward`` and with centred finite differences of
    ``sum(h_t * dh_t) + sum(c_t * dc_t)``. Recognised mistakes: ``dc_t`` not added (the gradient from the next step
    along the cell state dropped), the path through ``h_t`` into ``c_t`` missing, ``dc_prev`` not multiplied by ``f``,
    gate derivatives (σ' or tanh') missing.
    """
    name, worst, worst_fd = "lstm_step_backward", 0.0, 0.0
    names = ("dx_t", "dh_prev", "dc_prev", "dW", "db")
    for seed, (B, D, H) in zip(_SEEDS, _SHAPES):
        rng = np.random.default_rng(300 + seed)
        x_t, h_prev, c_prev = rng.normal(size=(B, D)), rng.normal(size=(B, H)) * 0.8, rng.normal(size=(B, H))
        W, b = rng.normal(size=(H + D, 4 * H)) * 0.5, rng.normal(size=4 * H) * 0.5
        dh_t, dc_t = rng.normal(size=(B, H)), rng.normal(size=(B, H))
        args = {"dh_t": dh_t, "dc_t": dc_t, "x_t": x_t, "h_prev": h_prev, "c_prev": c_prev, "W": W, "b": b}
        out = _tuple(name, _call(name, fn, args), names)
        shapes = {"dx_t": (B, D), "dh_prev": (B, H), "dc_prev": (B, H), "dW": (H + D, 4 * H), "db": (4 * H,)}
        out = {k: _array(name, k, v, shapes[k]) for k, v in zip(names, out)}
        ref = dict(zip(names, _lstm_step_backward_ref(dh_t, dc_t, x_t, h_prev, c_prev, W, b)))
        # finite differences of the true forward pass, loss = sum(h_t * dh_t) + sum(c_t * dc_t)
        xs = {"dx_t": x_t.copy(), "dh_prev": h_prev.copy(), "dc_prev": c_prev.copy(), "dW": W.copy(), "db": b.copy()}

        def loss():
            h, c = _lstm_step_ref(xs["dx_t"], xs["dh_prev"], xs["dc_prev"], xs["dW"], xs["db"])
            return float(np.sum(h * dh_t) + np.sum(c * dc_t))
        num = {k: numerical_gradient(loss, xs[k], h=1e-3, points=4) for k in names}
        # wrong variants: the reference with one term of the chain rule changed
        g = _lstm_gates(x_t, h_prev, W, b)
        f, i, c_tilde, o = g["f"], g["i"], g["c_tilde"], g["o"]
        c_t = f * c_prev + i * c_tilde
        tc = np.tanh(c_t)
        hx = np.concatenate([h_prev, x_t], 1)

        def grads(dc_carry=True, via_h=True, highway=True, dsig=True):
            dc = (dc_t if dc_carry else 0) + (dh_t * o * (1 - tc ** 2) if via_h else 0)
            sd = (lambda s: s * (1 - s)) if dsig else (lambda s: 1.0)
            da = np.concatenate([dc * c_prev * sd(f), dc * c_tilde * sd(i), dc * i * (1 - c_tilde ** 2),
                                 dh_t * tc * sd(o)], axis=1)
            dhx = da @ W.T
            return {"dx_t": dhx[:, H:], "dh_prev": dhx[:, :H], "dc_prev": dc * f if highway else dc,
                    "dW": hx.T @ da, "db": da.sum(0)}
        wrong = {"no_carry": grads(dc_carry=False), "no_via_h": grads(via_h=False),
                 "no_highway": grads(highway=False), "no_dsig": grads(dsig=False)}
        hints = {
            "no_carry": ("dc_t, the gradient arriving along the cell state from the next step, is not added: "
                         "dc = dc_t + dh_t * o * (1 - tanh(c_t)²)",
                         "没有加上 dc_t（沿细胞状态从下一步传回的梯度）：dc = dc_t + dh_t * o * (1 - tanh(c_t)²)"),
            "no_via_h": ("the path from h_t into c_t is missing: h_t = o * tanh(c_t) also depends on c_t, so "
                         "dc = dc_t + dh_t * o * (1 - tanh(c_t)²)",
                         "漏了从 h_t 到 c_t 的路径：h_t = o * tanh(c_t) 也依赖 c_t，所以 "
                         "dc = dc_t + dh_t * o * (1 - tanh(c_t)²)"),
            "no_highway": ("dc_prev must be dc * f: C_t = f * C_{t-1} + …, so one step back along the cell state "
                           "multiplies by the forget gate",
                           "dc_prev 应为 dc * f：C_t = f * C_{t-1} + …，沿细胞状态后退一步要乘以遗忘门"),
            "no_dsig": ("the sigmoid derivatives are missing: a gate s = σ(a) has ds/da = s * (1 - s)",
                        "漏了 sigmoid 的导数：门 s = σ(a) 的导数 ds/da = s * (1 - s)"),
        }
        default = ("go back through the four steps: do = dh_t * tanh(c_t); dc = dc_t + dh_t * o * (1 - tanh²(c_t)); "
                   "di = dc * c_tilde, dc_tilde = dc * i; df = dc * c_prev, dc_prev = dc * f; then da, dW, db",
                   "按四个步骤倒着走：do = dh_t * tanh(c_t)；dc = dc_t + dh_t * o * (1 - tanh²(c_t))；"
                   "di = dc * c_tilde，dc_tilde = dc * i；df = dc * c_prev，dc_prev = dc * f；再求 da、dW、db")
        err, rel = _check_grads(out, ref, num, {k: {m: v[k] for m, v in wrong.items()} for k in names}, hints, default)
        worst, worst_fd = max(worst, err), max(worst_fd, rel)
    return _passed(name, worst, fd=worst_fd)


def gate_saturation(fn):
    """Check ``fn(gate, low=0.1, high=0.9) -> (left, right)``: per unit, the fraction of entries of ``gate``
    (T, B, H) that are left-saturated (``< low``) and right-saturated (``> high``), each of shape (H,) — the
    statistic of Karpathy, Johnson & Fei-Fei (2015)."""
    name, worst = "gate_saturation", 0.0
    for seed, (T, B, H) in zip(_SEEDS, ((7, 3, 5), (4, 6, 2), (9, 2, 4))):
        rng = np.random.default_rng(400 + seed)
        gate = _sigmoid(rng.normal(0, 3, size=(T, B, H)))
        gate[0, 0, 0], gate[1, 0, -1] = 0.1, 0.9            # on the thresholds: neither (strict inequalities)
        for low, high in ((0.1, 0.9), (0.2, 0.7)):
            args = {"gate": gate, "low": low, "high": high}
            left, right = _tuple(name, _call(name, fn, args), ("left", "right"))
            if np.shape(left) != (H,) and np.shape(left) in ((T, B), (T, H), (B, H), (T,), (B,), ()):
                _fail(f"{name}: left has shape {np.shape(left)}, expected {(H,)}: one fraction per unit, averaged "
                      f"over time and batch (axes 0 and 1)",
                      f"{name}：left 的形状是 {np.shape(left)}，应为 {(H,)}：每个隐藏单元一个比例，对时间与批次（轴 0 和 1）取平均")
            left, right = _array(name, "left", np.asarray(left, float), (H,)), \
                _array(name, "right", np.asarray(right, float), (H,))
            ref_l, ref_r = (gate < low).mean(axis=(0, 1)), (gate > high).mean(axis=(0, 1))
            if _max_err(left, ref_r) <= _FORWARD_TOL and _max_err(right, ref_l) <= _FORWARD_TOL:
                _fail(f"{name}: left and right are swapped: left-saturated means below low (gate near 0, closed)",
                      f"{name}：left 与 right 弄反了：左饱和指低于 low（门接近 0，关闭）")
            if low == 0.2 and _max_err(left, (gate < 0.1).mean(axis=(0, 1))) <= _FORWARD_TOL:
                _fail(f"{name}: the thresholds low and high are ignored (0.1 and 0.9 hard-coded?)",
                      f"{name}：没有使用阈值 low 和 high（是否写死了 0.1 与 0.9？）")
            if _max_err(left, (gate <= low).mean(axis=(0, 1))) <= _FORWARD_TOL and \
                    _max_err(left, ref_l) > _FORWARD_TOL:
                _fail(f"{name}: use strict inequalities: a value exactly at low = {low} is not saturated",
                      f"{name}：请使用严格不等号：恰好等于 low = {low} 的值不算饱和")
            for what, out, ref in (("left", left, ref_l), ("right", right, ref_r)):
                err = _max_err(out, ref)
                worst = max(worst, err)
                if err > _FORWARD_TOL:
                    _fail(f"{what} wrong (max error {err:.2g}): the fraction of gate values "
                          f"{'< low' if what == 'left' else '> high'} per unit, over all steps and sequences",
                          f"{what} 不对（最大误差 {err:.2g}）：应为每个隐藏单元在所有时间步与序列上门值 "
                          f"{'< low' if what == 'left' else '> high'} 的比例")
    return _passed(name, worst)
