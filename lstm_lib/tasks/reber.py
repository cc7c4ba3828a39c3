"""The embedded Reber grammar and its continual form (Hochreiter & Schmidhuber 1997, Experiment 1; Gers, Schmidhuber
& Cummins 2000), generated from the grammar's graph (nothing is downloaded).

The Reber grammar is a small finite automaton over seven symbols, ``REBER_SYMBOLS = ("B", "T", "P", "S", "X", "V",
"E")`` (channel k of a one-hot input is ``REBER_SYMBOLS[k]``). A string starts with B, walks the graph below choosing
each of the two outgoing edges with probability 1/2, and ends with E::

    node 1 --T--> 2    node 1 --P--> 3
    node 2 --S--> 2    node 2 --X--> 4
    node 3 --T--> 3    node 3 --V--> 5
    node 4 --X--> 3    node 4 --S--> end
    node 5 --P--> 4    node 5 --V--> end

e.g. ``BTSSXXTVVE`` or ``BPVVE``. Every choice in it can be predicted from the last few symbols. The **embedded**
grammar (Cleeremans, Servan-Schreiber & McClelland 1989; Experiment 1 of Hochreiter & Schmidhuber 1997) wraps one
Reber string, with its own B and E, between two copies of the same symbol, T or P::

    B T <Reber string> T E      or      B P <Reber string> P E,     e.g.  BTBPVVETE

so the second-to-last symbol can only be predicted by remembering the second one across the whole inner string (at
least 5 symbols, 8 on average). The **continual** form (Gers et al. 2000) concatenates
embedded strings into one stream with no marker of where a string ends other than E, and nothing from outside resets
the network between strings: ``... T E B P <Reber string> P E B T <Reber string> T E B ...``.

The task is next-symbol prediction. At each step the set of *legal* next symbols is known from the graph (one or two
symbols; after E in the continual stream it is {B}); Gers et al. score a prediction as correct when the symbols the
network predicts are exactly the legal ones. The **critical** steps are those whose next symbol is the closing T or P:
only there is a long memory needed, and a network without one is right half of the time.

Functions:

``embedded_reber(n, rng=None, seed=None)``
    n embedded Reber strings, a list of str.
``legal_next(string, continual=False)``
    for each position t of a grammatical string, the legal symbols at t + 1 (a str, e.g. ``"TP"``); after the final
    E: ``""``, or ``"B"`` when ``continual`` (another string follows).
``ReberStream(batch_size, rng=None, seed=None, dtype=np.float64)`` and ``.chunk(T)``
    B independent continual streams; each call returns the next T symbols of every stream, continuing where the last
    chunk stopped (strings run across chunk boundaries). Returns ``x, y, legal, critical`` (below).
``continual_embedded_reber(T, batch_size, rng=None, seed=None, dtype=np.float64)``
    the first chunk of a fresh ``ReberStream``.
``next_symbol_correct(probs, legal, threshold=0.25)``
    Gers et al.'s criterion for a softmax output: the symbols with probability above ``threshold`` are exactly the
    legal ones.

Shapes of a chunk: ``x`` (T, B, 7) one-hot of the current symbol; ``y`` (T, B) int64, the index of the symbol that
actually comes next (the target for cross-entropy); ``legal`` (T, B, 7) bool, the legal next symbols; ``critical``
(T, B) bool, True where the next symbol is the closing T/P of an embedded string.

Worked example::

    >>> s = embedded_reber(3, seed=0)
    >>> s
    ['BPBPVPXTTTTVVEPE', 'BPBPVVEPE', 'BPBPVVEPE']
    >>> legal_next(s[1])
    ['TP', 'B', 'TP', 'TV', 'PV', 'E', 'P', 'E', '']

In ``BPBPVVEPE`` the inner Reber string is ``BPVVE``: after the first B only T or P may come, then the inner B; after
it T or P again; after ``BPBP`` we are at node 3 (T or V), after ``BPBPV`` at node 5 (P or V); after ``BPBPVV`` the
walk is over (E); after the inner E the closing symbol must be P, the same as the second symbol — that step (t = 6) is
critical. In the continual stream the symbols run on from one string into the next::

    >>> x, y, legal, critical = continual_embedded_reber(20, 1, seed=0)
    >>> x.shape, y.shape, legal.shape, critical.shape
    ((20, 1, 7), (20, 1), (20, 1, 7), (20, 1))
    >>> print("".join(REBER_SYMBOLS[k] for k in x[:, 0].argmax(-1)), "".join(REBER_SYMBOLS[k] for k in y[:, 0]))
    BPBPTTVVEPEBTBTXXVVE PBPTTVVEPEBTBTXXVVET
    >>> [t for t in range(20) if critical[t, 0]], "".join(REBER_SYMBOLS[k] for k in np.flatnonzero(legal[10, 0]))
    ([8, 19], 'B')

Step 8 reads the inner E of the first string; its target is the closing P. Step 10 reads the final E: only B may
follow. Step 19 is critical again: the second string, opened by ``BT``, must close with T.
"""
import numpy as np

