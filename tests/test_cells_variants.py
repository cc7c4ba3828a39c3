"""The chapter-6 cells — Greff et al.'s eight LSTM variants (GreffLSTM), the clockwork RNN, the depth-gated LSTM:
gradients against finite differences with negative controls, the cells' API, equivalences with the older cells,
and bad input."""
import copy

import numpy as np
import pytest
from messages import bilingual_expected as bilingual

import lstm_lib
from lstm_lib.cells.greff import VARIANTS
from lstm_lib.gradcheck import check_cell, numerical_gradient, rel_error

T, B, D, H = 6, 2, 3, 4


def jitter(cell, seed=7, scale=0.3):
    """Make every parameter non-zero (peepholes and depth-gate weights start at zero, which would hide terms)."""
    rng = np.random.default_rng(seed)
    for p in cell.params.values():
        p += scale * rng.standard_normal(p.shape)
    if isinstance(cell, lstm_lib.ClockworkRNN):
        cell.W_h[...] *= cell.mask
    return cell


def greff(variant, **kw):
    return jitter(lstm_lib.GreffLSTM(D, H, variant=variant, seed=1, **kw))


def clockwork(**kw):
    return jitter(lstm_lib.ClockworkRNN(D, 6, periods=(1, 2, 4), seed=1, **kw))


def depth(L=2, **kw):
    return jitter(lstm_lib.DepthGatedLSTM(D, H, num_layers=L, seed=1, **kw))


def rand_state(cell, rng, lead=()):
    s = [0.5 * rng.standard_normal(lead + (B, cell.hidden_size)) for _ in cell.state_names]
    return s[0] if len(s) == 1 else tuple(s)


def depth_gradcheck(cell, x, s0, seed=3):
    """check_cell for a state of shape (L, B, H): the same loss, Σ y ⊙ dy + Σ ⟨final state, dstate⟩."""
    rng = np.random.default_rng(seed)
    dy = rng.standard_normal(x.shape[:2] + (cell.hidden_size,))
    ds = tuple(rng.standard_normal(s.shape) for s in s0)

    def loss():
        y, (h, c) = cell.forward(x, s0)
        return np.sum(y * dy) + np.sum(h * ds[0]) + np.sum(c * ds[1])
    cell.forward(x, s0)
    dx = cell.backward(dy, ds)
    analytic = {n: g.copy() for n, g in cell.grads.items()}
    analytic.update(x=dx, h0=cell.dstate0[0], c0=cell.dstate0[1])
    wrt = dict(cell.params, x=x, h0=s0[0], c0=s0[1])
    return {n: rel_error(analytic[n], numerical_gradient(loss, wrt[n], 1e-3, 4)) for n in analytic}


# ---- gradients ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("variant", VARIANTS)
def test_greff_variants_gradients_match_finite_differences(variant):
    cell = greff(variant)
    rng = np.random.default_rng(0)
    errors = check_cell(cell, rng.standard_normal((T, B, D)), state=rand_state(cell, rng), seed=3)
    assert set(errors) == set(cell.params) | {"x"} | {n + "0" for n in cell.state_names}
    worst = max(errors, key=errors.get)
    assert errors[worst] <= 1e-7, f"{variant}: {worst} relative error {errors[worst]:.2e}"


@pytest.mark.parametrize("t0", [0, 3])
def test_clockwork_gradients_match_finite_differences(t0):
    cell = clockwork()
    rng = np.random.default_rng(0)
    x, h0 = rng.standard_normal((9, B, D)), rand_state(cell, rng)
    dy, dh = rng.standard_normal((9, B, 6)), rng.standard_normal((B, 6))

    def loss():
        y, h = cell.forward(x, h0, t0=t0)
        return np.sum(y * dy) + np.sum(h * dh)
    cell.forward(x, h0, t0=t0)
    dx = cell.backward(dy, dh)
    analytic = dict(cell.grads, x=dx, h0=cell.dstate0)
    numeric = {n: numerical_gradient(loss, v, 1e-3, 4) for n, v in dict(cell.params, x=x, h0=h0).items()}
    allowed = np.ones(cell.params["W"].shape, bool)
    allowed[:6] = cell.mask == 1
    # a forbidden weight does not enter the forward pass: its gradient is exactly 0, its finite difference is the
    # stencil's rounding of f (~1e-13), so it is compared absolutely and the rest relatively
    assert not analytic["W"][~allowed].any() and np.abs(numeric["W"][~allowed]).max() < 1e-10
    errors = {n: rel_error(analytic[n], numeric[n]) for n in ("b", "x", "h0")}
    errors["W"] = rel_error(analytic["W"][allowed], numeric["W"][allowed])
    assert max(errors.values()) <= 1e-7, errors


