"""A character-level language model (chapter 8): embedding → recurrent cell → projection → softmax at every step,
trained by truncated BPTT with Adam and gradient clipping, measured in bits per character, sampled with a
temperature.

The model is a ``train.Seq(cell, Linear, Embedding, readout="all")``::

    ids (T, B) --Embedding--> x (T, B, E) --cell--> h (T, B, H) --Linear--> logits (T, B, V)
    loss = mean over the T·B positions of −log softmax(logits)[next character]            (nats)
    bits per character = loss / ln 2

Example::

    >>> import numpy as np
    >>> from lstm_lib import charlm, corpus
    >>> text = "the cat sat on the mat. " * 40
    >>> vocab = corpus.Vocab(text); ids = vocab.encode(text)
    >>> model = charlm.make_model(len(vocab), "LSTM", hidden_size=32, embed_size=8, seed=0)
    >>> losses = charlm.train(model, ids, steps=60, batch_size=4, seq_len=16, lr=1e-2)
    >>> bool(losses[-1] < losses[0])
    True
    >>> len(charlm.sample(model, vocab, "the ", 20, temperature=0.5, seed=0))
    20
"""
import json
import math

import numpy as np

from . import corpus, nn, optim, train as _train
from .nn import _err

__all__ = ["make_model", "n_params", "hidden_for_params", "train", "bits_per_char", "sample_next", "sample",
           "states", "save", "load", "colour_text", "LN2"]

LN2 = math.log(2.0)


def _cell_class(name):
    from .cells import gru, lstm, rnn
    classes = {"RNN": rnn.RNN, "LSTM": lstm.LSTM, "GRU": gru.GRU}
    if name not in classes:
        raise _err(f"charlm: cell must be one of {sorted(classes)}, got {name!r}",
                   f"charlm：cell 应为 {sorted(classes)} 之一，实际为 {name!r}")
    return classes[name]


def make_model(vocab_size, cell="LSTM", hidden_size=128, embed_size=32, seed=0, dtype=np.float32):
    """``Seq(cell, Linear(H, V), Embedding(V, E), readout="all")`` with seeds ``seed``, ``seed + 1``, ``seed + 2``
    for the cell, the head and the embedding. ``cell`` is ``"LSTM"``, ``"GRU"`` or ``"RNN"``."""
    c = _cell_class(cell)(embed_size, hidden_size, seed=seed, dtype=dtype)
    head = nn.Linear(hidden_size, vocab_size, seed=seed + 1, dtype=dtype)
    emb = nn.Embedding(vocab_size, embed_size, seed=seed + 2, dtype=dtype)
    model = _train.Seq(c, head, emb, readout="all")
    model.config = {"vocab_size": int(vocab_size), "cell": cell, "hidden_size": int(hidden_size),
                    "embed_size": int(embed_size), "seed": int(seed)}
    return model


def n_params(model):
    """Number of trainable numbers of a model (every array of ``model.params``)."""
    return int(sum(p.size for p in model.params.values()))


def hidden_for_params(cell, target, vocab_size, embed_size):
    """The hidden size H for which ``make_model(vocab_size, cell, H, embed_size)`` has the parameter count closest to
    ``target`` (to compare cells at an equal number of parameters)."""
    gates = {"RNN": 1, "GRU": 3, "LSTM": 4}[_cell_class(cell).__name__]
    count = lambda H: gates * H * (H + embed_size + 1) + H * vocab_size + vocab_size + vocab_size * embed_size  # noqa
    return min(range(1, 4096), key=lambda H: abs(count(H) - target))


def _forward_no_grad(model, ids, state):
    logits = model.forward(ids, state)
    model._T = None                    # nothing kept for a backward pass
    model.cell._saved = None
    return logits, model.state


