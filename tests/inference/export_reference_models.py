#!/usr/bin/env python3
"""Exports the reference models of the inference tests with PyTorch and records torch's outputs.

Usage: export_reference_models.py OUT_DIR [--batch N]... [--models a,b] [--seed S]

For each model (all, or those --models names) it writes OUT_DIR/NAME.onnx (opset 17, the batch as
a dynamic first axis), and for batch 1 and each batch N (7 when none is given) random inputs and
the outputs torch computes from them on the CPU, as raw little-endian float32 files, all listed in
OUT_DIR/manifest.json. The C++ tests run the same inputs through the CPU and CUDA executors and
compare. Exits with status 3 and a reason on stderr when torch is missing, so the caller can skip
rather than fail.
"""

import argparse
import array
import inspect
import json
import os
import sys
import warnings

try:
    import torch
except ImportError as e:  # the tests skip on this exit status
    print(f"torch is not available to {sys.executable}: {e}", file=sys.stderr)
    sys.exit(3)


class Mlp(torch.nn.Module):
    """The benchmark's signal model: 64-256-256-1, Linear + ReLU / Tanh / Sigmoid."""

    def __init__(self):
        super().__init__()
        self.net = torch.nn.Sequential(
            torch.nn.Linear(64, 256), torch.nn.ReLU(),
            torch.nn.Linear(256, 256), torch.nn.Tanh(),
            torch.nn.Linear(256, 1), torch.nn.Sigmoid())

    def forward(self, x):
        return self.net(x)


class Mixed(torch.nn.Module):
    """LayerNorm, Softmax, Transpose, broadcasting Mul/Add/Sub/Div, Flatten, Reshape through
    Shape/Gather, MatMul by a constant, LeakyReLU, Unsqueeze/Squeeze, Concat, Gemm."""

    def __init__(self):
        super().__init__()
        self.ln = torch.nn.LayerNorm(16)
        self.scale = torch.nn.Parameter(torch.randn(16, 1))
        self.shift = torch.nn.Parameter(torch.randn(4))
        self.div = torch.nn.Parameter(torch.rand(16, 4) + 1.0)
        self.w = torch.nn.Parameter(torch.randn(16, 8) * 0.25)
        self.fc = torch.nn.Linear(64 + 64 + 32, 8)

    def forward(self, x):  # x: [batch, 4, 16]
        h = self.ln(x)
        a = torch.softmax(h, dim=-1)
        t = h.transpose(1, 2)
        u = (t * self.scale + self.shift - 0.5) / self.div
        f = torch.flatten(u, 1)
        r = a.reshape(a.shape[0], -1)
        m = torch.nn.functional.leaky_relu(torch.matmul(x, self.w), 0.1)
        m = m.unsqueeze(1).squeeze(1).view(x.size(0), -1)
        c = torch.cat([f, r, m], dim=1)
        y = self.fc(c)
        return torch.softmax(y.view(-1, 2, 4), dim=1).reshape(-1, 8)


class Gru(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = torch.nn.GRU(16, 32, batch_first=True)
        self.head = torch.nn.Linear(32, 1)

    def forward(self, x):  # x: [batch, 10, 16]
        y, h = self.rnn(x)
        return y, self.head(h[-1])


class Lstm(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = torch.nn.LSTM(16, 32, batch_first=True)
        self.head = torch.nn.Linear(32, 1)

    def forward(self, x):  # x: [batch, 10, 16]
        y, (h, _) = self.rnn(x)
        return y, self.head(h[-1])


MODELS = [
    ("mlp", Mlp, (64,), ["y"]),
    ("mixed", Mixed, (4, 16), ["y"]),
    ("gru", Gru, (10, 16), ["y", "h"]),
    ("lstm", Lstm, (10, 16), ["y", "h"]),
]


def save(tensor, path):
    t = tensor.detach().to(torch.float32).contiguous()
    try:
        t.numpy().astype("<f4").tofile(path)
    except (ImportError, RuntimeError):  # a torch without numpy beside it
        values = array.array("f", t.flatten().tolist())
        if sys.byteorder != "little":
            values.byteswap()
        with open(path, "wb") as f:
            values.tofile(f)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir")
    parser.add_argument("--batch", type=int, action="append",
                        help="a batch size to record besides 1 (repeatable; default 7)")
    parser.add_argument("--models", default="",
                        help="comma-separated names to export (default: all)")
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()
    # The exporter's advice (GRU and LSTM batch sizes, constant folding) is not for these tests.
    warnings.filterwarnings("ignore")
    os.makedirs(args.out_dir, exist_ok=True)
    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    manifest = {"torch": torch.__version__, "models": []}
    batches = [1] + (args.batch or [7])
    wanted = set(filter(None, args.models.split(",")))
    # torch 2.x may default to its dynamo exporter, which emits other ops; the tests expect the
    # TorchScript-based one, which torch 1.13 has always used.
    legacy = {}
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        legacy["dynamo"] = False
    for name, cls, row_shape, outputs in MODELS:
        if wanted and name not in wanted:
            continue
        model = cls().eval()
        example = torch.randn(2, *row_shape)
        path = os.path.join(args.out_dir, name + ".onnx")
        axes = {n: {0: "batch"} for n in ["x"] + outputs}
        torch.onnx.export(model, (example,), path, input_names=["x"], output_names=outputs,
                          opset_version=17, dynamic_axes=axes, **legacy)
        cases = []
        for batch in batches:
            x = torch.randn(batch, *row_shape)
            with torch.inference_mode():
                ys = model(x)
            if not isinstance(ys, tuple):
                ys = (ys,)
            case = {"batch": batch, "inputs": [], "outputs": []}
            file = f"{name}.b{batch}.x.bin"
            save(x, os.path.join(args.out_dir, file))
            case["inputs"].append({"file": file, "shape": list(x.shape)})
            for out_name, y in zip(outputs, ys):
                file = f"{name}.b{batch}.{out_name}.bin"
                save(y, os.path.join(args.out_dir, file))
                case["outputs"].append({"file": file, "shape": list(y.shape)})
            cases.append(case)
        manifest["models"].append({"name": name, "file": name + ".onnx", "cases": cases})
    with open(os.path.join(args.out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    main()
