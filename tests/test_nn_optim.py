"""Losses, layers, optimisers, clipping and save/load of the training kit (lstm_lib.nn, lstm_lib.optim, lstm_lib.io).

Gradients are checked against centred finite differences in float64 (CS231n's relative error), with a negative
control: the same check must reject a deliberately wrong gradient.
"""
import numpy as np
import pytest
from messages import bilingual

import lstm_lib
from lstm_lib import gradcheck, io, nn, optim


def rel_error(a, b):
    """CS231n's relative error, with a tiny guard small enough not to hide errors in near-zero gradients."""
    return gradcheck.rel_error(a, b, tiny=1e-12)


def numerical_grad(f, x):
    """Centred differences of the scalar f() wrt the array x: the library's own helper, the one students use."""
    return gradcheck.numerical_gradient(f, x, h=1e-6)


# ---------------------------------------------------------------------------------------------------------------------
# losses
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(5, 4), (3, 2, 6)])
def test_softmax_cross_entropy_gradient(shape):
    rng = np.random.default_rng(0)
    z = rng.standard_normal(shape)
    y = rng.integers(0, shape[-1], shape[:-1])
    loss, dz = nn.softmax_cross_entropy(z, y)
    num = numerical_grad(lambda: nn.softmax_cross_entropy(z, y)[0], z)
    assert rel_error(dz, num) < 1e-7
    # value against the definition, computed the slow way
    p = np.exp(z) / np.exp(z).sum(-1, keepdims=True)
    ref = -np.mean(np.log(np.take_along_axis(p, y[..., None], -1)))
    assert abs(loss - ref) < 1e-12


def test_gradient_check_catches_a_wrong_gradient():
    """Negative control: a softmax gradient that forgets to divide by N (or drops the one-hot) is rejected."""
    rng = np.random.default_rng(1)
    z = rng.standard_normal((6, 3))
    y = rng.integers(0, 3, 6)
    _, dz = nn.softmax_cross_entropy(z, y)
    num = numerical_grad(lambda: nn.softmax_cross_entropy(z, y)[0], z)
    assert rel_error(dz * 6, num) > 1e-2
    p = np.exp(z) / np.exp(z).sum(-1, keepdims=True)
    assert rel_error(p / 6, num) > 1e-2


def test_softmax_cross_entropy_uniform_and_stable():
    loss, _ = nn.softmax_cross_entropy(np.zeros((3, 5)), np.array([0, 2, 4]))
    assert abs(loss - np.log(5)) < 1e-12
    z = np.array([[1e4, 0.0, -1e4]])                  # no overflow, no NaN
    loss, dz = nn.softmax_cross_entropy(z, np.array([1]))
    assert np.isfinite(loss) and np.all(np.isfinite(dz))
    assert abs(loss - 1e4) < 1e-6


def test_mse_gradient_and_value():
    rng = np.random.default_rng(2)
    p, t = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    loss, dp = nn.mse(p, t)
    assert abs(loss - np.mean((p - t) ** 2)) < 1e-14
    assert rel_error(dp, numerical_grad(lambda: nn.mse(p, t)[0], p)) < 1e-7


def test_loss_bad_input():
    z = np.zeros((4, 3))
    with pytest.raises(ValueError) as e:
        nn.softmax_cross_entropy(z, np.array([0, 1, 2]))          # wrong length
    bilingual(e, "(4,)", "(3,)")
    with pytest.raises(ValueError) as e:
        nn.softmax_cross_entropy(z, np.array([0, 1, 2, 3]))       # class 3 of 3
    bilingual(e, "[0, 3)", "3]")
    with pytest.raises(ValueError) as e:
        nn.softmax_cross_entropy(z, np.array([0, -1, 2, 1]))
    bilingual(e, "[0, 3)", "-1")
    with pytest.raises(TypeError) as e:
        nn.softmax_cross_entropy(z, np.array([0.0, 1.0, 2.0, 1.0]))   # float labels
    bilingual(e, "integer", "float64")
    z_nan = z.copy()
    z_nan[1, 1] = np.nan
    with pytest.raises(ValueError) as e:
        nn.softmax_cross_entropy(z_nan, np.array([0, 1, 2, 1]))
    bilingual(e, "NaN")
    with pytest.raises(ValueError) as e:
        nn.softmax_cross_entropy(np.zeros(3), np.array(1))
    bilingual(e, "(B, K)", "(3,)")
    with pytest.raises(ValueError) as e:
        nn.mse(np.zeros((4, 1)), np.zeros(4))
    bilingual(e, "(4, 1)", "(4,)")
    with pytest.raises(TypeError) as e:
        nn.mse(np.array(["a", "b"]), np.zeros(2))
    bilingual(e, "numeric")


