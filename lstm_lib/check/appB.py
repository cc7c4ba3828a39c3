"""Appendix B, the LSTM backward pass derived: BPTT over a whole sequence, and the full one-step Jacobian of the cell
state (the cell-state path plus the paths through h_{t-1})."""
import numpy as np

from ._common import (
    _FD_TOL,
    _FORWARD_TOL,
    _SEEDS,
    _array,
    _call,
    _cell,
    _check_grads,
    _diagnose,
    _fail,
    _fail_at,
    _lstm_gates,
    _max_err,
    _passed,
    _tuple,
    numerical_gradient,
    rel_error,
)

_BPTT_NAMES = ("dx", "dh0", "dc0", "dW", "db")
_BPTT_SHAPES = ((4, 2, 3, 5), (1, 3, 2, 2), (6, 1, 4, 3))      # (T, B, D, H); D != H so a swapped concatenation shows


def _lstm_bptt_ref(dy, x, h0, c0, W, b):
    """(dx, dh0, dc0, dW, db) by ``lstm_lib.LSTM.forward`` / ``backward`` (no gradient on the final state)."""
    cell = _cell("LSTM", W, b)
    cell.forward(x, (h0, c0))
    dx = cell.backward(dy)
    dh0, dc0 = cell.dstate0
    return dx, dh0, dc0, cell.grads["W"].copy(), cell.grads["b"].copy()


def _lstm_bptt_variant(dy, x, h0, c0, W, b, carry=True, recurrent=True, via_h=True, highway=True, sum_time=True):
    """BPTT written out in numpy, with switches that imitate the common mistakes (all True = correct)."""
    T, B, _ = x.shape
    H = h0.shape[1]
    hs, cs, caches = [h0], [c0], []
    for t in range(T):
        g = _lstm_gates(x[t], hs[-1], W, b)
        c = g["f"] * cs[-1] + g["i"] * g["c_tilde"]
        caches.append(g)
        cs.append(c)
        hs.append(g["o"] * np.tanh(c))
    dW, db = np.zeros_like(W), np.zeros_like(b)
    dx = np.zeros_like(x)
    dh_next, dc_next = np.zeros((B, H)), np.zeros((B, H))
    for t in range(T - 1, -1, -1):
        g, c_prev, tc = caches[t], cs[t], np.tanh(cs[t + 1])
        f, i, c_tilde, o = g["f"], g["i"], g["c_tilde"], g["o"]
        dh = dy[t] + (dh_next if recurrent else 0)
        dc = (dc_next if carry else 0) + (dh * o * (1 - tc ** 2) if via_h else 0)
        da = np.concatenate([dc * c_prev * f * (1 - f), dc * c_tilde * i * (1 - i), dc * i * (1 - c_tilde ** 2),
                             dh * tc * o * (1 - o)], axis=1)                      # (B, 4H)
        hx = np.concatenate([hs[t], x[t]], axis=1)                                 # (B, H + D)
        if sum_time or t == T - 1:
            dW += hx.T @ da
            db += da.sum(0)
        dhx = da @ W.T
        dx[t] = dhx[:, H:]
        dh_next = dhx[:, :H]
        dc_next = dc * f if highway else dc
    return dx, dh_next, dc_next, dW, db