def train(model, ids, steps, batch_size=32, seq_len=64, lr=3e-3, clip_norm=1.0, seed=0, callback=None,
          optimizer=None):
    """Truncated BPTT over the token stream ``ids``; returns the training loss (nats) of every update.

    Each epoch starts at a random offset (drawn from ``np.random.default_rng(seed)``) and walks through the chunks
    of ``corpus.tbptt_batches``; the final state of a chunk is the initial state of the next (carried forward), but
    the gradient stops at the chunk boundary: ``model.cell.dstate0`` — the gradient wrt that initial state — is
    computed and dropped. Each update: forward, softmax cross-entropy at every step, backward, clip the global
    gradient norm to ``clip_norm``, one Adam step (``optimizer``, default ``optim.Adam(model, lr)``).
    ``callback(step, model)`` (optional) is called after each update.
    """
    where = "charlm.train"
    steps = nn._positive_int("steps", steps, where)
    rng = np.random.default_rng(seed)
    opt = optimizer if optimizer is not None else optim.Adam(model, lr=lr)
    losses, step = [], 0
    while step < steps:
        offset = int(rng.integers(0, seq_len))
        state = None                                         # a fresh start at every epoch
        for x, y in corpus.tbptt_batches(ids, batch_size, seq_len, offset):
            logits = model.forward(x, state)                  # (T, B, V)
            state = model.state                              # carried into the next chunk (values, not gradient)
            loss, dlogits = nn.softmax_cross_entropy(logits, y)
            model.backward(dlogits)                          # model.cell.dstate0 is left unused: truncation
            optim.clip_grad_norm(model, clip_norm)
            opt.step()
            losses.append(loss)
            step += 1
            if callback is not None:
                callback(step, model)
            if step == steps:
                break
    return losses


def bits_per_char(model, ids, batch_size=8, seq_len=128):
    """Mean −log₂ p(next character) over the stream ``ids``, read in ``batch_size`` tracks with the state carried
    across chunks (as in training, without gradients). The first characters of each track are predicted from a
    zero state, which costs a little; the tail that does not fill a chunk is left out."""
    total, count, state = 0.0, 0, None
    for x, y in corpus.tbptt_batches(ids, batch_size, seq_len):
        logits, state = _forward_no_grad(model, x, state)
        loss, _ = nn.softmax_cross_entropy(logits.astype(np.float64), y)
        total += loss * y.size
        count += y.size
    return total / count / LN2


def sample_next(logits, temperature, u):
    """One character id drawn from softmax(logits / temperature), given a uniform number u in [0, 1).

    p = softmax(logits / τ) (computed stably: subtract the maximum first); the id is the first k with
    p_0 + … + p_k > u (inverse-CDF sampling: P(id = k) = p_k when u is uniform). τ = 0 means greedy: the argmax.
    τ < 1 sharpens the distribution toward the likeliest characters, τ > 1 flattens it.

    >>> sample_next(np.array([0.0, 0.0, 10.0]), 1.0, 0.5), sample_next(np.array([1.0, 2.0, 3.0]), 0, 0.99)
    (2, 2)
    """
    z = np.asarray(logits, dtype=np.float64)
    if temperature == 0:
        return int(np.argmax(z))
    z = z / temperature
    p = np.exp(z - z.max())
    cdf = np.cumsum(p / p.sum())
    return int(min(np.searchsorted(cdf, u, side="right"), len(z) - 1))


def sample(model, vocab, prime, length, temperature=1.0, seed=0):
    """``length`` characters generated after the text ``prime`` (which sets the state; it is not repeated in the
    output). One uniform number per character from ``np.random.default_rng(seed)``; ``temperature=0`` is greedy."""
    where = "charlm.sample"
    if not isinstance(prime, str) or not prime:
        raise _err(f"{where}: prime must be a non-empty str, got {prime!r}",
                   f"{where}：prime 应为非空字符串，实际为 {prime!r}", TypeError)
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float)) or temperature < 0:
        raise _err(f"{where}: temperature must be a number ≥ 0, got {temperature!r}",
                   f"{where}：temperature 应为不小于 0 的数，实际为 {temperature!r}")
    rng = np.random.default_rng(seed)
    logits, state = _forward_no_grad(model, vocab.encode(prime)[:, None], None)    # (T, 1, V)
    out = []
    for _ in range(length):
        k = sample_next(logits[-1, 0], temperature, rng.random())
        out.append(k)
        logits, state = _forward_no_grad(model, np.array([[k]]), state)
    return vocab.decode(np.array(out, dtype=np.int64))


