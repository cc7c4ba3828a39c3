"""Chapter 4, the core idea: a gate, and the Jacobian of the cell state along the carousel."""
import numpy as np

from ._common import _FORWARD_TOL, _SEEDS, _SHAPES, _array, _call, _diagnose, _fail_at, _max_err, _passed, _sigmoid


def _gate_ref(v, h_prev, x_t, W, b):
    """σ([h_prev, x_t] @ W + b) ⊙ v, with the library's sigmoid."""
    return _sigmoid(np.concatenate([h_prev, x_t], axis=1) @ W + b) * v


def gate(fn):
    """Check ``fn(v, h_prev, x_t, W, b) -> out``, one gate applied to a vector ``v``.

    ``out = σ([h_prev, x_t] @ W + b) ⊙ v``: a sigmoid layer decides, per component, how much of ``v`` passes.
    Shapes: ``v`` (B, H), ``h_prev`` (B, H), ``x_t`` (B, D), ``W`` (H + D, H), ``b`` (H,) -> ``out`` (B, H).
    Recognised mistakes: tanh instead of the sigmoid, the gate values returned without multiplying ``v``, the
    concatenation in the order [x_t, h_prev], the gate added to ``v`` instead of multiplied.
    """
    name, worst = "gate", 0.0
    for seed, (B, D, H) in zip(_SEEDS, _SHAPES):
        rng = np.random.default_rng(400 + seed)
        v, h_prev, x_t = rng.normal(size=(B, H)), rng.normal(size=(B, H)) * 0.8, rng.normal(size=(B, D))
        W, b = rng.normal(size=(H + D, H)) * 0.7, rng.normal(size=H) * 0.5
        out = _array(name, "out", _call(name, fn, {"v": v, "h_prev": h_prev, "x_t": x_t, "W": W, "b": b}), (B, H))
        ref = _gate_ref(v, h_prev, x_t, W, b)
        err = _max_err(out, ref)
        worst = max(worst, err)
        if err > _FORWARD_TOL:
            a = np.concatenate([h_prev, x_t], axis=1) @ W + b
            wrong_order = np.concatenate([x_t, h_prev], axis=1) @ W + b     # (B, H) too: W has H + D rows either way
            mistake = _diagnose(out, {"tanh": np.tanh(a) * v, "no_v": _sigmoid(a), "order": _sigmoid(wrong_order) * v,
                                      "add": _sigmoid(a) + v})
            hints = {
                "tanh": ("a gate squashes with the sigmoid σ, into (0, 1), not tanh into (−1, 1)",
                         "门用 sigmoid 函数 σ 把数值压到 (0, 1)，而不是用 tanh 压到 (−1, 1)"),
                "no_v": ("these are the gate values alone: multiply them pointwise with v",
                         "这只是门的取值：还要与 v 逐点相乘"),
                "order": ("the concatenation is [h_prev, x_t], h first: the first H rows of W multiply h_prev",
                          "拼接顺序是 [h_prev, x_t]，h 在前：W 的前 H 行乘以 h_prev"),
                "add": ("the gate multiplies v pointwise (⊙); it does not add to it",
                        "门与 v 是逐点相乘（⊙），不是相加"),
            }
            hint = hints.get(mistake, ("compare with out = σ([h_prev, x_t] @ W + b) * v",
                                       "请对照 out = σ([h_prev, x_t] @ W + b) * v"))
            _fail_at("out", out, ref, err, hint)
    return _passed(name, worst)


def _carousel_ref(f):
    """∂C_T/∂C_0 along the cell state alone: diag(∏_k f_k), the product over the T steps."""
    return np.diag(np.prod(f, axis=0))


def cell_state_jacobian(fn):
    """Check ``fn(f) -> J``, the Jacobian ∂C_T/∂C_0 along the cell-state path for one sequence.

    ``f`` (T, H) holds the forget gate values f_1 … f_T of one sequence; along the cell state alone
    (C_t = f_t ⊙ C_{t-1} + …, every other path ignored) ``J = ∏_t diag(f_t) = diag(f_1 ⊙ … ⊙ f_T)``, shape (H, H).
    Recognised mistakes: the vector of products instead of the diagonal matrix (a shape error), a sum over steps
    instead of a product, the first or the last step left out, (1 − f) instead of f.
    """
    name, worst = "cell_state_jacobian", 0.0
    for seed, (T, H) in zip(_SEEDS, ((6, 4), (1, 3), (15, 5))):
        rng = np.random.default_rng(500 + seed)
        f = _sigmoid(rng.normal(size=(T, H)) + 1.5)
        out = _array(name, "J", _call(name, fn, {"f": f}), (H, H))
        ref = _carousel_ref(f)
        err = _max_err(out, ref)
        worst = max(worst, err)
        if err > _FORWARD_TOL:
            mistake = _diagnose(out, {"sum": np.diag(f.sum(0)), "drop_last": _carousel_ref(f[:-1]),
                                      "drop_first": _carousel_ref(f[1:]), "one_minus": _carousel_ref(1 - f)})
            hints = {
                "sum": ("the chain rule multiplies the step Jacobians: ∏ f, not Σ f",
                        "链式法则是把各步的雅可比矩阵相乘：∏ f，而不是 Σ f"),
                "drop_last": ("the last step f_T is missing: C_T = f_T ⊙ C_{T-1} + …",
                              "漏了最后一步 f_T：C_T = f_T ⊙ C_{T-1} + …"),
                "drop_first": ("the first step f_1 is missing: C_1 = f_1 ⊙ C_0 + …",
                               "漏了第一步 f_1：C_1 = f_1 ⊙ C_0 + …"),
                "one_minus": ("∂C_t/∂C_{t-1} = diag(f_t), not diag(1 − f_t): f is the share that is kept",
                              "∂C_t/∂C_{t-1} = diag(f_t)，而不是 diag(1 − f_t)：f 是保留下来的份额"),
            }
            hint = hints.get(mistake, ("compare with J = diag(∏_t f_t), the product over the rows of f",
                                       "请对照 J = diag(∏_t f_t)，即 f 各行的乘积"))
            _fail_at("J", out, ref, err, hint)
    return _passed(name, worst)
