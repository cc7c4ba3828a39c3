r"""Subject–verb agreement in a tiny generated language: colah's "subject" example, as a task a network can learn.

colah (2015) explains the LSTM's gates with a language model that must remember the gender of the present subject to
pick the right pronoun, drop it when a new subject appears, and write the new one. Linzen, Dupoux & Goldberg (2016)
turned the same idea into a test for LSTMs: predict the number of a verb whose subject lies several words back, with
nouns of the other number ("attractors") in between. ``agreement`` generates such sentences from a fixed vocabulary,
seeded, nothing downloaded.

The language. A sentence is::

    SUBJECT  MODIFIER*  VERB  .          e.g.   dogs near the key quietly bark .

- SUBJECT: a noun, singular or plural (``dog``/``dogs``, ``cat``/``cats``, ``key``/``keys``, ``boy``/``boys``); it
  opens the sentence, and its number is the property to remember;
- MODIFIER: 0 to ``max_modifiers`` of them, each either a neutral word (``here``, ``today``, ``again``, ``quietly``)
  or a prepositional phrase (``near``/``with``/``behind`` + ``the`` + a noun of random number, the attractor: a noun
  that does *not* decide the verb);
- VERB: the verb of the subject's noun (dog → ``barks``/``bark``, cat → ``sleeps``/``sleep``, key → ``fits``/``fit``,
  boy → ``runs``/``run``), agreeing with the subject in number; ``.`` ends the sentence.

A sequence is ``n_sentences`` sentences; the last one stops before its verb, and the target (``target="number"``) is
the number that verb must have: 0 = singular, 1 = plural. Each sentence's subject has a random number, so the subject of the last
sentence is what counts: a network must overwrite what it kept of every earlier subject (a new subject resets the
property) and keep it through the modifiers. Sequences of a batch are padded on the left with ``_`` (id 0) so that
every one ends at the last step (``train.Seq(..., readout="last")`` reads it).

Baselines: chance is 1/2; the number of the last noun of any kind is right only when no attractor of the other number
follows the subject; that of the first noun of the sequence is right about half the time when ``n_sentences ≥ 2``.

Worked example (B = 2; ``decode`` turns ids back into words; the second sequence is shorter, padded on the left)::

    >>> x, y = agreement(2, n_sentences=2, max_modifiers=2, seed=9)
    >>> x.shape, x.dtype, y.tolist()
    ((12, 2), dtype('int64'), [1, 1])
    >>> for words in decode(x):
    ...     print(" ".join(words))
    boy near the keys behind the boys runs . keys quietly today
    dogs near the cats behind the cats bark . boys
    >>> x[:, 1].tolist()                       # 0 = padding "_"
    [0, 0, 4, 19, 2, 6, 21, 2, 6, 12, 1, 10]

In the first sequence the verb after "today" must be plural: its subject is "keys", three words back; "boy" and the
attractors "keys", "boys" of the first sentence do not count. ``return_info=True`` gives the number of the latest
subject after every word — what a network has to carry::

    >>> x, y, info = agreement(1, n_sentences=2, max_modifiers=2, seed=9, return_info=True)
    >>> info["subject_number"][:, 0].tolist()
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1]
    >>> agreement(1, n_sentences=2, max_modifiers=2, seed=9, target="verb")[1].tolist()   # 2·lemma + number
    [5]

``target="verb"`` asks for the verb itself (8 classes, ``AGREEMENT_VERB_CLASSES``: the verb of the subject's noun,
in its number; class = 2·lemma + number): the network must then keep which noun as well as its number.
"""
import numpy as np

from ..nn import _err, _positive_int, _rng

__all__ = ["agreement", "decode", "AGREEMENT_VOCAB", "AGREEMENT_CLASSES", "AGREEMENT_VERB_CLASSES"]

_NOUNS = (("dog", "dogs"), ("cat", "cats"), ("key", "keys"), ("boy", "boys"))
_VERBS = (("barks", "bark"), ("sleeps", "sleep"), ("fits", "fit"), ("runs", "run"))   # one verb per noun lemma
_PREPS = ("near", "with", "behind")
_NEUTRAL = ("here", "today", "again", "quietly")

#: the words, by id: padding, full stop, article, nouns (singular, plural), verbs (singular, plural), prepositions, ...
AGREEMENT_VOCAB = ("_", ".", "the", *(n for pair in _NOUNS for n in pair), *(v for pair in _VERBS for v in pair),
                   *_PREPS, *_NEUTRAL)
#: target classes of ``target="number"``
AGREEMENT_CLASSES = ("singular", "plural")
#: target classes of ``target="verb"`` (class = 2·lemma + number)
AGREEMENT_VERB_CLASSES = tuple(v for pair in _VERBS for v in pair)
_ID = {w: k for k, w in enumerate(AGREEMENT_VOCAB)}


