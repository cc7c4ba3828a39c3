r"""Many small recurrent classifiers trained side by side: the fair sweeps of chapter 2.

A fair comparison trains every model at several learning rates and seeds. Trained one by one with ``train.fit``, the
sweep of chapter 2 (5 models × 3 learning rates × 5 seeds × 3 gaps) costs minutes, and almost all of it is Python
overhead: a 16-unit cell does little arithmetic per time step. ``train_many`` trains N such models at once. Member m
is exactly the model that

    train.fit(train.Seq(cells[m], heads[m]), batch_fn, steps, Adam(model, lr=lrs[m]) or SGD(...), loss="ce",
              clip_norm=clip_norm, seed=seeds[m])

would train — same initial weights (taken from the cells and heads you pass), same stream of batches
(``np.random.default_rng(seeds[m])``), same loss, same clipping of *its own* global gradient norm, same optimiser —
but the N members' time steps run as one batched matrix product over a leading model axis, so one Python loop over
time serves them all. tests/test_experiments.py checks a member against ``train.fit`` to 1e-9 after training.

Equations (per member; row vectors as everywhere in lstm_lib; W (H+D, nH) multiplies [h_{t-1}, x_t])::

    RNN:   h_t = tanh([h_{t-1}, x_t] W + b)
    LSTM:  [a_f | a_i | a_c | a_o] = [h_{t-1}, x_t] W + b,  f, i, o = σ(a_f, a_i, a_o),  C̃ = tanh(a_c)
           C_t = f ⊙ C_{t-1} + i ⊙ C̃,   h_t = o ⊙ tanh(C_t)
    head:  logits = h_T V + c,   L = mean over the batch of −log softmax(logits)[y]

Example::

    >>> import numpy as np, lstm_lib
    >>> from lstm_lib import nn, tasks, experiments
    >>> cells = [lstm_lib.RNN(8, 4, seed=s) for s in (0, 1)]
    >>> heads = [nn.Linear(4, 4, seed=s + 1000) for s in (0, 1)]
    >>> batch_fn = lambda rng: tasks.remember_first(3, 16, 4, 4, rng=rng)
    >>> held_out = [tasks.remember_first(3, 64, 4, 4, seed=s) for s in (0, 1)]
    >>> run = experiments.train_many(cells, heads, batch_fn, steps=20, lrs=[0.01, 0.01], seeds=[0, 1],
    ...                              eval_sets={"test": held_out}, eval_every=10)
    >>> run["step"], run["accuracy"]["test"].shape, run["grad_norm"].shape   # (evaluations, members), (steps, members)
    ([10, 20], (2, 2), (20, 2))
"""
import numpy as np

from .nn import _err

__all__ = ["train_many", "param_count"]


def _sigmoid(a):
    # the library's σ(x) = ½·tanh(x/2) + ½ (no overflow at ±1e6)
    return 0.5 * np.tanh(0.5 * a) + 0.5


def param_count(*modules):
    """Number of trainable numbers in the given cells / layers (sum of the sizes of their ``params``)."""
    return int(sum(p.size for m in modules for p in m.params.values()))


def _kind(cells, where):
    from .cells.lstm import LSTM
    from .cells.rnn import RNN
    kinds = {type(c) for c in cells}
    if len(kinds) != 1 or not kinds <= {RNN, LSTM}:
        raise _err(f"{where}: cells must all be lstm_lib.RNN or all lstm_lib.LSTM, got "
                   f"{sorted(k.__name__ for k in kinds)}",
                   f"{where}：cells 应全部为 lstm_lib.RNN 或全部为 lstm_lib.LSTM，实际为 "
                   f"{sorted(k.__name__ for k in kinds)}", TypeError)
    return "lstm" if kinds == {LSTM} else "rnn"


