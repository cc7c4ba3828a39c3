"""lstm_lib.Stack: finite-difference gradients of every parameter, the input and the initial states (with and without
dropout, with a negative control), step-by-step equals whole-sequence, train/eval, train.Seq, and bad input."""
import numpy as np
import pytest

import lstm_lib
from lstm_lib import nn, optim, tasks, train
from lstm_lib.gradcheck import numerical_gradient, rel_error

T, B, D = 5, 2, 3
SIZES = [4, 3]


def make(kinds=("LSTM", "GRU"), dropout=0.0, seed=0):
    """A two-layer stack of mixed types (every parameter perturbed off its init, so no term hides at zero)."""
    sizes = [D, *SIZES]
    cells = []
    for l, kind in enumerate(kinds):
        cell = getattr(lstm_lib, kind)(sizes[l], sizes[l + 1], seed=10 + l)
        rng = np.random.default_rng(20 + l)
        for p in cell.params.values():
            p += 0.3 * rng.standard_normal(p.shape)
        cells.append(cell)
    return lstm_lib.Stack(cells, dropout=dropout, seed=seed)


def random_state(stack, rng):
    out = []
    for cell in stack.layers:
        s = [0.5 * rng.standard_normal((B, cell.hidden_size)) for _ in cell.state_names]
        out.append(s[0] if len(s) == 1 else tuple(s))
    return out


def flat(state):
    """The arrays of a per-layer state list, in order."""
    return [a for s in state for a in ((s,) if isinstance(s, np.ndarray) else s)]


def gradient_errors(stack, backward=None):
    """Relative error of every analytic gradient (params, x, each initial-state array) against finite differences
    of L = Σ y ⊙ dy + Σ ⟨final state, dstate⟩; the dropout masks are replayed identically at every evaluation."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((T, B, D))
    s0 = random_state(stack, rng)
    dy = rng.standard_normal((T, B, stack.hidden_size))
    dS = random_state(stack, np.random.default_rng(1))

    def loss():
        stack.dropout_rng = np.random.default_rng(99)       # the same masks at every call
        y, s = stack.forward(x, s0)
        stack._saved = None
        return float(np.sum(y * dy) + sum(np.sum(a * b) for a, b in zip(flat(s), flat(dS))))

    stack.dropout_rng = np.random.default_rng(99)
    stack.forward(x, s0)
    dx = (backward or stack.backward)(dy, dS)
    errors = {k: rel_error(g, numerical_gradient(loss, stack.params[k], h=1e-3, points=4))
              for k, g in ((k, v.copy()) for k, v in stack.grads.items())}
    # an input entry that dropout zeroed has an exact gradient of 0 and a finite difference of rounding noise (~1e-14):
    # rel_error's default floor of 1e-8 would read that as 1e-6, so x uses a floor of 1e-6 (the controls score > 1e-3)
    errors["x"] = rel_error(dx, numerical_gradient(loss, x, h=1e-3, points=4), tiny=1e-6)
    ds0 = flat(stack.dstate0)
    for n, (a, da) in enumerate(zip(flat(s0), ds0)):
        errors[f"state0[{n}]"] = rel_error(da, numerical_gradient(loss, a, h=1e-3, points=4))
    return errors


@pytest.mark.parametrize("kinds", [("LSTM", "LSTM"), ("LSTM", "GRU"), ("RNN", "PeepholeLSTM")])
@pytest.mark.parametrize("dropout", [0.0, 0.4])
def test_gradients_match_finite_differences(kinds, dropout):
    stack = make(kinds, dropout)
    errors = gradient_errors(stack)
    assert set(errors) >= {"layer1.W", "layer1.b", "layer2.W", "layer2.b", "x", "state0[0]"}
    assert max(errors.values()) < 1e-7, errors


def test_negative_control_forgotten_mask_is_caught():
    """A backward that does not multiply by the dropout mask on the way down must fail the check."""
    stack = make(("LSTM", "LSTM"), dropout=0.4)

    def wrong_backward(dy, dstate):
        masks = stack._masks
        stack._masks = [None] * len(masks)       # pretend there was no dropout in the backward pass only
        return stack.backward(dy, dstate)

    errors = gradient_errors(stack, wrong_backward)
    assert errors["x"] > 1e-3 and errors["layer1.W"] > 1e-3
    assert errors["layer2.W"] < 1e-7             # the top layer does not see the masks below it


def test_negative_control_dropped_layer_coupling_is_caught():
    """A backward that does not pass the top layer's dx down to the layer below must fail the check."""
    stack = make(("LSTM", "LSTM"))

    def wrong_backward(dy, dstate):
        top, bottom = stack.layers[1], stack.layers[0]
        top.backward(dy, dstate[1])
        dx = bottom.backward(np.zeros((T, B, bottom.hidden_size)), dstate[0])
        stack._masks = None
        stack.dstate0 = [bottom.dstate0, top.dstate0]
        return dx

    errors = gradient_errors(stack, wrong_backward)
    assert errors["layer1.W"] > 1e-3 and errors["x"] > 1e-3


