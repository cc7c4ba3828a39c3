"""Time one training update of chapter 8's character model: lstm_lib vs the same model in PyTorch (CPU).

    python benchmarks/bench_charlm.py [--repeats 15] [--threads 1] [--cpu-time] [--corpus kjv_psalms|tang300]

One update = embedding → LSTM over a chunk (T, B) → projection to V logits at every step → softmax cross-entropy →
backward through all of it → global-norm clipping → one Adam step. The configurations are those of the shipped
models (``lstm_lib/data/make_models.py``): kjv_psalms (V = 73, E = 32, H = 256, B = 32, T = 64) and tang300
(V = 2578, E = 32, H = 128, B = 16, T = 64), float32. PyTorch gets the same weights (``nn.Embedding``, ``nn.LSTM``,
``nn.Linear``, ``F.cross_entropy``, ``clip_grad_norm_``, ``torch.optim.Adam``); the first update's loss and the
updated weights are compared before timing. Rounds are interleaved (ours, torch, ours, …); each figure is
min / median over the rounds. Torch is optional: without it only lstm_lib is timed.
"""
import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from lstm_lib import charlm, corpus, nn, optim  # noqa: E402

try:
    import torch
except ImportError:
    torch = None
try:
    import threadpoolctl
except ImportError:
    threadpoolctl = None

CONFIGS = {"kjv_psalms": dict(E=32, H=256, B=32, T=64), "tang300": dict(E=32, H=128, B=16, T=64)}


def setup(name, lr=3e-3):
    c = CONFIGS[name]
    text = corpus.load(name)
    vocab = corpus.Vocab(text)
    ids = vocab.encode(text)
    x, y = next(corpus.tbptt_batches(ids, c["B"], c["T"]))
    model = charlm.make_model(len(vocab), "LSTM", c["H"], c["E"], seed=0, dtype=np.float32)
    opt = optim.Adam(model, lr=lr)

    def ours():
        logits = model.forward(x)
        loss, dlogits = nn.softmax_cross_entropy(logits, y)
        model.backward(dlogits)
        optim.clip_grad_norm(model, 1.0)
        opt.step()
        return loss

    runs = {"lstm_lib": ours}
    if torch is not None:
        V, E, H = len(vocab), c["E"], c["H"]
        emb, lstm, head = torch.nn.Embedding(V, E), torch.nn.LSTM(E, H), torch.nn.Linear(H, V)
        with torch.no_grad():
            emb.weight.copy_(torch.from_numpy(model.embedding.params["E"]))
            lstm.load_state_dict({k: torch.from_numpy(v) for k, v in model.cell.to_torch().items()})
            head.weight.copy_(torch.from_numpy(model.head.params["W"].T.copy()))
            head.bias.copy_(torch.from_numpy(model.head.params["b"]))
        params = [*emb.parameters(), *lstm.parameters(), *head.parameters()]
        topt = torch.optim.Adam(params, lr=lr)
        xt, yt = torch.from_numpy(x), torch.from_numpy(y)

        def theirs():
            topt.zero_grad()
            out, _ = lstm(emb(xt))
            loss = torch.nn.functional.cross_entropy(head(out).reshape(-1, V), yt.reshape(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            topt.step()
            return float(loss)

        runs["torch"] = theirs
        l0, l1 = ours(), theirs()
        assert abs(l0 - l1) < 1e-4 * abs(l0), (l0, l1)
        # after one identical update the head weights agree (Adam's first step is ±lr per entry, so compare loosely)
        assert np.abs(head.weight.detach().numpy().T - model.head.params["W"]).max() < 1e-4
    return runs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--cpu-time", action="store_true")
    ap.add_argument("--corpus", choices=sorted(CONFIGS), action="append")
    args = ap.parse_args()
    if args.cpu_time and args.threads != 1:
        ap.error("--cpu-time needs --threads 1")
    if args.threads:
        if torch is not None:
            torch.set_num_threads(args.threads)
        if threadpoolctl:
            threadpoolctl.threadpool_limits(args.threads)
    clock = time.process_time if args.cpu_time else time.perf_counter
    print(f"- load average before: {os.getloadavg()[0]:.2f}")
    print("| model (V, E, H, B, T) | lstm_lib ms | torch ms | lstm_lib / torch | lstm_lib updates/s |")
    print("| --- | --- | --- | --- | --- |")
    for name in args.corpus or sorted(CONFIGS):
        runs = setup(name)
        times = {k: [] for k in runs}
        for _ in range(args.repeats):
            for k, run in runs.items():
                t0 = clock()
                run()
                times[k].append((clock() - t0) * 1e3)
        t = {k: np.array(v) for k, v in times.items()}
        c = CONFIGS[name]
        size = f"{name} ({len(corpus.Vocab(corpus.load(name)))}, {c['E']}, {c['H']}, {c['B']}, {c['T']})"
        ours = f"{t['lstm_lib'].min():.1f} / {np.median(t['lstm_lib']):.1f}"
        if "torch" in t:
            theirs = f"{t['torch'].min():.1f} / {np.median(t['torch']):.1f}"
            ratio = (f"{t['lstm_lib'].min() / t['torch'].min():.2f}× / "
                     f"{np.median(t['lstm_lib']) / np.median(t['torch']):.2f}×")
        else:
            theirs = ratio = "–"
        print(f"| {size} | {ours} | {theirs} | {ratio} | {1e3 / np.median(t['lstm_lib']):.1f} |")
    print(f"- load average after: {os.getloadavg()[0]:.2f}; threads {args.threads or 'default'}; "
          f"clock {'process CPU' if args.cpu_time else 'wall'}; repeats {args.repeats}; float32")


if __name__ == "__main__":
    main()