# ---------------------------------------------------------------------------------------------------------------------
# layers
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lead", [(5,), (4, 3)])
def test_linear_gradients(lead):
    rng = np.random.default_rng(3)
    layer = nn.Linear(6, 2, seed=0)
    layer.params["b"][:] = rng.standard_normal(2)
    h = rng.standard_normal(lead + (6,))
    R = rng.standard_normal(lead + (2,))             # loss = Σ y ⊙ R, so dL/dy = R

    def f():
        return float(np.sum(layer.forward(h) * R))

    layer.forward(h)
    dh = layer.backward(R)
    assert dh.shape == h.shape
    assert rel_error(dh, numerical_grad(f, h)) < 1e-7
    for name in ("W", "b"):
        assert rel_error(layer.grads[name], numerical_grad(f, layer.params[name])) < 1e-7
    # negative control: a gradient 1 % off is rejected by the same check
    assert rel_error(layer.grads["W"] * 1.01, numerical_grad(f, layer.params["W"])) > 1e-3


def test_embedding_gradient_with_repeated_ids():
    rng = np.random.default_rng(4)
    emb = nn.Embedding(5, 3, seed=0)
    ids = np.array([[0, 4], [4, 4], [2, 0]])          # 4 appears three times: gradients must add up
    R = rng.standard_normal((3, 2, 3))               # loss = Σ x ⊙ R

    def f():
        return float(np.sum(emb.forward(ids) * R))

    emb.forward(ids)
    assert emb.backward(R) is None
    num = numerical_grad(f, emb.params["E"])
    assert rel_error(emb.grads["E"], num) < 1e-7
    assert np.all(emb.grads["E"][[1, 3]] == 0)        # unused rows get no gradient
    assert np.array_equal(emb.forward(ids), emb.params["E"][ids])


def test_layer_bad_input():
    layer = nn.Linear(4, 2)
    with pytest.raises(ValueError) as e:
        layer.forward(np.zeros((3, 5)))
    bilingual(e, "(..., 4)", "(3, 5)")
    with pytest.raises(ValueError) as e:
        layer.backward(np.zeros((3, 2)))
    bilingual(e, "forward")
    layer.forward(np.zeros((3, 4)))
    with pytest.raises(ValueError) as e:
        layer.backward(np.zeros((2, 2)))
    bilingual(e, "(3, 2)", "(2, 2)")
    with pytest.raises(TypeError) as e:
        nn.Linear(4.0, 2)
    bilingual(e, "positive integer", "4.0")
    with pytest.raises(ValueError) as e:
        nn.Linear(0, 2)
    emb = nn.Embedding(5, 3)
    with pytest.raises(ValueError) as e:
        emb.forward(np.array([[0, 5]]))
    bilingual(e, "[0, 5)", "5]")
    with pytest.raises(TypeError) as e:
        emb.forward(np.array([[0.0, 1.0]]))
    bilingual(e, "integer")


def test_layers_are_seeded():
    a, b, c = nn.Linear(4, 3, seed=7), nn.Linear(4, 3, seed=7), nn.Linear(4, 3, seed=8)
    assert np.array_equal(a.params["W"], b.params["W"]) and not np.array_equal(a.params["W"], c.params["W"])
    d = nn.Linear(4, 3, rng=np.random.default_rng(7))
    assert np.array_equal(a.params["W"], d.params["W"])
    assert nn.Linear(4, 3, dtype=np.float32).forward(np.ones((2, 4))).dtype == np.float32