class _Stack:
    """N cells of one kind and size plus N linear heads, as stacked arrays with a leading model axis."""

    def __init__(self, cells, heads):
        where = "train_many"
        self.kind = _kind(cells, where)
        sizes = {(c.input_size, c.hidden_size) for c in cells}
        hsizes = {h.params["W"].shape for h in heads}
        if len(sizes) != 1 or len(hsizes) != 1 or next(iter(hsizes))[0] != next(iter(sizes))[1]:
            raise _err(f"{where}: all cells must share (input_size, hidden_size) and all heads (H, K), got cells "
                       f"{sorted(sizes)} and heads {sorted(hsizes)}",
                       f"{where}：所有 cell 的 (input_size, hidden_size) 须相同、所有 head 的形状须为 (H, K)，实际为 "
                       f"{sorted(sizes)} 和 {sorted(hsizes)}")
        self.D, self.H = next(iter(sizes))
        self.p = {"W": np.stack([c.params["W"] for c in cells]),        # (N, H+D, nH)
                  "b": np.stack([c.params["b"] for c in cells]),        # (N, nH)
                  "V": np.stack([h.params["W"] for h in heads]),        # (N, H, K)
                  "c": np.stack([h.params["b"] for h in heads])}        # (N, K)
        self.N = len(cells)

    def forward(self, x, keep=True):
        # x (N, T, B, D) -> logits (N, B, K)
        p, H = self.p, self.H
        N, T, B, _ = x.shape
        W_h, W_x = p["W"][:, :H], p["W"][:, H:]
        a_all = (x.reshape(N, T * B, -1) @ W_x).reshape(N, T, B, -1) + p["b"][:, None, None]   # (N, T, B, nH)
        h = np.zeros((N, B, H))
        c = np.zeros((N, B, H))
        hs = np.empty((N, T + 1, B, H)) if keep else None       # h_0 … h_T
        if keep:
            hs[:, 0] = 0.0
        if self.kind == "lstm":
            acts = np.empty((N, T, B, 4 * H)) if keep else None   # f | i | c_tilde | o after the nonlinearity
            cs = np.empty((N, T + 1, B, H)) if keep else None
            if keep:
                cs[:, 0] = 0.0
        for t in range(T):
            a = a_all[:, t] + h @ W_h                                # (N, B, nH)
            if self.kind == "rnn":
                h = np.tanh(a)
            else:
                g = _sigmoid(a)
                g[..., 2 * H:3 * H] = np.tanh(a[..., 2 * H:3 * H])
                f, i, ct, o = g[..., :H], g[..., H:2 * H], g[..., 2 * H:3 * H], g[..., 3 * H:]
                c = f * c + i * ct
                h = o * np.tanh(c)
                if keep:
                    acts[:, t], cs[:, t + 1] = g, c
            if keep:
                hs[:, t + 1] = h
        if keep:
            self.cache = (x, hs, acts, cs) if self.kind == "lstm" else (x, hs)
        return h @ p["V"] + p["c"][:, None]

    def backward(self, dlogits):
        # dlogits (N, B, K) -> self.g, gradients of the same shapes as self.p
        p, H = self.p, self.H
        x, hs = self.cache[:2]
        N, T, B, D = x.shape
        W_hT = np.ascontiguousarray(np.swapaxes(p["W"][:, :H], 1, 2))   # (N, nH, H)
        g = {"V": np.swapaxes(hs[:, T], 1, 2) @ dlogits, "c": dlogits.sum(1)}
        dh = dlogits @ np.swapaxes(p["V"], 1, 2)                         # (N, B, H): backprop into h_T
        da = np.empty((N, T, B, W_hT.shape[1]))
        if self.kind == "rnn":
            for t in range(T - 1, -1, -1):
                da[:, t] = dh * (1.0 - hs[:, t + 1] ** 2)
                dh = da[:, t] @ W_hT
        else:
            acts, cs = self.cache[2:]
            dc = np.zeros((N, B, H))
            for t in range(T - 1, -1, -1):
                gt = acts[:, t]
                f, i, ct, o = gt[..., :H], gt[..., H:2 * H], gt[..., 2 * H:3 * H], gt[..., 3 * H:]
                tc = np.tanh(cs[:, t + 1])
                dc = dc + dh * o * (1.0 - tc ** 2)                       # backprop into C_t
                d = da[:, t]
                d[..., :H] = dc * cs[:, t] * f * (1.0 - f)
                d[..., H:2 * H] = dc * ct * i * (1.0 - i)
                d[..., 2 * H:3 * H] = dc * i * (1.0 - ct ** 2)
                d[..., 3 * H:] = dh * tc * o * (1.0 - o)
                dc = dc * f                                              # into C_{t-1}
                dh = d @ W_hT                                            # into h_{t-1}
        daf = da.reshape(N, T * B, -1)
        dW_h = np.swapaxes(hs[:, :T].reshape(N, T * B, H), 1, 2) @ daf
        dW_x = np.swapaxes(x.reshape(N, T * B, D), 1, 2) @ daf
        g["W"] = np.concatenate([dW_h, dW_x], axis=1)
        g["b"] = daf.sum(1)
        self.g = g

    def write_back(self, cells, heads):
        for m, (cell, head) in enumerate(zip(cells, heads)):
            cell.params["W"][...] = self.p["W"][m]
            cell.params["b"][...] = self.p["b"][m]
            head.params["W"][...] = self.p["V"][m]
            head.params["b"][...] = self.p["c"][m]


