"""Train the models chapter 8 ships, deterministically, and record what the chapter reports about them.

    OPENBLAS_NUM_THREADS=1 python lstm_lib/data/make_models.py tang       # models/tang300_lstm_{N,full}.npz
    OPENBLAS_NUM_THREADS=1 python lstm_lib/data/make_models.py psalms     # models/kjv_psalms_lstm_{N,full}.npz
    OPENBLAS_NUM_THREADS=1 python lstm_lib/data/make_models.py compare    # RNN vs LSTM vs GRU, results only

Each part writes ``models/results_<part>.json``: the configuration, the training loss of every update (nats), the
held-out bits per character at regular intervals, and for the shipped models the SHA-256 of each file.
Everything is seeded: the same machine gives the same files. Another BLAS library rounds differently and the numbers
drift apart slowly over thousands of updates; ``tests/test_charlm.py`` re-runs the first updates of each part and
checks them against the recorded loss curve (to a tolerance far above rounding, far below what a change in the code
would make), and the notebook reads the shipped weights instead of retraining.

Chapter 8 runs in under a minute, so it cannot train these models itself: it trains a few hundred updates live and
loads the rest from here.
"""
import hashlib
import json
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))
from lstm_lib import charlm, corpus  # noqa: E402

MODELS = os.path.join(HERE, "models")

# one configuration per shipped model; batch_size x seq_len characters per update
SHIPPED = {
    "tang": dict(corpus="tang300", cell="LSTM", hidden_size=128, embed_size=32, batch_size=16, seq_len=64, lr=3e-3,
                 seed=0, steps=2000, checkpoint=200, eval_every=100),
    "psalms": dict(corpus="kjv_psalms", cell="LSTM", hidden_size=256, embed_size=32, batch_size=32, seq_len=64,
                   lr=3e-3, seed=0, steps=3000, checkpoint=200, eval_every=100),
}
# RNN vs LSTM vs GRU: the same parameter budget as an LSTM with H = 128, the same updates, a small lr grid, 3 seeds
COMPARE = dict(corpus="kjv_psalms", cells=("RNN", "GRU", "LSTM"), lstm_hidden=128, embed_size=32, batch_size=16,
               seq_len=64, lrs=(1e-3, 3e-3, 1e-2), seeds=(0, 1, 2), steps=800, eval_every=200)


def data(name):
    text = corpus.load(name)
    vocab = corpus.Vocab(text)
    train_text, held_text = corpus.split(text, held_out=0.1)
    return vocab, vocab.encode(train_text), vocab.encode(held_text)


def run(cfg, steps=None, on_eval=None):
    """Train one model as ``cfg`` says; returns (model, vocab, losses, evals) with evals = [(step, held-out bpc)]."""
    vocab, tr, ho = data(cfg["corpus"])
    model = charlm.make_model(len(vocab), cfg["cell"], cfg["hidden_size"], cfg["embed_size"], seed=cfg["seed"])
    evals = [(0, charlm.bits_per_char(model, ho))]

    def callback(step, m):
        if step % cfg["eval_every"] == 0:
            evals.append((step, charlm.bits_per_char(m, ho)))
        if on_eval is not None:
            on_eval(step, m)

    losses = charlm.train(model, tr, steps or cfg["steps"], cfg["batch_size"], cfg["seq_len"], cfg["lr"],
                          seed=cfg["seed"], callback=callback)
    return model, vocab, losses, evals


def first_losses(part, n):
    """The training losses of the first ``n`` updates of a shipped part (what the test compares)."""
    return run(SHIPPED[part], steps=n)[2]


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def make_shipped(part):
    cfg = SHIPPED[part]
    files = {}

    def save_checkpoint(step, model):
        if step in (cfg["checkpoint"], cfg["steps"]):
            tag = "full" if step == cfg["steps"] else str(step)
            path = os.path.join(MODELS, f"{cfg['corpus']}_lstm_{tag}.npz")
            charlm.save(path, model, corpus=cfg["corpus"], updates=step)
            files[tag] = {"file": os.path.basename(path), "updates": step}

    t0 = time.process_time()
    model, vocab, losses, evals = run(cfg, on_eval=save_checkpoint)
    cpu = time.process_time() - t0
    _, _, ho = data(cfg["corpus"])
    for entry in files.values():                 # held-out bpc of the weights as stored (float16)
        m, _ = charlm.load(os.path.join(MODELS, entry["file"]))
        entry["bpc_stored"] = charlm.bits_per_char(m, ho)
        entry["sha256"] = sha256(os.path.join(MODELS, entry["file"]))
    out = {"config": cfg, "n_params": charlm.n_params(model), "losses": losses, "evals": evals, "files": files,
           "cpu_seconds": round(cpu, 1), "updates_per_cpu_second": round(cfg["steps"] / cpu, 2)}
    return out


def make_compare():
    cfg = COMPARE
    vocab, _, _ = data(cfg["corpus"])
    V, E = len(vocab), cfg["embed_size"]
    target = charlm.n_params(charlm.make_model(V, "LSTM", cfg["lstm_hidden"], E))
    runs = []
    for cell in cfg["cells"]:
        H = hidden_for = charlm.hidden_for_params(cell, target, V, E)
        for lr in cfg["lrs"]:
            for seed in cfg["seeds"]:
                c = dict(corpus=cfg["corpus"], cell=cell, hidden_size=hidden_for, embed_size=E,
                         batch_size=cfg["batch_size"], seq_len=cfg["seq_len"], lr=lr, seed=seed, steps=cfg["steps"],
                         eval_every=cfg["eval_every"])
                model, _, losses, evals = run(c)
                runs.append({"cell": cell, "hidden_size": H, "n_params": charlm.n_params(model), "lr": lr,
                             "seed": seed, "evals": evals, "losses_first": losses[:20],
                             "train_loss_last100": float(np.mean(losses[-100:]))})
                print(f"{cell} H={H} lr={lr:g} seed={seed}: held-out bpc {evals[-1][1]:.3f}", flush=True)
    return {"config": cfg, "target_params": target, "runs": runs}


def main():
    part = sys.argv[1] if len(sys.argv) > 1 else ""
    if part not in ("tang", "psalms", "compare"):
        sys.exit("usage: make_models.py tang|psalms|compare")
    os.makedirs(MODELS, exist_ok=True)
    out = make_compare() if part == "compare" else make_shipped(part)
    with open(os.path.join(MODELS, f"results_{part}.json"), "w") as f:
        json.dump(out, f, indent=1)
    print(f"wrote results_{part}.json")


if __name__ == "__main__":
    main()