@pytest.mark.parametrize("L", [1, 2, 3])
def test_depth_gated_gradients_match_finite_differences(L):
    cell = depth(L)
    rng = np.random.default_rng(0)
    errors = depth_gradcheck(cell, rng.standard_normal((T, B, D)), rand_state(cell, rng, (L,)))
    assert set(errors) == set(cell.params) | {"x", "h0", "c0"}
    worst = max(errors, key=errors.get)
    assert errors[worst] <= 1e-7, f"L={L}: {worst} relative error {errors[worst]:.2e}"


# ---- negative controls: a deliberately wrong backward is caught ----------------------------------------------------
@pytest.mark.parametrize("variant", ["vanilla", "CIFG", "FGR", "NOAF"])
def test_greff_negative_control_half_recurrent_gradient(variant, monkeypatch):
    original = lstm_lib.GreffLSTM._step_back

    def step_back(self, *args):
        out = original(self, *args)
        return (0.5 * out[0],) + tuple(out[1:])
    monkeypatch.setattr(lstm_lib.GreffLSTM, "_step_back", step_back)
    cell = greff(variant)
    rng = np.random.default_rng(0)
    errors = check_cell(cell, rng.standard_normal((T, B, D)), state=rand_state(cell, rng))
    assert errors["W"] > 1e-3 and errors["h0"] > 1e-3


def test_greff_negative_control_gate_recurrence_gradient_dropped(monkeypatch):
    """FGR without the gradient carried into the previous step's gates: R and W come out wrong."""
    original = lstm_lib.GreffLSTM._step_back

    def step_back(self, *args):
        out = original(self, *args)
        return out[:2] + tuple(np.zeros_like(g) for g in out[2:])
    monkeypatch.setattr(lstm_lib.GreffLSTM, "_step_back", step_back)
    cell = greff("FGR")
    rng = np.random.default_rng(0)
    errors = check_cell(cell, rng.standard_normal((T, B, D)), state=rand_state(cell, rng))
    assert errors["R"] > 1e-3 and errors["f0"] > 1e-3


def test_clockwork_negative_control_inactive_units_drop_their_gradient(monkeypatch):
    """Forget that an inactive unit copies h_{t-1} (dh_{t-1} = dh ⊙ (1 − m) + …): the check must flag it."""
    cell = clockwork()
    original = cell._back

    def back(saved, dy, dh):
        h, m, W_hT = saved["h"], saved["m"], saved["W_h"].T
        dx, grads, _ = original(saved, dy, dh)
        for t in range(len(m) - 1, -1, -1):                            # the loop of _back without dh ⊙ (1 − m)
            dh = dh + dy[t]
            dh = (dh * m[t] * (1 - h[t + 1] ** 2)) @ W_hT
        return dx, grads, dh
    monkeypatch.setattr(cell, "_back", back)
    rng = np.random.default_rng(0)
    errors = check_cell(cell, rng.standard_normal((9, B, D)), state=rand_state(cell, rng))
    assert errors["h0"] > 1e-3


def test_depth_gated_negative_control_depth_path_dropped(monkeypatch):
    """Drop the gradient that the depth gate sends into the layer below: the lower layer's weights come out wrong."""
    cell = depth(2)
    original = cell._back

    def back(layers, dy, dh_T, dc_T):
        for k in layers[1:]:
            k["d"] = np.zeros_like(k["d"])                             # the backward believes every d is 0
        return original(layers, dy, dh_T, dc_T)
    monkeypatch.setattr(cell, "_back", back)
    rng = np.random.default_rng(0)
    errors = depth_gradcheck(cell, rng.standard_normal((T, B, D)), rand_state(cell, rng, (2,)))
    assert errors["W1"] > 1e-3 and errors["b_d2"] > 1e-3


# ---- the new cells against the old ones ---------------------------------------------------------------------------
def _x(seed=0, T=T):
    return np.random.default_rng(seed).standard_normal((T, B, D))


def test_greff_vanilla_is_peephole_lstm_and_np_is_lstm():
    x = _x()
    for variant, cls in (("vanilla", lstm_lib.PeepholeLSTM), ("NP", lstm_lib.LSTM)):
        g, ref = lstm_lib.GreffLSTM(D, H, variant=variant, seed=4), cls(D, H, seed=4)
        assert set(g.params) == set(ref.params)
        jitter(g, 5), jitter(ref, 5)                                  # same perturbation: same parameters
        np.testing.assert_allclose(g.forward(x)[0], ref.forward(x)[0], atol=1e-14)
        dy = np.ones((T, B, H))
        np.testing.assert_allclose(g.backward(dy), ref.backward(dy), atol=1e-13)
        for k in ref.grads:
            np.testing.assert_allclose(g.grads[k], ref.grads[k], atol=1e-12)


