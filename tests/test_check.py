"""lstm_lib.check: every check passes on a correct solution, lets a stub's NotImplementedError through, and fails on
deliberately wrong solutions with a bilingual diagnosis (the English AND the Chinese words are asserted)."""
import re

import numpy as np
import pytest

import lstm_lib
from lstm_lib import check

sig = lambda z: 0.5 * np.tanh(0.5 * z) + 0.5  # noqa: E731


# ------------------------------------------------------------------------------------------- correct solutions
def rnn_step(x_t, h_prev, W, b):
    return np.tanh(np.concatenate([h_prev, x_t], axis=1) @ W + b)


def rnn_step_backward(dh_t, x_t, h_prev, W, b, *, dtanh=True, transpose=True, reduce="sum", split="hx"):
    H = h_prev.shape[1]
    h_t = rnn_step(x_t, h_prev, W, b)
    da = dh_t * (1 - h_t ** 2) if dtanh else dh_t
    hx = np.concatenate([h_prev, x_t], axis=1)
    dhx = da @ W.T
    dW = hx.T @ da if transpose else da.T @ hx
    db = {"sum": da.sum(0), "mean": da.mean(0), "none": da}[reduce]
    dh_prev = dhx[:, :H] if transpose else da @ W[:H]
    dx_t = dhx[:, H:] if split == "hx" else dhx[:, :x_t.shape[1]]
    if split != "hx":
        dh_prev = dhx[:, x_t.shape[1]:]
    return dx_t, dh_prev, dW, db


def lstm_step(x_t, h_prev, c_prev, W, b, *, order="fico", act=None, cell=None, out=None):
    H = h_prev.shape[1]
    a = np.concatenate([h_prev, x_t], axis=1) @ W + b
    blocks = {k: a[:, n * H:(n + 1) * H] for n, k in enumerate(order)}
    act = {"f": sig, "i": sig, "c": np.tanh, "o": sig, **(act or {})}
    f, i, c_tilde, o = (act[k](blocks[k]) for k in "fico")
    c_t = cell(f, i, c_tilde, c_prev) if cell else f * c_prev + i * c_tilde
    h_t = out(o, c_t) if out else o * np.tanh(c_t)
    return h_t, c_t


def rnn_jacobian(x_t, h_prev, W, b):
    H = h_prev.shape[0]
    h_t = np.tanh(np.concatenate([h_prev, x_t]) @ W + b)
    return (1 - h_t ** 2)[:, None] * W[:H].T


def clip_by_global_norm(grads, max_norm):
    total = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    scale = max_norm / total if total > max_norm else 1.0
    return {k: g * scale for k, g in grads.items()}, total


def gradient_norm_vs_lag(W_hh, lags):
    return np.array([np.linalg.norm(np.linalg.matrix_power(W_hh, k), 2) for k in lags])


CORRECT = {"rnn_step": rnn_step, "rnn_step_backward": rnn_step_backward, "lstm_step": lstm_step,
           "rnn_jacobian": rnn_jacobian, "clip_by_global_norm": clip_by_global_norm,
           "gradient_norm_vs_lag": gradient_norm_vs_lag}


@pytest.mark.parametrize("name", CORRECT)
def test_check_passes_on_a_correct_solution(name, capsys):
    assert getattr(check, name)(CORRECT[name]) is True
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"✓ {name} passed (") and "/ 通过（" in line and "\n" not in line


def test_library_cells_are_correct_solutions():
    """The reference IS the library: a solution written with lstm_lib.RNN / lstm_lib.LSTM passes."""
    def lib_rnn_step(x_t, h_prev, W, b):
        cell = lstm_lib.RNN(x_t.shape[1], h_prev.shape[1])
        cell.params["W"][...], cell.params["b"][...] = W, b
        return cell.step(x_t, h_prev)[0]

    def lib_lstm_step(x_t, h_prev, c_prev, W, b):
        cell = lstm_lib.LSTM(x_t.shape[1], h_prev.shape[1])
        cell.params["W"][...], cell.params["b"][...] = W, b
        return cell.step(x_t, (h_prev, c_prev))[0]

    assert check.rnn_step(lib_rnn_step) and check.lstm_step(lib_lstm_step)


