#!/usr/bin/env python3
"""The PyTorch baseline of bench/inference_cpu_bench: the same MLP (64-256-256-1, Linear with
ReLU, Tanh, Sigmoid) at batch 1 on the CPU, one thread, under torch.inference_mode(), timed call by
call with perf_counter_ns after a warm-up. Also TorchScript (traced and frozen), torch's own
fastest way to serve it. Prints one line per variant:

    eager p50_ns=... p99_ns=... samples=...
    torchscript p50_ns=... p99_ns=... samples=...

Exits with status 3 and a reason on stderr when torch is missing.
Usage: inference_torch_baseline.py [--samples N] [--cpu C]
"""

import argparse
import os
import sys
import time
import warnings

try:
    import torch
except ImportError as e:
    print(f"torch is not available to {sys.executable}: {e}", file=sys.stderr)
    sys.exit(3)


def mlp():
    return torch.nn.Sequential(
        torch.nn.Linear(64, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 256), torch.nn.Tanh(),
        torch.nn.Linear(256, 1), torch.nn.Sigmoid()).eval()


def percentiles(samples):
    samples.sort()
    def at(q):
        return samples[int(q * (len(samples) - 1))]
    return at(0.50), at(0.99)


def measure(name, model, x, n):
    with torch.inference_mode():
        for _ in range(max(1000, n // 10)):
            model(x)
        samples = []
        clock = time.perf_counter_ns
        for _ in range(n):
            t0 = clock()
            model(x)
            samples.append(clock() - t0)
    p50, p99 = percentiles(samples)
    print(f"{name} p50_ns={p50} p99_ns={p99} samples={n}", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=20000)
    parser.add_argument("--cpu", type=int, default=-1)
    args = parser.parse_args()
    if args.cpu >= 0:
        os.sched_setaffinity(0, {args.cpu})
    warnings.filterwarnings("ignore")
    torch.set_num_threads(1)
    torch.manual_seed(1)
    model = mlp()
    x = torch.randn(1, 64)
    measure("eager", model, x, args.samples)
    with torch.inference_mode():
        scripted = torch.jit.freeze(torch.jit.trace(model, x).eval())
    measure("torchscript", scripted, x, args.samples)


if __name__ == "__main__":
    main()
