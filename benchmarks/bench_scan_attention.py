"""Chapter 7's timings: the minGRU recurrence as a Python loop vs the log-space scan, and a self-attention layer vs
an LSTM layer, against the sequence length. CPU time (time.process_time), fastest of 5 runs, one BLAS thread.
Run: ``python benchmarks/bench_scan_attention.py``."""
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import numpy as np  # noqa: E402

import lstm_lib  # noqa: E402
from lstm_lib.min_rnn import scan_parallel_log, scan_sequential  # noqa: E402
from lstm_lib.self_attention import SelfAttention  # noqa: E402


def best(f, n=5):
    times = []
    for _ in range(n):
        t0 = time.process_time()
        f()
        times.append(time.process_time() - t0)
    return min(times)


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    print("| T | B·H | loop (ms) | log-space scan (ms) | scan / loop |")
    print("| --- | --- | --- | --- | --- |")
    for BH in ((1, 1), (4, 16), (16, 64)):
        for T in (1000, 4000, 16000):
            a, b = rng.uniform(0.5, 1, (T, *BH)), rng.uniform(0, 1, (T, *BH))
            la, lb, lh = np.log(a), np.log(b), np.full(BH, -np.inf)
            tl = best(lambda: scan_sequential(a, b, np.zeros(BH)))
            ts = best(lambda: scan_parallel_log(la, lb, lh))
            print(f"| {T} | {BH[0] * BH[1]} | {1e3 * tl:.2f} | {1e3 * ts:.2f} | {ts / tl:.2f} |")
    print("\n| T | self-attention (ms) | LSTM layer (ms) |")
    print("| --- | --- | --- |")
    sa, lstm = SelfAttention(16, 16, seed=0), lstm_lib.LSTM(16, 16, seed=0)
    for T in (256, 512, 1024, 2048):
        x = rng.normal(size=(T, 1, 16))
        print(f"| {T} | {1e3 * best(lambda: sa.forward(x)):.2f} | {1e3 * best(lambda: lstm.forward(x)):.2f} |")
