"""The public API every chapter relies on: shapes, dicts, the step API, truncated BPTT, dtypes, interchange formats."""
import copy
import warnings

import numpy as np
import pytest

import lstm_lib

CELLS = {
    "RNN": lambda D, H, **kw: lstm_lib.RNN(D, H, **kw),
    "LSTM": lambda D, H, **kw: lstm_lib.LSTM(D, H, **kw),
    "PeepholeLSTM": lambda D, H, **kw: lstm_lib.PeepholeLSTM(D, H, **kw),
    "CoupledLSTM": lambda D, H, **kw: lstm_lib.CoupledLSTM(D, H, **kw),
    "LSTM1997": lambda D, H, **kw: lstm_lib.LSTM1997(D, H, **kw),
    "GRU(reset_after=False)": lambda D, H, **kw: lstm_lib.GRU(D, H, reset_after=False, **kw),
    "GRU(reset_after=True)": lambda D, H, **kw: lstm_lib.GRU(D, H, reset_after=True, **kw),
}
ACTIVATIONS = {"RNN": {"h"}, "LSTM": {"f", "i", "c_tilde", "o", "c", "h"}, "GRU": {"z", "r", "h_tilde", "h"}}
T, B, D, H = 6, 3, 4, 5


def make(name, **kw):
    cell = CELLS[name](D, H, seed=2, **kw)
    rng = np.random.default_rng(11)
    for p in cell.params.values():                       # non-zero peepholes / b_h so every term is exercised
        p += (0.2 * rng.standard_normal(p.shape)).astype(p.dtype)
    return cell


def acts_for(name):
    return ACTIVATIONS["RNN" if name == "RNN" else "GRU" if name.startswith("GRU") else "LSTM"]


def data(seed=0, T=T):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((T, B, D)), rng.standard_normal((T, B, H))


def as_tuple(s):
    return s if isinstance(s, tuple) else (s,)


@pytest.mark.parametrize("name", list(CELLS))
def test_shapes_dicts_and_activations(name):
    cell = make(name)
    x, dy = data()
    y, state = cell.forward(x)
    assert y.shape == (T, B, H)
    lstm_family = "LSTM" in name
    assert isinstance(state, tuple) == lstm_family
    for s in as_tuple(state):
        assert s.shape == (B, H)
    assert np.array_equal(as_tuple(state)[0], y[-1])                 # h_T is the last output
    assert set(cell.activations) == acts_for(name)
    for v in cell.activations.values():
        assert v.shape == (T, B, H)
    assert np.array_equal(cell.activations["h"], y)
    if lstm_family:
        a = cell.activations
        np.testing.assert_allclose(a["c"], a["f"] * np.concatenate([np.zeros((1, B, H)), a["c"][:-1]])
                                   + a["i"] * a["c_tilde"], atol=1e-12)
        np.testing.assert_allclose(a["h"], a["o"] * np.tanh(a["c"]), atol=1e-12)
    dx = cell.backward(dy)
    assert dx.shape == (T, B, D)
    assert cell.params.keys() == cell.grads.keys()
    for k in cell.params:
        assert cell.grads[k].shape == cell.params[k].shape
        assert np.abs(cell.grads[k]).sum() > 0
    for s in as_tuple(cell.dstate0):
        assert s.shape == (B, H)


@pytest.mark.parametrize("name", list(CELLS))
def test_step_by_step_equals_whole_sequence(name):
    cell = make(name)
    x, dy = data(1)
    rng = np.random.default_rng(5)
    s0 = tuple(rng.standard_normal((B, H)) for _ in cell.state_names)
    s0 = s0 if len(s0) > 1 else s0[0]
    ds_T = tuple(rng.standard_normal((B, H)) for _ in cell.state_names)
    ds_T = ds_T if len(ds_T) > 1 else ds_T[0]
    y, sT = cell.forward(x, s0)
    dx = cell.backward(dy, ds_T)
    grads = {k: g.copy() for k, g in cell.grads.items()}

    state, caches = s0, []
    for t in range(T):
        state, cache = cell.step(x[t], state)
        caches.append(cache)
        np.testing.assert_allclose(cache["h"], y[t], rtol=0, atol=1e-14)
        for g in acts_for(name) - {"h"}:                      # the cache holds the gate values by name
            np.testing.assert_allclose(cache[g], cell.activations[g][t], atol=1e-14)
    for a, b in zip(as_tuple(state), as_tuple(sT)):
        np.testing.assert_allclose(a, b, atol=1e-14)

    cell.zero_grad()
    ds = ds_T
    dxs = [None] * T
    for t in reversed(range(T)):
        ds = tuple(as_tuple(ds))
        ds = (ds[0] + dy[t],) + ds[1:]                      # the output's gradient joins the carried one
        dxs[t], ds = cell.step_backward(ds if len(ds) > 1 else ds[0], caches[t])
    np.testing.assert_allclose(np.stack(dxs), dx, atol=1e-12)
    for k in grads:
        np.testing.assert_allclose(cell.grads[k], grads[k], atol=1e-12)


