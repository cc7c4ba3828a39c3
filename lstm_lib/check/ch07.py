"""Chapter 7, attention and beyond: additive attention for one decoder step, and the minGRU's log-space scan."""

import numpy as np

from ._common import _FORWARD_TOL, _array, _call, _diagnose, _fail, _max_err, _passed, _tuple


def _attention_ref(s, h, W_q, W_k, b, v, mask, *, tanh=True, axis=-1, use_mask=True):
    """Weights (B, Ts) and context (B, Hk) for one query per sequence; switches imitate common mistakes."""
    u = s @ W_q + (h @ W_k + b)                                  # (Ts, B, A)
    u = np.tanh(u) if tanh else u
    e = (u @ v).T                                                # (B, Ts)
    if use_mask:
        e = np.where(mask.T, e, -np.inf)
    e = e - e.max(axis=axis, keepdims=True)
    alpha = np.exp(e) / np.exp(e).sum(axis=axis, keepdims=True)
    return alpha, np.einsum("bj,jbh->bh", alpha, h)


def additive_attention(fn):
    """Check ``fn(s, h, W_q, W_k, b, v, mask) -> (alpha, context)``, additive attention for one decoder step.

    Shapes: ``s`` (B, Hq) the decoder state, ``h`` (Ts, B, Hk) the encoder states, ``W_q`` (Hq, A), ``W_k`` (Hk, A),
    ``b`` (A,), ``v`` (A,), ``mask`` (Ts, B) bool (False = padding). With e_j = vᵀ tanh(s W_q + h_j W_k + b):

        alpha = softmax over j of e (masked positions get weight exactly 0)    (B, Ts)
        context[b] = Σ_j alpha[b, j] h[j, b]                                     (B, Hk)

    Recognised mistakes: the softmax over the batch instead of the source positions, a forgotten mask, a
    forgotten tanh.
    """
    name, worst = "additive_attention", 0.0
    for seed, (Ts, B, Hq, Hk, A) in enumerate(((5, 3, 4, 6, 5), (7, 2, 3, 3, 4), (4, 4, 5, 2, 3))):
        rng = np.random.default_rng(700 + seed)
        s, h = rng.normal(size=(B, Hq)), rng.normal(size=(Ts, B, Hk))
        W_q, W_k = rng.normal(size=(Hq, A)), rng.normal(size=(Hk, A))
        b, v = rng.normal(size=A), rng.normal(size=A)
        mask = np.ones((Ts, B), bool)
        mask[Ts - 2:, 0] = False                                   # the first sequence is two steps shorter
        args = {"s": s, "h": h, "W_q": W_q, "W_k": W_k, "b": b, "v": v, "mask": mask}
        alpha, context = _tuple(name, _call(name, fn, args), ("alpha", "context"))
        alpha = _array(name, "alpha", alpha, (B, Ts))
        context = _array(name, "context", context, (B, Hk))
        a_ref, c_ref = _attention_ref(s, h, W_q, W_k, b, v, mask)
        err = max(_max_err(alpha, a_ref), _max_err(context, c_ref))
        worst = max(worst, err)
        if err <= _FORWARD_TOL:
            continue
        wrong = {"axis": _attention_ref(s, h, W_q, W_k, b, v, mask, axis=0)[0],
                 "mask": _attention_ref(s, h, W_q, W_k, b, v, mask, use_mask=False)[0],
                 "tanh": _attention_ref(s, h, W_q, W_k, b, v, mask, tanh=False)[0]}
        mistake = _diagnose(alpha, wrong)
        hints = {
            "axis": ("the softmax runs over the batch axis; it must run over the source positions j (each row of "
                     "alpha sums to 1)",
                     "softmax 作用在了批次维度上；它应作用于源位置 j（alpha 的每一行之和为 1）"),
            "mask": ("padded positions (mask False) still get weight; set their scores to -inf before the softmax",
                     "被遮住的位置（mask 为 False）仍有权重；应在 softmax 之前把它们的分数设为 -inf"),
            "tanh": ("the tanh is missing: e_j = v · tanh(s W_q + h_j W_k + b)",
                     "漏了 tanh：e_j = v · tanh(s W_q + h_j W_k + b)"),
        }
        if mistake is None and _max_err(alpha, a_ref) <= _FORWARD_TOL:
            hint = ("alpha is right but the context is not: context[b] = Σ_j alpha[b, j] h[j, b]",
                    "alpha 正确，但 context 不对：context[b] = Σ_j alpha[b, j] h[j, b]")
        else:
            hint = hints.get(mistake, ("compare with e_j = v · tanh(s W_q + h_j W_k + b), alpha = softmax_j(e)",
                                       "请对照 e_j = v · tanh(s W_q + h_j W_k + b)，alpha = softmax_j(e)"))
        _fail(f"{name}: wrong result for Ts={Ts}, B={B} (max error {err:.2g}): {hint[0]}",
              f"{name}：Ts={Ts}、B={B} 时结果不对（最大误差 {err:.2g}）：{hint[1]}")
    return _passed(name, worst)


