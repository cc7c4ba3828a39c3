"""The learning-rate grid behind chapter 7's reversal experiment (section 7.2).

Both models of the chapter — the decoder that sees only the encoder's last state and the decoder that attends — are
trained exactly as in the notebook (EncoderDecoder, 8 symbols, H = 32, Adam, 300 updates of 32 sequences, clipping at
norm 1, accuracy per symbol on 500 held-out sequences, seeds 0, 1, 2) at three learning rates and two lengths.
The chapter uses the learning rate that is best for both. Run: ``python benchmarks/attention_lr_grid.py``.
"""
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import numpy as np  # noqa: E402

from lstm_lib import optim  # noqa: E402
from lstm_lib.attention import EncoderDecoder  # noqa: E402
from lstm_lib.tasks import reverse_sequence  # noqa: E402


def accuracy(T, attention, seed, lr, steps=300, H=32, V=8, B=32):
    model = EncoderDecoder(V, H, max_len=T, attention=attention, seed=seed)
    opt, rng = optim.Adam(model, lr=lr), np.random.default_rng(seed)
    for _ in range(steps):
        x, y = reverse_sequence(T, B, V, rng=rng)
        _, dlogits, _ = model.loss(x, y)
        model.backward(dlogits)
        optim.clip_grad_norm(model, 1.0)
        opt.step()
    x, y = reverse_sequence(T, 500, V, seed=1000 + seed)
    return float(np.mean(model.predict(x).argmax(-1) == y))


if __name__ == "__main__":
    print("| lr | T | bottleneck (seeds 0, 1, 2) | attention (seeds 0, 1, 2) |")
    print("| --- | --- | --- | --- |")
    for lr in (0.01, 0.03, 0.1):
        for T in (8, 16):
            cols = [", ".join(f"{accuracy(T, att, s, lr):.3f}" for s in (0, 1, 2)) for att in (False, True)]
            print(f"| {lr} | {T} | {cols[0]} | {cols[1]} |", flush=True)