def test_greff_cifg_is_coupled_lstm_with_the_gate_negated():
    coupled = jitter(lstm_lib.CoupledLSTM(D, H, seed=4))
    cifg = lstm_lib.GreffLSTM(D, H, variant="CIFG", seed=0)
    sl_f, sl_i = coupled.gate_slice("f"), cifg.gate_slice("i")
    cifg.params["W"][...] = coupled.params["W"]                       # blocks c_tilde | o in the same place
    cifg.params["b"][...] = coupled.params["b"]
    cifg.params["W"][:, sl_i] = -coupled.params["W"][:, sl_f]         # i = σ(−a_f) = 1 − f
    cifg.params["b"][sl_i] = -coupled.params["b"][sl_f]
    cifg.params["p_i"][...] = cifg.params["p_o"][...] = 0
    x = _x(1)
    np.testing.assert_allclose(cifg.forward(x)[0], coupled.forward(x)[0], atol=1e-14)
    np.testing.assert_allclose(cifg.activations["f"], coupled.activations["f"], atol=1e-14)


def test_greff_variants_do_what_their_name_says():
    x = _x(2)
    acts = {}
    for v in VARIANTS:
        cell = greff(v)
        cell.forward(x)
        acts[v] = cell.activations
        assert set(cell.activations) == {"f", "i", "c_tilde", "o", "c", "h"}
    assert np.all(acts["NIG"]["i"] == 1) and np.all(acts["NFG"]["f"] == 1) and np.all(acts["NOG"]["o"] == 1)
    np.testing.assert_allclose(acts["CIFG"]["f"], 1 - acts["CIFG"]["i"])
    np.testing.assert_allclose(acts["NOG"]["h"], np.tanh(acts["NOG"]["c"]))
    np.testing.assert_allclose(acts["NOAF"]["h"], acts["NOAF"]["o"] * acts["NOAF"]["c"])
    assert np.abs(acts["NIAF"]["c_tilde"]).max() > 1                  # not squashed into (−1, 1)
    assert np.abs(acts["vanilla"]["c_tilde"]).max() < 1
    n = {v: sum(p.size for p in lstm_lib.GreffLSTM(D, H, variant=v).params.values()) for v in VARIANTS}
    assert n["NP"] == n["vanilla"] - 3 * H and n["FGR"] == n["vanilla"] + 9 * H * H
    assert n["NIG"] == n["NFG"] == n["NOG"] == n["CIFG"] == n["vanilla"] - (H + D + 1) * H - H


def test_greff_forget_bias_starts_f_at_sigmoid_of_it():
    x = np.zeros((1, 1, D))
    for v in ("vanilla", "CIFG", "NIG"):
        cell = lstm_lib.GreffLSTM(D, H, variant=v, forget_bias=2.0)
        cell.forward(x)
        np.testing.assert_allclose(cell.activations["f"], 1 / (1 + np.exp(-2.0)), atol=1e-12)


def test_clockwork_with_one_period_one_module_is_the_rnn():
    x = _x(3)
    cw, rnn = lstm_lib.ClockworkRNN(D, H, periods=(1,), seed=2), lstm_lib.RNN(D, H, seed=2)
    np.testing.assert_allclose(cw.forward(x)[0], rnn.forward(x)[0], atol=1e-15)
    dy = np.ones((T, B, H))
    np.testing.assert_allclose(cw.backward(dy), rnn.backward(dy), atol=1e-13)
    np.testing.assert_allclose(cw.grads["W"], rnn.grads["W"], atol=1e-12)


