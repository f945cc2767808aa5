#!/usr/bin/env python3
"""Writes the seed models of the ONNX loader's fuzz target (scripts/fuzz.sh) with python3-onnx:
small valid models that reach each part of the loader (Gemm and activations, torch's shape
arithmetic before a Reshape, GRU and LSTM with a zero initial state, broadcasting, LayerNorm,
Softmax, Concat, Gather). Usage: onnx_seed_models.py OUT_DIR"""

import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper


def weight(name, *shape):
    return numpy_helper.from_array(np.random.rand(*shape).astype(np.float32) - 0.5, name)


def ints(name, values):
    return numpy_helper.from_array(np.array(values, dtype=np.int64), name)


def model(name, nodes, inputs, outputs, initializers, out_dir):
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, ["batch"] + d) for n, d in inputs],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in outputs],
        initializers)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    with open(os.path.join(out_dir, name + ".onnx"), "wb") as f:
        f.write(m.SerializeToString())


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    np.random.seed(1)
    model("mlp", [
        helper.make_node("Gemm", ["x", "w0", "b0"], ["h"], transB=1),
        helper.make_node("Relu", ["h"], ["r"]),
        helper.make_node("Gemm", ["r", "w1", "b1"], ["g"], transB=1),
        helper.make_node("Sigmoid", ["g"], ["y"]),
    ], [("x", [8])], ["y"], [weight("w0", 16, 8), weight("b0", 16), weight("w1", 1, 16),
                             weight("b1", 1)], out_dir)
    model("reshape", [
        helper.make_node("Shape", ["x"], ["s"]),
        helper.make_node("Gather", ["s", "zero"], ["n"], axis=0),
        helper.make_node("Unsqueeze", ["n", "axes"], ["n1"]),
        helper.make_node("Concat", ["n1", "minus1"], ["t"], axis=0),
        helper.make_node("Reshape", ["x", "t"], ["f"]),
        helper.make_node("LayerNormalization", ["f", "s1", "b1"], ["l"], axis=-1),
        helper.make_node("Softmax", ["l"], ["y"], axis=1),
    ], [("x", [2, 3])], ["y"], [ints("zero", 0), ints("axes", [0]), ints("minus1", [-1]),
                                weight("s1", 6), weight("b1", 6)], out_dir)
    for op, gates in (("GRU", 3), ("LSTM", 4)):
        extra = {"linear_before_reset": 1} if op == "GRU" else {}
        inputs = ["xt", "W", "R", "B", "", "h0"] + (["h0"] if op == "LSTM" else [])
        model(op.lower(), [
            helper.make_node("Shape", ["x"], ["s"]),
            helper.make_node("Gather", ["s", "zero"], ["n"], axis=0),
            helper.make_node("Unsqueeze", ["n", "axes"], ["n1"]),
            helper.make_node("Concat", ["one", "n1", "hidden"], ["hs"], axis=0),
            helper.make_node("ConstantOfShape", ["hs"], ["h0"]),
            helper.make_node("Transpose", ["x"], ["xt"], perm=[1, 0, 2]),
            helper.make_node(op, inputs, ["Y", "Yh"], hidden_size=4, **extra),
            helper.make_node("Squeeze", ["Yh", "axes"], ["h"]),
            helper.make_node("Gather", ["h", "zero"], ["y"], axis=1),
        ], [("x", [3, 2])], ["y"], [ints("zero", 0), ints("axes", [0]), ints("one", [1]),
                                    ints("hidden", [4]), weight("W", 1, gates * 4, 2),
                                    weight("R", 1, gates * 4, 4), weight("B", 1, gates * 8)],
            out_dir)
    model("broadcast", [
        helper.make_node("Add", ["x", "c"], ["a"]),
        helper.make_node("Mul", ["a", "x"], ["m"]),
        helper.make_node("Div", ["m", "c"], ["d"]),
        helper.make_node("Sub", ["d", "x"], ["s"]),
        helper.make_node("MatMul", ["s", "w"], ["y"]),
    ], [("x", [2, 3])], ["y"], [weight("c", 3), weight("w", 3, 2)], out_dir)


if __name__ == "__main__":
    main()
