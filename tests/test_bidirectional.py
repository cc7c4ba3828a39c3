"""lstm_lib.Bidirectional: finite-difference check of its backward around RNN, LSTM, GRU and the rest (float64,
relative error ≤ 1e-7) with negative controls; the cells' API; bad input in our words; the lookahead task."""
import re

import numpy as np
import pytest

import lstm_lib
from lstm_lib import nn, optim, tasks, train
from lstm_lib.cells import bidirectional as bidirectional_module
from lstm_lib.gradcheck import numerical_gradient, rel_error

T, B, D, H = 5, 2, 3, 4
INNER = {
    "RNN": (lstm_lib.RNN, {}),
    "LSTM": (lstm_lib.LSTM, {}),
    "GRU(reset_after=False)": (lstm_lib.GRU, {"reset_after": False}),
    "GRU(reset_after=True)": (lstm_lib.GRU, {"reset_after": True}),
    "PeepholeLSTM": (lstm_lib.PeepholeLSTM, {}),
    "CoupledLSTM": (lstm_lib.CoupledLSTM, {}),
    "LSTM1997": (lstm_lib.LSTM1997, {}),
}
CJK = re.compile(r"[\u4e00-\u9fff]")


def make(name, dtype=np.float64):
    cls, kw = INNER[name]
    bi = lstm_lib.Bidirectional(cls, D, H, seed=1, dtype=dtype, **kw)
    rng = np.random.default_rng(7)
    for p in bi.params.values():                    # non-zero peepholes / b_h so every term is exercised
        p += (0.3 * rng.standard_normal(p.shape)).astype(p.dtype)
    return bi


def rand_state(bi, rng):
    def one():
        s = [0.5 * rng.standard_normal((B, H)) for _ in bi.state_names]
        return s[0] if len(s) == 1 else tuple(s)
    return (one(), one())


def flat(state):
    """The arrays of a (state→, state←) pair, in order."""
    return [a for s in state for a in (s if isinstance(s, tuple) else (s,))]


def check(bi, seed=3):
    """{name: relative error} of bi.backward against centred differences of L = Σ y⊙dy + Σ final ⊙ dstate."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((T, B, D))
    state = rand_state(bi, rng)
    dy = rng.standard_normal((T, B, 2 * H))
    dstate = rand_state(bi, rng)

    def loss():
        y, final = bi.forward(x, state)
        return np.sum(y * dy) + sum(np.sum(a * d) for a, d in zip(flat(final), flat(dstate)))

    bi.forward(x, state)
    dx = bi.backward(dy, dstate)
    analytic = {n: g.copy() for n, g in bi.grads.items()}
    analytic["x"] = dx
    wrt = dict(bi.params)
    wrt["x"] = x
    for k, (a, d) in enumerate(zip(flat(state), flat(bi.dstate0))):
        analytic[f"state{k}"], wrt[f"state{k}"] = d, a
    return {n: rel_error(analytic[n], numerical_gradient(loss, wrt[n], 1e-3, 4)) for n in analytic}


@pytest.mark.parametrize("name", list(INNER))
def test_gradients_match_finite_differences(name):
    bi = make(name)
    errors = check(bi)
    n_state = 2 * len(bi.state_names)
    assert set(errors) == set(bi.params) | {"x"} | {f"state{k}" for k in range(n_state)}
    assert {k.split(".")[0] for k in bi.params} == {"fwd", "bwd"}
    worst = max(errors, key=errors.get)
    assert errors[worst] <= 1e-7, f"{name}: {worst} relative error {errors[worst]:.2e}"


def test_negative_control_backward_direction_without_time_reversal_is_caught(monkeypatch):
    """Feed the backward cell its half of dy in x's time order (forgetting R): the check must flag it."""
    def backward(self, dy, dstate=None):
        Hh = self.hidden_size
        dx_f = self.fwd.backward(dy[..., :Hh], dstate and dstate[0])
        dx_b = self.bwd.backward(dy[..., Hh:], dstate and dstate[1])[::-1]     # dy not reversed: wrong
        self._T = None
        self.dstate0 = (self.fwd.dstate0, self.bwd.dstate0)
        return dx_f + dx_b
    monkeypatch.setattr(lstm_lib.Bidirectional, "backward", backward)
    errors = check(make("LSTM"))
    assert errors["bwd.W"] > 1e-3 and errors["x"] > 1e-3
    assert errors["fwd.W"] <= 1e-7                  # the forward direction is untouched, and the check says so


