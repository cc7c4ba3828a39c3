"""What every check shares: tolerances, the pass line (a bound, never rounding digits), calling the student's
function safely, shape and type checks, and the library references the checks compare with."""
import copy

import numpy as np

from ..cells import _ops
from ..gradcheck import numerical_gradient, rel_error  # rel_error is also re-exported by lstm_lib.check

# forward values are O(1); anything a float32 implementation gets right passes, anything conceptually wrong fails
_FORWARD_TOL = 1e-6
# backward: relative error against finite differences (float64, centred, eps = 1e-6 gives ~1e-9 for correct code)
_FD_TOL = 1e-5
_SEEDS = (0, 1, 2)


# ----------------------------------------------------------------------------------------------------------- helpers
def _max_err(a, b):
    return float(np.max(np.abs(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64))))


class CheckFailed(AssertionError):
    """A failed check: an ``AssertionError`` whose traceback, in IPython and Jupyter, is the message alone.

    IPython asks an exception for ``_render_traceback_()`` before formatting frames: a student sees the bilingual
    message first and none of this library's frames; when the student's own function raised, its frames (and only
    those outside ``lstm_lib``) follow the message. Plain Python and pytest show an ordinary AssertionError.
    """

    def _render_traceback_(self):
        red, bold, reset = "\x1b[0;31m", "\x1b[1m", "\x1b[0m"
        lines = [f"{red}{bold}AssertionError{reset}{red}: {self}{reset}"]
        cause = self.__cause__
        if cause is not None and not isinstance(cause, AssertionError):
            import traceback

            frames = [f for f in traceback.extract_tb(cause.__traceback__) if not _in_library(f.filename)]
            if frames:
                lines.append("")
                lines.append("in your function / 在你的函数中:")
                lines.extend(line.rstrip("\n") for line in traceback.format_list(frames))
                lines.append(f"{type(cause).__name__}: {cause}")
        return lines


def _in_library(filename):
    import os

    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return os.path.abspath(filename).startswith(package + os.sep)


def _fail(en, zh):
    __tracebackhide__ = True          # pytest: start the report at the check cell's assert
    raise CheckFailed(f"{en} / {zh}")


def _bound(err, tiers=(1e-12, 1e-9, 1e-6, 1e-3)):
    """The smallest tier that err is below, as a string: ``1e-12`` for 2.2e-16.

    A pass line prints this bound, never err itself: err is rounding-level (1.1e-16 on one BLAS kernel, 2.2e-16 on
    another), and the stored outputs nbval compares must read the same on every correct machine.
    """
    for tier in tiers:
        if err < tier:
            return f"{tier:.0e}"
    return f"{tiers[-1]:.0e}"  # unreachable for a passing check: every tolerance is below the last tier


def _passed(name, err, what="max error", what_zh="最大误差", fd=None):
    more_en = f"; relative error against finite differences < {_bound(fd)}" if fd is not None else ""
    more_zh = f"；与有限差分的相对误差 < {_bound(fd)}" if fd is not None else ""
    print(f"✓ {name} passed ({what} < {_bound(err)}{more_en}) / 通过（{what_zh} < {_bound(err)}{more_zh}）")
    return True


def _shapes(args):
    return ", ".join(f"{k} {tuple(np.shape(v))}" if isinstance(v, np.ndarray) else f"{k}={v!r}" for k, v in args.items())


def _call(name, fn, args):
    """Call the student's fn with copies of args (keyword order = positional order)."""
    if not callable(fn):
        _fail(f"{name}: expected a function, got {type(fn).__name__}",
              f"{name}：应传入一个函数，实际传入的是 {type(fn).__name__}")
    call_args = [copy.deepcopy(v) for v in args.values()]
    try:
        return fn(*call_args)
    except NotImplementedError:
        raise
    except Exception as err:  # any other error inside the student's code: say with which inputs it happened
        raise CheckFailed(
            f"{name} raised {type(err).__name__}: {err} — called with {_shapes(args)} / "
            f"{name} 抛出了 {type(err).__name__}：{err} —— 调用时的输入为 {_shapes(args)}") from err


def _where(index):
    return "[" + ", ".join(str(int(i)) for i in index) + "]"


