"""The synthetic tasks (lstm_lib.tasks): shapes, dtypes, targets recomputed from the inputs by an independent slow
loop, the documented chance levels, reproducibility, bad input, and the worked examples in the docstrings."""
import doctest

import numpy as np
import pytest
from messages import bilingual

from lstm_lib import tasks


def test_docstring_examples_are_true():
    """Every worked example printed in a task's docstring is what the code produces."""
    import importlib
    import pkgutil
    attempted = failed = 0
    for info in pkgutil.iter_modules(tasks.__path__):   # every module of the package, so new tasks are covered
        r = doctest.testmod(importlib.import_module(f"lstm_lib.tasks.{info.name}"),
                            optionflags=doctest.NORMALIZE_WHITESPACE)
        attempted, failed = attempted + r.attempted, failed + r.failed
    result = doctest.TestResults(failed, attempted)
    assert result.attempted >= 8 and result.failed == 0


# ---------------------------------------------------------------------------------------------------------------------
# adding problem
# ---------------------------------------------------------------------------------------------------------------------
def test_adding_modern_targets_from_inputs():
    T, B = 20, 300
    x, y = tasks.adding_problem(T, B, seed=0)
    assert x.shape == (T, B, 2) and x.dtype == np.float64 and y.shape == (B, 1) and y.dtype == np.float64
    for b in range(B):
        values, marks = x[:, b, 0], x[:, b, 1]
        assert np.all((0 <= values) & (values < 1))
        where = [t for t in range(T) if marks[t] == 1.0]
        assert len(where) == 2 and np.sum(marks) == 2.0 and set(np.unique(marks)) <= {0.0, 1.0}
        assert where[0] < T // 2 <= where[1]                      # one marker in each half
        assert y[b, 0] == values[where[0]] + values[where[1]]


def test_adding_modern_baseline_is_one_sixth():
    _, y = tasks.adding_problem(10, 200_000, seed=1)
    assert abs(np.mean((1.0 - y) ** 2) - 1 / 6) < 0.003           # predicting 1 for every sequence
    assert abs(np.mean(y) - 1.0) < 0.005


