#include "inference/cpu/cpu_executor.hpp"

#include <cstring>
#include <stdexcept>
#include <string>

#include "inference/cpu/memory_plan.hpp"
#include "inference/cpu/steps.hpp"
#include "inference/onnx/fuse_activations.hpp"
#include "inference/onnx/model_error.hpp"

namespace guiju::inference::cpu {
namespace {

// The arena's cap: a model whose intermediates at max_batch need more is refused at load.
constexpr size_t kMaxArenaFloats = size_t{1} << 28;  // 1 GiB

TensorInfo tensor_info(const Tensor& t) {
  TensorInfo info;
  info.name = t.name;
  info.shape.assign(t.shape.begin() + 1, t.shape.end());  // without the batch, which is first
  return info;
}

// Plans where every tensor lives, and builds the steps.
class Planner final : public StepBuilder {
 public:
  Planner(const Graph& g, size_t max_batch)
      : graph_(g),
        max_batch_(max_batch),
        where_(g.tensors.size()),
        block_of_(g.tensors.size(), -1) {
    for (size_t i = 0; i < g.inputs.size(); ++i) {
      Location& at = where_[static_cast<size_t>(g.inputs[i])];
      at.kind = Location::Kind::kInput;
      at.index = i;
    }
    for (size_t i = 0; i < g.tensors.size(); ++i) {
      if (g.tensors[i].kind == TensorKind::kWeight) {
        where_[i].kind = Location::Kind::kWeight;
        where_[i].weight = g.tensors[i].data.data();
      }
    }
  }

  const Graph& graph() const override { return graph_; }
  size_t max_batch() const override { return max_batch_; }
  Operand operand(TensorId id) const override {
    return Operand{where_[static_cast<size_t>(id)], ShapeAt(graph_.tensor(id).shape)};
  }
  Location scratch(size_t floats) override {
    Location at;
    at.index = add_block(floats, step_, step_);
    return at;
  }

  // Arena blocks for every node's outputs, and each kept alive until its last reader. A
  // kReshape's output is its input's location (a view), and reading it keeps the input alive.
  void plan_tensors() {
    const auto last = static_cast<int>(graph_.nodes.size());
    for (size_t i = 0; i < graph_.nodes.size(); ++i) {
      const Node& n = graph_.nodes[i];
      const auto step = static_cast<int>(i);
      for (const TensorId in : n.inputs) {
        if (in != kNoTensor && block_of_[static_cast<size_t>(in)] >= 0) {
          plan_.extend(static_cast<size_t>(block_of_[static_cast<size_t>(in)]), step);
        }
      }
      if (n.op == OpType::kReshape) {
        const auto in = static_cast<size_t>(n.inputs[0]);
        const auto out = static_cast<size_t>(n.outputs[0]);
        where_[out] = where_[in];
        block_of_[out] = block_of_[in];
        continue;
      }
      for (const TensorId out : n.outputs) {
        if (out == kNoTensor) continue;
        const size_t block = add_block(floats_at_max(graph_.tensor(out).shape), step, step);
        where_[static_cast<size_t>(out)].index = block;
        block_of_[static_cast<size_t>(out)] = static_cast<int>(block);
      }
    }
    for (const TensorId out : graph_.outputs) {
      if (block_of_[static_cast<size_t>(out)] >= 0) {
        plan_.extend(static_cast<size_t>(block_of_[static_cast<size_t>(out)]), last);
      }
    }
  }

  std::vector<std::unique_ptr<Step>> build_steps() {
    std::vector<std::unique_ptr<Step>> steps;
    for (size_t i = 0; i < graph_.nodes.size(); ++i) {
      step_ = static_cast<int>(i);
      const Node& n = graph_.nodes[i];
      try {
        if (auto s = make_step(n)) steps.push_back(std::move(s));
      } catch (const ModelError& e) {
        throw ModelError("node '" + n.name + "' (" + n.onnx_op + "): " + e.what());
      }
    }
    return steps;
  }

  MemoryPlan& plan() { return plan_; }

