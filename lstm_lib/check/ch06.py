"""Chapter 6, variants on LSTM: the coupled update, and converting a GRU between the two z conventions."""

import numpy as np

from ._common import _FORWARD_TOL, _SEEDS, _SHAPES, _array, _call, _fail, _max_err, _passed, _sigmoid, _tuple


def _coupled_ref(x_t, h_prev, c_prev, W, b):
    """(h_t, c_t) by ``lstm_lib.CoupledLSTM.step``: the reference is the library."""
    from ..cells.coupled import CoupledLSTM
    H = h_prev.shape[1]
    cell = CoupledLSTM(W.shape[0] - H, H, seed=0)
    cell.params["W"][...] = W
    cell.params["b"][...] = b
    (h_t, c_t), _ = cell.step(x_t, (h_prev, c_prev))
    return h_t, c_t


def coupled_step(fn):
    """Check ``fn(x_t, h_prev, c_prev, W, b) -> (h_t, c_t)``, one step of the LSTM with coupled gates.

    Shapes: ``x_t`` (B, D), ``h_prev``, ``c_prev`` (B, H), ``W`` (H + D, 3H), ``b`` (3H,); three blocks
    ``f | c_tilde | o``::

        a = [h_prev, x_t] @ W + b
        f = σ(a[:, :H])     c_tilde = tanh(a[:, H:2H])     o = σ(a[:, 2H:])
        c_t = f * c_prev + (1 - f) * c_tilde
        h_t = o * tanh(c_t)
    """
    name, worst = "coupled_step", 0.0
    for seed, (B, D, H) in zip(_SEEDS, _SHAPES):
        rng = np.random.default_rng(600 + seed)
        x_t, h_prev, c_prev = rng.normal(size=(B, D)), 0.8 * rng.normal(size=(B, H)), rng.normal(size=(B, H))
        W, b = 0.5 * rng.normal(size=(H + D, 3 * H)), 0.5 * rng.normal(size=3 * H)
        args = {"x_t": x_t, "h_prev": h_prev, "c_prev": c_prev, "W": W, "b": b}
        h_out, c_out = _tuple(name, _call(name, fn, args), ("h_t", "c_t"))
        h_out, c_out = _array(name, "h_t", h_out, (B, H)), _array(name, "c_t", c_out, (B, H))
        h_ref, c_ref = _coupled_ref(x_t, h_prev, c_prev, W, b)
        err = max(_max_err(h_out, h_ref), _max_err(c_out, c_ref))
        worst = max(worst, err)
        if err <= _FORWARD_TOL:
            continue
        a = np.concatenate([h_prev, x_t], axis=1) @ W + b
        f, c_tilde, o = _sigmoid(a[:, :H]), np.tanh(a[:, H:2 * H]), _sigmoid(a[:, 2 * H:])
        mistakes = [
            ((1 - f) * c_prev + f * c_tilde, "the gates are swapped: f keeps the old state, "
             "c_t = f * c_prev + (1 - f) * c_tilde", "两个门用反了：f 负责保留旧状态，c_t = f * c_prev + (1 - f) * c_tilde"),
            (f * c_prev + f * c_tilde, "the input gate is 1 - f, not f", "输入门是 1 - f，而不是 f"),
            (f * c_prev + c_tilde, "the candidate is not gated: multiply it by (1 - f)", "候选值没有经过门：要乘以 (1 - f)"),
            (f * c_prev + (1 - f) * a[:, H:2 * H], "c_tilde = tanh(a[:, H:2H]): the tanh is missing",
             "c_tilde = tanh(a[:, H:2H])：漏了 tanh"),
            (f * c_prev + (1 - f) * np.tanh(a[:, 2 * H:]), "the blocks are f | c_tilde | o: c_tilde is the middle one",
             "分块顺序是 f | c_tilde | o：c_tilde 在中间"),
        ]
        for c_v, en, zh in mistakes:
            if _max_err(c_out, c_v) <= _FORWARD_TOL:
                _fail(f"{name}: c_t is wrong (max error {_max_err(c_out, c_ref):.2g}): {en}",
                      f"{name}：c_t 不对（最大误差 {_max_err(c_out, c_ref):.2g}）：{zh}")
        if _max_err(c_out, c_ref) <= _FORWARD_TOL:
            hint = ("h_t = o * tanh(c_t): the tanh is missing", "h_t = o * tanh(c_t)：漏了 tanh") \
                if _max_err(h_out, o * c_ref) <= _FORWARD_TOL else \
                ("check o = σ(a[:, 2H:]) and h_t = o * tanh(c_t)", "请检查 o = σ(a[:, 2H:]) 与 h_t = o * tanh(c_t)")
            _fail(f"{name}: c_t is right but h_t is wrong (max error {_max_err(h_out, h_ref):.2g}): {hint[0]}",
                  f"{name}：c_t 正确但 h_t 不对（最大误差 {_max_err(h_out, h_ref):.2g}）：{hint[1]}")
        _fail(f"{name}: c_t is wrong (max error {_max_err(c_out, c_ref):.2g}): check f = σ(a[:, :H]), "
              f"c_tilde = tanh(a[:, H:2H]) and c_t = f * c_prev + (1 - f) * c_tilde",
              f"{name}：c_t 不对（最大误差 {_max_err(c_out, c_ref):.2g}）：请检查 f = σ(a[:, :H])、"
              f"c_tilde = tanh(a[:, H:2H]) 与 c_t = f * c_prev + (1 - f) * c_tilde")
    return _passed(name, worst)