# ---------------------------------------------------------------------------------------------------------------------
# optimisers
# ---------------------------------------------------------------------------------------------------------------------
class Quadratic:
    """f(θ) = ½ (θ − θ*)ᵀ A (θ − θ*), an ill-conditioned bowl; a 'module' with params and grads."""

    def __init__(self):
        self.A = np.diag([1.0, 10.0, 0.1])
        self.target = np.array([1.0, -2.0, 3.0])
        self.params = {"theta": np.zeros(3)}
        self.grads = {"theta": np.zeros(3)}

    def loss_and_grad(self):
        d = self.params["theta"] - self.target
        self.grads["theta"] = self.A @ d
        return 0.5 * d @ self.A @ d


@pytest.mark.parametrize("make", [lambda q: optim.SGD(q, lr=0.15),
                                  lambda q: optim.SGD(q, lr=0.05, momentum=0.9),
                                  lambda q: optim.Adam(q, lr=0.05)])
def test_optimisers_minimise_a_quadratic(make):
    q = Quadratic()
    opt = make(q)
    theta = q.params["theta"]
    first = q.loss_and_grad()
    for _ in range(2000):
        q.loss_and_grad()
        opt.step()
    assert q.params["theta"] is theta                 # updated in place
    assert q.loss_and_grad() < 1e-6 * first
    assert np.allclose(q.params["theta"], q.target, atol=1e-3)


def test_sgd_and_adam_first_steps_follow_their_equations():
    q = Quadratic()
    g0 = q.A @ (0 - q.target)
    opt = optim.SGD(q, lr=0.1, momentum=0.5)
    q.loss_and_grad(); opt.step()
    assert np.allclose(q.params["theta"], -0.1 * g0)
    theta1 = q.params["theta"].copy()
    g1 = q.A @ (theta1 - q.target)
    q.loss_and_grad(); opt.step()
    assert np.allclose(q.params["theta"], theta1 - 0.1 * (0.5 * g0 + g1))
    # Adam's bias correction makes the first update exactly lr · sign(g) (up to eps)
    q = Quadratic()
    opt = optim.Adam(q, lr=0.01)
    q.loss_and_grad(); opt.step()
    assert np.allclose(q.params["theta"], -0.01 * np.sign(g0), atol=1e-9)


def test_optimiser_bad_input():
    q = Quadratic()
    with pytest.raises(ValueError) as e:
        optim.Adam(q, lr=-1.0)
    bilingual(e, "lr", "-1.0")
    with pytest.raises(TypeError) as e:
        optim.SGD(object())
    bilingual(e, ".params", "object")
    q.grads["theta"] = np.zeros(4)
    with pytest.raises(ValueError) as e:
        optim.SGD(q).step()
    bilingual(e, "(3,)", "(4,)")
    q.grads["theta"] = np.array([np.nan, 0, 0])
    with pytest.raises(ValueError) as e:
        optim.Adam(q).step()
    bilingual(e, "NaN")


# ---------------------------------------------------------------------------------------------------------------------
# clipping
# ---------------------------------------------------------------------------------------------------------------------
def _two_modules(scale):
    rng = np.random.default_rng(5)
    a, b = nn.Linear(3, 2), nn.Linear(2, 2)
    for m in (a, b):
        for k in m.grads:
            m.grads[k] = scale * rng.standard_normal(m.params[k].shape)
    return [a, b]


def _flat(mods):
    return np.concatenate([g.ravel() for m in mods for g in m.grads.values()])


def test_clip_grad_norm_scales_down_keeping_direction():
    mods = _two_modules(10.0)
    before = _flat(mods)
    n = optim.clip_grad_norm(mods, max_norm=1.0)
    after = _flat(mods)
    assert abs(n - np.linalg.norm(before)) < 1e-12 and n > 1.0          # returns the norm before clipping
    assert np.linalg.norm(after) <= 1.0 + 1e-12
    assert abs(np.linalg.norm(after) - 1.0) < 1e-12
    assert np.allclose(after, before / np.linalg.norm(before))          # same direction, one factor for all


def test_clip_grad_norm_is_a_no_op_below_the_threshold():
    mods = _two_modules(0.01)
    before = _flat(mods)
    n = optim.clip_grad_norm(mods, max_norm=1.0)
    assert n < 1.0 and np.array_equal(_flat(mods), before)
    with pytest.raises(ValueError) as e:
        optim.clip_grad_norm(mods, max_norm=0)
    bilingual(e, "max_norm", "0")


