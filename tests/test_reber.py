"""lstm_lib.tasks.reber: strings accepted by an independent recogniser (a regular expression written from the
grammar's graph, not from the generator), legal-next sets equal to what a large sample shows can follow each prefix,
the continual stream's chunks joining into one unbroken stream, reproducibility, and bad input."""
import doctest
import re
from collections import defaultdict

import numpy as np
import pytest
from messages import bilingual

from lstm_lib import tasks
from lstm_lib.tasks import reber

# The Reber graph as a regular expression: from node 4 either S (end) or X T* V and then V (end) or P back to node 4.
_L4 = r"(?:XT*VP)*(?:S|XT*VV)"
_REBER = rf"B(?:TS*X{_L4}|PT*V(?:V|P{_L4}))E"
EMBEDDED = re.compile(rf"B(?:T{_REBER}TE|P{_REBER}PE)")
STREAM = re.compile(rf"(?:B(?:T{_REBER}TE|P{_REBER}PE))+")


def test_recogniser_knows_the_classic_examples():
    """Negative control for the recogniser itself: it accepts known strings and rejects near misses."""
    for s in ("BTBTSSXXTVVETE", "BPBPVVEPE", "BTBPTVPSETE"):   # textbook strings (BTSSXXTVVE, BPVVE) wrapped
        assert EMBEDDED.fullmatch(s), s
    for s in ("BTTSSXXTVVTE", "BPBPVVETE", "BTBTSSXETE", "BTBTXETE", "BPBPVVEPEB", "BPBPVEPE"):
        assert not EMBEDDED.fullmatch(s), s


def test_strings_are_grammatical_and_cover_the_grammar():
    strings = tasks.embedded_reber(3000, seed=1)
    assert all(EMBEDDED.fullmatch(s) for s in strings)
    assert {s[1] for s in strings} == {"T", "P"}
    assert min(map(len, strings)) == 9                 # B T BPVVE T E is the shortest
    assert abs(np.mean([len(s) for s in strings]) - 12) < 0.3   # the walk: 6 symbols on average (exact)
    assert len(set(strings)) > 300


def test_legal_next_matches_what_a_sample_shows():
    """For every prefix seen often, the legal set equals the set of symbols observed after it."""
    strings = tasks.embedded_reber(20000, seed=2)
    seen, count = defaultdict(set), defaultdict(int)
    for s in strings:
        for t in range(len(s) - 1):
            seen[s[:t + 1]].add(s[t + 1])
            count[s[:t + 1]] += 1
    checked = 0
    for s in strings[:2000]:
        nxt = tasks.legal_next(s)
        assert len(nxt) == len(s) and nxt[-1] == ""
        assert tasks.legal_next(s, continual=True)[-1] == "B"
        for t in range(len(s) - 1):
            assert s[t + 1] in nxt[t]
            assert 1 <= len(nxt[t]) <= 2
            if count[s[:t + 1]] >= 40:                 # (1/2)^40: a legal symbol is never missed by chance
                assert set(nxt[t]) == seen[s[:t + 1]], (s[:t + 1], nxt[t], seen[s[:t + 1]])
                checked += 1
    assert checked > 5000
    # the critical step: only the outer symbol may close the string
    for s in strings[:200]:
        assert tasks.legal_next(s)[len(s) - 3] == s[1]


def test_continual_chunks_join_into_one_grammatical_stream():
    stream = tasks.ReberStream(3, seed=4)
    chunks = [stream.chunk(T) for T in (5, 17, 1, 40, 33)]
    x = np.concatenate([c[0] for c in chunks])         # (96, 3, 7)
    y = np.concatenate([c[1] for c in chunks])
    legal = np.concatenate([c[2] for c in chunks])
    critical = np.concatenate([c[3] for c in chunks])
    T = x.shape[0]
    assert x.shape == (T, 3, 7) and x.dtype == np.float64 and y.dtype == np.int64 and legal.dtype == bool
    assert np.all(x.sum(-1) == 1)
    sym = x.argmax(-1)
    assert np.array_equal(sym[1:], y[:-1])             # y is the next symbol, also across chunk boundaries
    for b in range(3):
        text = "".join(reber.REBER_SYMBOLS[k] for k in sym[:, b])
        last_e = text.rindex("E")
        assert STREAM.fullmatch(text[:last_e + 1]), text
        n_closed = len(EMBEDDED.findall(text[:last_e + 1]))
        assert stream.strings[b] == n_closed and n_closed >= 4
        assert np.all(legal[np.arange(T), b, y[:, b]])  # the symbol that comes is always legal
        assert np.all(legal[sym[:, b] == reber.REBER_SYMBOLS.index("E"), b].sum(-1) == 1)
        assert critical[:last_e, b].sum() == n_closed
        assert all(text[t] == "E" and text[t + 1] in "TP" for t in np.flatnonzero(critical[:last_e, b]))
    # a fresh stream of the same seed gives the same symbols in one chunk as in five
    x1, y1, l1, c1 = tasks.continual_embedded_reber(T, 3, seed=4)
    assert np.array_equal(x1, x) and np.array_equal(y1, y) and np.array_equal(l1, legal) and np.array_equal(c1, critical)