def _ce(logits, y):
    # per-member softmax cross-entropy: logits (N, B, K), y (N, B) -> loss (N,), dlogits (N, B, K), accuracy (N,)
    z = logits - logits.max(-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(-1, keepdims=True))
    B = y.shape[1]
    picked = np.take_along_axis(logp, y[..., None], -1)[..., 0]
    d = np.exp(logp)
    np.put_along_axis(d, y[..., None], np.take_along_axis(d, y[..., None], -1) - 1.0, -1)
    acc = (logits.argmax(-1) == y).mean(1)
    return -picked.mean(1), d / B, acc


def train_many(cells, heads, batch_fn, steps, lrs, seeds, optimizer="adam", momentum=0.0, clip_norm=1.0,
               eval_sets=None, eval_every=None, betas=(0.9, 0.999), eps=1e-8):
    """Train N recurrent classifiers side by side (see the module docstring); the cells and heads are updated in place.

    Args:
        cells: N ``lstm_lib.RNN`` or N ``lstm_lib.LSTM`` (all one kind, one size), initialised as you like.
        heads: N ``nn.Linear(H, K)`` read out from the last hidden state.
        batch_fn: ``rng -> (x (T, B, D), y (B,) int)``; called once per step for each distinct seed.
        steps: number of updates.
        lrs, seeds: one learning rate and one batch-stream seed per member.
        optimizer: ``"adam"`` (optim.Adam with ``betas``, ``eps``) or ``"sgd"`` (optim.SGD with ``momentum``).
        clip_norm: each member's gradients are clipped to this global norm (None: no clipping).
        eval_sets: dict name → list of N held-out ``(x, y)`` pairs (one per member), evaluated every
            ``eval_every`` steps and after the last.

    Returns:
        dict: ``"step"`` (list), ``"loss"`` / ``"accuracy"``: dict name → array (evaluations, N);
        ``"grad_norm"`` (steps, N) each member's global gradient norm before clipping; ``"train_loss"`` (steps, N)
        each member's loss on its training batch; ``"finite"`` (N,) bool,
        False for a member whose loss became NaN or inf (it is frozen from then on).
    """
    where = "train_many"
    N = len(cells)
    if not (N == len(heads) == len(lrs) == len(seeds)) or N == 0:
        raise _err(f"{where}: cells, heads, lrs and seeds must have the same nonzero length, got "
                   f"{len(cells)}, {len(heads)}, {len(lrs)}, {len(seeds)}",
                   f"{where}：cells、heads、lrs、seeds 的长度应相同且非零，实际为 "
                   f"{len(cells)}、{len(heads)}、{len(lrs)}、{len(seeds)}")
    if optimizer not in ("adam", "sgd"):
        raise _err(f"{where}: optimizer must be 'adam' or 'sgd', got {optimizer!r}",
                   f"{where}：optimizer 应为 'adam' 或 'sgd'，实际为 {optimizer!r}")
    eval_sets = eval_sets or {}
    eval_every = eval_every or steps
    S = _Stack(cells, heads)
    distinct = sorted(set(seeds))
    rngs = [np.random.default_rng(s) for s in distinct]
    which = np.array([distinct.index(s) for s in seeds])
    lr = {k: np.asarray(lrs, dtype=float).reshape((N,) + (1,) * (v.ndim - 1)) for k, v in S.p.items()}
    mom = {k: np.zeros_like(v) for k, v in S.p.items()}
    sec = {k: np.zeros_like(v) for k, v in S.p.items()}
    finite = np.ones(N, bool)
    ev = {name: (np.stack([np.asarray(x_, float) for x_, _ in pairs]), np.stack([np.asarray(y_) for _, y_ in pairs]))
          for name, pairs in eval_sets.items()}
    hist = {"step": [], "loss": {n: [] for n in ev}, "accuracy": {n: [] for n in ev}, "grad_norm": [],
            "train_loss": []}
    b1, b2 = betas
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(1, steps + 1):
            batch = [batch_fn(r) for r in rngs]
            x = np.stack([np.asarray(b[0], float) for b in batch])[which]      # (N, T, B, D)
            y = np.stack([np.asarray(b[1]) for b in batch])[which]             # (N, B)
            L, dlogits, _ = _ce(S.forward(x), y)
            S.backward(dlogits)
            norm = np.sqrt(sum((v.reshape(N, -1) ** 2).sum(1) for v in S.g.values()))   # (N,)
            finite &= np.isfinite(L) & np.isfinite(norm)
            scale = np.ones(N) if clip_norm is None else np.where(norm > clip_norm, clip_norm / norm, 1.0)
            scale = np.where(finite, scale, 0.0)                               # a diverged member stops moving
            for k, v in S.p.items():
                gk = np.where(finite.reshape(lr[k].shape), S.g[k], 0.0) * scale.reshape(lr[k].shape)
                if optimizer == "sgd":
                    mom[k] = momentum * mom[k] + gk
                    v -= lr[k] * mom[k]
                else:
                    mom[k] = b1 * mom[k] + (1.0 - b1) * gk
                    sec[k] = b2 * sec[k] + (1.0 - b2) * (gk * gk)
                    upd = lr[k] * (mom[k] / (1.0 - b1 ** step)) / (np.sqrt(sec[k] / (1.0 - b2 ** step)) + eps)
                    v -= np.where(finite.reshape(lr[k].shape), upd, 0.0)
            hist["grad_norm"].append(norm)
            hist["train_loss"].append(np.where(finite, L, np.inf))
            if step % eval_every == 0 or step == steps:
                hist["step"].append(step)
                for name, (xe, ye) in ev.items():
                    le, _, acc = _ce(S.forward(xe, keep=False), ye)
                    hist["loss"][name].append(np.where(finite, le, np.inf))
                    hist["accuracy"][name].append(np.where(finite, acc, 0.0))
    S.write_back(cells, heads)
    hist["loss"] = {n: np.array(v) for n, v in hist["loss"].items()}
    hist["accuracy"] = {n: np.array(v) for n, v in hist["accuracy"].items()}
    hist["grad_norm"] = np.array(hist["grad_norm"])
    hist["train_loss"] = np.array(hist["train_loss"])
    hist["finite"] = finite
    return hist
