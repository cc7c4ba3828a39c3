"""lstm_lib.experiments.train_many: each member equals the model train.fit trains, and bad input is refused."""
import numpy as np
import pytest

import lstm_lib
from lstm_lib import experiments, nn, optim, tasks, train

SEEDS, LRS = [0, 1, 0], [0.01, 0.02, 0.03]


def _make(kind, s, H=6):
    return lstm_lib.RNN(8, H, seed=s) if kind == "rnn" else lstm_lib.LSTM(8, H, seed=s, forget_bias=2.0)


def _batches(rng):
    return tasks.remember_first(5, 16, 4, 4, rng=rng)


@pytest.mark.parametrize("kind", ["rnn", "lstm"])
@pytest.mark.parametrize("opt", ["adam", "sgd"])
@pytest.mark.parametrize("clip", [1.0, None])
def test_members_equal_train_fit(kind, opt, clip):
    cells = [_make(kind, s) for s in SEEDS]
    heads = [nn.Linear(6, 4, seed=s + 1000) for s in SEEDS]
    held = [tasks.remember_first(5, 64, 4, 4, seed=100 + s) for s in SEEDS]
    run = experiments.train_many(cells, heads, _batches, 30, LRS, SEEDS, optimizer=opt, momentum=0.9,
                                 clip_norm=clip, eval_sets={"held": held}, eval_every=15)
    assert run["step"] == [15, 30]
    for m, (s, lr) in enumerate(zip(SEEDS, LRS)):
        model = train.Seq(_make(kind, s), nn.Linear(6, 4, seed=s + 1000))
        o = optim.Adam(model, lr=lr) if opt == "adam" else optim.SGD(model, lr=lr, momentum=0.9)
        hist = train.fit(model, _batches, 30, o, loss="ce", clip_norm=clip, eval_data=held[m], eval_every=15, seed=s)
        for ours, theirs in [(cells[m].params["W"], model.params["cell.W"]), (cells[m].params["b"], model.params["cell.b"]),
                             (heads[m].params["W"], model.params["head.W"]), (heads[m].params["b"], model.params["head.b"])]:
            assert np.abs(ours - theirs).max() < 1e-9
        assert np.allclose(run["loss"]["held"][:, m], hist["loss"], rtol=1e-9, atol=1e-12)
        assert np.array_equal(run["accuracy"]["held"][:, m], hist["accuracy"])
        assert np.allclose(run["grad_norm"][:15, m].mean(), hist["grad_norm"][0], rtol=1e-9)
        assert np.allclose(run["train_loss"][:15, m].mean(), hist["train_loss"][0], rtol=1e-9)


def test_negative_control_wrong_lr_is_caught():
    # the comparison above can fail: a member trained with another learning rate differs from train.fit's model
    cells, heads = [_make("lstm", 0)], [nn.Linear(6, 4, seed=1000)]
    experiments.train_many(cells, heads, _batches, 10, [0.02], [0])
    model = train.Seq(_make("lstm", 0), nn.Linear(6, 4, seed=1000))
    train.fit(model, _batches, 10, optim.Adam(model, lr=0.01), loss="ce", seed=0)
    assert np.abs(cells[0].params["W"] - model.params["cell.W"]).max() > 1e-4


def test_param_count():
    assert experiments.param_count(lstm_lib.LSTM(8, 16), nn.Linear(16, 4)) == 4 * 16 * (16 + 8 + 1) + 16 * 4 + 4
    assert experiments.param_count(lstm_lib.RNN(8, 36)) == 36 * (36 + 8 + 1)


def test_bad_input():
    with pytest.raises(TypeError, match="RNN.*LSTM"):
        experiments.train_many([lstm_lib.GRU(8, 6)], [nn.Linear(6, 4)], _batches, 2, [0.01], [0])
    with pytest.raises(TypeError):
        experiments.train_many([_make("rnn", 0), _make("lstm", 0)], [nn.Linear(6, 4)] * 2, _batches, 2, [0.01] * 2, [0, 1])
    with pytest.raises(ValueError, match="same nonzero length"):
        experiments.train_many([_make("rnn", 0)], [nn.Linear(6, 4)], _batches, 2, [0.01, 0.02], [0])
    with pytest.raises(ValueError, match="hidden_size"):
        experiments.train_many([_make("rnn", 0), _make("rnn", 1, H=5)], [nn.Linear(6, 4), nn.Linear(5, 4)],
                               _batches, 2, [0.01] * 2, [0, 1])
    with pytest.raises(ValueError, match="optimizer"):
        experiments.train_many([_make("rnn", 0)], [nn.Linear(6, 4)], _batches, 2, [0.01], [0], optimizer="rmsprop")


def test_docstring_example():
    import doctest
    assert doctest.testmod(experiments).failed == 0
