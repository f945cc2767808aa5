#!/usr/bin/env python3
"""Trains the ai_signal model: a teacher MLP, then a small student distilled from it.

Both learn the direction of the mid over the next ten book updates (down, flat, up) from the
16 order-book features of features.py, on a seeded synthetic market and on real Binance
BTCUSDT depth and trades read from the shared data directory. Each source is split in time:
the first 80% trains, the last 20% (after a gap of one label horizon, so that no training
label peeks into it) is held out and scored.

What the repository keeps is what the plugin needs, written to --model-dir:
  model.onnx     the student, opset 17 (Gemm, Relu, Softmax), input [batch, 16], output [batch, 3]
  config.yaml    the model's description for the inference service (README: model config)
  features.json  the feature set, names and normalisation constants the plugin applies
and REPORT.md (--report) with both models' figures. The teacher, and a student trained without
the teacher for comparison, go to --out, outside the repository.

Run from anywhere, on one CPU thread, at low priority; a few minutes:
  nice /usr/bin/python3 strategies/ai_signal/train/train.py
The same seed gives the same weights, the same model.onnx and the same report figures.
"""

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

import binance  # noqa: E402
import features  # noqa: E402
import synthetic  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
MODEL_NAME, MODEL_VERSION = "ai_signal", 1
HORIZON = 10  # label: the mid this many valid book updates ahead
CLASSES = ("down", "flat", "up")
CLIP = 5.0
TRAIN_FRACTION = 0.8
TEACHER_LAYERS = (128, 128, 64)
STUDENT_LAYERS = (32, 32)
TRADE_THRESHOLD = 0.2  # the plugin's default entry_threshold on P(up) - P(down)


# ---------------------------------------------------------------------------------------------
# Data


def stream_rows(tick, events):
    """Runs a stream through the plugin's features; returns the rows it would send a request
    for (features ready) with their labels: raw features, mid move in bps, class index."""
    state = features.FeatureState()
    rows, ready, mids = [], [], []
    for event in events:
        if event[0] == "trade":
            state.on_trade(*event[1:])
            continue
        raw = state.on_book(event[1], tick)
        if raw is None:
            continue
        rows.append(raw)
        ready.append(state.ready())
        mids.append(state.mids[-1])
    x, move, label = [], [], []
    for i in range(len(rows) - HORIZON):
        if not ready[i]:
            continue
        delta = mids[i + HORIZON] - mids[i]
        x.append(rows[i])
        move.append(delta / mids[i] * 1e4)
        # The mid moves in half ticks: anything under a quarter tick is float noise, not a move.
        label.append(0 if delta < -tick / 4 else (2 if delta > tick / 4 else 1))
    return np.array(x, dtype=np.float64), np.array(move), np.array(label, dtype=np.int64)


def split(x, move, label):
    """First TRAIN_FRACTION for training, the rest (after a label horizon's gap) held out."""
    cut = int(len(x) * TRAIN_FRACTION)
    test = slice(cut + HORIZON, None)
    return (x[:cut], move[:cut], label[:cut]), (x[test], move[test], label[test])


def load_sources(args):
    """Every source's train and test split, keyed by a name for the report."""
    streams = synthetic.generate(args.seed, args.synthetic_updates)
    groups = [("synthetic", streams)]
    if not args.synthetic_only:
        try:
            groups.append(("binance", binance.load(args.data)))
        except FileNotFoundError as missing:
            sys.exit("train.py: no real data at %s (set --data, or pass --synthetic-only)" %
                     missing)
    sources = []
    for group, group_streams in groups:
        for name, tick, events in group_streams:
            x, move, label = stream_rows(tick, events)
            train, test = split(x, move, label)
            sources.append({"group": group, "name": name, "events": len(events),
                            "train": train, "test": test})
    return sources


def normalisation(x):
    """Per-feature mean and standard deviation of the training rows (a constant feature gets
    std 1, so that it normalises to 0 rather than dividing by zero)."""
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    std[std < 1e-12] = 1.0
    return mean, std


def normalise(x, mean, std):
    """features.normalize, vectorised: the same operations, in float64, then float32."""
    return np.clip((x - mean) / std, -CLIP, CLIP).astype(np.float32)


def sample_weights(sources):
    """Each group (synthetic, real) carries equal total weight, so that the few thousand real
    rows are not drowned by the synthetic ones."""
    totals = {}
    for s in sources:
        totals[s["group"]] = totals.get(s["group"], 0) + len(s["train"][0])
    weights = [np.full(len(s["train"][0]), 1.0 / totals[s["group"]]) for s in sources]
    w = np.concatenate(weights)
    return (w / w.mean()).astype(np.float32)


