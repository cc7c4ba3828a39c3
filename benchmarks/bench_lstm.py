"""Time LSTM forward + backward: lstm_lib.LSTM vs PyTorch's CPU nn.LSTM vs a naive per-gate numpy LSTM.

Run (unset the two OpenBLAS variables for this command only, if the machine sets them):

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/bench_lstm.py [--repeats 15] [--threads 1] [--cpu-time]

``--cpu-time`` (only with ``--threads 1``) times with the process's CPU clock instead of the wall clock: on a machine
shared with other jobs it leaves out the time this process spends waiting for a core.

One process, float32 (or ``--dtype float64``), sizes (T, B, D, H) = (64, 32, 64, 128) and (32, 32, 256, 512). The three implementations get
the same weights and inputs; their outputs and input gradients are compared before timing (so a fast wrong answer
cannot win). Timing rounds are interleaved (ours, torch, naive, ours, ...) so that a change in machine load hits all
three alike. Reported per implementation: the minimum (the best estimate of the cost on an idle machine: load only
ever adds time) and the median; ratios are given for both. PyTorch is optional: without it the torch column is
skipped. Prints a Markdown table and the machine description for benchmarks/README.md.
"""
import argparse
import os
import platform
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import lstm_lib  # noqa: E402

try:
    import torch
except ImportError:  # optional cross-check only
    torch = None
try:
    import threadpoolctl
except ImportError:
    threadpoolctl = None

SIZES = [(64, 32, 64, 128), (32, 32, 256, 512)]


# ---- the naive reference: one matrix per gate, concatenation and per-step weight gradients, fresh arrays everywhere
def _sig(x):
    return 1.0 / (1.0 + np.exp(-x))


class NaiveLSTM:
    """Per-gate weights W_f, W_i, W_C, W_o of shape (H + D, H), as a first implementation would write it."""

    def __init__(self, cell):
        H = cell.hidden_size
        self.H = H
        self.W = {g: cell.params["W"][:, cell.gate_slice(g)].copy() for g in ("f", "i", "c_tilde", "o")}
        self.b = {g: cell.params["b"][cell.gate_slice(g)].copy() for g in ("f", "i", "c_tilde", "o")}

    def forward(self, x):
        T, B, _ = x.shape
        h = np.zeros((B, self.H), x.dtype)
        c = np.zeros((B, self.H), x.dtype)
        self.cache, ys = [], []
        for t in range(T):
            z = np.concatenate([h, x[t]], axis=1)
            f = _sig(z @ self.W["f"] + self.b["f"])
            i = _sig(z @ self.W["i"] + self.b["i"])
            c_tilde = np.tanh(z @ self.W["c_tilde"] + self.b["c_tilde"])
            o = _sig(z @ self.W["o"] + self.b["o"])
            c_prev, c = c, f * c + i * c_tilde
            h = o * np.tanh(c)
            self.cache.append((z, f, i, c_tilde, o, c_prev, c))
            ys.append(h)
        return np.stack(ys)

    def backward(self, dy):
        H = self.H
        dW = {g: np.zeros_like(w) for g, w in self.W.items()}
        db = {g: np.zeros_like(b) for g, b in self.b.items()}
        dh_next = np.zeros_like(dy[0])
        dc_next = np.zeros_like(dy[0])
        dxs = []
        for t in reversed(range(len(self.cache))):
            z, f, i, c_tilde, o, c_prev, c = self.cache[t]
            dh = dy[t] + dh_next
            tc = np.tanh(c)
            do = dh * tc * o * (1 - o)
            dc = dc_next + dh * o * (1 - tc ** 2)
            df = dc * c_prev * f * (1 - f)
            di = dc * c_tilde * i * (1 - i)
            dct = dc * i * (1 - c_tilde ** 2)
            dz = np.zeros_like(z)
            for g, d in (("f", df), ("i", di), ("c_tilde", dct), ("o", do)):
                dW[g] += z.T @ d
                db[g] += d.sum(axis=0)
                dz += d @ self.W[g].T
            dh_next, dc_next = dz[:, :H], dc * f
            dxs.append(dz[:, H:])
        self.dW, self.db = dW, db
        return np.stack(dxs[::-1])


