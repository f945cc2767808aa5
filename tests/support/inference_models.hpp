#pragma once
// Models the inference tests and the CPU benchmark build in C++: the 64-256-256-1 signal MLP,
// GRU and LSTM in the ONNX layout torch exports, and one model with every other op, with
// deterministic random weights.

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "tests/support/onnx_builder.hpp"

namespace guiju::test {

inline std::vector<float> random_floats(size_t n, unsigned seed, float scale = 1.0F) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-scale, scale);
  std::vector<float> v(n);
  for (float& x : v) x = u(rng);
  return v;
}

// x [batch, 64] -> Linear 256, ReLU -> Linear 256, Tanh -> Linear 1, Sigmoid -> y [batch, 1], as
// torch exports nn.Linear: Gemm with transB = 1. Weights uniform in +-1/sqrt(inputs), as torch
// initialises them.
inline OnnxBuilder mlp_model(unsigned seed = 1) {
  OnnxBuilder b;
  b.input("x", {kBatchDim, 64});
  const std::vector<std::pair<int64_t, std::string>> layers{
      {256, "Relu"}, {256, "Tanh"}, {1, "Sigmoid"}};
  int64_t in = 64;
  std::string x = "x";
  int i = 0;
  for (const auto& [out, act] : layers) {
    const std::string w = "w" + std::to_string(i);
    const std::string bias = "b" + std::to_string(i);
    const float scale = 1.0F / std::sqrt(static_cast<float>(in));
    b.weight(w, {out, in}, random_floats(static_cast<size_t>(out * in), seed + 2 * i, scale));
    b.weight(bias, {out}, random_floats(static_cast<size_t>(out), seed + 2 * i + 1, scale));
    const std::string h = "h" + std::to_string(i);
    OnnxBuilder::attr(b.node("Gemm", {x, w, bias}, {h}, "fc" + std::to_string(i)), "transB",
                      int64_t{1});
    x = i + 1 == static_cast<int>(layers.size()) ? "y" : "a" + std::to_string(i);
    b.node(act, {h}, {x});
    in = out;
    ++i;
  }
  b.output("y", {kBatchDim, 1});
  return b;
}

inline constexpr int64_t kRnnSteps = 4;
inline constexpr int64_t kRnnInputs = 3;
inline constexpr int64_t kRnnHidden = 5;

struct RnnCase {
  std::vector<float> w, r, bias, x, h0, c0;
};

// Weights of a GRU (3 gates) or LSTM (4 gates), and inputs for `rows` rows.
inline RnnCase rnn_case(int64_t gates, size_t rows, unsigned seed) {
  RnnCase c;
  c.w = random_floats(static_cast<size_t>(gates * kRnnHidden * kRnnInputs), seed, 0.6F);
  c.r = random_floats(static_cast<size_t>(gates * kRnnHidden * kRnnHidden), seed + 1, 0.6F);
  c.bias = random_floats(static_cast<size_t>(2 * gates * kRnnHidden), seed + 2, 0.3F);
  c.x = random_floats(rows * kRnnSteps * kRnnInputs, seed + 3);
  c.h0 = random_floats(rows * kRnnHidden, seed + 4, 0.5F);
  c.c0 = random_floats(rows * kRnnHidden, seed + 5, 0.5F);
  return c;
}