# ---------------------------------------------------------------------------------------------
# Models


def mlp(hidden):
    """features -> hidden ReLU layers -> 3 logits."""
    layers, width = [], features.FEATURE_COUNT
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    layers.append(nn.Linear(width, len(CLASSES)))
    return nn.Sequential(*layers)


class WithSoftmax(nn.Module):
    """The exported form: probabilities, so that the plugin needs no math on the outputs."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return torch.softmax(self.net(x), dim=1)


def parameter_count(net):
    return sum(p.numel() for p in net.parameters())


def multiply_adds(hidden):
    widths = (features.FEATURE_COUNT,) + tuple(hidden) + (len(CLASSES),)
    return sum(a * b for a, b in zip(widths, widths[1:]))


def fit(net, x, y, w, epochs, lr, seed, teacher_logits=None, temperature=2.0, alpha=0.7):
    """Adam on weighted cross-entropy; with teacher_logits, the student's loss mixes in the
    KL divergence from the teacher's softened probabilities (Hinton et al.): the soft targets
    say how sure the teacher was, which a 1,700-parameter net learns from better than from
    noisy hard labels alone."""
    generator = torch.Generator().manual_seed(seed)
    optimiser = torch.optim.Adam(net.parameters(), lr=lr, weight_decay=1e-5)
    x, y, w = torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(w)
    soft = None
    if teacher_logits is not None:
        soft = torch.softmax(torch.from_numpy(teacher_logits) / temperature, dim=1)
    batch = 256
    for _ in range(epochs):
        net.train()
        order = torch.randperm(len(x), generator=generator)
        for start in range(0, len(x), batch):
            idx = order[start:start + batch]
            logits = net(x[idx])
            hard = nn.functional.cross_entropy(logits, y[idx], reduction="none")
            loss = hard
            if soft is not None:
                log_student = torch.log_softmax(logits / temperature, dim=1)
                kl = (soft[idx] * (torch.log(soft[idx] + 1e-12) - log_student)).sum(dim=1)
                loss = alpha * temperature * temperature * kl + (1 - alpha) * hard
            loss = (loss * w[idx]).sum() / w[idx].sum()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    net.eval()
    return net


def logits_of(net, x):
    with torch.no_grad():
        return net(torch.from_numpy(x)).numpy()


# ---------------------------------------------------------------------------------------------
# Scores


def scores(logits, move, label):
    """The figures of the report for one model on one held-out set."""
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    predicted = p.argmax(axis=1)
    signal = p[:, 2] - p[:, 0]
    moved = label != 1
    directional = (predicted != 1) & moved
    traded = (np.abs(signal) >= TRADE_THRESHOLD) & moved
    corr = float(np.corrcoef(signal, move)[0, 1]) if signal.std() > 0 and move.std() > 0 else 0.0

    def hit(mask):
        if not mask.any():
            return float("nan")
        return float((np.sign(signal[mask]) == np.sign(move[mask])).mean())

    return {
        "rows": int(len(label)),
        "accuracy": float((predicted == label).mean()),
        "majority": float(np.bincount(label, minlength=3).max() / len(label)),
        "hit_rate": hit(directional),
        "directional_share": float(directional.mean()),
        "hit_rate_at_threshold": hit(traded),
        "share_at_threshold": float((np.abs(signal) >= TRADE_THRESHOLD).mean()),
        "correlation": corr,
        "predicted": p.argmax(axis=1),
        "predicted_move_share": float((predicted != 1).mean()),
        "move_share": float(moved.mean()),
    }


# ---------------------------------------------------------------------------------------------
# Outputs


def export_onnx(net, path):
    """opset 17, batch dimension dynamic; Linear exports as Gemm."""
    wrapped = WithSoftmax(net).eval()
    dummy = torch.zeros(1, features.FEATURE_COUNT)
    torch.onnx.export(wrapped, dummy, path, input_names=["features"],
                      output_names=["probabilities"],
                      dynamic_axes={"features": {0: "batch"}, "probabilities": {0: "batch"}},
                      opset_version=17, do_constant_folding=True)


def verify_export(net, path, x):
    """The exported graph, evaluated with numpy (check_model.evaluate), must give the
    probabilities torch gives: a wrong export would otherwise surface only in the plugin."""
    import onnx  # here, not at the top: only the export needs it
    from check_model import evaluate
    with torch.no_grad():
        want = torch.softmax(net(torch.from_numpy(x)), dim=1).numpy()
    got = evaluate(onnx.load(path), x)
    difference = float(np.abs(got - want).max())
    if difference > 1e-5:
        sys.exit("train.py: %s differs from the torch model by %g" % (path, difference))
    return difference


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def write_features_json(path, mean, std):
    """The one source of the normalisation constants: the plugin reads this file, and so does
    the parity test's Python side. json writes each double so that it reads back exactly."""
    doc = {
        "feature_set": features.FEATURE_SET,
        "model": {"name": MODEL_NAME, "version": MODEL_VERSION},
        "written_by": "strategies/ai_signal/train/train.py",
        "normalisation": "z = min(max((raw - mean) / std, -clip), clip), as float32",
        "clip": CLIP,
        "features": [{"name": n, "mean": float(m), "std": float(s)}
                     for n, m, s in zip(features.FEATURE_NAMES, mean, std)],
        "definitions": {
            "imbalance_levels": list(features.IMBALANCE_LEVELS),
            "return_horizons_books": list(features.RETURN_HORIZONS),
            "flow_windows_trades": list(features.FLOW_WINDOWS),
        },
        "outputs": ["p_down", "p_flat", "p_up"],
        "label": {"horizon_books": HORIZON,
                  "classes": "down / flat / up: the mid HORIZON valid books later, flat within a "
                             "quarter tick"},
    }
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