@pytest.mark.parametrize("name", list(CELLS))
def test_chunked_truncated_bptt_with_carried_dstate_equals_full_bptt(name):
    x, dy = data(2, T=9)
    full = make(name)
    full.forward(x)
    dx_full = full.backward(dy)

    cell = make(name)
    chunks = [slice(0, 4), slice(4, 7), slice(7, 9)]
    state, saved = None, []
    for c in chunks:                                         # forward chunk by chunk, carrying the state
        y, state = cell.forward(x[c], state)
        saved.append((copy.deepcopy(cell), c))
    total = {k: np.zeros_like(g) for k, g in cell.grads.items()}
    dstate, dxs = None, {}
    for chunk_cell, c in reversed(saved):                    # backward chunk by chunk, carrying dstate
        dxs[c.start] = chunk_cell.backward(dy[c], dstate)
        dstate = chunk_cell.dstate0
        for k in total:
            total[k] += chunk_cell.grads[k]
    dx = np.concatenate([dxs[c.start] for c in chunks])
    np.testing.assert_allclose(dx, dx_full, atol=1e-12)
    for k in total:
        np.testing.assert_allclose(total[k], full.grads[k], atol=1e-12)
    for a, b in zip(as_tuple(dstate), as_tuple(full.dstate0)):
        np.testing.assert_allclose(a, b, atol=1e-12)


@pytest.mark.parametrize("name", list(CELLS))
def test_float32_end_to_end_and_close_to_float64(name):
    c64, c32 = make(name), make(name, dtype=np.float32)
    for k in c64.params:
        assert c32.params[k].dtype == np.float32
        np.testing.assert_allclose(c32.params[k], c64.params[k], atol=1e-7)
    x, dy = data(3)
    y64, _ = c64.forward(x)
    y32, s32 = c32.forward(x)                                # float64 input converted to the cell's dtype
    assert y32.dtype == np.float32 and all(s.dtype == np.float32 for s in as_tuple(s32))
    assert all(v.dtype == np.float32 for v in c32.activations.values())
    np.testing.assert_allclose(y32, y64, atol=1e-5)
    dx64, dx32 = c64.backward(dy), c32.backward(dy.astype(np.float32))
    assert dx32.dtype == np.float32
    np.testing.assert_allclose(dx32, dx64, atol=1e-4)
    for k in c64.grads:
        assert c32.grads[k].dtype == np.float32
        np.testing.assert_allclose(c32.grads[k], c64.grads[k], atol=1e-4 * max(1, np.abs(c64.grads[k]).max()))
    assert all(s.dtype == np.float32 for s in as_tuple(c32.dstate0))
    state, cache = c32.step(x[0].astype(np.int64), None)
    assert all(s.dtype == np.float32 for s in as_tuple(state))


@pytest.mark.parametrize("name", list(CELLS))
def test_integer_input_is_converted(name):
    cell = make(name)
    xi = np.arange(T * B * D).reshape(T, B, D) % 3 - 1
    y_int, _ = cell.forward(xi)
    y_float, _ = make(name).forward(xi.astype(np.float64))
    assert y_int.dtype == np.float64
    np.testing.assert_array_equal(y_int, y_float)


