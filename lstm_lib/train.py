"""A small sequence model and a training loop.

``Seq`` chains an optional embedding, a recurrent cell and a linear head::

    ids (T, B) --Embedding--> x (T, B, D) --cell--> y (T, B, H) --Linear--> out

``readout="last"`` feeds only the last hidden state to the head (out: (B, K); one answer per sequence, as in the
adding problem), ``readout="all"`` feeds every step (out: (T, B, K); one answer per step, as in language models).

``fit`` runs the usual loop — draw a batch, forward, loss, backward, clip, step — and returns its history. It prints
only when ``verbose=True``, one line per evaluation with fixed-precision numbers and no timings, so a notebook that
shows the progress still gives the same output on every run (nbval compares it).

Example::

    >>> import lstm_lib
    >>> from lstm_lib import nn, optim, tasks
    >>> model = Seq(lstm_lib.LSTM(2, 16, seed=0), nn.Linear(16, 1, seed=1))
    >>> hist = fit(model, lambda rng: tasks.adding_problem(10, 32, rng=rng), steps=20,
    ...            optimizer=optim.Adam(model, lr=1e-2), loss="mse", eval_every=10)
    >>> hist["step"], len(hist["loss"])
    ([10, 20], 2)
"""
import numpy as np

from . import nn
from .nn import _err, _no_forward, _positive_int
from .optim import clip_grad_norm, global_norm

__all__ = ["Seq", "fit", "evaluate"]


class Seq:
    """Optional embedding → recurrent cell → linear head, with ``params``/``grads`` like any layer.

    Args:
        cell: any lstm_lib cell (``RNN``, ``LSTM``, ``PeepholeLSTM``, ``CoupledLSTM``, ``GRU``) or a ``Stack`` of
            them (``predict`` runs a stack in eval mode: no dropout).
        head: ``nn.Linear(cell.hidden_size, K)``.
        embedding: ``nn.Embedding(V, cell.input_size)`` or None (then the input is already (T, B, D) floats).
        readout: ``"last"`` (out (B, K)) or ``"all"`` (out (T, B, K)).

    ``params`` and ``grads`` are flat dicts whose keys are prefixed by the part: ``"cell.W"``, ``"head.b"``,
    ``"embedding.E"``. Their values are the parts' own arrays (not copies), so an optimiser that updates them in place
    updates the cell and the head.
    """

    def __init__(self, cell, head, embedding=None, readout="last"):
        where = "Seq"
        for name, part in (("cell", cell), ("head", head)):
            if not (hasattr(part, "params") and hasattr(part, "forward") and hasattr(part, "backward")):
                raise _err(f"{where}: {name} must be a layer with params, forward and backward, got "
                           f"{type(part).__name__}",
                           f"{where}：{name} 应为带 params、forward、backward 的层，实际为 {type(part).__name__}",
                           TypeError)
        if readout not in ("last", "all"):
            raise _err(f"{where}: readout must be 'last' or 'all', got {readout!r}",
                       f"{where}：readout 应为 'last' 或 'all'，实际为 {readout!r}")
        H = getattr(cell, "output_size", cell.hidden_size)   # a Bidirectional's y is 2H wide
        if getattr(head, "in_features", H) != H:
            raise _err(f"{where}: head must read the cell's hidden state, in_features = hidden_size = {H}, got "
                       f"in_features = {head.in_features}",
                       f"{where}：head 读取单元的隐藏状态，in_features 应等于 hidden_size = {H}，实际为 {head.in_features}")
        if embedding is not None and embedding.embedding_dim != cell.input_size:
            raise _err(f"{where}: embedding_dim must equal the cell's input_size {cell.input_size}, got "
                       f"{embedding.embedding_dim}",
                       f"{where}：embedding_dim 应等于单元的 input_size {cell.input_size}，实际为 {embedding.embedding_dim}")
        self.cell, self.head, self.embedding, self.readout = cell, head, embedding, readout
        self._T = None

    @property
    def parts(self):
        """(prefix, layer) pairs, in the order data flows."""
        return ([("embedding", self.embedding)] if self.embedding is not None else []) + \
            [("cell", self.cell), ("head", self.head)]

    @property
    def params(self):
        return {f"{p}.{k}": v for p, layer in self.parts for k, v in layer.params.items()}

    @property
    def grads(self):
        return {f"{p}.{k}": v for p, layer in self.parts for k, v in layer.grads.items()}

    @property
    def kind(self):
        """A short description saved by ``io.save`` and checked by ``io.load``, e.g. ``"Seq(LSTM, Linear)"``."""
        return "Seq(" + ", ".join(type(layer).__name__ for _, layer in self.parts) + f", readout={self.readout})"

    def forward(self, x, state=None):
        """x (T, B, D) floats — or ids (T, B) ints with an embedding — -> out (B, K) or (T, B, K)."""
        if self.embedding is not None:
            x = self.embedding.forward(x)                                  # (T, B, D)
        y, self.state = self.cell.forward(x, state)                        # (T, B, H); final state kept for reading
        self._T = y.shape[0]
        if self.readout == "last":
            if y.shape[0] == 0:
                raise _err("Seq.forward: readout='last' needs at least one time step, got T = 0",
                           "Seq.forward：readout='last' 至少需要一个时间步，实际 T = 0")
            self._y_shape = y.shape
            return self.head.forward(y[-1])                                # (B, K)
        return self.head.forward(y)                                        # (T, B, K)

    def backward(self, dout):
        """dout (gradient wrt the output of forward) -> None; fills the grads of every part."""
        if self._T is None:
            raise _no_forward("Seq.backward")
        self._T = None
        dh = self.head.backward(dout)                                      # (B, H) or (T, B, H)
        if self.readout == "last":
            dy = np.zeros(self._y_shape, dtype=dh.dtype)                   # (T, B, H): only the last step is read
            dy[-1] = dh
        else:
            dy = dh
        dx = self.cell.backward(dy)                                        # (T, B, D)
        if self.embedding is not None:
            self.embedding.backward(dx)

    def predict(self, x):
        """The output of forward, without keeping anything for a backward pass."""
        training = getattr(self.cell, "training", False)   # a Stack with dropout: evaluate without it
        if training:
            self.cell.training = False
        try:
            out = self.forward(x)
        finally:
            if training:
                self.cell.training = True
        self._T = None
        if getattr(self.cell, "_saved", None) is not None:
            self.cell._saved = None                                        # drop the cell's cache too
        return out