def write_model_config(path):
    """The model's description for the inference service (format: strategies/ai_signal/README)."""
    with open(path, "w") as f:
        f.write("# The ai_signal model for the inference service (format: "
                "strategies/ai_signal/README.md).\n"
                "# Written by strategies/ai_signal/train/train.py with model.onnx and "
                "features.json.\n"
                "name: %s\n"
                "version: %d\n"
                "backend: cpu\n"
                "max_batch: 64\n"
                "max_queue_delay_us: 100\n"
                "inputs:\n"
                "  - { name: features, shape: [%d] }\n"
                "outputs:\n"
                "  - { name: probabilities, shape: [%d] }\n"
                % (MODEL_NAME, MODEL_VERSION, features.FEATURE_COUNT, len(CLASSES)))


def fmt(v):
    return "n/a" if v != v else "%.3f" % v  # NaN: no rows to score


def write_report(path, args, sources, results, models, timings, files, command, export_error):
    """REPORT.md: what was trained on what, how well each model does on held-out data."""
    out = []
    w = out.append
    w("# ai_signal: training report\n")
    w("Written by `strategies/ai_signal/train/train.py`; regenerate it with the command below. "
      "Same seed, same figures and the same model.onnx; only the times vary.\n")
    w("## Command\n")
    w("```sh\n%s\n```\n" % command)
    w("Seed %d (synthetic market, weight initialisation, batch order); torch %s, one CPU "
      "thread, deterministic algorithms.\n" % (args.seed, torch.__version__))
    w("## Data\n")
    w("| source | events | train rows | held-out rows | held-out up / flat / down |")
    w("|---|---:|---:|---:|---|")
    for s in sources:
        counts = np.bincount(s["test"][2], minlength=3)
        w("| %s | %d | %d | %d | %.2f / %.2f / %.2f |" % (
            s["name"], s["events"], len(s["train"][0]), len(s["test"][0]),
            counts[2] / counts.sum(), counts[1] / counts.sum(), counts[0] / counts.sum()))
    w("")
    w("- Synthetic: `synthetic.py`, seed %d, %d updates per instrument (a mean-reverting mid "
      "with a hidden order-flow pressure that tilts the top levels and the trades and drifts "
      "the mid)." % (args.seed, args.synthetic_updates))
    if not args.synthetic_only:
        w("- Real: Binance spot BTCUSDT, 2024-08-08 23:54-24:00 UTC, hftbacktest's recording "
          "`hftbacktest/spot/btcusdt_20240808.gz` in the shared data directory (sha256 `%s`), "
          "read in place: depth synced with the REST snapshot, a book whenever the top ten "
          "levels change, trades signed by their maker flag." % files["btcusdt"])
    w("- Rows: every book once the features have their history (101 books), labelled with the "
      "mid %d books later: down, flat (within a quarter tick) or up. Each source is split in "
      "time: first %d%% train, last part held out after a %d-book gap. The real rows weigh as "
      "much as the synthetic ones in the loss.\n" % (HORIZON, TRAIN_FRACTION * 100, HORIZON))
    w("## Models\n")
    w("| model | layers | parameters | multiply-adds per row | in the repository |")
    w("|---|---|---:|---:|---|")
    for name, m in models.items():
        w("| %s | %s | %d | %d | %s |" % (name, m["layers"], m["parameters"], m["macs"],
                                          m["shipped"]))
    w("")
    w("Training: Adam, batch 256, weight decay 1e-5; teacher %d epochs at lr 1e-3, students %d "
      "epochs at lr 3e-3. The distilled student's loss is 0.7 x T^2 x KL(teacher || student) at "
      "temperature T = 2 plus 0.3 x cross-entropy on the labels.\n" % (
          args.teacher_epochs, args.student_epochs))
    w("## Held-out results\n")
    w("accuracy: of the three classes (majority: always guessing the commonest class). hit rate: "
      "the direction of P(up) - P(down) against the mid's, over rows where the model predicts "
      "a move and the mid moved (share: of all rows). at %.1f: the same over rows where "
      "|P(up) - P(down)| >= %.1f, the plugin's default entry threshold. corr: Pearson "
      "correlation of P(up) - P(down) with the move in bps.\n" % (
          TRADE_THRESHOLD, TRADE_THRESHOLD))
    w("| held-out set | model | accuracy | majority | hit rate | share | hit at %.1f | share "
      "at %.1f | corr |" % (TRADE_THRESHOLD, TRADE_THRESHOLD))
    w("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for set_name, per_model in results.items():
        for model_name, r in per_model.items():
            w("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                set_name, model_name, fmt(r["accuracy"]), fmt(r["majority"]),
                fmt(r["hit_rate"]), fmt(r["directional_share"]),
                fmt(r["hit_rate_at_threshold"]), fmt(r["share_at_threshold"]),
                fmt(r["correlation"])))
    w("")
    for s in sources:
        r = results[s["name"]]["student (distilled)"]
        if r["accuracy"] >= r["majority"]:
            continue
        train_moves = float((s["train"][2] != 1).mean())
        w("On %s the student's accuracy (%.3f) is under the majority figure (%.3f): it predicts "
          "a move on %.0f%% of the held-out rows, where the mid moved on %.0f%% (%.0f%% in the "
          "training rows). Where it predicts a move and the mid moved, the direction is right "
          "%.0f%% of the time.\n" % (
              s["name"], r["accuracy"], r["majority"], r["predicted_move_share"] * 100,
              r["move_share"] * 100, train_moves * 100, r["hit_rate"] * 100))
    agreement = results["all"]["student (distilled)"]["agreement"]
    w("The distilled student predicts the teacher's class on %.1f%% of all held-out rows. The "
      "exported ONNX graphs, evaluated with numpy, give the torch models' probabilities to "
      "within %.1e on every held-out row.\n" % (agreement * 100, export_error))
    w("## Time\n")
    w("CPU seconds of the one training thread, per step, and the wall-clock total.\n")
    w("| step | seconds |")
    w("|---|---:|")
    for step, seconds in timings.items():
        w("| %s | %.1f |" % (step, seconds))
    w("")
    w("## Files\n")
    w("- `strategies/ai_signal/model/ai_signal/1/model.onnx`: the distilled student, sha256 "
      "`%s`." % files["student"])
    w("- `strategies/ai_signal/model/ai_signal/1/features.json`: the feature set and its "
      "normalisation constants.")
    w("- `strategies/ai_signal/model/ai_signal/1/config.yaml`: the model's description.")
    w("- The teacher (`teacher.onnx`, sha256 `%s`) and the student trained without it "
      "(`student_direct.onnx`) stay in the output directory (`--out`), not in the "
      "repository." % files["teacher"])
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