def states(model, ids):
    """Run the model over one sequence ``ids`` (N,) from a zero state; return the cell's activations, each (N, H)
    (``'h'``, ``'c'``, and the gates ``'f'``, ``'i'``, ``'o'`` … for the LSTM)."""
    _forward_no_grad(model, np.asarray(ids)[:, None], None)
    return {k: np.array(v[:, 0]) for k, v in model.cell.activations.items()}


def save(path, model, **meta):
    """Write a model's parameters (as float16: half the size; the stored weights *are* the model) and its config
    (plus any JSON-able ``meta``) to a compressed ``.npz``."""
    arrays = {k: v.astype(np.float16) for k, v in model.params.items()}
    np.savez_compressed(path, **arrays, __config__=np.array(json.dumps({**model.config, **meta}, sort_keys=True)))


def load(path, dtype=np.float64):
    """(model, config) from a file written by ``save``; the weights are cast to ``dtype``."""
    with np.load(path) as f:
        config = json.loads(str(f["__config__"]))
        model = make_model(config["vocab_size"], config["cell"], config["hidden_size"], config["embed_size"],
                           config["seed"], dtype=dtype)
        params = model.params
        if set(params) != set(f.files) - {"__config__"}:
            raise _err(f"charlm.load: {path!r} holds {sorted(set(f.files) - {'__config__'})}, expected {sorted(params)}",
                       f"charlm.load：{path!r} 中的数组为 {sorted(set(f.files) - {'__config__'})}，应为 {sorted(params)}")
        for k, p in params.items():
            p[...] = f[k].astype(dtype)
    return model, config


def colour_text(text, values, ax=None, width=40, title=None, vmax=None):
    """Draw ``text`` one character per box, each box coloured by ``values`` (one number per character, e.g. one
    unit's cell state): blue negative, red positive (``RdBu_r``), on a grid ``width`` characters wide; a newline
    starts a new row (its box is drawn, without a glyph). Returns the axes. Karpathy, Johnson & Fei-Fei (2015) show their
    "interpretable cells" this way."""
    import matplotlib.pyplot as plt
    from . import fonts
    fonts.use_cjk_font()
    values = np.asarray(values, dtype=np.float64)
    if len(values) != len(text):
        raise _err(f"colour_text: expected one value per character ({len(text)}), got {len(values)}",
                   f"colour_text：每个字符应对应一个数值（共 {len(text)} 个），实际为 {len(values)} 个")
    cells, row, col = [], 0, 0
    for ch, v in zip(text, values):
        cells.append((row, col, "" if ch == "\n" else ch, v))
        col += 1
        if ch == "\n" or col == width:
            row, col = row + 1, 0
    rows = row + (col > 0)
    if ax is None:
        _, ax = plt.subplots(figsize=(width * 0.22, max(rows, 1) * 0.3 + (0.3 if title else 0)))
    vmax = vmax or max(float(np.abs(values).max()), 1e-9)
    cmap = plt.get_cmap("RdBu_r")
    for r, c, ch, v in cells:
        ax.add_patch(plt.Rectangle((c, -r - 1), 1, 1, color=cmap(0.5 + 0.5 * v / vmax), lw=0))
        ax.text(c + 0.5, -r - 0.5, ch, ha="center", va="center", fontsize=9)
    ax.set_xlim(0, width)
    ax.set_ylim(-max(rows, 1), 0)
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=9, loc="left")   # 9 pt: a long bilingual title still fits a 6.7 in figure
    return ax