@pytest.mark.parametrize("dropout", [0.0, 0.3])
def test_step_by_step_equals_whole_sequence(dropout):
    stack = make(("LSTM", "GRU"), dropout)
    rng = np.random.default_rng(5)
    x = rng.standard_normal((T, B, D))
    s0 = random_state(stack, rng)
    dy = rng.standard_normal((T, B, stack.hidden_size))
    # forward draws the masks of all steps layer by layer; to replay them in step, draw them the same way
    stack.dropout_rng = np.random.default_rng(3)
    y, sT = stack.forward(x, s0)
    masks = stack._masks
    dx = stack.backward(dy)
    grads = {k: v.copy() for k, v in stack.grads.items()}

    s, caches, ys = s0, [], []
    for t in range(T):
        if dropout:
            # the masks of step t, in step's order (layer 1, layer 2): substitute them for fresh draws
            stack._mask = (lambda it: (lambda shape: next(it)))(iter([m[t] for m in masks]))
        s, k = stack.step(x[t], s)
        caches.append(k)
        ys.append(s[1])
    stack.__dict__.pop("_mask", None)
    assert max(np.abs(a - b).max() for a, b in zip(flat(s), flat(sT))) < 1e-12
    assert np.abs(np.stack(ys) - y).max() < 1e-12

    stack.zero_grad()
    ds = [(np.zeros((B, 4)), np.zeros((B, 4))), np.zeros((B, 3))]     # LSTM layer (h, c), GRU layer h
    dxs = []
    for t in range(T - 1, -1, -1):
        ds[1] = ds[1] + dy[t]
        dx_t, ds = stack.step_backward(ds, caches[t])
        dxs.append(dx_t)
    assert np.abs(np.stack(dxs[::-1]) - dx).max() < 1e-12
    for k in grads:
        assert np.abs(stack.grads[k] - grads[k]).max() < 1e-12, k
    assert max(np.abs(a - b).max() for a, b in zip(flat(ds), flat(stack.dstate0))) < 1e-12


def test_one_layer_stack_is_the_cell():
    cell = lstm_lib.LSTM(D, 4, seed=2)
    x = np.random.default_rng(0).standard_normal((T, B, D))
    y_cell, _ = cell.forward(x)
    stack = lstm_lib.Stack([cell])
    y, (state,) = stack.forward(x)
    assert np.array_equal(y, y_cell) and len(state) == 2


def test_dropout_train_eval_and_seeding():
    x = np.ones((T, B, D))
    a, b = make(dropout=0.5, seed=4), make(dropout=0.5, seed=4)
    ya, yb = a.forward(x)[0], b.forward(x)[0]
    assert np.array_equal(ya, yb)                               # same seed, same masks
    assert not np.array_equal(ya, a.forward(x)[0])              # a fresh mask at every forward in training
    masks = a._masks
    kept = np.concatenate([m.ravel() for m in masks])
    assert set(np.unique(kept)) <= {0.0, 2.0}                   # inverted dropout: 0 or 1/(1 − p)
    a.eval()
    y1, y2 = a.forward(x)[0], a.forward(x)[0]
    assert np.array_equal(y1, y2) and a._masks == [None, None]  # eval: no mask, deterministic
    no_dropout = make(dropout=0.0)
    assert np.abs(y1 - no_dropout.forward(x)[0]).max() < 1e-15  # eval mode is the network without dropout
    assert a.train() is a and a.training