def test_reproducible_and_seeded():
    a = tasks.continual_embedded_reber(50, 4, seed=7)
    b = tasks.continual_embedded_reber(50, 4, seed=7)
    c = tasks.continual_embedded_reber(50, 4, seed=8)
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
    assert not np.array_equal(a[0], c[0])
    assert tasks.embedded_reber(5, seed=3) == tasks.embedded_reber(5, rng=np.random.default_rng(3))
    assert tasks.embedded_reber(5) == tasks.embedded_reber(5, seed=0)
    x32 = tasks.continual_embedded_reber(10, 2, seed=0, dtype=np.float32)[0]
    assert x32.dtype == np.float32


def test_next_symbol_correct_scores_the_grammar():
    x, y, legal, _ = tasks.continual_embedded_reber(200, 2, seed=5)
    perfect = legal / legal.sum(-1, keepdims=True)     # 1/2 on each of two legal symbols, or 1 on one
    assert tasks.next_symbol_correct(perfect, legal).all()
    onehot = np.eye(7)[y]                              # sure of the one symbol that came: wrong at every 2-way choice
    ok = tasks.next_symbol_correct(onehot, legal)
    assert np.array_equal(ok, legal.sum(-1) == 1)
    uniform = np.full(legal.shape, 1 / 7)
    assert not tasks.next_symbol_correct(uniform, legal).any()


def test_docstring_example_runs():
    r = doctest.testmod(reber, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert r.attempted >= 6 and r.failed == 0


@pytest.mark.parametrize("call, exc, words", [
    (lambda: tasks.embedded_reber(0), ValueError, ["n"]),
    (lambda: tasks.embedded_reber(2.0), TypeError, ["n"]),
    (lambda: tasks.embedded_reber(2, seed=-1), TypeError, ["seed"]),
    (lambda: tasks.embedded_reber(2, rng=1), TypeError, ["rng"]),
    (lambda: tasks.embedded_reber(2, rng=np.random.default_rng(0), seed=1), TypeError, ["rng"]),
    (lambda: tasks.legal_next(["B", "T"]), TypeError, ["str"]),
    (lambda: tasks.legal_next("BTBTSXSEPE"), ValueError, ["position 8", "'P'"]),
    (lambda: tasks.legal_next("BTBTSX"), ValueError, ["position 6", "end of the string"]),
    (lambda: tasks.legal_next("BPBPVVEPEBTBTSXSETE"), ValueError, ["position 9", "one string"]),
    (lambda: tasks.legal_next("XPBPVVEPE"), ValueError, ["position 0"]),
    (lambda: tasks.ReberStream(0), ValueError, ["batch_size"]),
    (lambda: tasks.ReberStream(2, dtype=np.int32), TypeError, ["dtype"]),
    (lambda: tasks.ReberStream(2).chunk(0), ValueError, ["T"]),
    (lambda: tasks.continual_embedded_reber(True, 2), TypeError, ["T"]),
    (lambda: tasks.next_symbol_correct(np.ones((3, 6)), np.ones((3, 6), bool)), ValueError, ["(..., 7)"]),
    (lambda: tasks.next_symbol_correct(np.ones((3, 7)), np.ones((3, 7))), TypeError, ["bool"]),
    (lambda: tasks.next_symbol_correct(np.full((3, 7), np.nan), np.ones((3, 7), bool)), ValueError, ["NaN"]),
    (lambda: tasks.next_symbol_correct(np.ones((3, 7)), np.ones((3, 7), bool), threshold=1.5), ValueError,
     ["threshold"]),
])
def test_bad_input(call, exc, words):
    with pytest.raises(exc) as e:
        call()
    bilingual(e, *words)
