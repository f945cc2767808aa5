#include "inference/onnx/fuse_activations.hpp"

#include <algorithm>
#include <vector>

namespace guiju::inference {
namespace {

Activation activation_of(OpType op) {
  switch (op) {
    case OpType::kRelu:
      return Activation::kRelu;
    case OpType::kLeakyRelu:
      return Activation::kLeakyRelu;
    case OpType::kTanh:
      return Activation::kTanh;
    case OpType::kSigmoid:
      return Activation::kSigmoid;
    default:
      return Activation::kNone;
  }
}

}  // namespace

int fuse_activations(Graph& graph) {
  std::vector<int> readers(graph.tensors.size(), 0);
  for (const Node& n : graph.nodes) {
    for (const TensorId in : n.inputs) {
      if (in != kNoTensor) ++readers[static_cast<size_t>(in)];
    }
  }
  for (const TensorId out : graph.outputs) ++readers[static_cast<size_t>(out)];
  std::vector<bool> removed(graph.nodes.size(), false);
  int fused = 0;
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    Node& gemm = graph.nodes[i];
    if (gemm.op != OpType::kGemm) continue;
    auto& attributes = std::get<GemmAttributes>(gemm.attributes);
    if (attributes.activation != Activation::kNone) continue;
    const TensorId y = gemm.outputs[0];
    if (readers[static_cast<size_t>(y)] != 1) continue;
    for (size_t j = i + 1; j < graph.nodes.size(); ++j) {
      Node& act = graph.nodes[j];
      if (removed[j] || std::find(act.inputs.begin(), act.inputs.end(), y) == act.inputs.end()) {
        continue;
      }
      const Activation a = activation_of(act.op);
      if (a != Activation::kNone) {
        attributes.activation = a;
        if (a == Activation::kLeakyRelu) {
          attributes.activation_alpha = std::get<LeakyReluAttributes>(act.attributes).alpha;
        }
        gemm.outputs[0] = act.outputs[0];
        removed[j] = true;
        ++fused;
      }
      break;  // the one reader
    }
  }
  std::vector<Node> kept;
  kept.reserve(graph.nodes.size());
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    if (!removed[i]) kept.push_back(std::move(graph.nodes[i]));
  }
  graph.nodes = std::move(kept);
  return fused;
}

}  // namespace guiju::inference