@pytest.mark.parametrize("name", list(CELLS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_huge_inputs_stay_finite_without_warnings(name, dtype):
    cell = make(name, dtype=dtype)
    x = np.full((3, B, D), 1e6)
    x[1] = -1e6
    with warnings.catch_warnings():
        warnings.simplefilter("error")                          # an overflow RuntimeWarning fails the test
        y, state = cell.forward(x)
        dx = cell.backward(np.ones((3, B, H)))
        assert np.isfinite(y).all() and np.isfinite(dx).all()
        assert all(np.isfinite(s).all() for s in as_tuple(state))
        assert all(np.isfinite(g).all() for g in cell.grads.values())
        assert np.abs(y).max() <= 1.0
        from lstm_lib.cells._ops import sigmoid
        s = sigmoid(np.array([-1e6, -50.0, 0.0, 50.0, 1e6], dtype))
        assert s[0] == 0.0 and s[-1] == 1.0 and s[2] == 0.5 and s.dtype == dtype


@pytest.mark.parametrize("name", list(CELLS))
def test_empty_sequence_returns_empty_output_and_the_initial_state(name):
    cell = make(name)
    s0 = tuple(np.full((B, H), 0.25) for _ in cell.state_names)
    y, state = cell.forward(np.zeros((0, B, D)), s0 if len(s0) > 1 else s0[0])
    assert y.shape == (0, B, H)
    for a, b in zip(as_tuple(state), s0):
        np.testing.assert_array_equal(a, b)
    ds = tuple(np.ones((B, H)) for _ in s0)
    dx = cell.backward(np.zeros((0, B, H)), ds if len(ds) > 1 else ds[0])
    assert dx.shape == (0, B, D)
    assert all(not g.any() for g in cell.grads.values())
    for a in as_tuple(cell.dstate0):                         # nothing in between: the gradient passes straight through
        np.testing.assert_array_equal(a, np.ones((B, H)))


@pytest.mark.parametrize("name", list(CELLS))
def test_seeded_and_deterministic(name):
    a, b, c = (CELLS[name](D, H, seed=s) for s in (3, 3, 4))
    assert all(np.array_equal(a.params[k], b.params[k]) for k in a.params)
    assert not np.array_equal(a.params["W"], c.params["W"])
    x, _ = data()
    np.testing.assert_array_equal(a.forward(x)[0], b.forward(x)[0])


def test_backward_is_once_per_forward():
    cell = make("LSTM")
    x, dy = data()
    cell.forward(x)
    cell.backward(dy)
    with pytest.raises(ValueError, match="forward"):
        cell.backward(dy)


def test_forget_bias_and_parameter_layout():
    cell = lstm_lib.LSTM(D, H, seed=0)
    assert cell.params["W"].shape == (H + D, 4 * H) and cell.params["b"].shape == (4 * H,)
    np.testing.assert_array_equal(cell.params["b"][cell.gate_slice("f")], 1.0)
    np.testing.assert_array_equal(np.delete(cell.params["b"], np.s_[:H]), 0.0)
    assert np.shares_memory(cell.W_h, cell.params["W"]) and cell.W_h.shape == (H, 4 * H)
    assert cell.W_x.shape == (D, 4 * H)
    assert cell.gate_slice("o") == slice(3 * H, 4 * H)
    assert not lstm_lib.LSTM(D, H, forget_bias=0.0).params["b"].any()
    # h rows first: with W_x zeroed and b = 0 the output cannot depend on x
    cell.params["W"][H:] = 0
    y1, _ = cell.forward(np.ones((2, 1, D)))
    y2, _ = lstm_lib.LSTM(D, H, seed=0).forward(np.zeros((2, 1, D)))
    np.testing.assert_allclose(y1, y2)
    assert lstm_lib.CoupledLSTM(D, H).params["W"].shape == (H + D, 3 * H)
    assert lstm_lib.GRU(D, H).params["W"].shape == (H + D, 3 * H)
    assert set(lstm_lib.GRU(D, H, reset_after=True).params) == {"W", "b", "b_h"}
    assert set(lstm_lib.PeepholeLSTM(D, H).params) == {"W", "b", "p_f", "p_i", "p_o"}
    assert lstm_lib.RNN(D, H).params["W"].shape == (H + D, H)


def test_fresh_peephole_equals_lstm_and_coupled_input_gate():
    x, _ = data()
    y_l, _ = lstm_lib.LSTM(D, H, seed=4).forward(x)
    y_p, _ = lstm_lib.PeepholeLSTM(D, H, seed=4).forward(x)    # peepholes start at zero
    np.testing.assert_allclose(y_p, y_l, atol=1e-14)
    cell = make("CoupledLSTM")
    cell.forward(x)
    np.testing.assert_allclose(cell.activations["i"], 1 - cell.activations["f"])


def test_lazy_loading_gives_the_module_classes():
    from lstm_lib.cells.gru import GRU
    from lstm_lib.cells.lstm import LSTM
    assert lstm_lib.LSTM is LSTM and lstm_lib.GRU is GRU
    assert "LSTM" in dir(lstm_lib)


# ---- PyTorch interchange without torch: references written from PyTorch's documented equations -------------------
def _sig(v):
    return 1 / (1 + np.exp(-v))


def torch_lstm_reference(sd, x):
    """nn.LSTM as documented: gates i, f, g, o; i = σ(W_ii x + b_ii + W_hi h + b_hi), ..."""
    Wi, Wh, b = sd["weight_ih_l0"], sd["weight_hh_l0"], sd["bias_ih_l0"] + sd["bias_hh_l0"]
    Hn = Wh.shape[1]
    h = c = np.zeros((x.shape[1], Hn))
    ys = []
    for xt in x:
        g = xt @ Wi.T + h @ Wh.T + b
        i, f, gg, o = _sig(g[:, :Hn]), _sig(g[:, Hn:2 * Hn]), np.tanh(g[:, 2 * Hn:3 * Hn]), _sig(g[:, 3 * Hn:])
        c = f * c + i * gg
        h = o * np.tanh(c)
        ys.append(h)
    return np.stack(ys)


def torch_gru_reference(sd, x):
    """nn.GRU as documented: r, z, n; n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)); h' = (1 − z) ⊙ n + z ⊙ h."""
    Wi, Wh, bi, bh = sd["weight_ih_l0"], sd["weight_hh_l0"], sd["bias_ih_l0"], sd["bias_hh_l0"]
    Hn = Wh.shape[1]
    h = np.zeros((x.shape[1], Hn))
    ys = []
    for xt in x:
        gi, gh = xt @ Wi.T + bi, h @ Wh.T + bh
        r = _sig(gi[:, :Hn] + gh[:, :Hn])
        z = _sig(gi[:, Hn:2 * Hn] + gh[:, Hn:2 * Hn])
        n = np.tanh(gi[:, 2 * Hn:] + r * gh[:, 2 * Hn:])
        h = (1 - z) * n + z * h
        ys.append(h)
    return np.stack(ys)


def random_torch_sd(n_gates, rng, D=D, H=H):
    return {"weight_ih_l0": rng.uniform(-0.5, 0.5, (n_gates * H, D)),
            "weight_hh_l0": rng.uniform(-0.5, 0.5, (n_gates * H, H)),
            "bias_ih_l0": rng.uniform(-0.5, 0.5, n_gates * H), "bias_hh_l0": rng.uniform(-0.5, 0.5, n_gates * H)}


def test_lstm_from_torch_matches_pytorch_equations_and_round_trips():
    rng = np.random.default_rng(0)
    sd = random_torch_sd(4, rng)
    x, _ = data()
    cell = lstm_lib.LSTM.from_torch(sd)
    assert (cell.input_size, cell.hidden_size) == (D, H)
    np.testing.assert_allclose(cell.forward(x)[0], torch_lstm_reference(sd, x), atol=1e-13)
    back = cell.to_torch()
    for k in ("weight_ih_l0", "weight_hh_l0"):
        np.testing.assert_array_equal(back[k], sd[k])
    np.testing.assert_allclose(back["bias_ih_l0"] + back["bias_hh_l0"], sd["bias_ih_l0"] + sd["bias_hh_l0"])
    again = lstm_lib.LSTM.from_torch(back)                   # ours -> torch -> ours is exact
    for k in cell.params:
        np.testing.assert_array_equal(again.params[k], cell.params[k])
    own = make("LSTM")
    for k, v in lstm_lib.LSTM.from_torch(own.to_torch()).params.items():
        np.testing.assert_array_equal(v, own.params[k])
    assert lstm_lib.LSTM.from_torch(sd, dtype=np.float32).params["W"].dtype == np.float32


def test_gru_from_torch_matches_pytorch_equations_with_z_negated_and_round_trips():
    rng = np.random.default_rng(1)
    sd = random_torch_sd(3, rng)
    x, _ = data()
    cell = lstm_lib.GRU.from_torch(sd)
    assert cell.reset_after
    np.testing.assert_allclose(cell.forward(x)[0], torch_gru_reference(sd, x), atol=1e-13)
    # our z is 1 − torch's z: the z block is torch's z rows, negated
    np.testing.assert_array_equal(cell.params["W"][H:, cell.gate_slice("z")], -sd["weight_ih_l0"][H:2 * H].T)
    np.testing.assert_array_equal(cell.params["b"][cell.gate_slice("r")], sd["bias_ih_l0"][:H])
    back = cell.to_torch()
    for k in sd:
        np.testing.assert_array_equal(back[k], sd[k])
    with pytest.raises(ValueError, match="reset_after"):
        lstm_lib.GRU(D, H, reset_after=False).to_torch()


def test_rnn_from_torch_matches_pytorch_equations():
    rng = np.random.default_rng(2)
    sd = random_torch_sd(1, rng)
    x, _ = data()
    h = np.zeros((B, H))
    ref = []
    for xt in x:
        h = np.tanh(xt @ sd["weight_ih_l0"].T + sd["bias_ih_l0"] + h @ sd["weight_hh_l0"].T + sd["bias_hh_l0"])
        ref.append(h)
    np.testing.assert_allclose(lstm_lib.RNN.from_torch(sd).forward(x)[0], np.stack(ref), atol=1e-13)


@pytest.mark.parametrize("module", ["gradcheck", "cells.rnn", "cells.lstm", "cells.gru", "cells.lstm1997"])
def test_docstring_worked_examples_run(module):
    import doctest
    import importlib
    result = doctest.testmod(importlib.import_module(f"lstm_lib.{module}"), raise_on_error=False)
    assert result.attempted > 0 and result.failed == 0
