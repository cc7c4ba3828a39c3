"""LSTM1997 (no forget gate) against an independent reference — the course's LSTM with its forget gate held at
exactly 1 — plus the properties that define it: ∂C_T/∂C_0 = I along the carousel, and a damped carousel caught."""
import numpy as np
import pytest

import lstm_lib
from lstm_lib.gradcheck import check_cell

T, B, D, H = 6, 2, 3, 4


def pair(seed=0):
    """An LSTM1997 and an LSTM with the same i, C̃, o weights and b_f so large that f_t = σ(b_f) is exactly 1.0."""
    old = lstm_lib.LSTM1997(D, H, seed=seed)
    rng = np.random.default_rng(seed + 10)
    for p in old.params.values():
        p += 0.3 * rng.standard_normal(p.shape)
    new = lstm_lib.LSTM(D, H, seed=seed)
    new.params["W"][...] = 0.0
    new.params["b"][...] = 0.0
    for g in ("i", "c_tilde", "o"):
        new.params["W"][:, new.gate_slice(g)] = old.params["W"][:, old.gate_slice(g)]
        new.params["b"][new.gate_slice(g)] = old.params["b"][old.gate_slice(g)]
    new.params["b"][new.gate_slice("f")] = 1e3              # σ(1e3) == 1.0 in float64
    return old, new


def test_equals_the_lstm_with_its_forget_gate_held_open():
    old, new = pair()
    rng = np.random.default_rng(1)
    x, dy = rng.standard_normal((T, B, D)), rng.standard_normal((T, B, H))
    s0 = (0.5 * rng.standard_normal((B, H)), 0.5 * rng.standard_normal((B, H)))
    ds = (rng.standard_normal((B, H)), rng.standard_normal((B, H)))
    y1, (h1, c1) = old.forward(x, s0)
    y2, (h2, c2) = new.forward(x, s0)
    assert np.all(new.activations["f"] == 1.0)
    np.testing.assert_allclose(y1, y2, atol=1e-14)
    np.testing.assert_allclose(c1, c2, atol=1e-14)
    dx1, dx2 = old.backward(dy, ds), new.backward(dy, ds)
    np.testing.assert_allclose(dx1, dx2, atol=1e-13)
    for g in ("i", "c_tilde", "o"):
        np.testing.assert_allclose(old.grads["W"][:, old.gate_slice(g)], new.grads["W"][:, new.gate_slice(g)],
                                   atol=1e-13)
        np.testing.assert_allclose(old.grads["b"][old.gate_slice(g)], new.grads["b"][new.gate_slice(g)], atol=1e-13)
    for a, b in zip(old.dstate0, new.dstate0):
        np.testing.assert_allclose(a, b, atol=1e-13)


def test_cell_state_is_a_running_sum_and_its_gradient_is_undamped():
    cell, _ = pair()
    x = np.random.default_rng(2).standard_normal((T, B, D))
    cell.forward(x)
    a = cell.activations
    np.testing.assert_allclose(a["c"][-1], np.sum(a["i"] * a["c_tilde"], axis=0), atol=1e-14)   # C_0 = 0
    # only the carousel: no gradient into h, none from the outputs → dC_0 = dC_T exactly
    dc = np.random.default_rng(3).standard_normal((B, H))
    cell.W_h[...] = 0.0                                     # cut the h_{t-1} paths so C is the only route back
    cell.forward(x)
    cell.backward(None, (np.zeros((B, H)), dc))
    np.testing.assert_array_equal(cell.dstate0[1], dc)


def test_negative_control_a_damped_carousel_is_caught(monkeypatch):
    """A backward that multiplies dC by 0.9 per step (a forget gate that is not in the forward) must fail the check."""
    cell, _ = pair()
    original = lstm_lib.LSTM1997._step_back

    def step_back(self, *args):
        dh_prev, dc_prev = original(self, *args)
        return dh_prev, 0.9 * dc_prev
    monkeypatch.setattr(lstm_lib.LSTM1997, "_step_back", step_back)
    rng = np.random.default_rng(0)
    errors = check_cell(cell, rng.standard_normal((T, B, D)), state=(rng.standard_normal((B, H)),) * 2)
    assert errors["c0"] > 1e-3 and errors["W"] > 1e-3


def test_no_forget_gate_and_no_forget_bias():
    cell = lstm_lib.LSTM1997(D, H)
    assert cell.gate_names == ("i", "c_tilde", "o") and cell.params["W"].shape == (H + D, 3 * H)
    assert not cell.params["b"].any()
    with pytest.raises(KeyError) as e:
        cell.gate_slice("f")
    assert "期望" in str(e.value) and "'f'" in str(e.value)
    with pytest.raises(TypeError):
        lstm_lib.LSTM1997(D, H, forget_bias=1.0)
