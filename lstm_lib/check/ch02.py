"""Chapter 2, long-term dependencies: the RNN's Jacobian, gradient norm against the lag, gradient clipping."""

import numpy as np

from ._common import (
    _FORWARD_TOL, _SEEDS, _SHAPES, _array, _call, _clip_ref, _diagnose, _fail, _fail_at, _gradient_norm_vs_lag_ref,
    _max_err, _num_grad, _passed, _rnn_jacobian_ref, _rnn_step_ref, _tuple, rel_error)


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
            _fail_at("J", out, ref, err, hint, rel=rel_error(out, num))
    return _passed(name, worst, fd=worst_fd)

def gradient_norm_vs_lag(fn):
    """Check ``fn(W_h, lags) -> norms``, how the gradient through a linear recurrence grows or vanishes with the lag.

    For the linear recurrence ``h_t = h_{t-1} @ W_h`` (row vectors, ``W_h`` of shape (H, H)) the Jacobian of one step
    is ``∂h_t/∂h_{t-1} = W_h^T`` (J[j, k] = ∂h_t[j]/∂h_{t-1}[k] = W_h[k, j]), so over k steps

        ∂h_T / ∂h_{T-k} = (W_h^T)^k        and        norms[n] = ‖(W_h^T)^k‖₂ = ‖W_h^k‖₂   for k = lags[n],

    the spectral norm (largest singular value, ``np.linalg.norm(M, 2)``), with ``‖W^0‖₂ = ‖I‖₂ = 1``. Returns an
    array of shape ``(len(lags),)``. Recognised mistakes: the Frobenius norm (numpy's default for a matrix), the
    spectral radius to the power k, the bound ``‖W_h‖₂^k``, a lag off by one.
    """
    name, worst = "gradient_norm_vs_lag", 0.0
    lags = [0, 1, 2, 5, 10, 20]
    rng = np.random.default_rng(500)
    H = 6
    Q, _ = np.linalg.qr(rng.normal(size=(H, H)))
    mats = [rng.normal(size=(H, H)) * 0.9 / np.sqrt(H),            # contracting
            Q * 1.15,                                              # expanding, normal
            np.diag(np.full(H, 0.9)) + np.diag(np.full(H - 1, 0.8), 1)]   # non-normal: bound and radius both wrong
    for W_h in mats:
        args = {"W_h": W_h, "lags": list(lags)}
        out = _call(name, fn, args)
        if isinstance(out, (list, tuple)):
            out = np.asarray(out, dtype=float)
        out = _array(name, "norms", out, (len(lags),))
        ref = _gradient_norm_vs_lag_ref(W_h, lags)
        err = rel_error(out, ref)
        worst = max(worst, err)
        if err > 1e-6:
            mp = np.linalg.matrix_power
            radius = np.max(np.abs(np.linalg.eigvals(W_h)))
            mistake = _diagnose(out, {
                "fro": np.array([np.linalg.norm(mp(W_h, k)) for k in lags]),
                "radius": radius ** np.array(lags, dtype=float),
                "bound": np.linalg.norm(W_h, 2) ** np.array(lags, dtype=float),
                "plus1": np.array([np.linalg.norm(mp(W_h, k + 1), 2) for k in lags]),
                "minus1": np.array([np.linalg.norm(mp(W_h, max(k - 1, 0)), 2) for k in lags]),
            }, tol=1e-6 * max(1.0, float(np.max(ref))))
            hints = {
                "fro": ("you used the Frobenius norm (numpy's default for a matrix); use np.linalg.norm(M, 2)",
                        "你用了 Frobenius 范数（numpy 对矩阵的默认范数）；应使用 np.linalg.norm(M, 2)"),
                "radius": ("you used the spectral radius to the power k; it gives the long-run rate, not ‖W_h^k‖₂",
                           "你用了谱半径的 k 次方；它只给出长期的增长率，并不等于 ‖W_h^k‖₂"),
                "bound": ("you used ‖W_h‖₂^k, an upper bound; compute the norm of the product W_h^k itself",
                          "你用了上界 ‖W_h‖₂^k；应计算乘积 W_h^k 本身的范数"),
                "plus1": ("the lag is off by one: lag k is a product of k Jacobians (lag 0 gives the identity)",
                          "时间间隔错了一步：时间间隔 k 对应 k 个雅可比矩阵之积（k = 0 时是单位矩阵）"),
                "minus1": ("the lag is off by one: lag k is a product of k Jacobians (lag 0 gives the identity)",
                           "时间间隔错了一步：时间间隔 k 对应 k 个雅可比矩阵之积（k = 0 时是单位矩阵）"),
            }
            hint = hints.get(mistake, ("norms[n] = ‖W_h^k‖₂ with k = lags[n]", "norms[n] = ‖W_h^k‖₂，其中 k = lags[n]"))
            n = int(np.argmax(np.abs(out - ref) / np.maximum(1e-8, np.abs(out) + np.abs(ref))))
            _fail(f"norm wrong at lag k = {lags[n]} (got {out[n]:.4g}, expected {ref[n]:.4g}; relative error "
                  f"{err:.2g}): {hint[0]}",
                  f"时间间隔 k = {lags[n]} 处的范数不对（得到 {out[n]:.4g}，应为 {ref[n]:.4g}；相对误差 {err:.2g}）：{hint[1]}")
    return _passed(name, worst, "relative error", "相对误差")

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