from ..nn import _err, _float_dtype, _positive_int, _rng

__all__ = ["REBER_SYMBOLS", "embedded_reber", "legal_next", "ReberStream", "continual_embedded_reber",
           "next_symbol_correct"]

REBER_SYMBOLS = ("B", "T", "P", "S", "X", "V", "E")
"""The seven symbols; channel k of a one-hot input (and class k of a prediction) is ``REBER_SYMBOLS[k]``."""

_INDEX = {s: k for k, s in enumerate(REBER_SYMBOLS)}

# The Reber graph: node -> ((symbol, next node), (symbol, next node)); node 0 is the end (E follows).
_GRAPH = {1: (("T", 2), ("P", 3)),
          2: (("S", 2), ("X", 4)),
          3: (("T", 3), ("V", 5)),
          4: (("X", 3), ("S", 0)),
          5: (("P", 4), ("V", 0))}


def _inner_reber(g):
    """The walk of one Reber string between its B and E: node 1 to the end, each edge with probability 1/2."""
    node, out = 1, []
    while node:
        sym, node = _GRAPH[node][int(g.integers(0, 2))]
        out.append(sym)
    return "".join(out)


def _one_embedded(g):
    outer = "TP"[int(g.integers(0, 2))]
    return "B" + outer + "B" + _inner_reber(g) + "E" + outer + "E"


def embedded_reber(n, rng=None, seed=None):
    """``n`` embedded Reber strings (a list of str), e.g. ``['BPTSXSPE', 'BTTXXVVTE']`` for n = 2, seed = 0."""
    where = "embedded_reber"
    n = _positive_int("n", n, where)
    g = _rng(rng, seed, where)
    return [_one_embedded(g) for _ in range(n)]


def _parse_error(where, string, t, expected):
    got = repr(string[t]) if t < len(string) else "the end of the string"
    return _err(f"{where}: {string!r} is not an embedded Reber string: at position {t} expected one of "
                f"{sorted(expected)}, got {got}",
                f"{where}：{string!r} 不是嵌入式 Reber 字符串：第 {t} 个位置应为 {sorted(expected)} 之一，实际为 {got}")


def legal_next(string, continual=False):
    """The legal next symbols after each prefix of one embedded Reber string (a list of str, one per position).

    ``legal_next(s)[t]`` lists (in ``REBER_SYMBOLS`` order) the symbols that may follow ``s[:t + 1]``; after the final
    E it is ``""`` (the string is over), or ``"B"`` with ``continual=True`` (the next string of the stream begins).
    A string that is not grammatical raises ``ValueError`` naming the first position that breaks the grammar.
    """
    where = "legal_next"
    if not isinstance(string, str):
        raise _err(f"{where}: expected a str over the symbols {''.join(REBER_SYMBOLS)}, got {type(string).__name__}",
                   f"{where}：应为由符号 {''.join(REBER_SYMBOLS)} 组成的 str，实际为 {type(string).__name__}",
                   TypeError)

    def order(symbols):
        return "".join(sorted(symbols, key=_INDEX.__getitem__))

    out, t = [], 0
    # B, the outer T or P, the inner string's own B
    for expected, after in (("B", "TP"), ("TP", "B"), ("B", "TP")):
        if t >= len(string) or string[t] not in expected:
            raise _parse_error(where, string, t, expected)
        out.append(after)
        t += 1
    outer, node = string[1], 1
    while node:                                             # the walk through the Reber graph
        edges = dict(_GRAPH[node])
        if t >= len(string) or string[t] not in edges:
            raise _parse_error(where, string, t, edges)
        node = edges[string[t]]
        out.append(order(dict(_GRAPH[node])) if node else "E")
        t += 1
    # the inner E (then only the outer symbol may come: the critical step), the outer symbol again, the final E
    for expected, after in (("E", outer), (outer, "E"), ("E", "B" if continual else "")):
        if t >= len(string) or string[t] != expected:
            raise _parse_error(where, string, t, expected)
        out.append(after)
        t += 1
    if t != len(string):
        raise _err(f"{where}: {string!r} goes on after its final E (position {t}); pass one string at a time",
                   f"{where}：{string!r} 在结尾的 E 之后仍有字符（第 {t} 个位置）；请一次只传一个字符串")
    return out