def test_negative_control_dx_not_reversed_back_is_caught(monkeypatch):
    original = lstm_lib.GRU.backward
    calls = []

    def backward(self, dy, dstate=None):
        dx = original(self, dy, dstate)
        calls.append(self)
        return dx[::-1] if len(calls) == 2 else dx   # the bwd cell's dx flipped once more: back in R order
    monkeypatch.setattr(lstm_lib.GRU, "backward", backward)
    bi = make("GRU(reset_after=False)")
    errors = check(bi)
    assert errors["x"] > 1e-3


# ---- API ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU(reset_after=True)"])
def test_output_is_forward_cell_and_reversed_backward_cell(name):
    bi = make(name)
    x = np.random.default_rng(0).standard_normal((T, B, D))
    y, (s_f, s_b) = bi.forward(x)
    assert y.shape == (T, B, 2 * H) and bi.output_size == 2 * H and bi.hidden_size == H
    y_f, sf_ref = bi.fwd.forward(x)
    y_b, sb_ref = bi.bwd.forward(x[::-1])
    np.testing.assert_array_equal(y[..., :H], y_f)
    np.testing.assert_array_equal(y[..., H:], y_b[::-1])
    for a, b in zip(flat((s_f, s_b)), flat((sf_ref, sb_ref))):
        np.testing.assert_array_equal(a, b)
    assert np.array_equal(y[0, :, H:], flat((s_f, s_b))[len(bi.state_names)])   # h← after x_1 sits at t = 1
    # y_1's backward half has read the last input: change x_T and it changes; the forward half does not
    x2 = x.copy()
    x2[-1] += 1.0
    y2, _ = bi.forward(x2)
    assert np.array_equal(y2[0, :, :H], y[0, :, :H]) and not np.allclose(y2[0, :, H:], y[0, :, H:])


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU(reset_after=False)"])
def test_dicts_activations_seed_and_dtype(name):
    bi = make(name)
    x = np.random.default_rng(1).standard_normal((T, B, D))
    y, _ = bi.forward(x)
    dx = bi.backward(np.ones_like(y))
    assert dx.shape == (T, B, D)
    assert bi.params.keys() == bi.grads.keys()
    for k in bi.params:
        assert bi.params[k] is (bi.fwd if k.startswith("fwd.") else bi.bwd).params[k[4:]]   # the cells' own arrays
        assert bi.grads[k].shape == bi.params[k].shape and np.abs(bi.grads[k]).sum() > 0
    bi.forward(x)
    np.testing.assert_array_equal(bi.activations["fwd.h"], y[..., :H])
    np.testing.assert_array_equal(bi.activations["bwd.h"], y[..., H:])       # in x's time order
    assert not np.array_equal(bi.fwd.params["W"], bi.bwd.params["W"])       # two independent directions
    cls, kw = INNER[name]
    a, b = lstm_lib.Bidirectional(cls, D, H, seed=4, **kw), lstm_lib.Bidirectional(cls, D, H, seed=4, **kw)
    assert all(np.array_equal(a.params[k], b.params[k]) for k in a.params)
    b32 = lstm_lib.Bidirectional(cls, D, H, seed=4, dtype=np.float32, **kw)
    y32, _ = b32.forward(x)
    assert y32.dtype == np.float32
    np.testing.assert_allclose(y32, a.forward(x)[0], atol=1e-5)
    bi.zero_grad()
    assert all(np.all(g == 0) for g in bi.grads.values())


def test_none_for_one_direction_means_zeros_and_empty_sequence():
    bi = make("LSTM")
    x = np.random.default_rng(2).standard_normal((T, B, D))
    zeros = (np.zeros((B, H)), np.zeros((B, H)))
    np.testing.assert_array_equal(bi.forward(x, (None, zeros))[0], bi.forward(x)[0])
    y, state = bi.forward(np.zeros((0, B, D)))
    assert y.shape == (0, B, 2 * H)


def test_trains_in_seq_and_solves_lookahead_where_one_direction_cannot():
    """The lookahead task is the reason the wrapper exists: the bidirectional model beats the bound of any
    left-to-right reader, which the unidirectional model stays below."""
    T_, V, lag = 8, 4, 2
    ev = tasks.lookahead_tags(T_, 256, V, lag, seed=99)
    accs = {}
    for bi in (True, False):
        cell = lstm_lib.Bidirectional(lstm_lib.RNN, V, 8, seed=0) if bi else lstm_lib.RNN(V, 12, seed=0)
        m = train.Seq(cell, nn.Linear(cell.output_size if bi else 12, V + 1, seed=1), readout="all")
        h = train.fit(m, lambda r: tasks.lookahead_tags(T_, 32, V, lag, rng=r), 150, optim.Adam(m, lr=3e-2),
                      loss="ce", eval_data=ev, eval_every=150)
        accs[bi] = h["accuracy"][-1]
    bound = tasks.best_unidirectional_accuracy(T_, V, lag)
    assert accs[True] > 0.95 > bound + 0.1
    assert accs[False] < bound + 0.05