_LOSSES = {"mse": nn.mse, "ce": nn.softmax_cross_entropy}


def _loss_fn(loss, where):
    if loss in _LOSSES:
        return loss, _LOSSES[loss]
    for name, fn in _LOSSES.items():
        if loss is fn:
            return name, fn
    raise _err(f"{where}: loss must be 'mse' or 'ce' (or nn.mse / nn.softmax_cross_entropy), got {loss!r}",
               f"{where}：loss 应为 'mse' 或 'ce'（或 nn.mse / nn.softmax_cross_entropy），实际为 {loss!r}")


def evaluate(model, x, y, loss="mse", tol=0.04):
    """(loss, accuracy) of ``model`` on one batch, without a backward pass.

    Accuracy is the fraction of correct answers: for ``"ce"`` the arg-max class equals the target; for ``"mse"`` an
    output is within ``tol`` of its target (|ŷ − y| < 0.04 is Hochreiter & Schmidhuber's 1997 criterion for a
    sequence "processed correctly" in the adding problem, where there is one output per sequence).
    """
    name, fn = _loss_fn(loss, "evaluate")
    out = model.predict(x)
    L, _ = fn(out, y)
    if name == "ce":
        acc = float(np.mean(np.argmax(out, axis=-1) == np.asarray(y)))
    else:
        acc = float(np.mean(np.abs(out - np.asarray(y, dtype=out.dtype)) < tol))
    return L, acc