def _array(name, what, out, shape):
    """Check that ``out`` is a finite float ndarray of ``shape``; ``what`` names the output (e.g. 'h_t')."""
    if out is None:
        _fail(f"{name} returned None for {what} — did you forget `return`?",
              f"{name} 的 {what} 返回了 None —— 是否忘了写 `return`？")
    if not isinstance(out, np.ndarray):
        _fail(f"{name}: {what} should be a numpy array of shape {shape}, got {type(out).__name__}",
              f"{name}：{what} 应为形状 {shape} 的 numpy 数组，实际为 {type(out).__name__}")
    if out.shape != tuple(shape):
        hint_en = hint_zh = ""
        if out.ndim == 2 and len(shape) == 2 and out.shape == tuple(shape)[::-1]:
            hint_en, hint_zh = " (the transpose of what is expected)", "（恰好是所需形状的转置）"
        _fail(f"{name}: {what} has shape {out.shape}{hint_en}, expected {tuple(shape)}",
              f"{name}：{what} 的形状是 {out.shape}{hint_zh}，应为 {tuple(shape)}")
    if not np.issubdtype(out.dtype, np.floating):
        _fail(f"{name}: {what} has dtype {out.dtype}, expected floating point",
              f"{name}：{what} 的数据类型是 {out.dtype}，应为浮点数")
    if not np.all(np.isfinite(out)):
        _fail(f"{name}: {what} contains NaN or inf at {_where(np.argwhere(~np.isfinite(out))[0])}",
              f"{name}：{what} 在 {_where(np.argwhere(~np.isfinite(out))[0])} 处含有 NaN 或 inf")
    return out


def _tuple(name, out, names):
    if not isinstance(out, (tuple, list)) or len(out) != len(names):
        got = f"a {type(out).__name__} of length {len(out)}" if isinstance(out, (tuple, list)) else type(out).__name__
        got_zh = f"长度为 {len(out)} 的 {type(out).__name__}" if isinstance(out, (tuple, list)) else type(out).__name__
        _fail(f"{name} should return a tuple ({', '.join(names)}), got {got}",
              f"{name} 应返回元组 ({', '.join(names)})，实际返回 {got_zh}")
    return out


def _diagnose(out, candidates, tol=_FORWARD_TOL):
    """Name of the first wrong variant that ``out`` reproduces, or None."""
    for key, value in candidates.items():
        if value is not None and np.shape(value) == np.shape(out) and _max_err(out, value) <= tol:
            return key
    return None


def _fail_at(what, out, ref, err, hint, rel=None, context=("", "")):
    """Fail naming where ``out`` is furthest from ``ref``: "<what> wrong (max error … at <what>[i, j]): <hint>".

    ``hint`` is an (English, Chinese) pair; ``rel``, where the check has one, is the relative error against finite
    differences, named first; ``context`` (English, Chinese) ends the parenthesis, e.g. (", T = 6", "，T = 6")."""
    __tracebackhide__ = True
    at = _where(np.unravel_index(np.argmax(np.abs(out - ref)), ref.shape))
    if rel is None:
        _fail(f"{what} wrong (max error {err:.2g} at {what}{at}{context[0]}): {hint[0]}",
              f"{what} 不对（最大误差 {err:.2g}，位于 {what}{at}{context[1]}）：{hint[1]}")
    _fail(f"{what} wrong (relative error {rel:.2g} against finite differences; max error {err:.2g} at "
          f"{what}{at}{context[0]}): {hint[0]}",
          f"{what} 不对（与有限差分的相对误差 {rel:.2g}；最大误差 {err:.2g}，位于 {what}{at}{context[1]}）：{hint[1]}")


def _check_grads(out, ref, num, wrong, hints, default_hint, context=("", "")):
    """Compare every gradient of a backward check with the reference and with finite differences.

    ``out``, ``ref``, ``num`` map each gradient's name to the student's array, the library's and the centred
    differences; ``wrong[name]`` maps mistake -> what that mistake gives. A gradient off the reference fails with the
    hint of the mistake it reproduces (``hints``, else ``default_hint``); one that agrees with the reference but not
    with finite differences fails too; ``context`` is passed to ``_fail_at``. Returns (max error, max relative error
    against finite differences).
    """
    __tracebackhide__ = True
    worst = worst_fd = 0.0
    for k in ref:
        err = _max_err(out[k], ref[k])
        worst = max(worst, err)
        rel = rel_error(out[k], num[k])
        if err > _FORWARD_TOL * max(1.0, float(np.max(np.abs(ref[k])))):
            _fail_at(k, out[k], ref[k], err, hints.get(_diagnose(out[k], wrong[k]), default_hint), rel=rel,
                     context=context)
        worst_fd = max(worst_fd, rel)
        if rel > _FD_TOL:   # agrees with the reference but not with finite differences: cannot happen for float64
            _fail(f"{k} disagrees with finite differences (relative error {rel:.2g}); is it computed in float64?",
                  f"{k} 与有限差分不符（相对误差 {rel:.2g}）；是否用 float64 计算？")
    return worst, worst_fd