def test_passing_message_reports_finite_difference_error(capsys):
    check.rnn_step_backward(rnn_step_backward)
    out = capsys.readouterr().out
    fd = float(out.split("relative error against finite differences < ")[1].split(")")[0])
    assert fd <= 1e-6


@pytest.mark.parametrize("err, shown", [(1.1e-16, "1e-12"), (2.2e-16, "1e-12"), (0.0, "1e-12"), (3e-11, "1e-09"),
                                        (4e-7, "1e-06")])
def test_pass_lines_print_a_bound_not_rounding_digits(err, shown):
    """1.1e-16 on one BLAS kernel and 2.2e-16 on another must print the same line (CONTRIBUTING.md)."""
    assert check._bound(err) == shown


def test_pass_line_of_a_correct_check_has_no_rounding_digits(capsys):
    check.rnn_step(rnn_step)
    line = capsys.readouterr().out
    assert "max error < 1e-12" in line and "e-16" not in line


# ---------------------------------------------------------------------------------------------------- stubs
@pytest.mark.parametrize("name", CORRECT)
def test_stub_not_implemented_error_propagates_unchanged(name):
    def stub(*args):
        raise NotImplementedError("exercise: your code here / 在此处写代码")

    with pytest.raises(NotImplementedError, match="your code here"):
        getattr(check, name)(stub)


# ---------------------------------------------------------------------------------------------- wrong solutions
def fails(check_fn, fn, *words):
    with pytest.raises(AssertionError) as info:
        check_fn(fn)
    msg = str(info.value)
    assert re.search(r"^[^\u4e00-\u9fff]*[A-Za-z][^\u4e00-\u9fff]* / .*[\u4e00-\u9fff]", msg, re.S), msg  # "English / 中文"
    for w in words:
        assert w in msg, f"{w!r} not in {msg!r}"
    return msg


WRONG_RNN = [
    (lambda x, h, W, b: np.concatenate([h, x], 1) @ W + b, ["apply tanh", "还要套上 tanh", "h_t wrong at", "处不对"]),
    (lambda x, h, W, b: sig(np.concatenate([h, x], 1) @ W + b), ["used the sigmoid", "用的是 sigmoid"]),
    (lambda x, h, W, b: np.tanh(np.concatenate([x, h], 1) @ W + b), ["[x_t, h_prev]", "h 在前"]),
    (lambda x, h, W, b: np.tanh(np.concatenate([h, x], 1) @ W), ["bias b is missing", "漏加了偏置 b"]),
    (lambda x, h, W, b: rnn_step(x, h, W, b) * 1.01, ["max error", "最大误差", "compare with h_t", "请对照"]),
    (lambda x, h, W, b: rnn_step(x, h, W, b).tolist(), ["numpy array of shape", "numpy 数组"]),
    (lambda x, h, W, b: rnn_step(x, h, W, b).T, ["has shape", "transpose", "形状", "转置"]),
    (lambda x, h, W, b: None, ["forget `return`", "忘了写 `return`"]),
    (lambda x, h, W, b: np.tanh(x @ W + b), ["raised ValueError", "called with x_t (3, 4), h_prev (3, 5)", "抛出了 ValueError"]),
    (lambda x, h, W, b: rnn_step(x, h, W, b) * np.nan, ["NaN", "含有 NaN"]),
]


@pytest.mark.parametrize("fn, words", WRONG_RNN)
def test_rnn_step_diagnoses(fn, words):
    fails(check.rnn_step, fn, *words)


def test_rnn_step_reports_where():
    def one_wrong(x, h, W, b):
        out = rnn_step(x, h, W, b)
        out[2, 4] += 0.3
        return out
    fails(check.rnn_step, one_wrong, "h_t wrong at [2, 4]", "max error 0.3", "h_t 在 [2, 4]", "最大误差 0.3")


