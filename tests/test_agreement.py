"""lstm_lib.tasks.agreement: the targets re-derived from the words by an independent parser (the latest subject decides,
not the first subject nor the last noun), the grammar of every sentence, reproducibility, and bad input."""
import re

import numpy as np
import pytest

import lstm_lib
from lstm_lib import nn, optim, tasks, train

CJK = re.compile(r"[\u4e00-\u9fff]")
NOUNS = {"dog", "cat", "key", "boy"}                  # singular; the plural adds an "s"
VERB_OF = {"dog": "bark", "cat": "sleep", "key": "fit", "boy": "run"}
PREPS = {"near", "with", "behind"}
NEUTRAL = {"here", "today", "again", "quietly"}


def noun(word):
    """(lemma, number) of a noun, or None."""
    if word in NOUNS:
        return word, 0
    if word.endswith("s") and word[:-1] in NOUNS:
        return word[:-1], 1
    return None


def parse(words):
    """Walk one sequence of words by the grammar; return (number, lemma) of the last sentence's subject and the
    latest subject's number after every word. Fails on any word out of place."""
    sentences = " ".join(words).split(" . ")
    numbers, subject = [], None
    for k, sentence in enumerate(sentences):
        w = sentence.split()
        last = k == len(sentences) - 1
        subject = noun(w[0])
        assert subject is not None, ("a sentence must open with a noun", w)
        lemma, n = subject
        body = w[1:] if last else w[1:-1]
        if not last:
            verb = w[-1]
            assert verb == (VERB_OF[lemma] + "s" if n == 0 else VERB_OF[lemma]), ("verb must agree", w)
        j = 0
        while j < len(body):                             # modifiers: neutral words or "prep the NOUN"
            if body[j] in NEUTRAL:
                j += 1
            else:
                assert body[j] in PREPS and body[j + 1] == "the" and noun(body[j + 2]) is not None, body
                j += 3
        numbers += [n] * (len(w) + (0 if last else 1))   # + the full stop
    return subject[1], subject[0], numbers


@pytest.mark.parametrize("kwargs", [dict(), dict(n_sentences=1, max_modifiers=0), dict(n_sentences=4, max_modifiers=5)])
def test_targets_follow_the_latest_subject(kwargs):
    x, y, info = tasks.agreement(300, seed=1, return_info=True, **kwargs)
    _, yv = tasks.agreement(300, seed=1, target="verb", **kwargs)
    assert x.dtype == np.int64 and y.dtype == np.int64 and x.shape[1] == 300 and y.shape == (300,)
    for b, words in enumerate(tasks.decode(x)):
        n, lemma, numbers = parse(words)
        assert y[b] == n
        assert tasks.AGREEMENT_VERB_CLASSES[yv[b]] == (VERB_OF[lemma] + "s" if n == 0 else VERB_OF[lemma])
        pad = x.shape[0] - len(words)
        assert np.all(x[:pad, b] == 0) and np.all(x[pad:, b] != 0)           # left padding only
        assert info["subject_number"][pad:, b].tolist() == numbers
        assert np.all(info["subject_number"][:pad, b] == -1)
        subj = [noun(w) is not None and (i == 0 or words[i - 1] == ".") for i, w in enumerate(words)]
        attr = [noun(w) is not None and i > 0 and words[i - 1] == "the" for i, w in enumerate(words)]
        assert info["is_subject"][pad:, b].tolist() == subj
        assert info["is_attractor"][pad:, b].tolist() == attr


def test_no_shortcut():
    """Neither the first subject nor the last noun predicts the target; both classes are balanced."""
    x, y = tasks.agreement(2000, seed=2)
    first, last_noun = [], []
    for words in tasks.decode(x):
        first.append(noun(words[0])[1])
        last_noun.append([noun(w)[1] for w in words if noun(w) is not None][-1])
    assert 0.45 < np.mean(y) < 0.55
    assert 0.45 < np.mean(np.array(first) == y) < 0.55                      # the old subject tells nothing
    assert np.mean(np.array(last_noun) == y) < 0.9                          # attractors do mislead


def test_reproducible_and_streams():
    a, b = tasks.agreement(20, seed=5), tasks.agreement(20, seed=5)
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
    g = np.random.default_rng(5)
    c, d = tasks.agreement(20, rng=g), tasks.agreement(20, rng=g)
    assert all(np.array_equal(u, v) for u, v in zip(a, c))                  # rng seeded 5 = seed 5, first batch
    assert c[0].shape != d[0].shape or not np.array_equal(c[0], d[0])      # a stream gives fresh batches
    assert np.array_equal(tasks.agreement(3)[0], tasks.agreement(3, seed=0)[0])   # neither: seed 0


def test_learnable_by_a_small_lstm():
    """The task is learnable and needs memory: a small LSTM beats chance by far in a few hundred steps."""
    V = len(tasks.AGREEMENT_VOCAB)
    model = train.Seq(lstm_lib.LSTM(8, 8, seed=0), nn.Linear(8, 2, seed=1), embedding=nn.Embedding(V, 8, seed=2))
    hist = train.fit(model, lambda rng: tasks.agreement(32, rng=rng), 200, optim.Adam(model, lr=0.02), loss="ce",
                     eval_data=tasks.agreement(300, seed=9), eval_every=200)
    assert hist["accuracy"][-1] > 0.95


@pytest.mark.parametrize("kwargs, exc, words", [
    (dict(batch_size=0), ValueError, "batch_size"),
    (dict(batch_size=2.5), TypeError, "batch_size"),
    (dict(batch_size=2, n_sentences=0), ValueError, "n_sentences"),
    (dict(batch_size=2, max_modifiers=-1), TypeError, "max_modifiers"),
    (dict(batch_size=2, max_modifiers=True), TypeError, "max_modifiers"),
    (dict(batch_size=2, target="gender"), ValueError, "target"),
    (dict(batch_size=2, return_info="yes"), TypeError, "return_info"),
    (dict(batch_size=2, seed=1, rng=np.random.default_rng(1)), TypeError, "either rng or seed"),
    (dict(batch_size=2, seed=-1), TypeError, "seed"),
])
def test_bad_input(kwargs, exc, words):
    with pytest.raises(exc) as e:
        tasks.agreement(**kwargs)
    msg = str(e.value)
    assert words in msg and " / " in msg and CJK.search(msg), msg


@pytest.mark.parametrize("x, exc", [(np.zeros((2, 2, 2), np.int64), ValueError), (np.zeros(3), TypeError),
                                    (np.array([[1], [99]]), ValueError), (np.array([-1]), ValueError)])
def test_decode_bad_input(x, exc):
    with pytest.raises(exc, match="decode"):
        tasks.decode(x)


def test_decode_one_sequence():
    x, _ = tasks.agreement(1, seed=3)
    assert tasks.decode(x[:, 0]) == tasks.decode(x)
