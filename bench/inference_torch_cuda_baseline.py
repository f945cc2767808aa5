#!/usr/bin/env python3
"""The PyTorch baseline of bench/inference_cuda_bench: the same MLP (64-256-256-1, Linear with
ReLU, Tanh, Sigmoid), float32 (TF32 off, as the guiju executor computes), on one GPU, eager and
replayed from a CUDA graph, under torch.inference_mode().

What is timed matches the guiju figures it is set beside:
- latency at batch 1, host -> GPU -> host: the row copied from pinned host memory to the GPU,
  the model, the result copied back to pinned host memory, the stream synchronised; each call
  timed with perf_counter_ns after a warm-up;
- throughput at each --batches size, the same way ("host": a synchronous call that starts and
  ends in pinned host memory), and with the batch already on the GPU ("device": the model alone,
  synchronised after every call, as guiju's run_on_device is).

Prints one line per figure:

    latency variant=eager batch=1 p50_ns=... p90_ns=... p99_ns=... samples=...
    throughput variant=graphs path=host batch=256 per_s=... calls=...

Exits with status 3 and a reason on stderr when torch or a CUDA device is missing.
Usage: inference_torch_cuda_baseline.py [--samples N] [--batches 256,65536] [--device D]
                                        [--seconds S]
"""

import argparse
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


def percentile(samples, q):
    return samples[int(q * (len(samples) - 1))]


class Runner:
    """One way of running the model on `batch` rows: eager, or a captured CUDA graph."""

    def __init__(self, model, batch, device, graphs):
        self.model = model
        self.stream = torch.cuda.current_stream(device)
        self.x_host = torch.randn(batch, 64).pin_memory()
        self.y_host = torch.empty(batch, 1).pin_memory()
        self.x = torch.zeros(batch, 64, device=device)
        self.graph = None
        if graphs:
            # Warm up on a side stream before capture, as torch's documentation asks.
            side = torch.cuda.Stream(device)
            side.wait_stream(self.stream)
            with torch.cuda.stream(side):
                for _ in range(3):
                    self.model(self.x)
            self.stream.wait_stream(side)
            self.graph = torch.cuda.CUDAGraph()
            with torch.cuda.graph(self.graph):
                self.y = self.model(self.x)
        else:
            self.y = self.model(self.x)

    def compute(self):
        if self.graph is not None:
            self.graph.replay()
        else:
            self.y = self.model(self.x)

    def host_call(self):
        self.x.copy_(self.x_host, non_blocking=True)
        self.compute()
        self.y_host.copy_(self.y, non_blocking=True)
        self.stream.synchronize()

    def device_call(self):
        self.compute()
        self.stream.synchronize()


def latency(name, runner, samples):
    for _ in range(max(1000, samples // 10)):
        runner.host_call()
    clock = time.perf_counter_ns
    times = []
    for _ in range(samples):
        t0 = clock()
        runner.host_call()
        times.append(clock() - t0)
    times.sort()
    print(f"latency variant={name} batch=1 p50_ns={percentile(times, 0.50)} "
          f"p90_ns={percentile(times, 0.90)} p99_ns={percentile(times, 0.99)} "
          f"samples={samples}", flush=True)


def throughput(name, path, runner, batch, seconds):
    call = runner.host_call if path == "host" else runner.device_call
    for _ in range(10):
        call()
    calls = 0
    t0 = time.perf_counter()
    while True:
        call()
        calls += 1
        elapsed = time.perf_counter() - t0
        if elapsed >= seconds and calls >= 10:
            break
    print(f"throughput variant={name} path={path} batch={batch} "
          f"per_s={batch * calls / elapsed:.0f} calls={calls}", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=20000)
    parser.add_argument("--batches", default="256,65536")
    parser.add_argument("--device", type=int, default=0)
    parser.add_argument("--seconds", type=float, default=1.0)
    args = parser.parse_args()
    if not torch.cuda.is_available():
        print(f"torch {torch.__version__} sees no CUDA device (torch.cuda.is_available() is "
              f"False; built for CUDA {torch.version.cuda})", file=sys.stderr)
        sys.exit(3)
    warnings.filterwarnings("ignore")
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    device = torch.device("cuda", args.device)
    torch.cuda.set_device(device)
    torch.manual_seed(1)
    print(f"device name={torch.cuda.get_device_name(device).replace(' ', '_')} "
          f"torch={torch.__version__} cuda={torch.version.cuda}", flush=True)
    model = mlp().to(device)
    batches = [int(b) for b in args.batches.split(",") if b]
    with torch.inference_mode():
        for name, graphs in (("eager", False), ("graphs", True)):
            latency(name, Runner(model, 1, device, graphs), args.samples)
        for batch in batches:
            for name, graphs in (("eager", False), ("graphs", True)):
                runner = Runner(model, batch, device, graphs)
                for path in ("host", "device"):
                    throughput(name, path, runner, batch, args.seconds)
                del runner
                torch.cuda.empty_cache()


if __name__ == "__main__":
    main()