WRONG_RNN_BACKWARD = [
    (dict(dtanh=False), ["(1 - h_t²)", "tanh 的导数", "relative error", "有限差分的相对误差"]),
    (dict(transpose=False), ["dW has shape (5, 9) (the transpose", "恰好是所需形状的转置"]),
    (dict(reduce="none"), ["sum da over the batch", "沿批次维", "db has shape"]),
    (dict(reduce="mean"), ["averaged", "取了平均", "db wrong"]),
    (dict(split="xh"), ["wrong columns", "取错了"]),
]


@pytest.mark.parametrize("kwargs, words", WRONG_RNN_BACKWARD)
def test_rnn_step_backward_diagnoses(kwargs, words):
    fails(check.rnn_step_backward, lambda *a: rnn_step_backward(*a, **kwargs), *words)


def test_rnn_step_backward_diagnoses_untransposed_W():
    def wrong(dh_t, x_t, h_prev, W, b):
        dx, _, dW, db = rnn_step_backward(dh_t, x_t, h_prev, W, b)
        h_t = rnn_step(x_t, h_prev, W, b)
        return dx, (dh_t * (1 - h_t ** 2)) @ W[:h_prev.shape[1]], dW, db
    fails(check.rnn_step_backward, wrong, "dh_prev wrong", "W transposed", "W 的转置", "dh_prev 不对")


ident = lambda z: z  # noqa: E731
WRONG_LSTM = [
    (dict(act={"f": ident}), ["forget gate f wrong", "did you apply the sigmoid?", "遗忘门 f 不对", "是否漏了 sigmoid？"]),
    (dict(act={"i": np.tanh}), ["input gate i wrong", "not tanh", "输入门 i 不对", "而不是 tanh"]),
    (dict(act={"c": sig}), ["candidate values c_tilde wrong", "候选值 c_tilde 不对"]),
    (dict(act={"o": ident}), ["output gate o wrong", "输出门 o 不对", "max error", "最大误差"]),
    (dict(order="ifco"), ["order i | f | c_tilde | o", "f | i | c_tilde | o", "门的分块顺序", "四个门都不对"]),
    (dict(cell=lambda f, i, g, c: (1 - f) * c + i * g), ["1 - f", "遗忘门 f 不对"]),
    (dict(cell=lambda f, i, g, c: f * c + g), ["input gate is not applied", "没有使用输入门"]),
    (dict(out=lambda o, c: o * c), ["tanh of c_t is missing", "漏了对 c_t 取 tanh"]),
    # not a catalogued mistake: located by the c_prev = 0 rerun / by c_t being right
    (dict(cell=lambda f, i, g, c: f * f * c + i * g), ["forget gate f wrong", "c_prev = 0", "遗忘门 f 不对"]),
    (dict(cell=lambda f, i, g, c: f * c + 1.1 * i * g), ["input gate i or candidate values", "输入门 i 或候选值"]),
    (dict(out=lambda o, c: 1.1 * o * np.tanh(c)), ["c_t is right but h_t is wrong", "c_t 正确但 h_t 不对"]),
]


@pytest.mark.parametrize("kwargs, words", WRONG_LSTM)
def test_lstm_step_names_the_wrong_gate(kwargs, words):
    fails(check.lstm_step, lambda *a: lstm_step(*a, **kwargs), *words)


def test_lstm_step_reports_a_missing_tuple():
    fails(check.lstm_step, lambda *a: lstm_step(*a)[0], "should return a tuple (h_t, c_t)", "应返回元组")


WRONG_JACOBIAN = [
    (lambda x, h, W, b: rnn_jacobian(x, h, W, b).T, ["J is transposed", "J 被转置了", "finite differences", "有限差分"]),
    (lambda x, h, W, b: W[:h.shape[0]].T, ["(1 - h_t²) is missing", "漏了 tanh 的导数"]),
    (lambda x, h, W, b: W[:h.shape[0]].T * (1 - np.tanh(np.concatenate([h, x]) @ W + b) ** 2)[None, :],
     ["wrong axis", "乘错了维度"]),
    (lambda x, h, W, b: W[h.shape[0]:], ["J has shape", "J 的形状是"]),
]