def _gru_ours(x_t, h_prev, W, b):
    """h_t of ``lstm_lib.GRU(reset_after=False).step``: h_t = (1 − z) ⊙ h_{t-1} + z ⊙ h̃_t."""
    from ..cells.gru import GRU
    H = h_prev.shape[1]
    cell = GRU(W.shape[0] - H, H, seed=0)
    cell.params["W"][...] = W
    cell.params["b"][...] = b
    return cell.step(x_t, h_prev)[0]


def _gru_other(x_t, h_prev, W, b):
    """The other convention (Cho et al. 2014, PyTorch): h_t = z ⊙ h_{t-1} + (1 − z) ⊙ h̃_t, same blocks z | r | h̃."""
    H = h_prev.shape[1]
    a = np.concatenate([h_prev, x_t], axis=1) @ W[:, :2 * H] + b[:2 * H]
    z, r = _sigmoid(a[:, :H]), _sigmoid(a[:, H:])
    h_tilde = np.tanh(np.concatenate([r * h_prev, x_t], axis=1) @ W[:, 2 * H:] + b[2 * H:])
    return z * h_prev + (1 - z) * h_tilde


def gru_flip_z(fn):
    """Check ``fn(W, b) -> (W_other, b_other)``: the parameters of the same GRU in the other z convention.

    ``W`` (H + D, 3H), ``b`` (3H,) belong to ``lstm_lib.GRU(reset_after=False)`` (blocks ``z | r | h_tilde``,
    h_t = (1 − z) ⊙ h_{t-1} + z ⊙ h̃_t). Return the parameters with which a GRU written the other way,
    h_t = z' ⊙ h_{t-1} + (1 − z') ⊙ h̃_t, computes exactly the same h_t.
    """
    name, worst = "gru_flip_z", 0.0
    for seed, (B, D, H) in zip(_SEEDS, _SHAPES):
        rng = np.random.default_rng(610 + seed)
        x_t, h_prev = rng.normal(size=(B, D)), 0.8 * rng.normal(size=(B, H))
        W, b = 0.5 * rng.normal(size=(H + D, 3 * H)), 0.5 * rng.normal(size=3 * H)
        W0, b0 = W.copy(), b.copy()
        out = _tuple(name, _call(name, fn, {"W": W, "b": b}), ("W_other", "b_other"))
        W2, b2 = _array(name, "W_other", out[0], W.shape), _array(name, "b_other", out[1], b.shape)
        h_ref = _gru_ours(x_t, h_prev, W0, b0)
        h_out = _gru_other(x_t, h_prev, W2, b2)
        err = _max_err(h_out, h_ref)
        worst = max(worst, err)
        if err <= _FORWARD_TOL:
            continue
        z = slice(0, H)
        if np.array_equal(W2, W0) and np.array_equal(b2, b0):
            _fail(f"{name}: the parameters came back unchanged, so z' = z and the GRU mixes the other way "
                  f"(max error {err:.2g}): since 1 − σ(a) = σ(−a), negate the z block",
                  f"{name}：参数原样返回，于是 z' = z，GRU 的混合方向反了（最大误差 {err:.2g}）："
                  f"由 1 − σ(a) = σ(−a)，应把 z 块取负")
        if np.allclose(W2[:, z], -W0[:, z]) and np.allclose(b2[z], b0[z]):
            _fail(f"{name}: W's z block is negated but b's is not (max error {err:.2g}): z' = σ(−a) needs −b_z too",
                  f"{name}：W 的 z 块取了负，b 的 z 块却没有（最大误差 {err:.2g}）：z' = σ(−a) 也需要 −b_z")
        if np.allclose(W2[:, z], 1 - W0[:, z]):
            _fail(f"{name}: 1 − W is not how z' = 1 − z comes about (max error {err:.2g}): 1 − σ(a) = σ(−a), so "
                  f"negate the z block's weights and bias",
                  f"{name}：z' = 1 − z 并不是由 1 − W 得到的（最大误差 {err:.2g}）：1 − σ(a) = σ(−a)，"
                  f"应把 z 块的权重和偏置取负")
        if np.allclose(W2, -W0):
            _fail(f"{name}: only the z block changes sign; r and h_tilde keep theirs (max error {err:.2g})",
                  f"{name}：只有 z 块要变号，r 和 h_tilde 保持不变（最大误差 {err:.2g}）")
        _fail(f"{name}: the other GRU computes a different h_t (max error {err:.2g}): negate the z block of W and "
              f"b (columns :H) and leave the rest as it is",
              f"{name}：换一种写法的 GRU 算出的 h_t 不同（最大误差 {err:.2g}）：把 W 与 b 的 z 块（前 H 列）取负，"
              f"其余保持不变")
    return _passed(name, worst)