def lstm_bptt(fn):
    """Check ``fn(dy, x, h0, c0, W, b) -> (dx, dh0, dc0, dW, db)``: backpropagation through time for an LSTM layer.

    Shapes: ``x`` (T, B, D), ``h0`` and ``c0`` (B, H), ``W`` (H + D, 4H) with column blocks ``f | i | c_tilde | o``,
    ``b`` (4H,); ``dy`` (T, B, H) is ∂L/∂h_t for every step (the loss reads every hidden state, and nothing else).
    From the last step to the first::

        dh   = dy[t] + dh_next                       dh_next = da_{t+1} @ W_h^T   (0 at the last step)
        dc   = dc_next + dh * o * (1 - tanh(c_t)²)    dc_next = dc_{t+1} * f_{t+1} (0 at the last step)
        da   = [dc * c_prev * f(1-f), dc * c_tilde * i(1-i), dc * i * (1 - c_tilde²), dh * tanh(c_t) * o(1-o)]
        dW  += [h_{t-1}, x_t]^T @ da;   db += da.sum(0);   [dh_next, dx[t]] = da @ W^T;   dc_next = dc * f

    returning dh0 = dh_next and dc0 = dc_next after step 1. Compared with ``lstm_lib.LSTM.backward`` and with centred
    finite differences of ``sum(y * dy)``. Recognised mistakes: the gradient along the cell state not carried from
    step to step; the recurrent gradient ``da @ W_h^T`` not added to the next ``dh`` (the 1997 truncation); the path
    from h_t into c_t missing; ``dc_next`` not multiplied by f; ``dW``/``db`` from the last step only.
    """
    name, worst, worst_fd = "lstm_bptt", 0.0, 0.0
    hints = {
        "no_carry": ("the gradient along the cell state is not carried back: the next step's dc must start from "
                     "dc_next = dc_{t+1} * f_{t+1}",
                     "沿细胞状态的梯度没有往回传：前一步的 dc 必须从 dc_next = dc_{t+1} * f_{t+1} 开始"),
        "no_recurrent": ("dh does not receive the gradient from the next step: dh = dy[t] + da_{t+1} @ W_h^T (dropping "
                         "it is the truncation of 1997, not the full gradient)",
                         "dh 没有加上来自下一步的梯度：dh = dy[t] + da_{t+1} @ W_h^T（丢掉它就是 1997 年的截断，"
                         "而不是完整梯度）"),
        "no_via_h": ("the path from h_t into c_t is missing: dc = dc_next + dh * o * (1 - tanh(c_t)²)",
                     "漏了从 h_t 到 c_t 的路径：dc = dc_next + dh * o * (1 - tanh(c_t)²)"),
        "no_highway": ("dc_next must be dc * f: C_t = f_t * C_{t-1} + …, so one step back along the cell state "
                       "multiplies by the forget gate",
                       "dc_next 应为 dc * f：C_t = f_t * C_{t-1} + …，沿细胞状态后退一步要乘以遗忘门"),
        "last_only": ("dW and db must be summed over all time steps (the weights are shared by every step), not "
                      "taken from one step",
                      "dW 和 db 必须对所有时间步求和（每一步共用同一组权重），而不是只取一步"),
    }
    for seed, (T, B, D, H) in zip(_SEEDS, _BPTT_SHAPES):
        rng = np.random.default_rng(600 + seed)
        x, h0, c0 = rng.normal(size=(T, B, D)), rng.normal(size=(B, H)) * 0.8, rng.normal(size=(B, H))
        W, b = rng.normal(size=(H + D, 4 * H)) * 0.5, rng.normal(size=4 * H) * 0.5
        dy = rng.normal(size=(T, B, H))
        args = {"dy": dy, "x": x, "h0": h0, "c0": c0, "W": W, "b": b}
        out = _tuple(name, _call(name, fn, args), _BPTT_NAMES)
        shapes = {"dx": (T, B, D), "dh0": (B, H), "dc0": (B, H), "dW": (H + D, 4 * H), "db": (4 * H,)}
        out = {k: _array(name, k, v, shapes[k]) for k, v in zip(_BPTT_NAMES, out)}
        ref = dict(zip(_BPTT_NAMES, _lstm_bptt_ref(dy, x, h0, c0, W, b)))
        xs = {"dx": x.copy(), "dh0": h0.copy(), "dc0": c0.copy(), "dW": W.copy(), "db": b.copy()}
        cell = _cell("LSTM", W, b)

        def loss():
            cell.params["W"][...], cell.params["b"][...] = xs["dW"], xs["db"]
            y, _ = cell.forward(xs["dx"], (xs["dh0"], xs["dc0"]))
            return float(np.sum(y * dy))
        num = {k: numerical_gradient(loss, xs[k], h=1e-3, points=4) for k in _BPTT_NAMES}
        wrong = {m: dict(zip(_BPTT_NAMES, _lstm_bptt_variant(dy, x, h0, c0, W, b, **kw))) for m, kw in (
            ("no_carry", {"carry": False}), ("no_recurrent", {"recurrent": False}), ("no_via_h", {"via_h": False}),
            ("no_highway", {"highway": False}), ("last_only", {"sum_time": False}))}
        err, rel = _check_grads(out, ref, num, {k: {m: v[k] for m, v in wrong.items()} for k in _BPTT_NAMES}, hints, (
            "go backwards from the last step: dh = dy[t] + dh_next; dc = dc_next + dh * o * (1 - tanh²(c_t)); "
            "da from dc and dh; dW += [h_{t-1}, x_t]^T @ da; [dh_next, dx[t]] = da @ W^T; dc_next = dc * f",
            "从最后一步往前走：dh = dy[t] + dh_next；dc = dc_next + dh * o * (1 - tanh²(c_t))；由 dc 和 dh 求 da；"
            "dW += [h_{t-1}, x_t]^T @ da；[dh_next, dx[t]] = da @ W^T；dc_next = dc * f"),
            context=(f", T = {T}", f"，T = {T}"))
        worst, worst_fd = max(worst, err), max(worst_fd, rel)
    return _passed(name, worst, fd=worst_fd)


