// The ONNX loader: what it builds (shapes inferred through the graph, torch's shape arithmetic
// folded, opset differences resolved) and what it refuses, with the file, the node, the op type
// and the attribute or shape at fault named. Corrupt and hostile files are refused, never crash.

#include "inference/onnx/onnx_loader.hpp"

#include <gtest/gtest.h>

#include <random>
#include <span>
#include <string>

#include "inference/onnx/broadcast.hpp"
#include "inference/onnx/fuse_activations.hpp"
#include "inference/onnx/model_error.hpp"
#include "tests/support/onnx_builder.hpp"

namespace guiju::inference {
namespace {

using test::kBatchDim;
using test::OnnxBuilder;

Graph parse(const OnnxBuilder& b, const std::string& source = "model.onnx") {
  const std::string bytes = b.bytes();
  return parse_onnx(std::as_bytes(std::span(bytes.data(), bytes.size())), source);
}

// The loader's error for `b`, or "" when it loads.
std::string refusal(const OnnxBuilder& b) {
  try {
    parse(b);
  } catch (const ModelError& e) {
    return e.what();
  }
  return "";
}

std::string refusal_of_bytes(const std::string& bytes, const LoadLimits& limits = {}) {
  try {
    parse_onnx(std::as_bytes(std::span(bytes.data(), bytes.size())), "bytes.onnx", limits);
  } catch (const ModelError& e) {
    return e.what();
  }
  return "";
}

std::vector<float> filled(size_t n, float v = 0.5F) {
  // Parentheses, not braces: braces would make a list of the two values.
  return std::vector<float>(n, v);  // NOLINT(modernize-return-braced-init-list)
}

// x [batch, 4] -> Gemm(W [3, 4], transB) -> Relu -> y [batch, 3]
OnnxBuilder small_mlp() {
  OnnxBuilder b;
  b.input("x", {kBatchDim, 4}).weight("W", {3, 4}, filled(12)).weight("b", {3}, filled(3));
  auto& gemm = b.node("Gemm", {"x", "W", "b"}, {"h"}, "fc");
  OnnxBuilder::attr(gemm, "transB", int64_t{1});
  b.node("Relu", {"h"}, {"y"}, "act");
  b.output("y", {kBatchDim, 3});
  return b;
}

TEST(OnnxLoader, BuildsTheGraphWithInferredShapes) {
  const Graph g = parse(small_mlp());
  ASSERT_EQ(g.inputs.size(), 1U);
  EXPECT_EQ(g.tensor(g.inputs[0]).shape, (Shape{kBatch, 4}));
  ASSERT_EQ(g.nodes.size(), 2U);
  EXPECT_EQ(g.nodes[0].op, OpType::kGemm);
  EXPECT_EQ(g.nodes[0].name, "fc");
  EXPECT_TRUE(std::get<GemmAttributes>(g.nodes[0].attributes).trans_b);
  EXPECT_EQ(g.tensor(g.outputs[0]).shape, (Shape{kBatch, 3}));
  EXPECT_EQ(g.tensor(g.outputs[0]).name, "y");
}

TEST(OnnxLoader, FusesTheActivationIntoTheGemm) {
  Graph g = parse(small_mlp());
  EXPECT_EQ(fuse_activations(g), 1);
  ASSERT_EQ(g.nodes.size(), 1U);
  EXPECT_EQ(std::get<GemmAttributes>(g.nodes[0].attributes).activation, Activation::kRelu);
  EXPECT_EQ(g.tensor(g.nodes[0].outputs[0]).name, "y");
}

TEST(OnnxLoader, FoldsTorchShapeArithmeticIntoTheReshapeTarget) {
  // x.view(x.size(0), -1) as torch 1.13 exports it: Shape, Gather, Unsqueeze, Concat, Reshape.
  OnnxBuilder b;
  b.input("x", {kBatchDim, 3, 4});
  b.ints("zero", {}, {0}).ints("axes0", {1}, {0}).ints("minus1", {1}, {-1});
  b.node("Shape", {"x"}, {"s"});
  b.node("Gather", {"s", "zero"}, {"n"});
  b.node("Unsqueeze", {"n", "axes0"}, {"n1"});
  OnnxBuilder::attr(b.node("Concat", {"n1", "minus1"}, {"target"}), "axis", int64_t{0});
  b.node("Reshape", {"x", "target"}, {"y"}, "flat");
  b.output("y");
  const Graph g = parse(b);
  ASSERT_EQ(g.nodes.size(), 1U);  // the shape arithmetic is gone
  EXPECT_EQ(g.nodes[0].op, OpType::kReshape);
  EXPECT_EQ(g.tensor(g.outputs[0]).shape, (Shape{kBatch, 12}));
}

TEST(OnnxLoader, ResolvesReshapeZerosAndMinusOne) {
  OnnxBuilder b;
  b.input("x", {kBatchDim, 6, 4}).ints("t", {3}, {0, -1, 2});
  b.node("Reshape", {"x", "t"}, {"y"});
  b.output("y");
  EXPECT_EQ(parse(b).tensor(parse(b).outputs[0]).shape, (Shape{kBatch, 12, 2}));
}

TEST(OnnxLoader, RefusesAReshapeThatMergesTheBatch) {
  OnnxBuilder b;
  b.input("x", {kBatchDim, 6}).ints("t", {1}, {-1});
  b.node("Reshape", {"x", "t"}, {"y"}, "merge");
  b.output("y");
  const std::string e = refusal(b);
  EXPECT_NE(e.find("node 'merge' (Reshape)"), std::string::npos) << e;
  EXPECT_NE(e.find("batch times 6"), std::string::npos) << e;
}

TEST(OnnxLoader, SqueezeAndUnsqueezeAxesAsAttributeBeforeOpset13AndInputFrom13) {
  for (const int64_t opset : {11, 13}) {
    OnnxBuilder b(opset);
    b.input("x", {kBatchDim, 3});
    auto& u =
        opset < 13 ? b.node("Unsqueeze", {"x"}, {"u"}) : b.node("Unsqueeze", {"x", "a"}, {"u"});
    if (opset < 13) OnnxBuilder::attr(u, "axes", std::vector<int64_t>{1, -1});
    if (opset >= 13) b.ints("a", {2}, {1, -1});
    b.node("Relu", {"u"}, {"r"});
    auto& s = opset < 13 ? b.node("Squeeze", {"r"}, {"y"}) : b.node("Squeeze", {"r", "s"}, {"y"});
    if (opset < 13) OnnxBuilder::attr(s, "axes", std::vector<int64_t>{3});
    if (opset >= 13) b.ints("s", {1}, {3});
    b.output("y");
    const Graph g = parse(b);
    EXPECT_EQ(g.tensor(g.nodes[1].outputs[0]).shape, (Shape{kBatch, 1, 3, 1})) << opset;
    EXPECT_EQ(g.tensor(g.outputs[0]).shape, (Shape{kBatch, 1, 3})) << opset;
  }
}

TEST(OnnxLoader, SoftmaxBeforeOpset13FlattensFromItsAxis) {
  for (const int64_t opset : {11, 13}) {
    OnnxBuilder b(opset);
    b.input("x", {kBatchDim, 2, 3});
    b.node("Softmax", {"x"}, {"y"});
    b.output("y");
    const auto& a = std::get<SoftmaxAttributes>(parse(b).nodes[0].attributes);
    EXPECT_EQ(a.axis, opset < 13 ? 1 : 2);
    EXPECT_EQ(a.flatten, opset < 13);
  }
}

TEST(OnnxLoader, BroadcastingRules) {
  EXPECT_EQ(broadcast_shapes({kBatch, 2, 3}, {3}), (Shape{kBatch, 2, 3}));
  EXPECT_EQ(broadcast_shapes({kBatch, 2, 1}, {1, 4}), (Shape{kBatch, 2, 4}));
  EXPECT_EQ(broadcast_shapes({kBatch, 1}, {1}), (Shape{kBatch, 1}));
  EXPECT_EQ(broadcast_shapes({kBatch, 3}, {kBatch, 1}), (Shape{kBatch, 3}));
  EXPECT_EQ(broadcast_shapes({}, {2, 3}), (Shape{2, 3}));
  EXPECT_THROW(broadcast_shapes({kBatch, 3}, {4}), ModelError);
  EXPECT_THROW(broadcast_shapes({kBatch, 3}, {5, 3}), ModelError);       // batch against 5
  EXPECT_THROW(broadcast_shapes({kBatch, 1}, {1, kBatch}), ModelError);  // two batch dims
  EXPECT_TRUE(broadcasts_to({3}, {kBatch, 3}));
  EXPECT_TRUE(broadcasts_to({1, 3}, {kBatch, 3}));
  EXPECT_FALSE(broadcasts_to({2, 3}, {kBatch, 3}));
}

TEST(OnnxLoader, RefusesAnUnsupportedOpNamingTheNodeAndTheFile) {
  OnnxBuilder b;
  b.input("x", {kBatchDim, 1, 8, 8}).weight("k", {1, 1, 3, 3}, filled(9));
  b.node("Conv", {"x", "k"}, {"y"}, "conv1");
  b.output("y");
  const std::string e = refusal(b);
  EXPECT_NE(e.find("model.onnx: node 'conv1' (Conv): op type 'Conv' is not supported"),
            std::string::npos)
      << e;
}

TEST(OnnxLoader, RefusesAnOpOfAnotherDomain) {
  OnnxBuilder b;
  b.input("x", {kBatchDim, 4});
  b.node("FusedGemm", {"x"}, {"y"}, "f").set_domain("com.microsoft");
  b.output("y");
  EXPECT_NE(refusal(b).find("domain 'com.microsoft'"), std::string::npos);
}

TEST(OnnxLoader, RefusesAnUnknownAttribute) {
  OnnxBuilder b = small_mlp();
  OnnxBuilder::attr(*b.graph().mutable_node(0), "fast_math", int64_t{1});
  const std::string e = refusal(b);
  EXPECT_NE(e.find("node 'fc' (Gemm): attribute 'fast_math' is not supported"), std::string::npos)
      << e;
}

TEST(OnnxLoader, RefusesAnAttributeOfTheWrongType) {
  OnnxBuilder b = small_mlp();
  b.graph().mutable_node(0)->mutable_attribute(0)->set_type(onnx::AttributeProto::FLOAT);
  const std::string e = refusal(b);
  EXPECT_NE(e.find("attribute 'transB' is FLOAT, expected INT"), std::string::npos) << e;
}

OnnxBuilder rnn(const std::string& op, int64_t hidden = 2) {
  const int64_t gates = op == "GRU" ? 3 : 4;
  OnnxBuilder b;
  b.input("x", {kBatchDim, 3, 2}).ints("perm", {3}, {1, 0, 2});
  auto& t = b.node("Transpose", {"x"}, {"xt"});
  OnnxBuilder::attr(t, "perm", std::vector<int64_t>{1, 0, 2});
  b.weight("W", {1, gates * hidden, 2}, filled(static_cast<size_t>(gates * hidden * 2), 0.1F));
  b.weight("R", {1, gates * hidden, hidden},
           filled(static_cast<size_t>(gates * hidden * hidden), 0.1F));
  auto& n = b.node(op, {"xt", "W", "R"}, {"", "h"}, "rnn");
  OnnxBuilder::attr(n, "hidden_size", hidden);
  b.ints("axes", {1}, {0});
  b.node("Squeeze", {"h", "axes"}, {"y"});
  b.output("y");
  return b;
}

TEST(OnnxLoader, LoadsGruAndLstmAndRefusesWhatTheyDoNotSupport) {
  EXPECT_EQ(refusal(rnn("GRU")), "");
  EXPECT_EQ(refusal(rnn("LSTM")), "");
  {
    OnnxBuilder b = rnn("GRU");
    OnnxBuilder::attr(*b.graph().mutable_node(1), "direction", std::string("bidirectional"));
    const std::string e = refusal(b);
    EXPECT_NE(e.find("node 'rnn' (GRU): attribute 'direction' is \"bidirectional\"; only "
                     "\"forward\" is supported"),
              std::string::npos)
        << e;
  }
  {
    OnnxBuilder b = rnn("LSTM");
    b.weight("P", {1, 6}, filled(6));
    auto* n = b.graph().mutable_node(1);
    n->add_input("");  // B
    n->add_input("");  // sequence_lens
    n->add_input("");  // initial_h
    n->add_input("");  // initial_c
    n->add_input("P");
    const std::string e = refusal(b);
    EXPECT_NE(e.find("node 'rnn' (LSTM): peephole weights (input P) are not supported"),
              std::string::npos)
        << e;
  }
  {
    OnnxBuilder b = rnn("GRU");
    OnnxBuilder::attr(*b.graph().mutable_node(1), "activations",
                      std::vector<std::string>{"Relu", "Tanh"});
    EXPECT_NE(refusal(b).find("attribute 'activations' is Relu Tanh"), std::string::npos);
  }
  {
    OnnxBuilder b = rnn("GRU");
    OnnxBuilder::attr(*b.graph().mutable_node(1), "clip", 1.0F);
    EXPECT_NE(refusal(b).find("attribute 'clip' is not supported"), std::string::npos);
  }
  {
    OnnxBuilder b = rnn("GRU");
    b.graph().mutable_node(1)->mutable_attribute(0)->set_i(3);  // hidden_size 3, weights for 2
    const std::string e = refusal(b);
    EXPECT_NE(e.find("node 'rnn' (GRU): W is [1, 6, 2], expected [1, 9, 2]"), std::string::npos)
        << e;
  }
}

TEST(OnnxLoader, RefusesShapesThatDoNotFitNamingThem) {
  OnnxBuilder b;
  b.input("x", {kBatchDim, 5}).weight("W", {3, 4}, filled(12));
  b.node("Gemm", {"x", "W"}, {"y"}, "fc");
  b.output("y");
  const std::string e = refusal(b);
  EXPECT_NE(e.find("node 'fc' (Gemm): A [batch, 5] and B [3, 4] do not multiply"),
            std::string::npos)
      << e;
}

TEST(OnnxLoader, RefusesBroadcastingTheBatchAgainstAFixedSize) {
  OnnxBuilder b;
  b.input("x", {kBatchDim, 3}).weight("c", {4, 3}, filled(12));
  b.node("Add", {"x", "c"}, {"y"}, "add");
  b.output("y");
  const std::string e = refusal(b);
  EXPECT_NE(e.find("node 'add' (Add): shapes [batch, 3] and [4, 3] do not broadcast"),
            std::string::npos)
      << e;
}

TEST(OnnxLoader, RefusesTypesOtherThanFloat32) {
  {
    OnnxBuilder b;
    b.input("x", {kBatchDim, 3}, onnx::TensorProto::DOUBLE);
    b.node("Relu", {"x"}, {"y"});
    b.output("y");
    EXPECT_NE(refusal(b).find("input 'x' is DOUBLE; only float32 inputs are supported"),
              std::string::npos);
  }
  {
    OnnxBuilder b = small_mlp();
    b.graph().mutable_initializer(0)->set_data_type(onnx::TensorProto::FLOAT16);
    EXPECT_NE(refusal(b).find("initializer 'W' is FLOAT16; only FLOAT (float32)"),
              std::string::npos);
  }
}

TEST(OnnxLoader, RefusesInputsWithoutASymbolicBatch) {
  OnnxBuilder b;
  b.input("x", {1, 4});
  b.node("Relu", {"x"}, {"y"});
  b.output("y");
  EXPECT_NE(refusal(b).find("input 'x' has a fixed first dimension of 1"), std::string::npos);
  OnnxBuilder c;
  c.input("x", {kBatchDim, kBatchDim});
  c.node("Relu", {"x"}, {"y"});
  c.output("y");
  EXPECT_NE(refusal(c).find("only the first dimension, the batch, may vary"), std::string::npos);
}

TEST(OnnxLoader, RefusesOutputsWithoutTheBatchFirst) {
  OnnxBuilder b;
  b.input("x", {kBatchDim, 4});
  auto& t = b.node("Transpose", {"x"}, {"y"});
  OnnxBuilder::attr(t, "perm", std::vector<int64_t>{1, 0});
  b.output("y");
  EXPECT_NE(refusal(b).find("output 'y' has shape [4, batch]"), std::string::npos);
}

TEST(OnnxLoader, RefusesADeclaredOutputShapeTheGraphDoesNotCompute) {
  OnnxBuilder b = small_mlp();
  b.graph()
      .mutable_output(0)
      ->mutable_type()
      ->mutable_tensor_type()
      ->mutable_shape()
      ->mutable_dim(1)
      ->set_dim_value(5);
  EXPECT_NE(refusal(b).find("output 'y' is declared [batch, 5] but the graph computes [batch, 3]"),
            std::string::npos);
}

TEST(OnnxLoader, RefusesMissingInitializers) {
  OnnxBuilder b;
  b.input("x", {kBatchDim, 4});
  b.node("MatMul", {"x", "W"}, {"y"}, "mm");
  b.output("y");
  const std::string e = refusal(b);
  EXPECT_NE(e.find("node 'mm' (MatMul): input 'W' is not a graph input, an initializer or the "
                   "output of any node"),
            std::string::npos)
      << e;
}

TEST(OnnxLoader, RefusesCyclesAndSortsUnsortedGraphs) {
  OnnxBuilder cycle;
  cycle.input("x", {kBatchDim, 4});
  cycle.node("Add", {"x", "b"}, {"a"}, "first");
  cycle.node("Relu", {"a"}, {"b"}, "second");
  cycle.output("b");
  EXPECT_NE(refusal(cycle).find("the graph has a cycle through node 'first' (Add)"),
            std::string::npos);

  OnnxBuilder unsorted;
  unsorted.input("x", {kBatchDim, 4});
  unsorted.node("Tanh", {"a"}, {"y"});
  unsorted.node("Relu", {"x"}, {"a"});
  unsorted.output("y");
  const Graph g = parse(unsorted);
  ASSERT_EQ(g.nodes.size(), 2U);
  EXPECT_EQ(g.nodes[0].op, OpType::kRelu);
}

TEST(OnnxLoader, RefusesATensorWrittenTwice) {
  OnnxBuilder b;
  b.input("x", {kBatchDim, 4});
  b.node("Relu", {"x"}, {"y"}, "one");
  b.node("Tanh", {"x"}, {"y"}, "two");
  b.output("y");
  EXPECT_NE(refusal(b).find("tensor 'y' is written by node 'one' (Relu) and node 'two' (Tanh)"),
            std::string::npos);
}

TEST(OnnxLoader, RefusesExternalData) {
  OnnxBuilder b = small_mlp();
  auto* w = b.graph().mutable_initializer(0);
  w->clear_float_data();
  w->set_data_location(onnx::TensorProto::EXTERNAL);
  auto* e = w->add_external_data();
  e->set_key("location");
  e->set_value("../weights.bin");
  EXPECT_NE(refusal(b).find("initializer 'W' keeps its data in an external file"),
            std::string::npos);
}

TEST(OnnxLoader, RefusesHugeDimensionsBeforeAllocating) {
  OnnxBuilder b = small_mlp();
  auto* w = b.graph().mutable_initializer(0);
  w->clear_dims();
  w->add_dims(int64_t{1} << 40);
  w->add_dims(int64_t{1} << 40);
  EXPECT_NE(refusal(b).find("initializer 'W' has shape [1099511627776, 1099511627776]"),
            std::string::npos);

  OnnxBuilder c;
  c.input("x", {kBatchDim, 4}).ints("shape", {2}, {1 << 20, 1 << 20});
  c.node("ConstantOfShape", {"shape"}, {"big"}, "fill");
  c.node("Add", {"x", "big"}, {"y"});
  c.output("y");
  EXPECT_NE(refusal(c).find("node 'fill' (ConstantOfShape)"), std::string::npos);

  OnnxBuilder d;
  d.input("x", {kBatchDim, 1 << 30});
  d.node("Relu", {"x"}, {"y"});
  d.output("y");
  EXPECT_NE(refusal(d).find("more elements per row than"), std::string::npos);
}

TEST(OnnxLoader, RefusesDataThatDoesNotMatchItsShape) {
  OnnxBuilder b = small_mlp();
  b.graph().mutable_initializer(0)->add_float_data(1.0F);  // 13 values for [3, 4]
  EXPECT_NE(refusal(b).find("initializer 'W' has 13 values, its shape [3, 4] needs 12"),
            std::string::npos);
  OnnxBuilder c = small_mlp();
  c.graph().mutable_initializer(0)->clear_float_data();
  c.graph().mutable_initializer(0)->set_raw_data(std::string(47, '\0'));
  EXPECT_NE(refusal(c).find("has 47 bytes of data, its shape needs 48"), std::string::npos);
}

TEST(OnnxLoader, RefusesOpsetsOutsideTheSupportedRange) {
  OnnxBuilder b(9);
  b.input("x", {kBatchDim, 4});
  b.node("Relu", {"x"}, {"y"});
  b.output("y");
  EXPECT_NE(refusal(b).find("opset 9 is not supported (11 to 18)"), std::string::npos);
}

TEST(OnnxLoader, RefusesCorruptBytes) {
  EXPECT_NE(refusal_of_bytes("").find("bytes.onnx: the file is empty"), std::string::npos);
  EXPECT_NE(refusal_of_bytes("\xff\xff\xff\xff\xff garbage").find("not an ONNX model"),
            std::string::npos);
  LoadLimits small;
  small.max_file_bytes = 16;
  EXPECT_NE(refusal_of_bytes(std::string(17, '\0'), small).find("more than the limit of 16"),
            std::string::npos);
}

TEST(OnnxLoader, EveryTruncationAndRandomBytesAreRefusedOrLoadedNeverACrash) {
  const std::string whole = rnn("LSTM").bytes();
  size_t refused = 0;
  for (size_t n = 0; n < whole.size(); ++n) {
    if (!refusal_of_bytes(whole.substr(0, n)).empty()) ++refused;
  }
  EXPECT_GT(refused, whole.size() / 2);  // most prefixes are not models
  EXPECT_EQ(refusal_of_bytes(whole), "");
  std::mt19937_64 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::string bytes = whole;
    for (int flips = 0; flips < 4; ++flips) {
      bytes[rng() % bytes.size()] = static_cast<char>(rng());
    }
    (void)refusal_of_bytes(bytes);  // loads or throws ModelError; anything else fails the test
    std::string noise(rng() % 512, '\0');
    for (char& c : noise) c = static_cast<char>(rng());
    (void)refusal_of_bytes(noise);
  }
}

TEST(OnnxLoader, ReadsFilesAndNamesThemInErrors) {
  EXPECT_THROW(load_onnx_file("/nonexistent/model.onnx"), ModelError);
  try {
    load_onnx_file("/nonexistent/model.onnx");
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/model.onnx"), std::string::npos);
  }
}

}  // namespace
}  // namespace guiju::inference