# ---------------------------------------------------------------------------------------------


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", default=os.path.join(REPO, "..", "shared", "data"),
                   help="the shared market data directory (default: ../shared/data beside "
                        "the repository)")
    p.add_argument("--model-dir", default=os.path.join(REPO, "strategies", "ai_signal", "model",
                                                       MODEL_NAME, str(MODEL_VERSION)),
                   help="where the student, its config and features.json go")
    p.add_argument("--report", default=os.path.join(HERE, "REPORT.md"))
    p.add_argument("--out", default=os.path.join(tempfile.gettempdir(), "ai_signal_train"),
                   help="where the teacher and the comparison student go (not the repository)")
    p.add_argument("--seed", type=int, default=20261127)
    p.add_argument("--synthetic-updates", type=int, default=15000,
                   help="synthetic updates per instrument")
    p.add_argument("--synthetic-only", action="store_true", help="no real data")
    p.add_argument("--teacher-epochs", type=int, default=30)
    p.add_argument("--student-epochs", type=int, default=40)
    return p.parse_args(argv)


def command_line(argv):
    """The command as a reader would type it from the repository root (no local paths)."""
    return " ".join(["nice /usr/bin/python3 strategies/ai_signal/train/train.py"] + argv)


def main(argv):
    args = parse_args(argv)
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)
    os.makedirs(args.model_dir, exist_ok=True)
    os.makedirs(args.out, exist_ok=True)
    timings = {}
    started, started_wall = time.process_time(), time.monotonic()

    t = time.process_time()
    sources = load_sources(args)
    timings["features and labels"] = time.process_time() - t
    train_x = np.concatenate([s["train"][0] for s in sources])
    train_y = np.concatenate([s["train"][2] for s in sources])
    weights = sample_weights(sources)
    mean, std = normalisation(train_x)
    x = normalise(train_x, mean, std)

    t = time.process_time()
    teacher = fit(mlp(TEACHER_LAYERS), x, train_y, weights, args.teacher_epochs, 1e-3,
                  args.seed + 1)
    timings["teacher"] = time.process_time() - t
    t = time.process_time()
    torch.manual_seed(args.seed + 2)
    student = fit(mlp(STUDENT_LAYERS), x, train_y, weights, args.student_epochs, 3e-3,
                  args.seed + 3, teacher_logits=logits_of(teacher, x))
    timings["student (distilled)"] = time.process_time() - t
    t = time.process_time()
    torch.manual_seed(args.seed + 2)  # the same initial weights as the distilled student
    direct = fit(mlp(STUDENT_LAYERS), x, train_y, weights, args.student_epochs, 3e-3,
                 args.seed + 3)
    timings["student (direct, for comparison)"] = time.process_time() - t

    nets = {"teacher": teacher, "student (distilled)": student, "student (direct)": direct}
    held_out = {s["name"]: s["test"] for s in sources}
    held_out["all"] = tuple(np.concatenate([s["test"][i] for s in sources]) for i in range(3))
    results = {}
    for set_name, (tx, tmove, tlabel) in held_out.items():
        nx = normalise(tx, mean, std)
        results[set_name] = {name: scores(logits_of(net, nx), tmove, tlabel)
                             for name, net in nets.items()}
        agree = results[set_name]["student (distilled)"]["predicted"] == \
            results[set_name]["teacher"]["predicted"]
        results[set_name]["student (distilled)"]["agreement"] = float(agree.mean())

    student_path = os.path.join(args.model_dir, "model.onnx")
    teacher_path = os.path.join(args.out, "teacher.onnx")
    export_onnx(student, student_path)
    export_onnx(teacher, teacher_path)
    export_onnx(direct, os.path.join(args.out, "student_direct.onnx"))
    all_x = normalise(held_out["all"][0], mean, std)
    export_error = max(verify_export(student, student_path, all_x),
                       verify_export(teacher, teacher_path, all_x))
    write_features_json(os.path.join(args.model_dir, "features.json"), mean, std)
    write_model_config(os.path.join(args.model_dir, "config.yaml"))
    timings["total (CPU)"] = time.process_time() - started
    timings["total (wall clock, at low priority on a shared machine)"] = \
        time.monotonic() - started_wall

    files = {"student": sha256(student_path), "teacher": sha256(teacher_path)}
    if not args.synthetic_only:
        files["btcusdt"] = sha256(os.path.join(args.data, binance.PATH))
    layers = lambda hidden: " -> ".join(  # noqa: E731
        str(n) for n in (features.FEATURE_COUNT,) + tuple(hidden) + (len(CLASSES),))
    models = {
        "teacher": {"layers": layers(TEACHER_LAYERS), "parameters": parameter_count(teacher),
                    "macs": multiply_adds(TEACHER_LAYERS), "shipped": "no (`--out`)"},
        "student": {"layers": layers(STUDENT_LAYERS), "parameters": parameter_count(student),
                    "macs": multiply_adds(STUDENT_LAYERS), "shipped": "yes: model.onnx"},
    }
    write_report(args.report, args, sources, results, models, timings, files, command_line(argv),
                 export_error)
    for set_name, per_model in results.items():
        for name, r in per_model.items():
            print("%-18s %-20s accuracy %.3f hit %.3f at-threshold %.3f corr %.3f" % (
                set_name, name, r["accuracy"], r["hit_rate"], r["hit_rate_at_threshold"],
                r["correlation"]))
    print("student: %s (sha256 %s)" % (student_path, files["student"]))
    print("teacher: %s" % teacher_path)
    print("report: %s; %.1f s CPU" % (args.report, timings["total (CPU)"]))


if __name__ == "__main__":
    main(sys.argv[1:])