// x [batch, steps, in], h0 (and c0) [batch, H] -> the RNN in ONNX layout -> y [batch, steps, H],
// h (and c) [batch, H].
inline OnnxBuilder rnn_model(const std::string& op, const RnnCase& k, bool linear_before_reset) {
  const bool lstm = op == "LSTM";
  const int64_t gates = lstm ? 4 : 3;
  OnnxBuilder b;
  b.input("x", {kBatchDim, kRnnSteps, kRnnInputs}).input("h0", {kBatchDim, kRnnHidden});
  if (lstm) b.input("c0", {kBatchDim, kRnnHidden});
  b.weight("W", {1, gates * kRnnHidden, kRnnInputs}, k.w);
  b.weight("R", {1, gates * kRnnHidden, kRnnHidden}, k.r);
  b.weight("B", {1, 2 * gates * kRnnHidden}, k.bias);
  b.ints("zero", {1}, {0}).ints("one", {1}, {1});
  OnnxBuilder::attr(b.node("Transpose", {"x"}, {"xt"}), "perm", std::vector<int64_t>{1, 0, 2});
  b.node("Unsqueeze", {"h0", "zero"}, {"h0u"});
  if (lstm) b.node("Unsqueeze", {"c0", "zero"}, {"c0u"});
  auto& n = lstm ? b.node("LSTM", {"xt", "W", "R", "B", "", "h0u", "c0u"}, {"Y", "Yh", "Yc"}, "rnn")
                 : b.node("GRU", {"xt", "W", "R", "B", "", "h0u"}, {"Y", "Yh"}, "rnn");
  OnnxBuilder::attr(n, "hidden_size", kRnnHidden);
  if (!lstm) OnnxBuilder::attr(n, "linear_before_reset", int64_t{linear_before_reset ? 1 : 0});
  b.node("Squeeze", {"Y", "one"}, {"Ys"});
  OnnxBuilder::attr(b.node("Transpose", {"Ys"}, {"y"}), "perm", std::vector<int64_t>{1, 0, 2});
  b.node("Squeeze", {"Yh", "zero"}, {"h"});
  if (lstm) b.node("Squeeze", {"Yc", "zero"}, {"c"});
  b.output("y").output("h");
  if (lstm) b.output("c");
  return b;
}

// Every op but GRU and LSTM in one graph: x [batch, 4, 8] -> y [batch, 6], z [batch, 4, 4].
inline OnnxBuilder every_op_model() {
  OnnxBuilder b;
  b.input("x", {kBatchDim, 4, 8});
  b.weight("ln_s", {8}, random_floats(8, 1)).weight("ln_b", {8}, random_floats(8, 2));
  b.weight("col", {8, 1}, random_floats(8, 3)).weight("row", {4}, random_floats(4, 4));
  b.weight("half", {}, {0.5F}).weight("div", {8, 4}, std::vector<float>(32, 1.5F));
  b.weight("mm", {8, 3}, random_floats(24, 5)).weight("fc", {6, 44}, random_floats(264, 6, 0.2F));
  b.weight("fcb", {6}, random_floats(6, 7));
  b.ints("flat", {2}, {0, -1}).ints("pick", {2}, {3, 1}).ints("ax1", {1}, {1});
  OnnxBuilder::attr(b.node("LayerNormalization", {"x", "ln_s", "ln_b"}, {"ln"}), "axis",
                    int64_t{-1});
  b.node("Softmax", {"ln"}, {"sm"});
  OnnxBuilder::attr(b.node("Transpose", {"ln"}, {"t"}), "perm", std::vector<int64_t>{0, 2, 1});
  b.node("Mul", {"t", "col"}, {"m"});
  b.node("Add", {"m", "row"}, {"a"});
  b.node("Sub", {"a", "half"}, {"s"});
  b.node("Div", {"s", "div"}, {"d"});
  b.node("Flatten", {"d"}, {"f"});                                              // [batch, 32]
  b.node("MatMul", {"sm", "mm"}, {"p"});                                        // [batch, 4, 3]
  b.node("Reshape", {"p", "flat"}, {"pr"});                                     // [batch, 12]
  OnnxBuilder::attr(b.node("Concat", {"f", "pr"}, {"c"}), "axis", int64_t{1});  // [batch, 44]
  auto& g = b.node("Gemm", {"c", "fc", "fcb"}, {"g"});
  OnnxBuilder::attr(g, "transB", int64_t{1});
  OnnxBuilder::attr(b.node("LeakyRelu", {"g"}, {"lr"}), "alpha", 0.1F);
  b.node("Relu", {"lr"}, {"r"});
  b.node("Sigmoid", {"r"}, {"sg"});
  b.node("Unsqueeze", {"sg", "ax1"}, {"u"});  // [batch, 1, 6]
  b.node("Tanh", {"u"}, {"th"});
  b.node("Squeeze", {"th", "ax1"}, {"y"});
  OnnxBuilder::attr(b.node("Gather", {"x", "pick"}, {"gx"}), "axis", int64_t{2});  // [batch,4,2]
  OnnxBuilder::attr(b.node("Transpose", {"gx"}, {"gt"}), "perm", std::vector<int64_t>{0, 2, 1});
  b.node("MatMul", {"gx", "gt"}, {"z"});  // [batch, 4, 4], both operands computed
  b.node("Identity", {"y"}, {"yi"});
  b.output("yi").output("z");
  return b;
}

}  // namespace guiju::test
