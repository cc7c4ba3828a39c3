"""Learning-rate grids behind the two training experiments of chapters 3 and 4 (run by hand; the latest figures are
in benchmarks/README.md, section "Chapters 3–4: learning-rate grids").

1. Chapter 3, section 3.5 — ``remember_first`` at gap k = 80 with chapter 2's set-up (4 symbols, 4 distractors,
   H = 16, Adam, batch 64, clipping at norm 1), 300 steps, held-out accuracy on 512 sequences, seeds 0–2:
   the RNN and the LSTM with forget bias 3, learning rates {0.003, 0.01, 0.03, 0.1}.
2. Chapter 4, section 4.5 — the continual embedded Reber stream: LSTM and LSTM1997, H = 12, 16 never-reset streams,
   truncated BPTT over chunks of 40 symbols with the state carried on, Adam, clipping at 1, 800 updates; test on four
   fresh streams of 3000 symbols; accuracy on the critical steps (closing T/P) and Gers et al.'s legal-set score;
   learning rates {0.003, 0.01, 0.03}, seeds 0–2.

The notebooks use, for each model, the learning rate with the best median over seeds.

    OPENBLAS_NUM_THREADS=1 PYTHONPATH=. python benchmarks/ch34_grids.py [gap|reber]
"""
import sys

import numpy as np

import lstm_lib
from lstm_lib import nn, optim, tasks, train


def remember_first_accuracy(make_cell, lr, seed, gap=80, steps=300, H=16, n=4, m=4):
    model = train.Seq(make_cell(seed), nn.Linear(H, n, seed=seed + 1000))
    held_out = tasks.remember_first(gap, 512, n, m, seed=10_000 + seed)
    batches = lambda rng: tasks.remember_first(gap, 64, n, m, rng=rng)   # noqa: E731
    hist = train.fit(model, batches, steps, optim.Adam(model, lr=lr), loss="ce", clip_norm=1.0,
                     eval_data=held_out, eval_every=steps, seed=seed)
    return hist["accuracy"][-1]


def reber_scores(cls, seed, lr, H=12, B=16, T=40, steps=800, test_T=3000):
    cell, head = cls(7, H, seed=seed), nn.Linear(H, 7, seed=seed)
    opt = optim.Adam([cell, head], lr=lr)
    stream, state = tasks.ReberStream(B, seed=1000 + seed), None
    for _ in range(steps):
        x, y, _, _ = stream.chunk(T)
        out, state = cell.forward(x, state)
        _, dlogits = nn.softmax_cross_entropy(head.forward(out), y)
        cell.backward(head.backward(dlogits))
        optim.clip_grad_norm([cell, head], 1.0)
        opt.step()
    x, y, legal, critical = tasks.ReberStream(4, seed=99).chunk(test_T)
    p = nn.softmax(head.forward(cell.forward(x)[0]))
    return (p.argmax(-1) == y)[critical].mean(), tasks.next_symbol_correct(p, legal).mean()


if __name__ == "__main__":
    which = sys.argv[1:] or ["gap", "reber"]
    if "gap" in which:
        models = {"RNN": lambda s: lstm_lib.RNN(8, 16, seed=s),
                  "LSTM b_f=1": lambda s: lstm_lib.LSTM(8, 16, seed=s),
                  "LSTM b_f=3": lambda s: lstm_lib.LSTM(8, 16, seed=s, forget_bias=3.0)}
        for name, make in models.items():
            for lr in (0.003, 0.01, 0.03, 0.1):
                acc = [remember_first_accuracy(make, lr, s) for s in range(3)]
                print(f"remember_first k=80  {name:10s} lr={lr:<5g} accuracy {np.round(acc, 3)} "
                      f"median {np.median(acc):.3f}", flush=True)
    if "reber" in which:
        for cls in (lstm_lib.LSTM, lstm_lib.LSTM1997):
            for lr in (0.003, 0.01, 0.03):
                r = np.array([reber_scores(cls, s, lr) for s in range(3)])
                print(f"continual Reber  {cls.__name__:8s} lr={lr:<5g} critical {np.round(r[:, 0], 3)} "
                      f"legal {np.round(r[:, 1], 3)} medians {np.median(r[:, 0]):.3f} {np.median(r[:, 1]):.3f}",
                      flush=True)
