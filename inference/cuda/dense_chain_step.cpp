// A run of dense layers as one step: the fused kernel of dense_chain.hpp for a few rows, the
// layers' own cuBLASLt steps above. The chain's weights are uploaded a second time, transposed to
// [inputs, outputs] with alpha folded in, so that the kernel's threads (one per output) read them
// coalesced; a few hundred kilobytes for the models this path is for.

#include <vector>

#include "inference/cuda/dense_chain.hpp"
#include "inference/cuda/steps.hpp"

namespace guiju::inference::cuda {
namespace {

class DenseChainStep final : public Step {
 public:
  DenseChainStep(std::vector<std::unique_ptr<Step>> gemms, DenseChain chain, DeviceOperand x,
                 DeviceOperand y, size_t fused_rows)
      : gemms_(std::move(gemms)), chain_(chain), x_(x), y_(y), fused_rows_(fused_rows) {}

  void prepare(size_t rows) override {
    for (const auto& g : gemms_) g->prepare(rows);
  }

  void enqueue(size_t rows, cudaStream_t stream) const override {
    const size_t m = x_.shape.at(rows)[0];
    if (m <= fused_rows_) {
      launch_dense_chain(chain_, x_.data, y_.data, static_cast<int>(m), stream);
      return;
    }
    for (const auto& g : gemms_) g->enqueue(rows, stream);
  }

 private:
  std::vector<std::unique_ptr<Step>> gemms_;
  DenseChain chain_;
  DeviceOperand x_;
  DeviceOperand y_;
  size_t fused_rows_;
};

bool is_weight(const Graph& g, TensorId id) {
  return id != kNoTensor && g.tensor(id).kind == TensorKind::kWeight;
}

}  // namespace

bool gemm_chainable(const Graph& g, const Node& n) {
  if (n.op != OpType::kGemm) return false;
  const auto& at = std::get<GemmAttributes>(n.attributes);
  const TensorId c = n.inputs.size() > 2 ? n.inputs[2] : kNoTensor;
  if (at.trans_a || !is_weight(g, n.inputs[1]) || (c != kNoTensor && !gemm_c_is_bias(g, n))) {
    return false;
  }
  const Shape& bs = g.tensor(n.inputs[1]).shape;
  const int64_t k = at.trans_b ? bs[1] : bs[0];
  const int64_t nn = at.trans_b ? bs[0] : bs[1];
  return k <= kChainMaxWidth && nn <= kChainMaxWidth;
}

std::unique_ptr<Step> make_dense_chain_step(StepBuilder& b, const std::vector<const Node*>& nodes,
                                            std::vector<std::unique_ptr<Step>> gemm_steps,
                                            size_t fused_rows) {
  const Graph& g = b.graph();
  DenseChain chain;
  for (const Node* n : nodes) {
    const auto& at = std::get<GemmAttributes>(n->attributes);
    const Tensor& w = g.tensor(n->inputs[1]);
    const auto k = static_cast<size_t>(at.trans_b ? w.shape[1] : w.shape[0]);
    const auto nn = static_cast<size_t>(at.trans_b ? w.shape[0] : w.shape[1]);
    std::vector<float> wt(k * nn);
    for (size_t i = 0; i < k; ++i) {
      for (size_t j = 0; j < nn; ++j) {
        wt[i * nn + j] = at.alpha * (at.trans_b ? w.data[j * k + i] : w.data[i * nn + j]);
      }
    }
    DenseChainLayer& layer = chain.layers[chain.count++];
    layer.weights = b.upload(wt);
    layer.k = static_cast<int>(k);
    layer.n = static_cast<int>(nn);
    layer.activation = at.activation;
    layer.alpha = at.activation_alpha;
    const TensorId c = n->inputs.size() > 2 ? n->inputs[2] : kNoTensor;
    if (c != kNoTensor) {
      const std::vector<float>& cv = g.tensor(c).data;
      std::vector<float> bias(nn);
      for (size_t j = 0; j < nn; ++j) bias[j] = at.beta * cv[cv.size() == 1 ? 0 : j];
      layer.bias = b.upload(bias);
    }
  }
  return std::make_unique<DenseChainStep>(std::move(gemm_steps), chain,
                                          b.operand(nodes.front()->inputs[0]),
                                          b.operand(nodes.back()->outputs[0]), fused_rows);
}

}  // namespace guiju::inference::cuda