def fit(model, batch_fn, steps, optimizer, loss="mse", clip_norm=1.0, eval_data=None, eval_every=100, seed=0,
        verbose=False, tol=0.04):
    """Train ``model`` for ``steps`` updates; return the history.

    Each step: ``x, y = batch_fn(rng)``; ``out = model.forward(x)``; ``L, dout = loss(out, y)``;
    ``model.backward(dout)``; clip the gradients to global norm ``clip_norm`` (None: no clipping);
    ``optimizer.step()``. Every ``eval_every`` steps, and after the last, the model is evaluated on ``eval_data``.

    Args:
        model: a ``Seq`` (or anything with forward, backward, predict, params, grads).
        batch_fn: ``rng -> (x, y)``, e.g. ``lambda rng: tasks.adding_problem(50, 64, rng=rng)``. ``fit`` calls it with
            one generator ``np.random.default_rng(seed)``, so the run is reproducible.
        steps: number of updates.
        optimizer: e.g. ``optim.Adam(model, lr=1e-2)``.
        loss: ``"mse"`` or ``"ce"`` (softmax cross-entropy on the logits).
        clip_norm: max global gradient norm, or None.
        eval_data: ``(x, y)`` held-out batch; None draws one from ``batch_fn`` with a separate generator
            (``np.random.default_rng([seed, 1])``), fixed for the run.
        eval_every: evaluation period in steps.
        seed: seeds the batch stream.
        verbose: print one line per evaluation (fixed precision, no timings: safe for nbval).
        tol: accuracy tolerance for ``"mse"`` (see ``evaluate``).

    Returns:
        dict of lists, one entry per evaluation: ``"step"``, ``"train_loss"`` (mean training loss since the previous
        evaluation), ``"loss"`` and ``"accuracy"`` (on ``eval_data``), ``"grad_norm"`` (mean global gradient norm
        before clipping since the previous evaluation).
    """
    where = "fit"
    steps = _positive_int("steps", steps, where)
    eval_every = _positive_int("eval_every", eval_every, where)
    name, fn = _loss_fn(loss, where)
    if not callable(batch_fn):
        raise _err(f"{where}: batch_fn must be a function rng -> (x, y), got {type(batch_fn).__name__}",
                   f"{where}：batch_fn 应为函数 rng -> (x, y)，实际为 {type(batch_fn).__name__}", TypeError)
    if not hasattr(optimizer, "step"):
        raise _err(f"{where}: optimizer must have a step() method (optim.SGD or optim.Adam), got "
                   f"{type(optimizer).__name__}",
                   f"{where}：optimizer 应有 step() 方法（optim.SGD 或 optim.Adam），实际为 {type(optimizer).__name__}",
                   TypeError)
    rng = np.random.default_rng(seed)
    if eval_data is None:
        eval_data = batch_fn(np.random.default_rng([seed, 1]))
    x_ev, y_ev = eval_data
    hist = {"step": [], "train_loss": [], "loss": [], "accuracy": [], "grad_norm": []}
    run_loss, run_norm, n_run = 0.0, 0.0, 0
    for step in range(1, steps + 1):
        x, y = batch_fn(rng)
        out = model.forward(x)
        if not np.all(np.isfinite(out)):
            raise _err(f"{where}: training diverged at step {step}: the model output is NaN or inf (try a smaller "
                       f"learning rate or clip_norm)",
                       f"{where}：训练在第 {step} 步发散：模型输出为 NaN 或 inf（可减小学习率或设置 clip_norm）",
                       FloatingPointError)
        L, dout = fn(out, y)
        model.backward(dout)
        norm = clip_grad_norm(model, clip_norm) if clip_norm is not None else global_norm(model)
        optimizer.step()
        run_loss, run_norm, n_run = run_loss + L, run_norm + norm, n_run + 1
        if step % eval_every == 0 or step == steps:
            ev_loss, ev_acc = evaluate(model, x_ev, y_ev, name, tol)
            hist["step"].append(step)
            hist["train_loss"].append(run_loss / n_run)
            hist["grad_norm"].append(run_norm / n_run)
            hist["loss"].append(ev_loss)
            hist["accuracy"].append(ev_acc)
            if verbose:
                print(f"step {step:>{len(str(steps))}d}/{steps}  train loss {run_loss / n_run:.4f}  "
                      f"eval loss {ev_loss:.4f}  eval acc {ev_acc:.3f}")
            run_loss, run_norm, n_run = 0.0, 0.0, 0
    return hist
