"""Finite-difference checks of every cell's hand-written BPTT (float64, relative error ≤ 1e-7), negative controls."""
import numpy as np
import pytest

import lstm_lib
from lstm_lib.gradcheck import check_cell, numerical_gradient, rel_error

# the six cells; GRU counts twice
CELLS = {
    "RNN": lambda D, H: lstm_lib.RNN(D, H, seed=1),
    "LSTM": lambda D, H: lstm_lib.LSTM(D, H, seed=1),
    "PeepholeLSTM": lambda D, H: lstm_lib.PeepholeLSTM(D, H, seed=1),
    "CoupledLSTM": lambda D, H: lstm_lib.CoupledLSTM(D, H, seed=1),
    "LSTM1997": lambda D, H: lstm_lib.LSTM1997(D, H, seed=1),
    "GRU(reset_after=False)": lambda D, H: lstm_lib.GRU(D, H, seed=1, reset_after=False),
    "GRU(reset_after=True)": lambda D, H: lstm_lib.GRU(D, H, seed=1, reset_after=True),
}
T, B, D, H = 5, 2, 3, 4


def make(name):
    """A cell whose every parameter is non-zero (peepholes and b_h start at zero, which would hide their terms)."""
    cell = CELLS[name](D, H)
    rng = np.random.default_rng(7)
    for p in cell.params.values():
        p += 0.3 * rng.standard_normal(p.shape)
    return cell


def random_state(cell, rng):
    s = [0.5 * rng.standard_normal((B, H)) for _ in cell.state_names]
    return s[0] if len(s) == 1 else tuple(s)


@pytest.mark.parametrize("name", list(CELLS))
def test_gradients_match_finite_differences(name):
    cell = make(name)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((T, B, D))
    errors = check_cell(cell, x, state=random_state(cell, rng), seed=3)
    expected = set(cell.params) | {"x"} | {n + "0" for n in cell.state_names}
    assert set(errors) == expected
    worst = max(errors, key=errors.get)
    assert errors[worst] <= 1e-7, f"{name}: {worst} relative error {errors[worst]:.2e}"


def _broken_recurrence(cls):
    """A backward that drops half of the gradient flowing into h_{t-1} (as if one of its terms were forgotten)."""
    original = cls._step_back

    def step_back(self, *args):
        out = original(self, *args)
        return (0.5 * out[0],) + tuple(out[1:])
    return step_back


@pytest.mark.parametrize("name", list(CELLS))
def test_negative_control_broken_recurrent_gradient_is_caught(name, monkeypatch):
    cell = make(name)
    monkeypatch.setattr(type(cell), "_step_back", _broken_recurrence(type(cell)))
    x = np.random.default_rng(0).standard_normal((T, B, D))
    errors = check_cell(cell, x, state=random_state(cell, np.random.default_rng(1)))
    assert errors["W"] > 1e-3 and errors["h0"] > 1e-3


def test_negative_control_lstm_without_the_path_from_h_into_c_is_caught(monkeypatch):
    """Drop dh ⊙ ∂h_t/∂C_t (the term a first derivation often forgets): the check must flag it."""
    original = lstm_lib.LSTM._local

    def local(self, K):
        j = original(self, K)
        j["dh_dc"] = np.zeros_like(j["dh_dc"])
        return j
    monkeypatch.setattr(lstm_lib.LSTM, "_local", local)
    cell = make("LSTM")
    errors = check_cell(cell, np.random.default_rng(0).standard_normal((T, B, D)))
    assert errors["W"] > 1e-3 and errors["x"] > 1e-3


@pytest.mark.parametrize("name", ["PeepholeLSTM", "GRU(reset_after=True)"])
def test_negative_control_a_wrong_extra_parameter_gradient_is_caught(name, monkeypatch):
    cell = make(name)
    original = type(cell)._param_grads
    extra = "p_o" if name == "PeepholeLSTM" else "b_h"

    def param_grads(self, *args):
        g = original(self, *args)
        g[extra] = 1.01 * g[extra]                    # a 1 % error in one parameter's gradient
        return g
    monkeypatch.setattr(type(cell), "_param_grads", param_grads)
    errors = check_cell(cell, np.random.default_rng(0).standard_normal((T, B, D)))
    assert errors[extra] > 1e-3
    assert errors["W"] <= 1e-7


def test_numerical_gradient_of_a_known_function():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    for points, h in ((2, 1e-5), (4, 1e-3)):
        num = numerical_gradient(lambda: np.sum(np.sin(x) * x), x, h=h, points=points)
        assert rel_error(num, np.cos(x) * x + np.sin(x)) < 1e-9
    assert np.array_equal(x, [[1.0, -2.0], [0.5, 3.0]])     # restored


def test_rel_error_is_cs231n():
    assert rel_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert rel_error([1.0], [3.0]) == pytest.approx(0.5)    # |1 − 3| / (1 + 3)
    assert rel_error([0.0], [0.0]) == 0.0                   # tiny guards 0/0
    with pytest.raises(ValueError, match="same shape"):
        rel_error([1.0, 2.0], [1.0])


def test_gradcheck_refuses_float32_and_bad_arguments():
    with pytest.raises(TypeError, match="float64"):
        check_cell(lstm_lib.LSTM(2, 2, dtype=np.float32), np.zeros((2, 1, 2)))
    with pytest.raises(TypeError, match="float numpy array"):
        numerical_gradient(lambda: 0.0, [1.0, 2.0])
    with pytest.raises(ValueError, match="points"):
        numerical_gradient(lambda: 0.0, np.zeros(2), points=3)