def _full_jacobian_ref(c_prev, o_prev, x_t, W, b):
    """∂C_t/∂C_{t-1} with h_{t-1} = o_{t-1} ⊙ tanh(C_{t-1}), from ``lstm_lib.LSTM.step_backward``: row j is the
    gradient of C_t[j] wrt C_{t-1}, directly (dc_prev) plus through h_{t-1} (dh_prev ⊙ ∂h_{t-1}/∂C_{t-1})."""
    H = c_prev.shape[0]
    cell = _cell("LSTM", W, b)
    h_prev = o_prev * np.tanh(c_prev)
    rows = np.repeat(x_t[None], H, axis=0)                                         # (H, D): one copy per row of J
    _, cache = cell.step(rows, (np.repeat(h_prev[None], H, 0), np.repeat(c_prev[None], H, 0)))
    _, (dh_prev, dc_prev) = cell.step_backward((np.zeros((H, H)), np.eye(H)), cache)
    return dc_prev + dh_prev * (o_prev * (1 - np.tanh(c_prev) ** 2))


def _full_jacobian_variants(c_prev, o_prev, x_t, W, b):
    H = c_prev.shape[0]
    h_prev = o_prev * np.tanh(c_prev)
    g = _lstm_gates(x_t[None], h_prev[None], W, b)
    f, i, c_tilde = g["f"][0], g["i"][0], g["c_tilde"][0]
    Wh = W[:H]
    dh_dc = o_prev * (1 - np.tanh(c_prev) ** 2)                                    # ∂h_{t-1}/∂C_{t-1}, diagonal
    u = {"f": c_prev * f * (1 - f), "i": c_tilde * i * (1 - i), "c_tilde": i * (1 - c_tilde ** 2)}
    blocks = {"f": Wh[:, :H], "i": Wh[:, H:2 * H], "c_tilde": Wh[:, 2 * H:3 * H]}

    def J(terms=("f", "i", "c_tilde"), transpose=True, chain=True):
        M = sum(u[k][:, None] * (blocks[k].T if transpose else blocks[k]) for k in terms)
        return np.diag(f) + M * (dh_dc[None, :] if chain else 1.0)
    right = J()
    return {"path_only": np.diag(f), "transposed": right.T, "no_transpose": J(transpose=False),
            "no_chain": J(chain=False), "no_forget_term": J(terms=("i", "c_tilde"))}