def machine():
    lines = []
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    lines.append(f"- CPU: {cpu}; nproc = {os.cpu_count()}; {platform.system()} {platform.release()}")
    lines.append(f"- Python {platform.python_version()}, numpy {np.__version__}"
                 + (f", torch {torch.__version__} (threads {torch.get_num_threads()})" if torch else ", torch absent"))
    if threadpoolctl:
        for info in threadpoolctl.threadpool_info():
            lines.append(f"- threadpool: {info.get('internal_api')} {info.get('version') or ''} "
                         f"kernel={info.get('architecture', '-')} threads={info.get('num_threads')} "
                         f"({os.path.basename(info.get('filepath', ''))})")
    else:
        lines.append("- threadpoolctl not installed: BLAS kernel not recorded")
    lines.append("- OPENBLAS_CORETYPE=" + os.environ.get("OPENBLAS_CORETYPE", "(unset)")
                 + ", OPENBLAS_L2_SIZE=" + os.environ.get("OPENBLAS_L2_SIZE", "(unset)"))
    try:
        lines.append("- git commit: " + subprocess.check_output(["git", "rev-parse", "--short", "HEAD"],
                                                               cwd=os.path.dirname(__file__), text=True).strip())
    except Exception:
        pass
    return "\n".join(lines)


def bench(size, repeats, rng, clock=time.perf_counter, dtype=np.float32):
    T, B, D, H = size
    cell = lstm_lib.LSTM(D, H, seed=0, dtype=dtype)
    x = rng.standard_normal((T, B, D)).astype(dtype)
    dy = rng.standard_normal((T, B, H)).astype(dtype)
    naive = NaiveLSTM(cell)

    def run_ours():
        y, _ = cell.forward(x)
        return y, cell.backward(dy)

    def run_naive():
        y = naive.forward(x)
        return y, naive.backward(dy)

    runs = {"lstm_lib": run_ours, "naive numpy": run_naive}
    if torch is not None:
        module = torch.nn.LSTM(D, H).to(torch.float64 if dtype == np.float64 else torch.float32)
        module.load_state_dict({k: torch.from_numpy(v) for k, v in cell.to_torch().items()})
        xt = torch.from_numpy(x).requires_grad_(True)
        dyt = torch.from_numpy(dy)

        def run_torch():
            xt.grad = None
            module.zero_grad()
            y, _ = module(xt)
            y.backward(dyt)
            return y.detach().numpy(), xt.grad.numpy()

        runs["torch nn.LSTM"] = run_torch

    # same answers first
    y0, dx0 = run_ours()
    for name, run in runs.items():
        y, dx = run()
        err_y = np.abs(y - y0).max() / np.abs(y0).max()
        err_dx = np.abs(dx - dx0).max() / np.abs(dx0).max()
        assert err_y < 1e-4 and err_dx < 1e-4, (name, err_y, err_dx)

    times = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            t0 = clock()
            run()
            times[name].append(clock() - t0)
    return {name: np.array(ts) * 1e3 for name, ts in times.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--threads", type=int, default=None, help="limit BLAS/torch threads (default: library defaults)")
    ap.add_argument("--cpu-time", action="store_true", help="CPU clock instead of wall clock (needs --threads 1)")
    ap.add_argument("--dtype", choices=("float32", "float64"), default="float32")
    args = ap.parse_args()
    if args.cpu_time and args.threads != 1:
        ap.error("--cpu-time needs --threads 1 (with more threads the CPU clock adds up the threads, spinning included)")
    limiter = None
    if args.threads:
        if torch is not None:
            torch.set_num_threads(args.threads)
        if threadpoolctl:
            limiter = threadpoolctl.threadpool_limits(args.threads)
    print(machine())
    print(f"- load average before: {os.getloadavg()[0]:.2f}")
    print()
    print("| (T, B, D, H) | lstm_lib ms | torch ms | naive numpy ms | lstm_lib / torch | naive / lstm_lib |")
    print("| --- | --- | --- | --- | --- | --- |")
    rng = np.random.default_rng(0)
    for size in SIZES:
        t = bench(size, args.repeats, rng, time.process_time if args.cpu_time else time.perf_counter,
                  np.dtype(args.dtype).type)

        def fmt(name):
            if name not in t:
                return "–"
            v = t[name]
            return f"{v.min():.1f} / {np.median(v):.1f}"

        def ratio(a, b):
            if a not in t or b not in t:
                return "–"
            return f"{t[a].min() / t[b].min():.2f}× / {np.median(t[a]) / np.median(t[b]):.2f}×"
        print(f"| {size} | {fmt('lstm_lib')} | {fmt('torch nn.LSTM')} | {fmt('naive numpy')} | "
              f"{ratio('lstm_lib', 'torch nn.LSTM')} | {ratio('naive numpy', 'lstm_lib')} |")
    print()
    print(f"- load average after: {os.getloadavg()[0]:.2f}; threads limit: {args.threads or 'library default'}; "
          f"repeats: {args.repeats}; clock: {'process CPU' if args.cpu_time else 'wall'}; "
          f"each cell: min / median of forward+backward in ms, {args.dtype}")
    if limiter is not None:
        limiter.unregister()


if __name__ == "__main__":
    main()