@pytest.mark.parametrize("fn, words", WRONG_JACOBIAN)
def test_rnn_jacobian_diagnoses(fn, words):
    fails(check.rnn_jacobian, fn, *words)


def clip_per_tensor(grads, max_norm):
    total = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    return {k: g * min(1.0, max_norm / np.linalg.norm(g)) for k, g in grads.items()}, total


def clip_in_place(grads, max_norm):
    total = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    for g in grads.values():
        g *= min(1.0, max_norm / total)
    return grads, total


def clip_always(grads, max_norm):
    total = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    return {k: g * max_norm / total for k, g in grads.items()}, total


def clip_norm_after(grads, max_norm):
    clipped, _ = clip_by_global_norm(grads, max_norm)
    return clipped, float(np.sqrt(sum(np.sum(g ** 2) for g in clipped.values())))


def clip_no_sqrt(grads, max_norm):
    clipped, total = clip_by_global_norm(grads, max_norm)
    return clipped, total ** 2


@pytest.mark.parametrize("fn, words", [
    (clip_per_tensor, ["clipped separately", "分别裁剪"]),
    (clip_in_place, ["in place", "原地修改"]),
    (clip_always, ["below max_norm", "nothing should change", "小于 max_norm", "保持不变"]),
    (clip_norm_after, ["norm after clipping", "裁剪后的范数"]),
    (clip_no_sqrt, ["sum of squares", "开平方根"]),
    (lambda g, m: clip_by_global_norm(g, m)[0], ["should return a tuple (clipped, total_norm)", "应返回元组"]),
])
def test_clip_by_global_norm_diagnoses(fn, words):
    fails(check.clip_by_global_norm, fn, *words)


def test_clip_accepts_an_epsilon_in_the_denominator():
    def clip_eps(grads, max_norm):
        total = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
        return {k: g * (max_norm / (total + 1e-6) if total > max_norm else 1.0) for k, g in grads.items()}, total
    assert check.clip_by_global_norm(clip_eps)


mp, norm = np.linalg.matrix_power, np.linalg.norm


@pytest.mark.parametrize("fn, words", [
    (lambda W, lags: np.array([norm(mp(W, k)) for k in lags]), ["Frobenius", "np.linalg.norm(M, 2)", "Frobenius 范数"]),
    (lambda W, lags: np.max(np.abs(np.linalg.eigvals(W))) ** np.array(lags, float), ["spectral radius", "谱半径"]),
    (lambda W, lags: norm(W, 2) ** np.array(lags, float), ["upper bound", "上界"]),
    (lambda W, lags: np.array([norm(mp(W, k + 1), 2) for k in lags]), ["off by one", "错了一步", "lag k = 0",
                                                                        "时间间隔 k = 0"]),
    (lambda W, lags: np.ones(len(lags) + 1), ["has shape (7,)", "形状是 (7,)"]),
])
def test_gradient_norm_vs_lag_diagnoses(fn, words):
    fails(check.gradient_norm_vs_lag, fn, *words)


def test_gradient_norm_vs_lag_accepts_transposed_jacobians_and_lists():
    # the docstring's ∂h_T/∂h_{T-k} = (W_h^T)^k has the same 2-norm as W_h^k
    assert check.gradient_norm_vs_lag(lambda W, lags: [norm(mp(W.T, k), 2) for k in lags])


def test_rel_error_is_cs231n():
    assert check.rel_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    assert check.rel_error(np.array([1.0]), np.array([3.0])) == pytest.approx(0.5)
    assert check.rel_error(np.array([0.0]), np.array([1e-12])) == pytest.approx(1e-4)   # the 1e-8 floor


def test_not_a_function_is_reported():
    fails(check.rnn_step, 42, "expected a function", "应传入一个函数")