def cell_state_jacobian_full(fn):
    """Check ``fn(c_prev, o_prev, x_t, W, b) -> J``: the full Jacobian ∂C_t/∂C_{t-1} of one LSTM step, shape (H, H).

    One sequence (no batch axis): ``c_prev`` and ``o_prev`` (H,), ``x_t`` (D,), ``W`` (H + D, 4H), ``b`` (4H,).
    h_{t-1} = o_{t-1} ⊙ tanh(C_{t-1}) is a function of C_{t-1} (o_{t-1} is held fixed: it does not depend on C_{t-1}),
    so besides the cell-state path diag(f_t) there are the paths through the gates, ``J[j, k] = ∂C_t[j]/∂C_{t-1}[k]``::

        J = diag(f) + [diag(C_{t-1} ⊙ f(1-f)) W_hf^T + diag(C̃ ⊙ i(1-i)) W_hi^T + diag(i ⊙ (1-C̃²)) W_hC^T]
                      · diag(o_{t-1} ⊙ (1 - tanh² C_{t-1}))

    with W_hg = W[:H, g-block] (H, H). Compared with ``lstm_lib.LSTM.step_backward`` and with centred finite
    differences. Recognised mistakes: diag(f) alone; J transposed; the blocks of W_h not transposed; the factor
    ∂h_{t-1}/∂C_{t-1} missing; the product rule's term C_{t-1} ⊙ ∂f_t/∂C_{t-1} missing.
    """
    name, worst, worst_fd = "cell_state_jacobian_full", 0.0, 0.0
    hints = {
        "path_only": ("diag(f_t) is only the cell-state path: the gates depend on h_{t-1} = o_{t-1} ⊙ tanh(C_{t-1}), "
                      "so add the paths through f_t, i_t and C̃_t",
                      "diag(f_t) 只是细胞状态通路：各个门依赖 h_{t-1} = o_{t-1} ⊙ tanh(C_{t-1})，"
                      "所以还要加上经过 f_t、i_t 和 C̃_t 的路径"),
        "transposed": ("J is transposed: J[j, k] = ∂C_t[j] / ∂C_{t-1}[k], the row is the output",
                       "J 被转置了：J[j, k] = ∂C_t[j] / ∂C_{t-1}[k]，行对应输出"),
        "no_transpose": ("the blocks of W_h must be transposed: a = [h, x] @ W + b, so ∂a[j]/∂h[k] = W[k, j]",
                         "W_h 的分块需要转置：a = [h, x] @ W + b，所以 ∂a[j]/∂h[k] = W[k, j]"),
        "no_chain": ("the factor ∂h_{t-1}/∂C_{t-1} = diag(o_{t-1} ⊙ (1 - tanh² C_{t-1})) is missing on the right",
                     "右边漏了因子 ∂h_{t-1}/∂C_{t-1} = diag(o_{t-1} ⊙ (1 - tanh² C_{t-1}))"),
        "no_forget_term": ("the product rule on f_t ⊙ C_{t-1} gives two terms: diag(f_t), and C_{t-1} ⊙ f(1-f) "
                           "times the f-block of W_h",
                           "对 f_t ⊙ C_{t-1} 用乘积法则得到两项：diag(f_t)，以及 C_{t-1} ⊙ f(1-f) 乘以 W_h 的 f 分块"),
    }
    for seed, (D, H) in zip(_SEEDS, ((3, 4), (2, 2), (4, 5))):
        rng = np.random.default_rng(700 + seed)
        c_prev, x_t = rng.normal(size=H), rng.normal(size=D)
        o_prev = 1 / (1 + np.exp(-rng.normal(size=H)))
        W, b = rng.normal(size=(H + D, 4 * H)) * 0.7, rng.normal(size=4 * H) * 0.5
        args = {"c_prev": c_prev, "o_prev": o_prev, "x_t": x_t, "W": W, "b": b}
        out = _array(name, "J", _call(name, fn, args), (H, H))
        ref = _full_jacobian_ref(c_prev, o_prev, x_t, W, b)
        probe = c_prev.copy()
        cell = _cell("LSTM", W, b)
        num = np.empty((H, H))
        for j in range(H):
            def c_t_j():
                (_, c_t), _ = cell.step(x_t[None], ((o_prev * np.tanh(probe))[None], probe[None]))
                return float(c_t[0, j])
            num[j] = numerical_gradient(c_t_j, probe, h=1e-3, points=4)
        err = _max_err(out, ref)
        worst = max(worst, err)
        rel = rel_error(out, num)
        if err > _FORWARD_TOL:
            mistake = _diagnose(out, _full_jacobian_variants(c_prev, o_prev, x_t, W, b))
            hint = hints.get(mistake, ("compare with J = diag(f) + [Σ over f, i, C̃ of diag(∂C_t/∂a_g) W_hg^T] · "
                                       "diag(o_{t-1} ⊙ (1 - tanh² C_{t-1}))",
                                       "请对照 J = diag(f) + [对 f、i、C̃ 求和 diag(∂C_t/∂a_g) W_hg^T] · "
                                       "diag(o_{t-1} ⊙ (1 - tanh² C_{t-1}))"))
            _fail_at("J", out, ref, err, hint, rel=rel)
        worst_fd = max(worst_fd, rel)
        if rel > _FD_TOL:
            _fail(f"J disagrees with finite differences (relative error {rel:.2g}); is it computed in float64?",
                  f"J 与有限差分不符（相对误差 {rel:.2g}）；是否用 float64 计算？")
    return _passed(name, worst, fd=worst_fd)