def _num_grad(f, x, df):
    """Centred-difference gradient of sum(f() * df) wrt x (perturbed in place), by ``lstm_lib.gradcheck``."""
    return numerical_gradient(lambda: np.sum(f() * df), x, h=1e-3, points=4)


def _sigmoid(z):
    return _ops.sigmoid(np.asarray(z, dtype=np.float64))


# -------------------------------------------------------------------------------------------------------- references
def _cell(kind, W, b):
    """A library cell (lstm_lib.RNN / lstm_lib.LSTM) holding the given parameters: the reference IS the library."""
    from ..cells import lstm as _lstm, rnn as _rnn
    cls = {"RNN": _rnn.RNN, "LSTM": _lstm.LSTM}[kind]
    n_blocks = len(cls.gate_names)
    H = W.shape[1] // n_blocks
    cell = cls(W.shape[0] - H, H, seed=0)
    cell.params["W"][...] = W
    cell.params["b"][...] = b
    return cell


def _rnn_step_ref(x_t, h_prev, W, b):
    """h_t = tanh([h_prev, x_t] @ W + b), by ``lstm_lib.RNN.step``."""
    h_t, _ = _cell("RNN", W, b).step(x_t, h_prev)
    return h_t


def _rnn_step_backward_ref(dh_t, x_t, h_prev, W, b):
    """(dx_t, dh_prev, dW, db) by ``lstm_lib.RNN.step_backward``."""
    cell = _cell("RNN", W, b)
    _, cache = cell.step(x_t, h_prev)
    cell.zero_grad()
    dx_t, dh_prev = cell.step_backward(dh_t, cache)
    return dx_t, dh_prev, cell.grads["W"].copy(), cell.grads["b"].copy()


def _lstm_gates(x_t, h_prev, W, b, order="fico", concat="hx", act=None):
    """Gates of one LSTM step, with switches used to imitate common mistakes."""
    act = {"f": _sigmoid, "i": _sigmoid, "c_tilde": np.tanh, "o": _sigmoid, **(act or {})}
    H = h_prev.shape[1]
    hx = np.concatenate([h_prev, x_t] if concat == "hx" else [x_t, h_prev], axis=1)
    a = hx @ W + b                                                      # (B, 4H)
    names = {"f": "f", "i": "i", "c": "c_tilde", "o": "o"}
    blocks = {names[k]: a[:, n * H:(n + 1) * H] for n, k in enumerate(order)}
    return {g: act[g](blocks[g]) for g in ("f", "i", "c_tilde", "o")}


def _lstm_step_ref(x_t, h_prev, c_prev, W, b):
    """(h_t, c_t) by ``lstm_lib.LSTM.step``."""
    (h_t, c_t), _ = _cell("LSTM", W, b).step(x_t, (h_prev, c_prev))
    return h_t, c_t


def _rnn_jacobian_ref(x_t, h_prev, W, b):
    """J = diag(1 - h_t²) @ W[:H].T, with h_t from ``lstm_lib.RNN.step`` (batch of one)."""
    H = h_prev.shape[0]
    h_t = _rnn_step_ref(x_t[None], h_prev[None], W, b)[0]
    return (1.0 - h_t ** 2)[:, None] * W[:H].T        # J[j, k] = (1 - h_t[j]^2) W[k, j]


def _clip_ref(grads, max_norm):
    total = float(np.sqrt(sum(np.sum(g.astype(np.float64) ** 2) for g in grads.values())))
    scale = max_norm / total if total > max_norm else 1.0
    return {k: g * scale for k, g in grads.items()}, total


def _gradient_norm_vs_lag_ref(W_h, lags):
    return np.array([np.linalg.norm(np.linalg.matrix_power(W_h, k), 2) for k in lags])


def _random_rnn(rng, B, D, H, scale=0.5):
    return (rng.normal(size=(B, D)), rng.normal(size=(B, H)) * 0.8,
            rng.normal(size=(H + D, H)) * scale, rng.normal(size=H) * scale)


_SHAPES = ((3, 4, 5), (2, 3, 2), (4, 2, 6))       # (B, D, H); D != H so a swapped concatenation is visible