def test_with_train_seq_and_fit():
    """A stack drops into train.Seq; fit learns; predict evaluates in eval mode and restores training mode."""
    stack = lstm_lib.Stack.of(lstm_lib.LSTM, 2, [8, 8], seed=0, dropout=0.1)
    model = train.Seq(stack, nn.Linear(8, 1, seed=1))
    assert {"cell.layer1.W", "cell.layer2.b", "head.W"} <= set(model.params)
    hist = train.fit(model, lambda rng: tasks.adding_problem(8, 32, rng=rng), steps=150,
                     optimizer=optim.Adam(model, lr=1e-2), eval_every=150)
    assert hist["loss"][-1] < 0.1                               # well below the 1/6 baseline
    x, _ = tasks.adding_problem(8, 16, seed=3)
    assert np.array_equal(model.predict(x), model.predict(x)) and stack.training


def test_of_chains_sizes_and_seeds():
    s = lstm_lib.Stack.of(lstm_lib.GRU, 3, [5, 6, 7], seed=2)
    assert [(c.input_size, c.hidden_size, c.seed) for c in s.layers] == [(3, 5, 2), (5, 6, 3), (6, 7, 4)]
    assert s.input_size == 3 and s.hidden_size == 7


# ---- bad input ------------------------------------------------------------------------------------------------------
def test_sizes_that_do_not_chain():
    with pytest.raises(ValueError, match="layer 2's input_size .* hidden_size 4.*第 2 层"):
        lstm_lib.Stack([lstm_lib.LSTM(3, 4), lstm_lib.LSTM(5, 4)])


@pytest.mark.parametrize("cells, exc, words", [
    ([], TypeError, "non-empty list"),
    (lstm_lib.LSTM(3, 4), TypeError, "non-empty list"),
    ([lstm_lib.LSTM(3, 4), "LSTM"], TypeError, "layer 2 to be an lstm_lib cell"),
    ([lstm_lib.LSTM(3, 4), lstm_lib.LSTM(4, 4, dtype=np.float32)], TypeError, "same dtype"),
])
def test_bad_cells(cells, exc, words):
    with pytest.raises(exc, match=words):
        lstm_lib.Stack(cells)


def test_same_cell_twice():
    c = lstm_lib.LSTM(4, 4)
    with pytest.raises(ValueError, match="distinct"):
        lstm_lib.Stack([c, c])


@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5, "0.5", True, float("nan")])
def test_dropout_outside_unit_interval(p):
    with pytest.raises(ValueError, match=r"dropout .* \[0, 1\).*期望 dropout"):
        make(dropout=p)


@pytest.mark.parametrize("state, words", [
    ([None], "list of 2 per-layer states"),                           # wrong length
    ((np.zeros((B, 4)), np.zeros((B, 4))), "layer 1 / 第 1 层.*tuple"),   # one LSTM state (h, c), not a list per layer
    (np.zeros((B, 4)), "list of 2 per-layer states"),
    ([(np.zeros((B, 4)), np.zeros((B, 4))), np.zeros((B, 5))], "layer 2 / 第 2 层.*shape"),
])
def test_bad_state(state, words):
    stack = make(("LSTM", "GRU"))
    x = np.zeros((T, B, D))
    with pytest.raises((TypeError, ValueError), match=words):
        stack.forward(x, state)
    with pytest.raises((TypeError, ValueError), match=words):
        stack.step(x[0], state)


def test_bad_input_and_call_order():
    stack = make()
    with pytest.raises(ValueError, match=r"\(T, B, 3\)"):
        stack.forward(np.zeros((T, B, 4)))
    with pytest.raises(RuntimeError, match="stack.forward"):
        stack.backward(np.zeros((T, B, 3)))
    stack.forward(np.zeros((T, B, D)))
    with pytest.raises(ValueError, match="layer 2 / 第 2 层.*dy"):
        stack.backward(np.zeros((T, B, 4)))
    with pytest.raises(TypeError, match="cache dict returned by stack.step"):
        stack.step_backward([None, None], {"x": 1})
