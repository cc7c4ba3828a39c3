"""train_many against a loop of train.fit: CPU time per trained model (chapter 2's sweep settings, shorter runs).

Run: OPENBLAS_NUM_THREADS=1 python benchmarks/bench_experiments.py   (CPU time, so a busy machine inflates it little)
"""
import time

import numpy as np

import lstm_lib
from lstm_lib import experiments, nn, optim, tasks, train

N, STEPS, GAP, BATCH = 15, 50, 40, 32
batches = lambda rng: tasks.remember_first(GAP, BATCH, 4, 4, rng=rng)
for kind, make in [("RNN H=16", lambda s: lstm_lib.RNN(8, 16, seed=s)), ("LSTM H=16", lambda s: lstm_lib.LSTM(8, 16, seed=s))]:
    seeds = [m % 5 for m in range(N)]
    t = time.process_time()
    experiments.train_many([make(s) for s in seeds], [nn.Linear(16, 4, seed=s) for s in seeds], batches, STEPS,
                           [0.01] * N, seeds)
    many = (time.process_time() - t) / N
    t = time.process_time()
    for s in seeds[:5]:
        model = train.Seq(make(s), nn.Linear(16, 4, seed=s))
        train.fit(model, batches, STEPS, optim.Adam(model, lr=0.01), loss="ce", seed=s)
    one = (time.process_time() - t) / 5
    print(f"{kind}: train_many {many * 1e3:6.1f} ms per model, train.fit {one * 1e3:6.1f} ms per model "
          f"({N} models, {STEPS} steps, T = {GAP + 1}, batch {BATCH})")
