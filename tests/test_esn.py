"""lstm_lib.esn: the spectral radius is what was asked, the echo state property holds below 1 and fails well above,
the ridge readout recovers a known linear map, bad input is refused in our words; the Mackey–Glass task."""
import doctest
import re

import numpy as np
import pytest

from lstm_lib import esn as esn_module
from lstm_lib import tasks
from lstm_lib.esn import ESN, nmse

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("rho", [0.5, 0.9, 0.99])
def test_spectral_radius_is_as_set(rho):
    e = ESN(2, 60, spectral_radius=rho, seed=3)
    assert abs(e.spectral_radius_of_W() - rho) < 1e-10
    assert e.params["W"].shape == (60, 60) and e.params["W_in"].shape == (2, 60)


@pytest.mark.parametrize("leak", [1.0, 0.3])
def test_echo_state_property_two_initial_states_converge(leak):
    e = ESN(1, 80, spectral_radius=0.8, leak=leak, seed=0)
    rng = np.random.default_rng(1)
    u = rng.uniform(-1, 1, (300, 1, 1))
    r0a, r0b = rng.uniform(-1, 1, (2, 1, 80))
    ra, rb = e.states(u, r0a), e.states(u, r0b)
    gap = np.linalg.norm(ra - rb, axis=(1, 2))
    assert gap[0] > 0.1                               # they start apart ...
    assert gap[-1] < 1e-8 * gap[0]                   # ... and forget where they started
    assert np.all(np.abs(ra) < 1)


def test_negative_control_a_large_spectral_radius_breaks_the_echo_state_property():
    e = ESN(1, 80, spectral_radius=3.0, input_scale=0.1, seed=0)
    rng = np.random.default_rng(1)
    u = rng.uniform(-1, 1, (300, 1, 1))
    r0a, r0b = rng.uniform(-1, 1, (2, 1, 80))
    gap = np.linalg.norm(e.states(u, r0a) - e.states(u, r0b), axis=(1, 2))
    assert gap[-1] > 1e-2


def test_readout_solves_a_known_linear_target():
    """If y is an exact linear function of [r_t, 1], ridge regression with tiny λ recovers that map."""
    e = ESN(2, 30, spectral_radius=0.9, ridge=1e-12, seed=5)
    rng = np.random.default_rng(2)
    u = rng.uniform(-1, 1, (400, 2, 2))
    R = e.states(u)
    W_true = rng.standard_normal((31, 3))
    y = np.concatenate([R, np.ones(R.shape[:2] + (1,))], axis=-1) @ W_true       # (T, B, 3)
    e.fit(u, y, washout=20)
    np.testing.assert_allclose(e.params["W_out"], W_true, atol=1e-5)
    assert e.readout_size == 31 * 3
    assert e.nmse(u, y, washout=20) < 1e-10
    e_bad = ESN(2, 30, spectral_radius=0.9, ridge=1e-12, seed=5).fit(u, y[::-1].copy(), washout=20)
    assert e_bad.nmse(u, y, washout=20) > 0.1        # negative control: a readout fitted to other targets fails


def test_esn_predicts_mackey_glass_far_better_than_the_mean():
    x, y = tasks.mackey_glass(1200, 1, seed=0)
    x, y = (x - 0.9) / 0.23, (y - 0.9) / 0.23
    e = ESN(1, 60, spectral_radius=0.9, input_scale=0.5, ridge=1e-6, seed=0).fit(x[:800], y[:800], washout=100)
    assert e.nmse(x[800:], y[800:], washout=100) < 1e-3


def test_mackey_glass_series():
    x, y = tasks.mackey_glass(400, 2, horizon=3, sample_every=2, seed=4)
    assert x.shape == y.shape == (400, 2, 1)
    np.testing.assert_array_equal(y[:-3], x[3:])
    assert not np.array_equal(x[:, 0], x[:, 1])                  # two initial histories, two series
    a, _ = tasks.mackey_glass(400, 2, horizon=3, sample_every=2, seed=4)
    np.testing.assert_array_equal(a, x)
    assert 0.2 < x.min() and x.max() < 1.5 and x.std() > 0.1     # on the attractor, not a fixed point
    with pytest.raises(TypeError, match="horizon"):
        tasks.mackey_glass(10, 1, horizon=0.5)
    with pytest.raises(ValueError, match="tau"):
        tasks.mackey_glass(10, 1, tau=0)


def test_docstring_example_runs():
    assert doctest.testmod(esn_module).failed == 0


def bilingual(excinfo, *fragments):
    msg = str(excinfo.value)
    assert " / " in msg and CJK.search(msg), msg
    for frag in fragments:
        assert frag in msg, (frag, msg)


@pytest.mark.parametrize("kw, exc, frag", [
    ({"reservoir_size": 0}, ValueError, "reservoir_size"), ({"input_size": 1.0}, TypeError, "input_size"),
    ({"spectral_radius": 0}, ValueError, "spectral_radius"), ({"spectral_radius": 90}, ValueError, "(0.0, 10.0]"),
    ({"spectral_radius": "0.9"}, TypeError, "spectral_radius"), ({"leak": 1.5}, ValueError, "leak"),
    ({"leak": 0.0}, ValueError, "leak"), ({"ridge": -1.0}, ValueError, "ridge"),
    ({"seed": -2}, TypeError, "seed"), ({"dtype": np.int64}, TypeError, "floating"),
    ({"spectral_radius": float("nan")}, ValueError, "spectral_radius")])
def test_constructor_refuses_bad_arguments(kw, exc, frag):
    args = {"input_size": 1, "reservoir_size": 10, **kw}
    with pytest.raises(exc) as e:
        ESN(**args)
    bilingual(e, frag)


def test_bad_inputs_to_states_fit_predict():
    e = ESN(2, 10, seed=0)
    u = np.zeros((20, 1, 2))
    with pytest.raises(ValueError) as ex:
        e.predict(u)
    bilingual(ex, "fit before predict")
    with pytest.raises(ValueError) as ex:
        e.states(np.zeros((20, 1, 3)))
    bilingual(ex, "(T, B, 2)", "(20, 1, 3)")
    with pytest.raises(ValueError) as ex:
        e.states(np.full((20, 1, 2), np.inf))
    bilingual(ex, "NaN or inf")
    with pytest.raises(TypeError) as ex:
        e.states(np.array([["a"]]))
    bilingual(ex, "numeric")
    with pytest.raises(ValueError) as ex:
        e.states(u, np.zeros((2, 10)))
    bilingual(ex, "(B, N) = (1, 10)")
    with pytest.raises(ValueError) as ex:
        e.fit(u, np.zeros((19, 1, 1)))
    bilingual(ex, "(T, B, K)")
    with pytest.raises(ValueError) as ex:
        e.fit(u, np.zeros((20, 1, 1)), washout=20)
    bilingual(ex, "washout", "T = 20")
    with pytest.raises(TypeError) as ex:
        e.fit(u, np.zeros((20, 1, 1)), washout=2.0)
    bilingual(ex, "washout")
    with pytest.raises(ValueError) as ex:
        nmse(np.zeros(3), np.ones(3))
    bilingual(ex, "constant")
    with pytest.raises(ValueError) as ex:
        nmse(np.zeros(3), np.ones(4))
    bilingual(ex, "same shape")
