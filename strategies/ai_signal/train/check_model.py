#!/usr/bin/env python3
"""Checks a model directory of the ai_signal model repository before anyone serves it.

  /usr/bin/python3 -B check_model.py MODEL_DIR        (e.g. strategies/ai_signal/model/ai_signal/1)

- model.onnx passes onnx.checker (full check, shape inference included) at opset 17;
- its one input and one output have the names and shapes config.yaml documents, with a
  dynamic batch as the first dimension;
- the input width is features.json's feature count, the output width its output count;
- it uses only Gemm, Relu and Softmax (what the service's CPU backend runs fastest), and
  evaluating those with numpy gives probabilities: each row non-negative, summing to one.

Exit status 0 when all hold, 1 with the reason otherwise, and 77 (the conventional "skipped")
when python3-onnx or numpy is not installed, so that the test calling this can say so.
"""

import json
import os
import re
import sys

sys.dont_write_bytecode = True

try:
    import numpy as np
    import onnx
    from onnx import numpy_helper
except ImportError as missing:
    print("check_model.py: skipped: %s (install python3-onnx and python3-numpy)" % missing)
    sys.exit(77)

ALLOWED_OPS = {"Gemm", "Relu", "Softmax"}


def fail(why):
    print("check_model.py: " + why)
    sys.exit(1)


def read_config(path):
    """The model config (README: model config). A deliberately small YAML subset, parsed
    here without a YAML library: `key: value` lines and `- { name: N, shape: [D, ...] }`
    items under `inputs:` and `outputs:`."""
    config, section = {"inputs": [], "outputs": []}, None
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].rstrip()
            if not line:
                continue
            item = re.match(r"^\s+-\s*\{\s*name:\s*([\w.]+)\s*,\s*shape:\s*\[([\d,\s]*)\]\s*\}$",
                            line)
            if item and section in ("inputs", "outputs"):
                shape = [int(d) for d in item.group(2).split(",") if d.strip()]
                config[section].append({"name": item.group(1), "shape": shape})
                continue
            key = re.match(r"^(\w+):\s*(.*)$", line)
            if not key:
                fail("%s: cannot read line: %s" % (path, line))
            section = key.group(1)
            if key.group(2):
                config[section] = key.group(2)
    for required in ("name", "version", "backend", "max_batch", "max_queue_delay_us"):
        if required not in config:
            fail("%s: no %s" % (path, required))
    return config


def dims(value_info):
    """A graph input or output's shape: ints, or the symbolic name of a dynamic dimension."""
    return [d.dim_param if d.dim_param else d.dim_value
            for d in value_info.type.tensor_type.shape.dim]


def check_tensors(kind, declared, actual):
    """One tensor each, named and shaped as the config says, batch first and dynamic."""
    if len(declared) != 1 or len(actual) != 1:
        fail("%s: the config declares %d and the model has %d; the plugin sends one" %
             (kind, len(declared), len(actual)))
    d, a = declared[0], actual[0]
    shape = dims(a)
    if a.name != d["name"]:
        fail("%s: the model's is %s, the config says %s" % (kind, a.name, d["name"]))
    if not shape or not isinstance(shape[0], str) or shape[1:] != d["shape"]:
        fail("%s %s: the model's shape is %s, the config says [batch] + %s" %
             (kind, a.name, shape, d["shape"]))
    if a.type.tensor_type.elem_type != onnx.TensorProto.FLOAT:
        fail("%s %s is not float32" % (kind, a.name))


def evaluate(model, x):
    """Runs a Gemm/Relu/Softmax graph with numpy: enough to see what it computes."""
    values = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    values[model.graph.input[0].name] = x
    for node in model.graph.node:
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        inputs = [values[name] for name in node.input if name]
        if node.op_type == "Gemm":
            a, b = inputs[0], inputs[1]
            a = a.T if attrs.get("transA", 0) else a
            b = b.T if attrs.get("transB", 0) else b
            y = attrs.get("alpha", 1.0) * (a @ b)
            if len(inputs) > 2:
                y = y + attrs.get("beta", 1.0) * inputs[2]
        elif node.op_type == "Relu":
            y = np.maximum(inputs[0], 0)
        else:  # Softmax
            z = inputs[0] - inputs[0].max(axis=attrs.get("axis", -1), keepdims=True)
            e = np.exp(z)
            y = e / e.sum(axis=attrs.get("axis", -1), keepdims=True)
        values[node.output[0]] = y
    return values[model.graph.output[0].name]


def main(argv):
    if len(argv) != 1:
        fail("usage: check_model.py MODEL_DIR")
    model_dir = argv[0]
    model_path = os.path.join(model_dir, "model.onnx")
    config = read_config(os.path.join(model_dir, "config.yaml"))
    with open(os.path.join(model_dir, "features.json")) as f:
        feature_doc = json.load(f)

    model = onnx.load(model_path)
    onnx.checker.check_model(model, full_check=True)
    opsets = {o.domain: o.version for o in model.opset_import}
    if opsets.get("", opsets.get("ai.onnx")) != 17:
        fail("opset is %s, not 17" % opsets)
    if config["name"] != os.path.basename(os.path.dirname(os.path.normpath(model_dir))) or \
            config["version"] != os.path.basename(os.path.normpath(model_dir)):
        fail("config.yaml names %s version %s, but the model sits in %s" %
             (config["name"], config["version"], model_dir))
    check_tensors("inputs", config["inputs"], model.graph.input)
    check_tensors("outputs", config["outputs"], model.graph.output)
    if config["inputs"][0]["shape"] != [len(feature_doc["features"])]:
        fail("the input takes %s features, features.json lists %d" %
             (config["inputs"][0]["shape"], len(feature_doc["features"])))
    if config["outputs"][0]["shape"] != [len(feature_doc["outputs"])]:
        fail("the output has %s values, features.json names %d" %
             (config["outputs"][0]["shape"], len(feature_doc["outputs"])))
    ops = {n.op_type for n in model.graph.node}
    if not ops <= ALLOWED_OPS:
        fail("ops %s outside %s" % (sorted(ops - ALLOWED_OPS), sorted(ALLOWED_OPS)))
    if int(config["max_batch"]) < 1 or int(config["max_queue_delay_us"]) < 0:
        fail("max_batch must be at least 1 and max_queue_delay_us not negative")

    rng = np.random.default_rng(1)
    x = rng.normal(size=(64, config["inputs"][0]["shape"][0])).astype(np.float32)
    p = evaluate(model, x)
    if p.shape != (64, config["outputs"][0]["shape"][0]) or (p < 0).any() or \
            not np.allclose(p.sum(axis=1), 1.0, atol=1e-5):
        fail("the outputs are not probabilities")
    print("check_model.py: %s: ok (%s, opset 17, %s -> %s, ops %s, %d parameters)" % (
        model_path, config["name"], config["inputs"][0]["shape"], config["outputs"][0]["shape"],
        " ".join(sorted(ops)),
        sum(numpy_helper.to_array(t).size for t in model.graph.initializer)))


if __name__ == "__main__":
    main(sys.argv[1:])
