"""Appendix C, the recurrent family: scaling a reservoir to a spectral radius, and an ESN's ridge-regression readout."""
import numpy as np

from ._common import _FORWARD_TOL, _array, _call, _diagnose, _fail, _max_err, _passed


def _scale_ref(W, rho, how="eig"):
    if how == "eig":
        return W * (rho / np.abs(np.linalg.eigvals(W)).max())
    if how == "norm":                                              # the spectral norm: largest singular value
        return W * (rho / np.linalg.norm(W, 2))
    if how == "real":                                              # largest real part instead of modulus
        return W * (rho / np.abs(np.linalg.eigvals(W).real).max())
    if how == "times":                                             # multiplied, not rescaled
        return W * rho


def scale_to_spectral_radius(fn):
    """Check ``fn(W, rho) -> W_scaled``: W (N, N) multiplied by one number so that max_i |λ_i(W_scaled)| = rho.

    Recognised mistakes: dividing by the spectral *norm* (largest singular value, ≥ the spectral radius), by the
    largest real part of the eigenvalues (a random W has complex eigenvalues), multiplying by rho without dividing.
    """
    name, worst = "scale_to_spectral_radius", 0.0
    for seed, (N, rho) in enumerate(((6, 0.9), (20, 0.5), (3, 1.2))):
        rng = np.random.default_rng(900 + seed)
        W = rng.standard_normal((N, N))
        out = _array(name, "W_scaled", _call(name, fn, {"W": W, "rho": rho}), (N, N))
        ref = _scale_ref(W, rho)
        err = _max_err(out, ref)
        worst = max(worst, err)
        if err <= _FORWARD_TOL:
            continue
        mistake = _diagnose(out, {h: _scale_ref(W, rho, h) for h in ("norm", "real", "times")})
        hints = {
            "norm": ("you divided by the spectral norm (largest singular value, np.linalg.norm(W, 2)); the spectral "
                     "radius is the largest |eigenvalue|, np.abs(np.linalg.eigvals(W)).max(), and is smaller",
                     "你除以的是谱范数（最大奇异值，np.linalg.norm(W, 2)）；谱半径是特征值模的最大值 "
                     "np.abs(np.linalg.eigvals(W)).max()，它更小"),
            "real": ("you used the largest real part; a random W has complex eigenvalues, and the radius is the "
                     "largest modulus |λ|",
                     "你用的是特征值实部的最大值；随机矩阵的特征值是复数，谱半径是模 |λ| 的最大值"),
            "times": ("W was multiplied by rho but not first divided by its own spectral radius",
                      "W 乘上了 rho，却没有先除以它自己的谱半径"),
            None: ("W_scaled must be W times one number, rho / ρ(W), with ρ(W) = max |eigenvalue of W|",
                   "W_scaled 应为 W 乘以一个数 rho / ρ(W)，其中 ρ(W) 为 W 特征值模的最大值"),
        }[mistake]
        got = np.abs(np.linalg.eigvals(out)).max()
        _fail(f"{name}: N = {N}, rho = {rho}: the result has spectral radius {got:.4f}: {hints[0]}",
              f"{name}：N = {N}，rho = {rho}：结果的谱半径为 {got:.4f}：{hints[1]}")
    return _passed(name, worst)


def _ridge_ref(X, Y, lam, mistake=None):
    n_feat = X.shape[1]
    if mistake == "no_bias":
        return np.linalg.solve(X.T @ X + lam * np.eye(n_feat), X.T @ Y)
    Xb = np.concatenate([X, np.ones((X.shape[0], 1))], axis=1)   # [r_t, 1]
    if mistake == "no_ridge":
        return np.linalg.lstsq(Xb, Y, rcond=None)[0]
    if mistake == "bias_first":
        Xf = np.concatenate([np.ones((X.shape[0], 1)), X], axis=1)
        return np.linalg.solve(Xf.T @ Xf + lam * np.eye(n_feat + 1), Xf.T @ Y)
    return np.linalg.solve(Xb.T @ Xb + lam * np.eye(n_feat + 1), Xb.T @ Y)


def ridge_readout(fn):
    """Check ``fn(R, Y, lam) -> W_out``: the ESN readout by ridge regression.

    R (n, N) reservoir states (one row per time step), Y (n, K) targets, lam ≥ 0. With X = [R, 1] (a column of ones
    appended *last*), W_out = (XᵀX + lam·I)⁻¹ XᵀY, shape (N + 1, K): the last row is the bias. Tested with a lam large
    enough to matter. Recognised mistakes: no bias column, the bias column first, lam left out.
    """
    name, worst = "ridge_readout", 0.0
    for seed, (n, N, K, lam) in enumerate(((50, 8, 1, 0.5), (80, 12, 3, 2.0), (30, 5, 2, 0.1))):
        rng = np.random.default_rng(950 + seed)
        R = np.tanh(rng.standard_normal((n, N)))
        Y = rng.standard_normal((n, K)) + 1.5                      # a non-zero mean, so the bias matters
        out = _call(name, fn, {"R": R, "Y": Y, "lam": lam})
        if isinstance(out, np.ndarray) and out.shape == (N, K):
            _fail(f"{name}: W_out has shape {(N, K)}, expected {(N + 1, K)}: append a column of ones to R (the bias "
                  f"of the readout), X = [R, 1]",
                  f"{name}：W_out 的形状为 {(N, K)}，应为 {(N + 1, K)}：给 R 末尾加一列 1（读出层的偏置），X = [R, 1]")
        out = _array(name, "W_out", out, (N + 1, K))
        ref = _ridge_ref(R, Y, lam)
        err = _max_err(out, ref)
        worst = max(worst, err)
        if err <= _FORWARD_TOL:
            continue
        mistake = _diagnose(out, {m: _ridge_ref(R, Y, lam, m) for m in ("no_ridge", "bias_first")})
        hints = {
            "no_ridge": ("that is ordinary least squares: add lam times the identity to XᵀX",
                         "这是普通最小二乘：需要在 XᵀX 上加 lam 倍单位矩阵"),
            "bias_first": ("the column of ones must come last, X = [R, 1], so that the bias is the last row of W_out",
                           "那一列 1 应放在最后，X = [R, 1]，这样偏置是 W_out 的最后一行"),
            None: ("W_out = (XᵀX + lam·I)⁻¹ XᵀY with X = [R, 1]; solve with np.linalg.solve rather than inverting",
                   "W_out = (XᵀX + lam·I)⁻¹ XᵀY，其中 X = [R, 1]；用 np.linalg.solve 求解，不要显式求逆"),
        }[mistake]
        _fail(f"{name}: n = {n}, N = {N}, K = {K}, lam = {lam}: max error {err:.2e}: {hints[0]}",
              f"{name}：n = {n}，N = {N}，K = {K}，lam = {lam}：最大误差 {err:.2e}：{hints[1]}")
    return _passed(name, worst)