def _loop(a, b, h0):
    h, out = h0, []
    for t in range(a.shape[0]):
        h = a[t] * h + b[t]
        out.append(h)
    return np.stack(out)


def min_gru_scan(fn):
    """Check ``fn(log_a, log_b, h0) -> h``, the linear recurrence h_t = a_t ⊙ h_{t-1} + b_t from logarithms.

    Shapes: ``log_a``, ``log_b`` (T, B, H), ``h0`` (B, H) with h0 > 0 -> ``h`` (T, B, H), h[t] the state after step
    t + 1. Compared with the sequential loop, up to T = 300, to a relative error of 1e-9. (A Python loop over time
    gives the same numbers and passes; the exercise asks for the scan.) Recognised mistakes: a cumulative sum where a cumulative log-sum-exp is needed, h_0 left out, the
    state before each step returned instead of after.
    """
    name, worst = "min_gru_scan", 0.0
    for seed, (T, B, H) in enumerate(((17, 1, 4), (1, 3, 2), (300, 2, 3))):
        rng = np.random.default_rng(710 + seed)
        a = 1 / (1 + np.exp(-rng.normal(size=(T, B, H)) - 2))      # forget-like coefficients in (0, 1)
        b = (1 - a) * rng.uniform(0.2, 1.5, size=(T, B, H))
        h0 = rng.uniform(0.1, 1.0, size=(B, H))
        args = {"log_a": np.log(a), "log_b": np.log(b), "h0": h0}
        out = _array(name, "h", _call(name, fn, args), (T, B, H))
        ref = _loop(a, b, h0)
        err = float(np.max(np.abs(out - ref) / np.abs(ref)))
        worst = max(worst, err)
        if err <= 1e-9:
            continue
        a_star = np.cumsum(np.log(a), axis=0)
        with np.errstate(over="ignore"):
            wrong = {"cumsum": np.exp(a_star + np.log(h0)[None] + np.cumsum(np.log(b) - a_star, axis=0)),
                     "no_h0": _loop(a, b, np.zeros_like(h0)),
                     "before": np.concatenate([h0[None], ref[:-1]])}
        mistake = _diagnose(out, wrong, tol=1e-6 * max(1.0, float(np.abs(ref).max())))
        hints = {
            "cumsum": ("the terms must be combined with a cumulative log-sum-exp (np.logaddexp.accumulate), not a "
                       "cumulative sum: log(x + y) is not log x + log y",
                       "各项应以累积 log-sum-exp（np.logaddexp.accumulate）合并，而不是累加：log(x + y) 不等于 log x + log y"),
            "no_h0": ("h0 is missing: put log h0 first in the sequence that is log-sum-exp-accumulated",
                      "漏了 h0：应把 log h0 放在做累积 log-sum-exp 的序列的最前面"),
            "before": ("off by one step: h[t] must be the state *after* step t + 1 (drop the h0 entry)",
                       "差了一步：h[t] 应是第 t + 1 步*之后*的状态（去掉 h0 那一项）"),
        }
        hint = hints.get(mistake, ("compare with log h_t = a*_t + logcumsumexp([log h0, log b_1 − a*_1, …]), "
                                   "a*_t = Σ_{k≤t} log a_k",
                                   "请对照 log h_t = a*_t + logcumsumexp([log h0, log b_1 − a*_1, …])，"
                                   "其中 a*_t = Σ_{k≤t} log a_k"))
        _fail(f"{name}: wrong h for T={T}, B={B}, H={H} (max relative error {err:.2g}): {hint[0]}",
              f"{name}：T={T}、B={B}、H={H} 时 h 不对（最大相对误差 {err:.2g}）：{hint[1]}")
    # the relative error after 300 steps of exp/log is rounding noise near 1e-14: print the tolerance it is below
    print(f"✓ {name} passed (max relative error against the step-by-step loop < 1e-09) / "
          f"通过（与逐步计算的最大相对误差 < 1e-09）")
    return True