def agreement(batch_size, n_sentences=3, max_modifiers=3, target="number", rng=None, seed=None, return_info=False):
    """Sequences of ``n_sentences`` sentences; the target is the number of the verb the last one needs.

    Args:
        batch_size: number of sequences B.
        n_sentences: sentences per sequence (≥ 1); the last stops before its verb.
        max_modifiers: each sentence has 0 … ``max_modifiers`` modifiers (uniform), each a neutral word or, with
            probability 1/2, a prepositional phrase with an attractor noun of random number.
        target: ``"number"`` (2 classes) or ``"verb"`` (8 classes, see the module docstring).
        rng / seed: source of randomness (``rng`` for a stream of batches, ``seed`` for one batch; neither: seed 0).
        return_info: also return a dict of per-word annotations (below).

    Returns:
        x: (T, B) int64 word ids (``AGREEMENT_VOCAB``), padded on the left with 0; T is the longest sequence.
        y: (B,) int64 — ``target="number"``: 0 = singular, 1 = plural, the number of the last sentence's subject;
        ``target="verb"``: the index of the verb it needs in ``AGREEMENT_VERB_CLASSES`` (its number is y % 2).
        info (if ``return_info``): ``"subject_number"`` (T, B) int64, the number of the latest subject read so far
        (−1 on padding): the property a network must carry; ``"is_subject"``, ``"is_attractor"`` (T, B) bool.
    """
    where = "agreement"
    B = _positive_int("batch_size", batch_size, where)
    S = _positive_int("n_sentences", n_sentences, where)
    if isinstance(max_modifiers, (bool, np.bool_)) or not isinstance(max_modifiers, (int, np.integer)) \
            or max_modifiers < 0:
        raise _err(f"{where}: max_modifiers must be a non-negative integer, got {max_modifiers!r}",
                   f"{where}：max_modifiers 应为非负整数，实际为 {max_modifiers!r}", TypeError)
    if target not in ("number", "verb"):
        raise _err(f"{where}: target must be 'number' or 'verb', got {target!r}",
                   f"{where}：target 应为 'number' 或 'verb'，实际为 {target!r}")
    if not isinstance(return_info, (bool, np.bool_)):
        raise _err(f"{where}: return_info must be True or False, got {return_info!r}",
                   f"{where}：return_info 应为 True 或 False，实际为 {return_info!r}", TypeError)
    g = _rng(rng, seed, where)
    seqs, ys = [], []
    for _ in range(B):
        words, number, role = [], [], []            # per word: the latest subject's number; 's', 'a' or ''
        for s in range(S):
            n = int(g.integers(2))                  # this sentence's subject number
            lemma = int(g.integers(len(_NOUNS)))
            words.append(_NOUNS[lemma][n]), number.append(n), role.append("s")
            for _ in range(int(g.integers(max_modifiers + 1))):
                if g.random() < 0.5:
                    words.append(_NEUTRAL[int(g.integers(len(_NEUTRAL)))]), number.append(n), role.append("")
                else:
                    prep = _PREPS[int(g.integers(len(_PREPS)))]
                    attractor = _NOUNS[int(g.integers(len(_NOUNS)))][int(g.integers(2))]
                    words += [prep, "the", attractor]
                    number += [n, n, n]
                    role += ["", "", "a"]
            if s < S - 1:
                words += [_VERBS[lemma][n], "."]
                number += [n, n]
                role += ["", ""]
            else:
                ys.append(n if target == "number" else 2 * lemma + n)
        seqs.append((words, number, role))
    T = max(len(w) for w, _, _ in seqs)
    x = np.zeros((T, B), np.int64)
    subject_number = np.full((T, B), -1, np.int64)
    is_subject = np.zeros((T, B), bool)
    is_attractor = np.zeros((T, B), bool)
    for b, (words, number, role) in enumerate(seqs):
        pad = T - len(words)
        x[pad:, b] = [_ID[w] for w in words]
        subject_number[pad:, b] = number
        is_subject[pad:, b] = [r == "s" for r in role]
        is_attractor[pad:, b] = [r == "a" for r in role]
    y = np.array(ys, np.int64)
    if return_info:
        return x, y, {"subject_number": subject_number, "is_subject": is_subject, "is_attractor": is_attractor}
    return x, y


def decode(x):
    """Word ids (T, B) (or one sequence (T,)) → a list of B lists of words, padding dropped."""
    arr = np.asarray(x)
    if arr.dtype.kind not in "iu":
        raise _err(f"decode: x must hold integer word ids, got dtype {arr.dtype}",
                   f"decode：x 应为整数词编号，实际 dtype 为 {arr.dtype}", TypeError)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise _err(f"decode: x must have shape (T, B) or (T,), got {arr.shape}",
                   f"decode：x 的形状应为 (T, B) 或 (T,)，实际为 {arr.shape}")
    V = len(AGREEMENT_VOCAB)
    if arr.size and (arr.min() < 0 or arr.max() >= V):
        raise _err(f"decode: word ids must lie in [0, {V}), got values in [{arr.min()}, {arr.max()}]",
                   f"decode：词编号应在 [0, {V}) 内，实际取值范围为 [{arr.min()}, {arr.max()}]")
    return [[AGREEMENT_VOCAB[k] for k in arr[:, b] if k != 0] for b in range(arr.shape[1])]
