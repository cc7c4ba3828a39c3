"""Chapter 5, the LSTM step by step: one LSTM step forward."""

import numpy as np

from ._common import (
    _FORWARD_TOL, _SEEDS, _SHAPES, _array, _call, _fail, _lstm_gates, _lstm_step_ref, _max_err, _passed, _sigmoid,
    _tuple)


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