def test_clockwork_modules_hold_between_ticks_and_read_only_slower_modules():
    cell = clockwork()
    x = _x(4, T=9)
    y, _ = cell.forward(x)                                             # periods 1, 2, 4; two units each
    for t in range(1, 9):
        for n, period in enumerate(cell.periods):
            u = slice(2 * n, 2 * n + 2)
            if t % period:
                np.testing.assert_array_equal(y[t, :, u], y[t - 1, :, u])
            else:
                assert np.all(y[t, :, u] != y[t - 1, :, u])
    h0 = np.zeros((B, 6))
    h0[:, :2] = 5.0                                                    # perturb the fastest module only
    y2, _ = cell.forward(x, h0)
    np.testing.assert_array_equal(y2[:, :, 2:], y[:, :, 2:])          # slower modules never read it
    assert not np.allclose(y2[:, :, :2], y[:, :, :2])
    assert cell.n_params == 2 * 2 * (3 * 4 // 2) + D * 6 + 6           # k² g(g+1)/2 + D·H + H


def test_depth_gated_one_layer_is_the_lstm_and_the_gate_links_the_cells():
    x = _x(5)
    dg, lstm = lstm_lib.DepthGatedLSTM(D, H, num_layers=1, seed=3), lstm_lib.LSTM(D, H, seed=3)
    np.testing.assert_allclose(dg.forward(x)[0], lstm.forward(x)[0], atol=1e-15)
    cell = depth(2)
    cell.params["b_d2"][...] = 50.0                                   # depth gate wide open: d = 1
    cell.forward(x)
    a = cell.activations
    c_prev = np.concatenate([np.zeros((1, B, H)), a["c"][1, :-1]])
    np.testing.assert_allclose(a["c"][1], a["c"][0] + a["f"][1] * c_prev + a["i"][1] * a["c_tilde"][1], atol=1e-12)


# ---- the API: step by step equals whole sequence; chunks; dtypes -----------------------------------------------------
CELLS = {**{f"GreffLSTM({v})": (lambda v=v: greff(v)) for v in VARIANTS},
         "ClockworkRNN": clockwork, "DepthGatedLSTM": lambda: depth(3)}


def _as_tuple(s):
    return s if isinstance(s, tuple) else (s,)


@pytest.mark.parametrize("name", list(CELLS))
def test_step_by_step_equals_whole_sequence(name):
    cell = CELLS[name]()
    rng = np.random.default_rng(5)
    lead = (cell.num_layers,) if name == "DepthGatedLSTM" else ()
    x, dy = rng.standard_normal((T, B, D)), rng.standard_normal((T, B, cell.hidden_size))
    s0, dsT = rand_state(cell, rng, lead), rand_state(cell, rng, lead)
    y, sT = cell.forward(x, s0)
    dx = cell.backward(dy, dsT)
    grads = {k: g.copy() for k, g in cell.grads.items()}
    assert y.shape == (T, B, cell.hidden_size) and dx.shape == x.shape
    assert cell.params.keys() == grads.keys() and all(grads[k].shape == cell.params[k].shape for k in grads)
    state, caches = s0, []
    for t in range(T):
        kw = {"t": t} if name == "ClockworkRNN" else {}
        state, cache = cell.step(x[t], state, **kw)
        caches.append(cache)
        top = _as_tuple(state)[0][-1] if lead else _as_tuple(state)[0]
        np.testing.assert_allclose(top, y[t], atol=1e-14)
    for a, b in zip(_as_tuple(state), _as_tuple(sT)):
        np.testing.assert_allclose(a, b, atol=1e-14)
    cell.zero_grad()
    ds, dxs = dsT, [None] * T
    for t in reversed(range(T)):
        ds = list(_as_tuple(ds))
        if lead:
            ds[0] = ds[0].copy()
            ds[0][-1] += dy[t]                                         # the output is the top layer's h
        else:
            ds[0] = ds[0] + dy[t]
        dxs[t], ds = cell.step_backward(tuple(ds) if len(ds) > 1 else ds[0], caches[t])
    np.testing.assert_allclose(np.stack(dxs), dx, atol=1e-12)
    for k in grads:
        np.testing.assert_allclose(cell.grads[k], grads[k], atol=1e-12)
    for a, b in zip(_as_tuple(ds), _as_tuple(cell.dstate0)):
        np.testing.assert_allclose(a, b, atol=1e-12)


def test_clockwork_clock_continues_across_chunks():
    cell = clockwork()
    x = _x(6, T=10)
    y, _ = cell.forward(x)
    y1, h = cell.forward(x[:3])
    y2, _ = cell.forward(x[3:], h, t0=3)
    np.testing.assert_allclose(np.concatenate([y1, y2]), y, atol=1e-15)


@pytest.mark.parametrize("name", list(CELLS))
def test_float32_and_backward_once(name):
    cell = CELLS[name]()
    c32 = copy.deepcopy(cell)
    c32.dtype = np.float32
    c32.params = {k: v.astype(np.float32) for k, v in cell.params.items()}
    c32.grads = {k: np.zeros_like(v) for k, v in c32.params.items()}
    if name == "ClockworkRNN":
        c32.mask = cell.mask.astype(np.float32)
    x = _x(7)
    y64, _ = cell.forward(x)
    y32, s32 = c32.forward(x)
    assert y32.dtype == np.float32 and all(s.dtype == np.float32 for s in _as_tuple(s32))
    np.testing.assert_allclose(y32, y64, atol=1e-5)
    dx = c32.backward(np.ones_like(y32))
    assert dx.dtype == np.float32 and all(g.dtype == np.float32 for g in c32.grads.values())
    with pytest.raises(ValueError, match="before cell.backward"):
        c32.backward(np.ones_like(y32))
    assert lstm_lib.GreffLSTM(D, H, variant="FGR", dtype=np.float32).params["R"].dtype == np.float32
    assert lstm_lib.DepthGatedLSTM(D, H, dtype="float32").params["W_d2"].dtype == np.float32


# ---- bad input ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", ["LSTM", "nfg", None, 3])
def test_greff_unknown_variant(bad):
    with pytest.raises(ValueError) as e:
        lstm_lib.GreffLSTM(D, H, variant=bad)
    bilingual(e, "variant", repr(bad), "CIFG")


@pytest.mark.parametrize("periods, exc, frag", [
    ((1, 0, 4), ValueError, "0"), ((1, -2), ValueError, "-2"), ((1, 2.5), ValueError, "2.5"),
    ((1, 2.0), ValueError, "2.0"), ((True, 2), ValueError, "True"), ((1, "2"), ValueError, "'2'"),
    ((4, 2, 1), ValueError, "strictly increasing"), ((1, 1), ValueError, "strictly increasing"),
    ((), TypeError, "non-empty"), ("124", TypeError, "'124'"), (8, TypeError, "8")])
def test_clockwork_periods_must_be_increasing_positive_integers(periods, exc, frag):
    with pytest.raises(exc) as e:
        lstm_lib.ClockworkRNN(D, 6, periods=periods)
    bilingual(e, "period", frag)


def test_clockwork_hidden_size_must_divide_into_the_modules():
    with pytest.raises(ValueError) as e:
        lstm_lib.ClockworkRNN(D, 10, periods=(1, 2, 4))
    bilingual(e, "hidden_size = 10", "3 modules")
    assert lstm_lib.ClockworkRNN(D, 12, periods=(1, 2, 4)).hidden_size == 12
    assert lstm_lib.ClockworkRNN(D, 4, periods=np.array([1, 3])).periods == (1, 3)


def test_clockwork_bad_tick_state_and_call_order():
    cell = clockwork()
    with pytest.raises(TypeError) as e:
        cell.forward(_x(), t0=-1)
    bilingual(e, "t0", "-1")
    with pytest.raises(TypeError) as e:
        cell.step(np.zeros((B, D)), t=1.5)
    bilingual(e, "1.5")
    with pytest.raises(ValueError) as e:
        cell.forward(_x(), np.zeros((B, 5)))
    bilingual(e, "(2, 6)", "(2, 5)")
    with pytest.raises(ValueError) as e:
        cell.forward(np.zeros((T, B, D + 1)))
    bilingual(e, "x", f"(T, B, {D})")
    with pytest.raises(ValueError) as e:
        clockwork().backward(np.zeros((T, B, 6)))
    bilingual(e, "before cell.backward")
    with pytest.raises(TypeError) as e:
        cell.step_backward(np.zeros((B, 6)), {"x": 1})
    bilingual(e, "cache")
    with pytest.raises(ValueError) as e:
        cell.forward(np.full((T, B, D), np.nan))
    bilingual(e, "finite")


def test_depth_gated_bad_sizes_states_and_call_order():
    for bad, exc in ((0, ValueError), (1.5, TypeError), (True, TypeError)):
        with pytest.raises(exc) as e:
            lstm_lib.DepthGatedLSTM(D, H, num_layers=bad)
        bilingual(e, "num_layers")
    with pytest.raises(TypeError) as e:
        lstm_lib.DepthGatedLSTM(D, H, forget_bias="1")
    bilingual(e, "forget_bias")
    cell = depth(2)
    with pytest.raises(ValueError) as e:
        cell.forward(_x(), (np.zeros((B, H)), np.zeros((B, H))))       # one layer's state for a two-layer stack
    bilingual(e, f"(2, {B}, {H})")
    with pytest.raises(TypeError) as e:
        cell.forward(_x(), np.zeros((2, B, H)))
    bilingual(e, "(h, c)")
    with pytest.raises(ValueError) as e:
        depth(2).backward(np.zeros((T, B, H)))
    bilingual(e, "before cell.backward")
    cell.forward(_x())
    with pytest.raises(ValueError) as e:
        cell.backward(np.zeros((T, B, H + 1)))
    bilingual(e, "dy")