def test_adding_hs1997_follows_the_paper():
    T, B = 40, 800
    x, y = tasks.adding_problem(T, B, seed=2, variant="hs1997")
    assert x.shape == (T, B, 2) and y.shape == (B, 1)
    first_marked = 0
    for b in range(B):
        values, marks = x[:, b, 0], x[:, b, 1]
        assert np.all((-1 <= values) & (values <= 1))
        plus = [t for t in range(T) if marks[t] == 1.0]
        assert len(plus) == 2
        t1, t2 = plus                                             # sorted; t1 need not be X1's position
        assert marks[-1] == -1.0
        assert marks[0] == (1.0 if 0 in plus else -1.0)
        assert np.all(marks[[t for t in range(1, T - 1) if t not in plus]] == 0.0)
        # one mark among the first ten steps, the other among the first T/2 − 1 steps left unmarked
        assert min(plus) < 10
        for a, c in ((t1, t2), (t2, t1)):
            unmarked = [t for t in range(T) if t != a]
            if a < 10 and c in unmarked[:T // 2 - 1]:
                break
        else:
            raise AssertionError(f"marks {plus} do not fit the paper's rule")
        if 0 in plus:
            first_marked += 1
            assert values[0] == 0.0                               # the first pair's value is zeroed when marked
        assert abs(y[b, 0] - (0.5 + (values[t1] + values[t2]) / 4.0)) < 1e-15
    assert 0 < first_marked < B * 0.2                             # happens, about 1 time in 10
    assert np.all((0 <= y) & (y <= 1))
    _, y = tasks.adding_problem(100, 100_000, seed=3, variant="hs1997")
    q = 1 / 10 + (9 / 10) / (100 / 2 - 1)                        # chance the first pair is marked (value zeroed)
    assert abs(np.mean((y - 0.5) ** 2) - (2 / 3 - q / 3) / 16) < 0.0005   # documented baseline ≈ 0.0392


def test_adding_reproducible_and_dtype():
    a = tasks.adding_problem(12, 5, seed=7)
    b = tasks.adding_problem(12, 5, seed=7)
    c = tasks.adding_problem(12, 5, seed=8)
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
    assert not np.array_equal(a[0], c[0])
    rng = np.random.default_rng(7)
    d = tasks.adding_problem(12, 5, rng=rng)
    e = tasks.adding_problem(12, 5, rng=rng)                     # a stream: the next batch differs
    assert np.array_equal(d[0], a[0]) and not np.array_equal(d[0], e[0])
    assert np.array_equal(tasks.adding_problem(12, 5)[0], tasks.adding_problem(12, 5, seed=0)[0])
    x, y = tasks.adding_problem(12, 5, dtype=np.float32, variant="hs1997")
    assert x.dtype == np.float32 and y.dtype == np.float32


def test_adding_bad_input():
    with pytest.raises(ValueError) as e:
        tasks.adding_problem(10, 4, variant="le2015")
    bilingual(e, "'modern'", "'hs1997'", "le2015")
    with pytest.raises(ValueError) as e:
        tasks.adding_problem(3, 4, variant="hs1997")
    bilingual(e, "T >= 4", "T=3")
    with pytest.raises(TypeError) as e:
        tasks.adding_problem(10.0, 4)
    bilingual(e, "positive integer", "10.0")
    with pytest.raises(ValueError) as e:
        tasks.adding_problem(10, 0)
    bilingual(e, "batch_size", "0")
    with pytest.raises(TypeError) as e:
        tasks.adding_problem(10, 4, rng=np.random.default_rng(0), seed=1)
    bilingual(e, "rng", "seed")
    with pytest.raises(TypeError) as e:
        tasks.adding_problem(10, 4, rng=0)
    bilingual(e, "Generator", "int")


# ---------------------------------------------------------------------------------------------------------------------
# temporal order
# ---------------------------------------------------------------------------------------------------------------------
def test_temporal_order_targets_from_inputs():
    T, B = 100, 400
    x, y = tasks.temporal_order(T, B, seed=0)
    assert x.shape == (T, B, 8) and x.dtype == np.float64 and y.shape == (B,) and y.dtype == np.int64
    assert np.all(x.sum(-1) == 1.0) and set(np.unique(x)) == {0.0, 1.0}       # one-hot rows
    S = tasks.TEMPORAL_ORDER_SYMBOLS
    for b in range(B):
        seq = [S[k] for k in x[:, b].argmax(-1)]
        assert seq[0] == "E" and seq[-1] == "B"
        rel = [(t, s) for t, s in enumerate(seq) if s in "XY"]
        assert len(rel) == 2
        (t1, s1), (t2, s2) = rel
        assert 10 <= t1 <= 20 and 50 <= t2 <= 60                  # the paper's windows at T = 100
        assert all(s in "abcd" for s in seq[1:-1] if s not in "XY")
        assert tasks.TEMPORAL_ORDER_CLASSES[y[b]] == s1 + s2
    counts = np.bincount(y, minlength=4)
    assert counts.min() > B / 4 * 0.7                              # classes balanced: chance = 1/4


def test_temporal_order_windows_and_bad_input():
    x, y = tasks.temporal_order(12, 50, seed=1, t1_range=(2, 3), t2_range=(8, 9))
    pos = np.argwhere(x[:, :, 6:].sum(-1) == 1)                    # (t, b) of X/Y
    assert set(pos[:, 0]) <= {2, 3, 8, 9}
    assert np.array_equal(tasks.temporal_order(30, 4, seed=5)[0], tasks.temporal_order(30, 4, seed=5)[0])
    with pytest.raises(ValueError) as e:
        tasks.temporal_order(12, 4, t1_range=(2, 9), t2_range=(8, 10))
    bilingual(e, "t1_range=(2, 9)", "T=12")
    with pytest.raises(TypeError) as e:
        tasks.temporal_order(12, 4, t1_range="early")
    bilingual(e, "pairs of integers")


# ---------------------------------------------------------------------------------------------------------------------
# remember the first symbol
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("k,n,m", [(0, 2, 1), (5, 4, 1), (12, 3, 4)])
def test_remember_first_targets_from_inputs(k, n, m):
    B = 200
    x, y = tasks.remember_first(k, B, n_symbols=n, n_distractors=m, seed=k)
    assert x.shape == (k + 1, B, n + m) and x.dtype == np.float64 and y.shape == (B,) and y.dtype == np.int64
    assert np.all(x.sum(-1) == 1.0) and set(np.unique(x)) == {0.0, 1.0}
    for b in range(B):
        assert x[0, b, :n].sum() == 1.0 and x[0, b, y[b]] == 1.0   # step 0 shows the target symbol
        for t in range(1, k + 1):
            assert x[t, b, :n].sum() == 0.0                        # the gap holds distractors only
    assert set(np.unique(y)) == set(range(n))
    if m > 1 and k > 0:
        assert len(np.unique(x[1:].argmax(-1))) == m               # every distractor appears


def test_remember_first_reproducible_and_bad_input():
    a = tasks.remember_first(6, 8, seed=3)
    assert all(np.array_equal(u, v) for u, v in zip(a, tasks.remember_first(6, 8, seed=3)))
    assert not np.array_equal(a[1], tasks.remember_first(6, 8, seed=4)[1]) or \
        not np.array_equal(a[0], tasks.remember_first(6, 8, seed=4)[0])
    assert tasks.remember_first(6, 8, dtype=np.float32)[0].dtype == np.float32
    with pytest.raises(ValueError) as e:
        tasks.remember_first(-1, 8)
    bilingual(e, "non-negative", "-1")
    with pytest.raises(TypeError) as e:
        tasks.remember_first(2.5, 8)
    bilingual(e, "non-negative integer", "2.5")
    with pytest.raises(ValueError) as e:
        tasks.remember_first(3, 8, n_symbols=1)
    bilingual(e, "at least 2", "1")
    with pytest.raises(TypeError) as e:
        tasks.remember_first(3, 8, dtype=np.int32)
    bilingual(e, "float32", "int32")


@pytest.mark.parametrize("T", [4, 6, 8, 10])
def test_hs1997_adding_problem_keeps_minus_one_on_the_last_step_for_every_allowed_T(T):
    # adding_problem's docstring: "marker 1.0 at two steps, −1.0 at the first and the last step" and "hs1997: T ≥ 4".
    # The first mark is drawn from the first ten steps; for T ≤ 10 that range must stop before the last step
    # (a regression test: it used to overwrite the end marker in about 1 sequence in T).
    x, _ = tasks.adding_problem(T, 2000, seed=0, variant="hs1997")
    last_markers = x[-1, :, 1]
    assert np.all(last_markers == -1.0), f"T={T}: {np.sum(last_markers != -1.0)} of 2000 sequences have the last " \
                                         f"step marked 1.0 instead of the end marker −1.0"


def test_hs1997_adding_problem_control_long_sequences_are_right():
    # negative control for the test above: at T ≥ 11 the last step always carries −1 and exactly two steps carry 1
    x, _ = tasks.adding_problem(50, 2000, seed=0, variant="hs1997")
    assert np.all(x[-1, :, 1] == -1.0)
    assert np.all((x[..., 1] == 1.0).sum(axis=0) == 2)