def test_optimiser_updates_a_cell_in_place():
    cell = lstm_lib.LSTM(2, 3, seed=0)
    W = cell.params["W"]
    x = np.random.default_rng(0).standard_normal((4, 2, 2))
    y, _ = cell.forward(x)
    cell.backward(np.ones_like(y))
    before = W.copy()
    optim.SGD(cell, lr=0.1).step()
    assert cell.params["W"] is W and np.allclose(W, before - 0.1 * cell.grads["W"])


# ---------------------------------------------------------------------------------------------------------------------
# save / load
# ---------------------------------------------------------------------------------------------------------------------
def test_save_load_round_trip(tmp_path):
    from lstm_lib.train import Seq
    src = Seq(lstm_lib.LSTM(3, 4, seed=0), nn.Linear(4, 2, seed=1), embedding=nn.Embedding(6, 3, seed=2))
    dst = Seq(lstm_lib.LSTM(3, 4, seed=5), nn.Linear(4, 2, seed=6), embedding=nn.Embedding(6, 3, seed=7))
    assert not np.array_equal(src.params["cell.W"], dst.params["cell.W"])
    path = tmp_path / "model.npz"
    io.save(path, src)
    W = dst.params["cell.W"]
    io.load(path, dst)
    for k in src.params:
        assert np.array_equal(src.params[k], dst.params[k]), k
    assert dst.params["cell.W"] is W                  # copied in place
    ids = np.array([[0, 5], [3, 1]])
    assert np.array_equal(src.predict(ids), dst.predict(ids))
    # a cell alone, float32 into float32, path without the suffix
    c32 = lstm_lib.LSTM(3, 4, seed=0, dtype=np.float32)
    io.save(tmp_path / "c32", c32)
    back = io.load(tmp_path / "c32", lstm_lib.LSTM(3, 4, seed=9, dtype=np.float32))
    assert back.params["W"].dtype == np.float32 and np.array_equal(back.params["W"], c32.params["W"])


def test_load_mismatch_errors(tmp_path):
    path = tmp_path / "lstm.npz"
    io.save(path, lstm_lib.LSTM(3, 4, seed=0))
    target = lstm_lib.LSTM(3, 5, seed=1)
    before = {k: v.copy() for k, v in target.params.items()}
    with pytest.raises(ValueError) as e:                          # hidden size 4 in the file, 5 here
        io.load(path, target)
    bilingual(e, "'W'", "(8, 20)", "(7, 16)")
    assert all(np.array_equal(before[k], target.params[k]) for k in before)   # nothing half-loaded
    with pytest.raises(ValueError) as e:                          # another kind of object
        io.load(path, lstm_lib.RNN(3, 4))
    bilingual(e, "LSTM", "RNN")
    with pytest.raises(KeyError) as e:                            # keys differ (kind check off)
        io.load(path, nn.Embedding(7, 16), check_kind=False)
    bilingual(e, "missing", "unexpected")
    with pytest.raises(FileNotFoundError) as e:
        io.load(tmp_path / "nope.npz", target)
    bilingual(e, "nope.npz")


@pytest.mark.parametrize("module", [nn, optim, io])
def test_docstring_examples_are_true(module):
    import doctest
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and (module is optim or result.attempted > 0)


@pytest.mark.parametrize("make", [
    lambda m: optim.SGD(m, lr=0.1, momentum="0.9"),
    lambda m: optim.SGD(m, lr=0.1, momentum=None),
    lambda m: optim.Adam(m, eps="1e-8"),
])
def test_optimiser_hyperparameters_of_the_wrong_type_get_a_bilingual_message(make):
    # GUIDE: bad input gets a clear error in the library's own words (English / Chinese), never a raw Python error.
    # (a regression test: comparing ``0.0 <= momentum`` before checking the type let Python's own
    # "'<=' not supported between instances of 'float' and 'str'" through.)
    with pytest.raises((TypeError, ValueError)) as e:
        make(nn.Linear(2, 2))
    assert " / " in str(e.value) and ("momentum" in str(e.value) or "eps" in str(e.value)), str(e.value)