 private:
  std::unique_ptr<Step> make_step(const Node& n) {
    switch (n.op) {
      case OpType::kGemm:
        return make_gemm_step(*this, n);
      case OpType::kMatMul:
        return make_matmul_step(*this, n);
      case OpType::kAdd:
      case OpType::kSub:
      case OpType::kMul:
      case OpType::kDiv:
        return make_binary_step(*this, n);
      case OpType::kRelu:
      case OpType::kLeakyRelu:
      case OpType::kTanh:
      case OpType::kSigmoid:
        return make_unary_step(*this, n);
      case OpType::kSoftmax:
        return make_softmax_step(*this, n);
      case OpType::kLayerNormalization:
        return make_layer_norm_step(*this, n);
      case OpType::kConcat:
        return make_concat_step(*this, n);
      case OpType::kReshape:
        return nullptr;  // a view: nothing to run
      case OpType::kTranspose:
        return make_transpose_step(*this, n);
      case OpType::kGather:
        return make_gather_step(*this, n);
      case OpType::kGru:
        return make_gru_step(*this, n);
      case OpType::kLstm:
        return make_lstm_step(*this, n);
    }
    throw ModelError("op not supported by the CPU backend");
  }

  size_t floats_at_max(const Shape& shape) const {
    const size_t row = static_elements(shape);
    if (batch_axis(shape) >= 0 && row > kMaxArenaFloats / max_batch_) {
      throw ModelError("a tensor of shape " + shape_text(shape) + " at batch " +
                       std::to_string(max_batch_) + " exceeds the arena's limit");
    }
    return batch_axis(shape) >= 0 ? row * max_batch_ : row;
  }

  size_t add_block(size_t floats, int first, int last) {
    if (floats > kMaxArenaFloats - total_requested_) {
      throw ModelError("the intermediate tensors at batch " + std::to_string(max_batch_) +
                       " exceed the arena's limit of " +
                       std::to_string(kMaxArenaFloats * sizeof(float)) + " bytes");
    }
    total_requested_ += floats;
    return plan_.add(floats, first, last);
  }

  const Graph& graph_;
  size_t max_batch_;
  std::vector<Location> where_;
  std::vector<int> block_of_;
  MemoryPlan plan_;
  size_t total_requested_ = 0;
  int step_ = 0;
};

}  // namespace

CpuExecutor::CpuExecutor(Graph graph, ModelInfo info)
    : graph_(std::move(graph)), info_(std::move(info)) {
  if (info_.max_batch == 0) throw ModelError(graph_.source + ": max_batch must be at least 1");
  fuse_activations(graph_);
  info_.inputs.clear();
  info_.outputs.clear();
  for (const TensorId id : graph_.inputs) info_.inputs.push_back(tensor_info(graph_.tensor(id)));
  for (const TensorId id : graph_.outputs) info_.outputs.push_back(tensor_info(graph_.tensor(id)));
  try {
    Planner planner(graph_, info_.max_batch);
    planner.plan_tensors();
    steps_ = planner.build_steps();
    planner.plan().finish();
    block_offsets_ = planner.plan().offsets();
    for (const TensorId id : graph_.outputs) {
      outputs_.push_back(
          OutputCopy{planner.operand(id).at, static_elements(graph_.tensor(id).shape)});
    }
    arena_ = AlignedBuffer(planner.plan().total_floats());
  } catch (const ModelError& e) {
    throw ModelError(graph_.source + ": " + e.what());
  }
}

void CpuExecutor::run(const Batch& batch) {
  if (batch.rows == 0 || batch.rows > info_.max_batch) {
    throw std::invalid_argument("batch of " + std::to_string(batch.rows) + " rows; model '" +
                                info_.name + "' takes 1 to " + std::to_string(info_.max_batch));
  }
  if (batch.inputs.size() != info_.inputs.size() || batch.outputs.size() != info_.outputs.size()) {
    throw std::invalid_argument("model '" + info_.name + "' takes " +
                                std::to_string(info_.inputs.size()) + " inputs and gives " +
                                std::to_string(info_.outputs.size()) + " outputs");
  }
  for (const float* p : batch.inputs) {
    if (p == nullptr) throw std::invalid_argument("a null input");
  }
  for (float* p : batch.outputs) {
    if (p == nullptr) throw std::invalid_argument("a null output");
  }
  const RunContext context{arena_.data(), block_offsets_.data(), batch.inputs.data(), batch.rows};
  for (const auto& step : steps_) step->run(context);
  for (size_t i = 0; i < outputs_.size(); ++i) {
    const OutputCopy& o = outputs_[i];
    std::memcpy(batch.outputs[i], o.at.read(context), batch.rows * o.row_elements * sizeof(float));
  }
}

}  // namespace guiju::inference::cpu
