#!/usr/bin/env python3
"""PyTorch CPU peer of jrnn's performance study (run by ./jrnn bench; not a test).

Times, on one thread, the same shapes as the Java benchmarks:
  forward  nn.RNN (tanh) / nn.GRU / nn.LSTM over a whole sequence (seq_len, batch, hidden), input size = hidden,
           h0 omitted (zeros), under torch.no_grad()
  cell     one step of nn.RNNCell (tanh) / nn.GRUCell / nn.LSTMCell at batch 1, under torch.no_grad()
  train    forward + MSE loss against a fixed random target + backward + torch.optim.Adam step (lr 1e-3)
Each case is warmed up, then timed as `repeats` samples of k calls (k chosen so a sample lasts at least
--sample-seconds); the per-call median is what the study compares against.

Prints one JSON object on stdout. When torch cannot be imported it prints {"available": false, "reason": ...}
and exits 0, so the study can say so instead of inventing numbers.
"""
import os

# Set before torch (and its BLAS / OpenMP runtimes) load; set_num_threads below covers torch's own pool.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402


def int_list(text):
    return [int(v) for v in text.split(",") if v]


def str_list(text):
    return [v for v in text.split(",") if v]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--modes", type=str_list, default=["RNN_TANH", "GRU", "LSTM"])
    p.add_argument("--batches", type=int_list, default=[1, 32, 64])
    p.add_argument("--hiddens", type=int_list, default=[128, 256, 512])
    p.add_argument("--seq-len", type=int, default=100)
    p.add_argument("--cell-hiddens", type=int_list, default=[128, 256, 512])
    p.add_argument("--train-modes", type=str_list, default=["GRU", "LSTM"])
    p.add_argument("--train-batch", type=int, default=32)
    p.add_argument("--train-hidden", type=int, default=256)
    p.add_argument("--train-seq-len", type=int, default=50)
    p.add_argument("--repeats", type=int, default=15)
    p.add_argument("--warmup-seconds", type=float, default=1.0)
    p.add_argument("--sample-seconds", type=float, default=0.2)
    return p.parse_args()


def time_per_call(fn, repeats, warmup_seconds, sample_seconds):
    """Median, minimum and all samples of the per-call time of fn(), in seconds."""
    start = time.perf_counter()
    calls = 0
    while calls < 3 or time.perf_counter() - start < warmup_seconds:
        fn()
        calls += 1
    per_call = (time.perf_counter() - start) / calls
    k = max(1, int(sample_seconds / per_call))
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(k):
            fn()
        samples.append((time.perf_counter() - t0) / k)
    return {"medianSeconds": statistics.median(samples), "minSeconds": min(samples),
            "callsPerSample": k, "samples": samples}


def layer(torch, mode, input_size, hidden):
    nn = torch.nn
    if mode == "RNN_TANH":
        return nn.RNN(input_size, hidden, nonlinearity="tanh")
    if mode == "GRU":
        return nn.GRU(input_size, hidden)
    if mode == "LSTM":
        return nn.LSTM(input_size, hidden)
    raise ValueError(f"mode must be RNN_TANH, GRU or LSTM, got {mode!r}")


def cell(torch, mode, input_size, hidden):
    nn = torch.nn
    if mode == "RNN_TANH":
        return nn.RNNCell(input_size, hidden, nonlinearity="tanh")
    if mode == "GRU":
        return nn.GRUCell(input_size, hidden)
    if mode == "LSTM":
        return nn.LSTMCell(input_size, hidden)
    raise ValueError(f"mode must be RNN_TANH, GRU or LSTM, got {mode!r}")


def loaded_native_libraries():
    """Shared libraries in this process whose name says BLAS, MKL, oneDNN or OpenMP (which BLAS torch really uses)."""
    names = set()
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1] if line.strip() else ""
                base = os.path.basename(path).lower()
                if path.startswith("/") and any(w in base for w in ("blas", "mkl", "dnnl", "omp", "lapack")):
                    names.add(path)
    except OSError:
        pass
    return sorted(names)


def main():
    args = parse_args()
    try:
        import torch
    except Exception as e:  # any import failure means: no peer here
        print(json.dumps({"available": False, "reason": f"torch is not importable by {sys.executable}: {e}"}))
        return 0
    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass  # already set in this process
    torch.manual_seed(0)
    timing = dict(repeats=args.repeats, warmup_seconds=args.warmup_seconds, sample_seconds=args.sample_seconds)
    results = []

    with torch.no_grad():
        for mode in args.modes:
            for hidden in args.hiddens:
                module = layer(torch, mode, hidden, hidden).eval()
                for batch in args.batches:
                    x = torch.randn(args.seq_len, batch, hidden)
                    stats = time_per_call(lambda: module(x), **timing)
                    results.append(dict(kind="forward", mode=mode, batch=batch, hidden=hidden, input=hidden,
                                        seqLen=args.seq_len, **stats))
            for hidden in args.cell_hiddens:
                step = cell(torch, mode, hidden, hidden).eval()
                x = torch.randn(1, hidden)
                h = torch.randn(1, hidden)
                state = (h, torch.randn(1, hidden)) if mode == "LSTM" else h
                stats = time_per_call(lambda: step(x, state), **timing)
                results.append(dict(kind="cell", mode=mode, batch=1, hidden=hidden, input=hidden, seqLen=1,
                                    **stats))

    for mode in args.train_modes:
        hidden = args.train_hidden
        module = layer(torch, mode, hidden, hidden).train()
        optimizer = torch.optim.Adam(module.parameters(), lr=1e-3)
        x = torch.randn(args.train_seq_len, args.train_batch, hidden)
        target = torch.randn(args.train_seq_len, args.train_batch, hidden)

        def train_step():
            optimizer.zero_grad()
            output, _ = module(x)
            torch.nn.functional.mse_loss(output, target).backward()
            optimizer.step()

        stats = time_per_call(train_step, **timing)
        results.append(dict(kind="train", mode=mode, batch=args.train_batch, hidden=hidden, input=hidden,
                            seqLen=args.train_seq_len, **stats))

    config = torch.__config__.show()
    blas = [part.strip() for part in config.replace("\n", ",").split(",") if "BLAS" in part]
    print(json.dumps({
        "available": True,
        "torchVersion": torch.__version__,
        "python": sys.version.split()[0],
        "threads": torch.get_num_threads(),
        "interopThreads": torch.get_num_interop_threads(),
        "env": {v: os.environ.get(v, "(unset)") for v in
                ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_CORETYPE",
                 "OPENBLAS_L2_SIZE")},
        "blasConfig": "; ".join(blas),
        "mkldnnAvailable": bool(torch.backends.mkldnn.is_available()),
        "loadedLibraries": loaded_native_libraries(),
        "results": results,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