def test_lookahead_tags_targets_and_errors():
    x, y = tasks.lookahead_tags(7, 3, n_symbols=5, lag=3, seed=1)
    ids = x.argmax(-1)
    np.testing.assert_array_equal(y[:4], ids[3:])
    assert np.all(y[4:] == 5) and x.sum() == 7 * 3
    with pytest.raises(ValueError, match="lag"):
        tasks.lookahead_tags(3, 1, lag=3)
    with pytest.raises(ValueError, match="n_symbols"):
        tasks.lookahead_tags(5, 1, n_symbols=1)
    with pytest.raises(TypeError, match="lag"):
        tasks.lookahead_tags(5, 1, lag=1.5)
    assert tasks.best_unidirectional_accuracy(10, 4, 2) == pytest.approx(0.4)


def test_docstring_example_runs():
    import doctest
    assert doctest.testmod(bidirectional_module).failed == 0


# ---- bad input -----------------------------------------------------------------------------------------------------
def bilingual(excinfo, *fragments):
    msg = str(excinfo.value).strip("'\"")
    assert " / " in msg and CJK.search(msg) and "期望" in msg, msg
    for frag in fragments:
        assert frag in msg, (frag, msg)


@pytest.mark.parametrize("bad, got", [(lstm_lib.LSTM(2, 2), "an instance of LSTM"), ("LSTM", "str"),
                                      (np.tanh, "ufunc"), (int, "the class int")])
def test_cell_must_be_a_cell_class(bad, got):
    with pytest.raises(TypeError) as e:
        lstm_lib.Bidirectional(bad, D, H)
    bilingual(e, "cell class", got)


def test_sizes_seed_dtype_come_from_the_cells_own_checks():
    for kw, exc, frag in (({"input_size": 0}, ValueError, "input_size"), ({"hidden_size": 2.5}, TypeError,
                                                                           "hidden_size"),
                          ({"seed": -1}, TypeError, "seed"), ({"dtype": np.int32}, TypeError, "float32 or float64")):
        args = {"input_size": D, "hidden_size": H, **kw}
        with pytest.raises(exc) as e:
            lstm_lib.Bidirectional(lstm_lib.GRU, args.pop("input_size"), args.pop("hidden_size"), **args)
        bilingual(e, frag)
    with pytest.raises(TypeError) as e:
        lstm_lib.Bidirectional(lstm_lib.GRU, D, H, reset_after="yes")
    bilingual(e, "reset_after")


def test_x_state_dy_and_call_order_are_checked():
    bi = make("LSTM")
    x = np.zeros((T, B, D))
    with pytest.raises(ValueError) as e:
        bi.forward(np.zeros((T, B, D + 1)))
    bilingual(e, f"(T, B, {D})")
    with pytest.raises(ValueError) as e:
        bi.forward(np.full((T, B, D), np.nan))
    bilingual(e, "NaN")
    with pytest.raises(TypeError) as e:
        bi.forward(x, np.zeros((B, H)))                                      # one state for two directions
    bilingual(e, "pair", "one state per direction")
    with pytest.raises(TypeError) as e:
        bi.forward(x, (np.zeros((B, H)), None))                              # an LSTM state is (h, c)
    bilingual(e, "fwd direction", "前向方向", "(h, c)")
    with pytest.raises(ValueError) as e:
        bi.forward(x, (None, (np.zeros((B, H + 1)), np.zeros((B, H)))))
    bilingual(e, "bwd direction", "后向方向")
    with pytest.raises(ValueError) as e:
        bi.backward(np.zeros((T, B, 2 * H)))
    bilingual(e, "forward(x) before")
    y, _ = bi.forward(x)
    with pytest.raises(ValueError) as e:
        bi.backward(np.zeros((T, B, H)))                                     # dy of one direction only
    bilingual(e, f"(5, B, {2 * H})")
    bi.backward(np.zeros_like(y))
    with pytest.raises(ValueError) as e:
        bi.backward(np.zeros_like(y))                                        # once per forward
    bilingual(e, "once per forward")
    with pytest.raises(TypeError) as e:
        bi.step(np.zeros((B, D)))
    bilingual(e, "whole sequence")


def test_seq_head_must_read_both_directions():
    bi = lstm_lib.Bidirectional(lstm_lib.RNN, D, H)
    with pytest.raises(ValueError, match=f"hidden_size = {2 * H}"):
        train.Seq(bi, nn.Linear(H, 2))
