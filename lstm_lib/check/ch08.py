"""Chapter 8, an LSTM that writes: drawing the next character with a temperature."""

import numpy as np

from ._common import _call, _fail


def _ref(logits, temperature, u):
    from ..charlm import sample_next          # the reference IS the library's sampler
    return sample_next(logits, temperature, u)


def sample_next(fn):
    """Check ``fn(logits, temperature, u) -> k``, one character id drawn from ``softmax(logits / temperature)``.

    ``logits`` (V,) floats, ``temperature`` ≥ 0, ``u`` a uniform number in [0, 1). With
    ``p = softmax(logits / temperature)`` the answer is the first ``k`` with ``p[0] + … + p[k] > u`` (inverse-CDF
    sampling); ``temperature == 0`` means greedy, ``k = argmax(logits)``. Returns a Python or numpy integer.

    Tried on many seeded (logits, temperature, u): moderate logits, logits of ±1000 (a softmax that does not subtract
    the maximum overflows), temperatures 0, 0.1, 0.5, 1, 2. Recognised mistakes: temperature ignored, logits
    multiplied by the temperature instead of divided, always greedy, greedy at every temperature but 1, the CDF
    compared with ``≥``-style off-by-one (returning k + 1), NaN from an unstable softmax.
    """
    name = "sample_next"
    rng = np.random.default_rng(800)
    cases = []
    for V in (5, 12, 40):
        for temperature in (1.0, 0.5, 2.0, 0.1, 0):
            for scale in (2.0, 1000.0):
                logits = rng.normal(size=V) * scale
                for u in rng.random(6):
                    cases.append((logits, temperature, float(u)))
    wrong = {
        "ignored": lambda z, t, u: _ref(z, 1.0 if t else 0, u),
        "times": lambda z, t, u: _ref(z * t * t, 1.0, u) if t else _ref(z, 0, u),
        "greedy": lambda z, t, u: int(np.argmax(z)),
        "plus1": lambda z, t, u: min(_ref(z, t, u) + 1, len(z) - 1),
    }
    hints = {
        "ignored": ("the temperature is ignored: divide the logits by it before the softmax",
                    "忽略了温度：应先把 logits 除以温度，再做 softmax"),
        "times": ("the logits are multiplied by the temperature; divide them: softmax(logits / temperature)",
                  "logits 乘以了温度；应当相除：softmax(logits / temperature)"),
        "greedy": ("the answer is always the argmax: that is greedy decoding, right only for temperature 0",
                   "总是返回 argmax：这是贪心解码，只在温度为 0 时才对"),
        "plus1": ("off by one: return the FIRST k whose cumulative probability exceeds u",
                  "差了一位：应返回累积概率第一次超过 u 的那个 k"),
    }
    votes = dict.fromkeys(wrong, 0)
    bad, small_logits_wrong = None, False
    for logits, temperature, u in cases:
        args = {"logits": logits, "temperature": temperature, "u": u}
        out = _call(name, fn, args)
        if isinstance(out, np.ndarray) and out.shape == ():
            out = out.item()
        if isinstance(out, (bool, np.bool_)) or not isinstance(out, (int, np.integer)):
            _fail(f"{name} should return an integer id, got {type(out).__name__} ({out!r:.40})",
                  f"{name} 应返回一个整数 id，实际返回 {type(out).__name__}（{out!r:.40}）")
        ref = _ref(logits, temperature, u)
        if int(out) != ref:
            bad = bad or (logits, temperature, u, int(out), ref)
            small_logits_wrong |= bool(np.abs(logits).max() < 100)
            for key, w in wrong.items():
                votes[key] += int(w(logits, temperature, u) == int(out))
    if bad is None:
        print(f"✓ {name} passed (all {len(cases)} draws right) / 通过（{len(cases)} 次抽样全部正确）")
        return True
    logits, temperature, u, out, ref = bad
    key = max(votes, key=votes.get)
    if not small_logits_wrong:
        hint = ("with large logits (±1000) np.exp overflows: subtract the maximum before exponentiating",
                "logits 很大（±1000）时 np.exp 会溢出：取指数之前先减去最大值")
    elif votes[key] > 0:
        hint = hints[key]
    else:
        hint = ("compare with p = softmax(logits / temperature) and the first k with cumsum(p)[k] > u",
                "请对照 p = softmax(logits / temperature)，以及满足 cumsum(p)[k] > u 的第一个 k")
    _fail(f"wrong id {out} for temperature {temperature}, u = {u:.3f}, V = {len(logits)} (expected {ref}): {hint[0]}",
          f"温度 {temperature}、u = {u:.3f}、V = {len(logits)} 时 id {out} 不对（应为 {ref}）：{hint[1]}")