class ReberStream:
    """``batch_size`` independent continual embedded-Reber streams, read chunk by chunk.

    ``stream.chunk(T)`` returns the next T symbols of every stream as ``x, y, legal, critical`` (shapes in the module
    docstring), continuing exactly where the previous chunk stopped, so a training loop that carries the network's
    state from chunk to chunk sees one unbroken stream. ``stream.strings`` counts, per stream, the strings whose
    final E has been returned so far.
    """

    def __init__(self, batch_size, rng=None, seed=None, dtype=np.float64):
        where = "ReberStream"
        self.batch_size = _positive_int("batch_size", batch_size, where)
        self.dtype = _float_dtype(dtype, where)
        # one generator per stream, so what stream b holds does not depend on how the chunks are cut
        self._gens = _rng(rng, seed, where).spawn(self.batch_size)
        # per stream: the symbols generated but not yet returned, with their legal-next sets and critical flags
        self._buf = [[] for _ in range(self.batch_size)]
        self.strings = np.zeros(self.batch_size, dtype=np.int64)

    def _refill(self, b, need):
        buf = self._buf[b]
        while len(buf) < need:
            s = _one_embedded(self._gens[b])
            nxt = legal_next(s, continual=True)
            # (symbol, legal next symbols, critical?, final E of a string?)
            buf.extend((sym, nx, t == len(s) - 3, t == len(s) - 1) for t, (sym, nx) in enumerate(zip(s, nxt)))

    def chunk(self, T):
        """The next ``T`` symbols of every stream: ``x`` (T, B, 7), ``y`` (T, B), ``legal`` (T, B, 7), ``critical``
        (T, B)."""
        T = _positive_int("T", T, "ReberStream.chunk")
        B, K = self.batch_size, len(REBER_SYMBOLS)
        sym = np.empty((T + 1, B), dtype=np.int64)          # one symbol of look-ahead gives the last target
        legal = np.zeros((T, B, K), dtype=bool)
        critical = np.zeros((T, B), dtype=bool)
        for b in range(B):
            self._refill(b, T + 1)
            buf = self._buf[b]
            for t in range(T + 1):
                sym[t, b] = _INDEX[buf[t][0]]
            for t in range(T):
                legal[t, b, [_INDEX[s] for s in buf[t][1]]] = True
                critical[t, b] = buf[t][2]
            self.strings[b] += sum(1 for item in buf[:T] if item[3])
            del buf[:T]
        x = np.eye(K, dtype=self.dtype)[sym[:T]]            # (T, B, 7)
        return x, sym[1:].copy(), legal, critical


def continual_embedded_reber(T, batch_size, rng=None, seed=None, dtype=np.float64):
    """The first ``T`` symbols of ``batch_size`` fresh continual streams: ``x, y, legal, critical`` (see the module
    docstring). For a stream that goes on, use ``ReberStream`` and call ``.chunk(T)`` repeatedly."""
    return ReberStream(batch_size, rng=rng, seed=seed, dtype=dtype).chunk(T)


def next_symbol_correct(probs, legal, threshold=0.25):
    """Gers et al.'s criterion, for a softmax over the seven symbols: at each step the symbols predicted with
    probability above ``threshold`` must be exactly the legal next symbols.

    ``probs`` (..., 7) non-negative; ``legal`` (..., 7) bool of the same shape. Returns a bool array of shape
    ``probs.shape[:-1]``. Every state of the grammar has one or two legal successors, so a network that has learned
    the grammar puts about 1/2 or 1 on each legal symbol; the default threshold 1/4 sits between those and 0.
    """
    where = "next_symbol_correct"
    p = np.asarray(probs)
    m = np.asarray(legal)
    if p.dtype.kind not in "biuf":
        raise _err(f"{where}: probs must be a real numeric array, got dtype {p.dtype}",
                   f"{where}：probs 应为实数数值数组，实际 dtype 为 {p.dtype}", TypeError)
    if m.dtype != bool:
        raise _err(f"{where}: legal must be a bool array (the legal next symbols), got dtype {m.dtype}",
                   f"{where}：legal 应为 bool 数组（合法的下一个符号），实际 dtype 为 {m.dtype}", TypeError)
    if p.shape != m.shape or p.ndim < 1 or p.shape[-1] != len(REBER_SYMBOLS):
        raise _err(f"{where}: expected probs and legal of the same shape (..., {len(REBER_SYMBOLS)}), got "
                   f"{p.shape} and {m.shape}",
                   f"{where}：probs 与 legal 的形状应相同，为 (..., {len(REBER_SYMBOLS)})，实际为 {p.shape} 与 {m.shape}")
    if not np.all(np.isfinite(p)):
        raise _err(f"{where}: probs contains NaN or inf; expected probabilities",
                   f"{where}：probs 含有 NaN 或 inf；应为概率")
    if not 0 < float(threshold) < 1:
        raise _err(f"{where}: threshold must lie strictly between 0 and 1, got {threshold!r}",
                   f"{where}：threshold 应严格介于 0 与 1 之间，实际为 {threshold!r}")
    return np.all((p > threshold) == m, axis=-1)
