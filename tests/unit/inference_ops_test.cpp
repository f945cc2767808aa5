// Each op of the CPU backend on small cases checked by hand (or against a plain scalar reference
// written out here), at batch 1 and at a larger batch, through load_model as the service runs it.

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "inference/onnx/model_error.hpp"
#include "tests/support/inference_harness.hpp"
#include "tests/support/inference_models.hpp"

namespace guiju::inference {
namespace {

using test::expect_close;
using test::kBatchDim;
using test::load_built;
using test::OnnxBuilder;
using test::rnn_case;
using test::rnn_model;
using test::RnnCase;
using test::run_rows;

std::vector<float> iota(size_t n, float from = 0.0F, float step = 1.0F) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = from + step * static_cast<float>(i);
  return v;
}

// One input x of `row` (without the batch), one node, output y.
OnnxBuilder one_node(const std::string& op, const std::vector<int64_t>& row,
                     std::initializer_list<std::string> extra_inputs = {}) {
  OnnxBuilder b;
  std::vector<int64_t> dims{kBatchDim};
  dims.insert(dims.end(), row.begin(), row.end());
  b.input("x", dims);
  std::vector<std::string> inputs{"x"};
  inputs.insert(inputs.end(), extra_inputs);
  auto& n = b.node(op, {}, {"y"}, "op");
  for (const auto& i : inputs) n.add_input(i);
  b.output("y");
  return b;
}

TEST(InferenceOps, AddBroadcastsAConstantAlongTheLastDimension) {
  OnnxBuilder b = one_node("Add", {2, 3}, {"c"});
  b.weight("c", {3}, {10, 20, 30});
  auto e = load_built(b);
  const auto y = run_rows(*e, 2, {iota(12)});
  expect_close(y[0], {10, 21, 32, 13, 24, 35, 16, 27, 38, 19, 30, 41});
}

TEST(InferenceOps, SubBroadcastsBothWays) {
  // [batch, 2, 1] - [1, 3] -> [batch, 2, 3]
  OnnxBuilder b = one_node("Sub", {2, 1}, {"c"});
  b.weight("c", {1, 3}, {1, 2, 3});
  b.graph().mutable_output(0)->Clear();
  b.graph().mutable_output(0)->set_name("y");
  auto e = load_built(b);
  ASSERT_EQ(e->info().outputs[0].shape, (std::vector<int64_t>{2, 3}));
  const auto y = run_rows(*e, 2, {{5, 7, 9, 11}});
  expect_close(y[0], {4, 3, 2, 6, 5, 4, 8, 7, 6, 10, 9, 8});
}

TEST(InferenceOps, MulOfTwoInputsWithAColumnPerRow) {
  OnnxBuilder b;
  b.input("x", {kBatchDim, 3}).input("s", {kBatchDim, 1});
  b.node("Mul", {"x", "s"}, {"y"});
  b.output("y");
  auto e = load_built(b);
  const auto y = run_rows(*e, 2, {{1, 2, 3, 4, 5, 6}, {2, -1}});
  expect_close(y[0], {2, 4, 6, -4, -5, -6});
}

TEST(InferenceOps, DivByAScalarConstant) {
  OnnxBuilder b = one_node("Div", {2, 2}, {"c"});
  b.weight("c", {}, {4});
  auto e = load_built(b);
  expect_close(run_rows(*e, 1, {{1, 2, 3, 8}})[0], {0.25F, 0.5F, 0.75F, 2});
}

TEST(InferenceOps, Activations) {
  const std::vector<float> x{-2, -0.5F, 0, 0.5F, 2};
  auto run = [&](const std::string& op, float alpha = -1) {
    OnnxBuilder b = one_node(op, {5});
    if (alpha >= 0) OnnxBuilder::attr(*b.graph().mutable_node(0), "alpha", alpha);
    return run_rows(*load_built(b), 1, {x})[0];
  };
  expect_close(run("Relu"), {0, 0, 0, 0.5F, 2});
  expect_close(run("LeakyRelu"), {-0.02F, -0.005F, 0, 0.5F, 2});
  expect_close(run("LeakyRelu", 0.25F), {-0.5F, -0.125F, 0, 0.5F, 2});
  std::vector<float> tanh;
  std::vector<float> sigmoid;
  for (const float v : x) {
    tanh.push_back(std::tanh(v));
    sigmoid.push_back(1.0F / (1.0F + std::exp(-v)));
  }
  expect_close(run("Tanh"), tanh);
  expect_close(run("Sigmoid"), sigmoid);
}

// y = 2 * x W + 0.5 * C with x rows [1, 2, 3] and [0, 1, -1], W [[1, 0], [0, 1], [1, 1]],
// C [1, -2]: x W = [4, 5] and [-1, 0], so y = [8.5, 9] and [-1.5, -1].
const std::vector<float> kGemmX{1, 2, 3, 0, 1, -1};
const std::vector<float> kGemmY{8.5F, 9, -1.5F, -1};

OnnxBuilder gemm(bool trans_b, bool trans_a) {
  OnnxBuilder b;
  b.input("x", {kBatchDim, 3});
  if (trans_b) {
    b.weight("W", {2, 3}, {1, 0, 1, 0, 1, 1});
  } else {
    b.weight("W", {3, 2}, {1, 0, 0, 1, 1, 1});
  }
  b.weight("C", {2}, {1, -2});
  std::string a = "x";
  if (trans_a) {
    OnnxBuilder::attr(b.node("Transpose", {"x"}, {"xt"}), "perm", std::vector<int64_t>{1, 0});
    a = "xt";
  }
  auto& n = b.node("Gemm", {a, "W", "C"}, {"y"}, "gemm");
  OnnxBuilder::attr(n, "alpha", 2.0F);
  OnnxBuilder::attr(n, "beta", 0.5F);
  if (trans_b) OnnxBuilder::attr(n, "transB", int64_t{1});
  if (trans_a) OnnxBuilder::attr(n, "transA", int64_t{1});
  b.output("y");
  return b;
}

TEST(InferenceOps, GemmAlphaBetaAndTransposes) {
  for (const bool tb : {false, true}) {
    for (const bool ta : {false, true}) {
      auto e = load_built(gemm(tb, ta));
      expect_close(run_rows(*e, 2, {kGemmX})[0], kGemmY, 1e-5F, 1e-5F,
                   "transA " + std::to_string(ta) + " transB " + std::to_string(tb));
      expect_close(run_rows(*e, 1, {{1, 2, 3}})[0], {8.5F, 9});
    }
  }
}

TEST(InferenceOps, GemmWithAComputedC) {
  OnnxBuilder b;
  b.input("x", {kBatchDim, 3}).input("c", {kBatchDim, 2});
  b.weight("W", {3, 2}, {1, 0, 0, 1, 1, 1});
  b.node("Gemm", {"x", "W", "c"}, {"y"});
  b.output("y");
  auto e = load_built(b);
  expect_close(run_rows(*e, 2, {kGemmX, {1, 1, 2, 2}})[0], {5, 6, 1, 2});
}

TEST(InferenceOps, GemmFusedWithEachActivation) {
  // x W + C = [4, 5] + [1, -2] = [5, 3]; [-1, 0] + [1, -2] = [0, -2].
  for (const std::string act : {"Relu", "LeakyRelu", "Tanh", "Sigmoid"}) {
    OnnxBuilder b;
    b.input("x", {kBatchDim, 3});
    b.weight("W", {3, 2}, {1, 0, 0, 1, 1, 1}).weight("C", {2}, {1, -2});
    b.node("Gemm", {"x", "W", "C"}, {"h"});
    b.node(act, {"h"}, {"y"});
    b.output("y");
    auto e = load_built(b);
    std::vector<float> want;
    for (const float v : {5.0F, 3.0F, 0.0F, -2.0F}) {
      if (act == "Relu") want.push_back(std::max(v, 0.0F));
      if (act == "LeakyRelu") want.push_back(v < 0 ? 0.01F * v : v);
      if (act == "Tanh") want.push_back(std::tanh(v));
      if (act == "Sigmoid") want.push_back(1.0F / (1.0F + std::exp(-v)));
    }
    expect_close(run_rows(*e, 2, {kGemmX})[0], want, 1e-5F, 1e-5F, act);
  }
}

TEST(InferenceOps, MatMulByAConstantAndBetweenTensors) {
  {
    OnnxBuilder b = one_node("MatMul", {2, 3}, {"W"});
    b.weight("W", {3, 2}, {1, 0, 0, 1, 1, 1});
    auto e = load_built(b);
    // rows [1,2,3] [0,1,-1] | [2,0,0] [1,1,1]
    expect_close(run_rows(*e, 2, {{1, 2, 3, 0, 1, -1, 2, 0, 0, 1, 1, 1}})[0],
                 {4, 5, -1, 0, 2, 0, 2, 2});
  }
  {
    // x x^T per row: [batch, 2, 3] x [batch, 3, 2]
    OnnxBuilder b;
    b.input("x", {kBatchDim, 2, 3});
    OnnxBuilder::attr(b.node("Transpose", {"x"}, {"xt"}), "perm", std::vector<int64_t>{0, 2, 1});
    b.node("MatMul", {"x", "xt"}, {"y"});
    b.output("y");
    auto e = load_built(b);
    expect_close(run_rows(*e, 2, {{1, 2, 3, 0, 1, -1, 1, 0, 0, 0, 2, 0}})[0],
                 {14, -1, -1, 2, 1, 0, 0, 4});
  }
  {
    // [batch, 3] x [3] -> [batch]
    OnnxBuilder b = one_node("MatMul", {3}, {"v"});
    b.weight("v", {3}, {1, 10, 100});
    auto e = load_built(b);
    expect_close(run_rows(*e, 2, {{1, 2, 3, 4, 5, 6}})[0], {321, 654});
  }
}

std::vector<float> softmax(const std::vector<float>& x) {
  float m = x[0];
  for (const float v : x) m = std::max(m, v);
  std::vector<float> y;
  y.reserve(x.size());
  float s = 0;
  for (const float v : x) s += std::exp(v - m);
  for (const float v : x) y.push_back(std::exp(v - m) / s);
  return y;
}

TEST(InferenceOps, SoftmaxAlongEachAxis) {
  {
    OnnxBuilder b = one_node("Softmax", {3});
    auto e = load_built(b);
    std::vector<float> want = softmax({1, 2, 3});
    const std::vector<float> second = softmax({0, 0, 10});
    want.insert(want.end(), second.begin(), second.end());
    expect_close(run_rows(*e, 2, {{1, 2, 3, 0, 0, 10}})[0], want);
  }
  {
    // Along axis 1 of [batch, 3, 2]: each column of 3.
    OnnxBuilder b = one_node("Softmax", {3, 2});
    OnnxBuilder::attr(*b.graph().mutable_node(0), "axis", int64_t{1});
    auto e = load_built(b);
    const std::vector<float> a = softmax({1, 3, 5});
    const std::vector<float> c = softmax({2, 4, 7});
    expect_close(run_rows(*e, 1, {{1, 2, 3, 4, 5, 7}})[0], {a[0], c[0], a[1], c[1], a[2], c[2]});
  }
  {
    // Opset 11: axis 1 of [batch, 2, 3] is one softmax over all 6.
    OnnxBuilder b(11);
    b.input("x", {kBatchDim, 2, 3});
    b.node("Softmax", {"x"}, {"y"});
    b.output("y");
    auto e = load_built(b);
    expect_close(run_rows(*e, 1, {{1, 2, 3, 4, 5, 6}})[0], softmax({1, 2, 3, 4, 5, 6}));
  }
}

std::vector<float> layer_norm(const std::vector<float>& x, const std::vector<float>& scale,
                              const std::vector<float>& bias, float eps) {
  double mean = 0;
  for (const float v : x) mean += v;
  mean /= static_cast<double>(x.size());
  double var = 0;
  for (const float v : x) var += (v - mean) * (v - mean);
  var /= static_cast<double>(x.size());
  std::vector<float> y;
  for (size_t i = 0; i < x.size(); ++i) {
    y.push_back(static_cast<float>((x[i] - mean) / std::sqrt(var + eps)) * scale[i % scale.size()] +
                bias[i % bias.size()]);
  }
  return y;
}

TEST(InferenceOps, LayerNormalizationOverTheLastAxisAndFromAnEarlierOne) {
  const std::vector<float> x{1, 2, 4, -1, 0, 7};
  {
    OnnxBuilder b = one_node("LayerNormalization", {2, 3}, {"s", "b"});
    b.weight("s", {3}, {1, 2, 0.5F}).weight("b", {3}, {0, 1, -1});
    OnnxBuilder::attr(*b.graph().mutable_node(0), "epsilon", 1e-3F);
    auto e = load_built(b);
    std::vector<float> want = layer_norm({1, 2, 4}, {1, 2, 0.5F}, {0, 1, -1}, 1e-3F);
    const std::vector<float> second = layer_norm({-1, 0, 7}, {1, 2, 0.5F}, {0, 1, -1}, 1e-3F);
    want.insert(want.end(), second.begin(), second.end());
    expect_close(run_rows(*e, 1, {x})[0], want);
  }
  {
    // axis 1 of [batch, 2, 3]: all 6 together; the scale [3] broadcasts over both rows, no bias.
    OnnxBuilder b = one_node("LayerNormalization", {2, 3}, {"s"});
    b.weight("s", {3}, {1, 2, 0.5F});
    OnnxBuilder::attr(*b.graph().mutable_node(0), "axis", int64_t{1});
    auto e = load_built(b);
    expect_close(run_rows(*e, 1, {x})[0], layer_norm(x, {1, 2, 0.5F}, {0}, 1e-5F));
  }
}

TEST(InferenceOps, ConcatTransposeReshapeFlattenIdentity) {
  {
    OnnxBuilder b;
    b.input("a", {kBatchDim, 2}).input("c", {kBatchDim, 3});
    OnnxBuilder::attr(b.node("Concat", {"a", "c"}, {"y"}), "axis", int64_t{1});
    b.output("y");
    auto e = load_built(b);
    expect_close(run_rows(*e, 2, {{1, 2, 3, 4}, {5, 6, 7, 8, 9, 10}})[0],
                 {1, 2, 5, 6, 7, 3, 4, 8, 9, 10});
  }
  {
    OnnxBuilder b = one_node("Transpose", {2, 3});
    OnnxBuilder::attr(*b.graph().mutable_node(0), "perm", std::vector<int64_t>{0, 2, 1});
    auto e = load_built(b);
    expect_close(run_rows(*e, 2, {iota(12)})[0], {0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11});
  }
  {
    // Flatten then Reshape to [batch, 3, 2] then Transpose: the views must hand over the data.
    OnnxBuilder b;
    b.input("x", {kBatchDim, 2, 3}).ints("t", {3}, {0, 3, -1});
    b.node("Flatten", {"x"}, {"f"});
    b.node("Reshape", {"f", "t"}, {"r"});
    b.node("Identity", {"r"}, {"i"});
    OnnxBuilder::attr(b.node("Transpose", {"i"}, {"y"}), "perm", std::vector<int64_t>{0, 2, 1});
    b.output("y");
    auto e = load_built(b);
    expect_close(run_rows(*e, 1, {iota(6)})[0], {0, 2, 4, 1, 3, 5});
  }
  {
    OnnxBuilder b = one_node("Identity", {3});
    auto e = load_built(b);
    expect_close(run_rows(*e, 2, {iota(6)})[0], iota(6));
  }
}

TEST(InferenceOps, GatherWithAListAndAScalarIndex) {
  {
    OnnxBuilder b = one_node("Gather", {4}, {"i"});
    b.ints("i", {2}, {3, 0});
    OnnxBuilder::attr(*b.graph().mutable_node(0), "axis", int64_t{1});
    auto e = load_built(b);
    expect_close(run_rows(*e, 2, {iota(8)})[0], {3, 0, 7, 4});
  }
  {
    OnnxBuilder b = one_node("Gather", {3, 2}, {"i"});
    b.ints("i", {}, {-1});
    OnnxBuilder::attr(*b.graph().mutable_node(0), "axis", int64_t{1});
    auto e = load_built(b);
    ASSERT_EQ(e->info().outputs[0].shape, (std::vector<int64_t>{2}));
    expect_close(run_rows(*e, 2, {iota(12)})[0], {4, 5, 10, 11});
  }
}

// ---------------------------------------------------------------------------------------------
// GRU and LSTM against a scalar reference written from the ONNX definitions.

constexpr int64_t kSteps = test::kRnnSteps;
constexpr int64_t kIn = test::kRnnInputs;
constexpr int64_t kHidden = test::kRnnHidden;

float sigmoid(float v) {
  return 1.0F / (1.0F + std::exp(-v));
}

float dot(const float* w, const float* x, int64_t n) {
  float s = 0;
  for (int64_t i = 0; i < n; ++i) s += w[i] * x[i];
  return s;
}

// x [rows, steps, in] (batch first, as the model's input) -> y [rows, steps, H], h, c [rows, H].
void reference_gru(const RnnCase& k, size_t rows, bool lbr, std::vector<float>& y,
                   std::vector<float>& h_out) {
  const int64_t H = kHidden;
  y.assign(rows * kSteps * H, 0);
  h_out = k.h0;
  for (size_t b = 0; b < rows; ++b) {
    float* h = &h_out[b * H];
    for (int64_t t = 0; t < kSteps; ++t) {
      const float* x = &k.x[(b * kSteps + t) * kIn];
      std::vector<float> z(H);
      std::vector<float> r(H);
      std::vector<float> n(H);
      std::vector<float> rh(H);
      for (int64_t j = 0; j < H; ++j) {
        z[j] = sigmoid(dot(&k.w[j * kIn], x, kIn) + k.bias[j] + dot(&k.r[j * H], h, H) +
                       k.bias[3 * H + j]);
        r[j] = sigmoid(dot(&k.w[(H + j) * kIn], x, kIn) + k.bias[H + j] +
                       dot(&k.r[(H + j) * H], h, H) + k.bias[4 * H + j]);
      }
      for (int64_t j = 0; j < H; ++j) rh[j] = r[j] * h[j];
      for (int64_t j = 0; j < H; ++j) {
        const float xh = dot(&k.w[(2 * H + j) * kIn], x, kIn) + k.bias[2 * H + j];
        const float* rw = &k.r[(2 * H + j) * H];
        const float rb = k.bias[5 * H + j];
        n[j] = std::tanh(lbr ? xh + r[j] * (dot(rw, h, H) + rb) : xh + dot(rw, rh.data(), H) + rb);
      }
      for (int64_t j = 0; j < H; ++j) h[j] = (1 - z[j]) * n[j] + z[j] * h[j];
      for (int64_t j = 0; j < H; ++j) y[(b * kSteps + t) * H + j] = h[j];
    }
  }
}

void reference_lstm(const RnnCase& k, size_t rows, std::vector<float>& y, std::vector<float>& h_out,
                    std::vector<float>& c_out) {
  const int64_t H = kHidden;
  y.assign(rows * kSteps * H, 0);
  h_out = k.h0;
  c_out = k.c0;
  for (size_t b = 0; b < rows; ++b) {
    float* h = &h_out[b * H];
    float* c = &c_out[b * H];
    for (int64_t t = 0; t < kSteps; ++t) {
      const float* x = &k.x[(b * kSteps + t) * kIn];
      std::vector<float> g(4 * H);
      for (int64_t j = 0; j < 4 * H; ++j) {
        g[j] = dot(&k.w[j * kIn], x, kIn) + k.bias[j] + dot(&k.r[j * H], h, H) + k.bias[4 * H + j];
      }
      for (int64_t j = 0; j < H; ++j) {
        const float i = sigmoid(g[j]);
        const float o = sigmoid(g[H + j]);
        const float f = sigmoid(g[2 * H + j]);
        const float cc = std::tanh(g[3 * H + j]);
        c[j] = f * c[j] + i * cc;
        h[j] = o * std::tanh(c[j]);
      }
      for (int64_t j = 0; j < H; ++j) y[(b * kSteps + t) * H + j] = h[j];
    }
  }
}

TEST(InferenceOps, GruWithAndWithoutLinearBeforeReset) {
  for (const bool lbr : {false, true}) {
    for (const size_t rows : {size_t{1}, size_t{3}}) {
      const RnnCase k = rnn_case(3, rows, lbr ? 11 : 21);
      auto e = load_built(rnn_model("GRU", k, lbr), 4);
      std::vector<float> y;
      std::vector<float> h;
      reference_gru(k, rows, lbr, y, h);
      const auto got = run_rows(*e, rows, {k.x, k.h0});
      const std::string what = "lbr " + std::to_string(lbr) + " rows " + std::to_string(rows);
      expect_close(got[0], y, 1e-5F, 1e-5F, what + " Y");
      expect_close(got[1], h, 1e-5F, 1e-5F, what + " Y_h");
    }
  }
}

TEST(InferenceOps, Lstm) {
  for (const size_t rows : {size_t{1}, size_t{3}}) {
    const RnnCase k = rnn_case(4, rows, 31);
    auto e = load_built(rnn_model("LSTM", k, false), 4);
    std::vector<float> y;
    std::vector<float> h;
    std::vector<float> c;
    reference_lstm(k, rows, y, h, c);
    const auto got = run_rows(*e, rows, {k.x, k.h0, k.c0});
    expect_close(got[0], y, 1e-5F, 1e-5F, "Y");
    expect_close(got[1], h, 1e-5F, 1e-5F, "Y_h");
    expect_close(got[2], c, 1e-5F, 1e-5F, "Y_c");
  }
}

}  // namespace
}  // namespace guiju::inference
