#include "inference/cuda/cuda_executor.hpp"

#include <cublasLt.h>
#include <cuda_runtime_api.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

#include "inference/cpu/memory_plan.hpp"
#include "inference/cuda/cuda_check.hpp"
#include "inference/cuda/dense_chain.hpp"
#include "inference/cuda/device_memory.hpp"
#include "inference/cuda/device_probe.hpp"
#include "inference/cuda/graph_buckets.hpp"
#include "inference/cuda/kernels.hpp"
#include "inference/cuda/steps.hpp"
#include "inference/onnx/fuse_activations.hpp"
#include "inference/onnx/model_error.hpp"

namespace guiju::inference::cuda {
namespace {

// The most device memory one model's intermediates may plan at max_batch: 16 GiB. A model
// beyond it is refused at load rather than left to fail in cudaMalloc.
constexpr size_t kMaxArenaFloats = size_t{1} << 32;
// cuBLASLt's workspace: what NVIDIA recommends for Hopper's kernels.
constexpr size_t kWorkspaceBytes = size_t{32} << 20;
// Rows move between staging and the device by a kernel reading or writing the mapped host
// memory below this size (no copy-engine set-up: the lower latency for small batches), and by
// a copy node at or above it (the copy engines' full PCIe bandwidth for large ones).
constexpr size_t kCopyEngineBytes = size_t{128} << 10;
// Staging buffers start 256 bytes apart (float4 kernels, copy engines).
constexpr size_t kStagingAlignFloats = 64;

TensorInfo tensor_info(const Tensor& t) {
  TensorInfo info;
  info.name = t.name;
  info.shape.assign(t.shape.begin() + 1, t.shape.end());  // without the batch, which is first
  return info;
}

size_t round_up(size_t n, size_t to) {
  return (n + to - 1) / to * to;
}

// Ops whose output a kernel of ours writes (and so can write into mapped host memory); a Gemm
// when it finishes in our kernel. cuBLASLt's own output stays in device memory.
bool written_by_our_kernel(const Graph& g, const Node& n) {
  switch (n.op) {
    case OpType::kGemm:
      return gemm_finishes_in_kernel(g, n);
    case OpType::kAdd:
    case OpType::kSub:
    case OpType::kMul:
    case OpType::kDiv:
    case OpType::kRelu:
    case OpType::kLeakyRelu:
    case OpType::kTanh:
    case OpType::kSigmoid:
    case OpType::kSoftmax:
    case OpType::kLayerNormalization:
    case OpType::kConcat:
    case OpType::kTranspose:
    case OpType::kGather:
      return true;
    case OpType::kMatMul:
    case OpType::kReshape:
    case OpType::kGru:
    case OpType::kLstm:
      return false;
  }
  return false;
}

struct GraphExecs {
  std::vector<cudaGraphExec_t> execs;
  GraphExecs() = default;
  GraphExecs(const GraphExecs&) = delete;
  GraphExecs& operator=(const GraphExecs&) = delete;
  ~GraphExecs() {
    for (cudaGraphExec_t e : execs) (void)cudaGraphExecDestroy(e);
  }
};

}  // namespace

struct CudaExecutor::State {
  Graph graph;
  ModelInfo info;
  int device = 0;
  std::vector<size_t> buckets;

  cudaStream_t stream = nullptr;
  cublasLtHandle_t blas = nullptr;

  DeviceBuffer arena;
  DeviceBuffer workspace;
  std::vector<DeviceBuffer> constants;  // weights and what steps derived from them
  PinnedBuffer staging;

  struct Io {
    float* host = nullptr;    // the staging buffer, as the CPU sees it
    float* mapped = nullptr;  // the same, as the device sees it
    float* device = nullptr;  // the tensor in device memory (null: written straight to staging)
    size_t row_elements = 0;
  };
  std::vector<Io> inputs;
  std::vector<Io> outputs;
  std::vector<float*> input_hosts;
  std::vector<float*> output_hosts;

  std::vector<std::unique_ptr<Step>> steps;
  size_t fused_rows = 0;  // batches up to this many rows run dense chains fused
  GraphExecs with_io;
  GraphExecs compute_only;

  State() = default;
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  ~State() {
    // The graphs (members declared last, so destroyed first, after this body) reference the
    // buffers, which outlive them; neither they nor the steps' cuBLASLt descriptors need the
    // handle or the stream once captured.
    if (blas != nullptr) (void)cublasLtDestroy(blas);
    if (stream != nullptr) (void)cudaStreamDestroy(stream);
  }

  void make_current() const {
    int current = -1;
    if (cudaGetDevice(&current) != cudaSuccess || current != device) {
      check_cuda(cudaSetDevice(device), "cudaSetDevice");
    }
  }

  void enqueue_inputs(size_t rows) const {
    for (const Io& io : inputs) {
      const size_t floats = rows * io.row_elements;
      if (floats * sizeof(float) >= kCopyEngineBytes) {
        check_cuda(cudaMemcpyAsync(io.device, io.host, floats * sizeof(float),
                                   cudaMemcpyHostToDevice, stream),
                   "cudaMemcpyAsync (input rows to the device)");
      } else {
        const auto n = static_cast<int64_t>(floats);
        launch_copy_blocks(io.mapped, n, io.device, n, n, 1, stream);
      }
    }
  }

  void enqueue_outputs(size_t rows) const {
    for (const Io& io : outputs) {
      if (io.device == nullptr) continue;  // its producer wrote it to staging
      const size_t floats = rows * io.row_elements;
      if (floats * sizeof(float) >= kCopyEngineBytes) {
        check_cuda(cudaMemcpyAsync(io.host, io.device, floats * sizeof(float),
                                   cudaMemcpyDeviceToHost, stream),
                   "cudaMemcpyAsync (output rows to the host)");
      } else {
        const auto n = static_cast<int64_t>(floats);
        launch_copy_blocks(io.device, n, io.mapped, n, n, 1, stream);
      }
    }
  }

  cudaGraphExec_t capture(size_t rows, bool io) const {
    check_cuda(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal),
               "cudaStreamBeginCapture");
    cudaGraph_t g = nullptr;
    try {
      if (io) enqueue_inputs(rows);
      for (const auto& s : steps) s->enqueue(rows, stream);
      if (io) enqueue_outputs(rows);
    } catch (...) {
      (void)cudaStreamEndCapture(stream, &g);
      if (g != nullptr) (void)cudaGraphDestroy(g);
      throw;
    }
    check_cuda(cudaStreamEndCapture(stream, &g), "cudaStreamEndCapture");
    cudaGraphExec_t exec = nullptr;
    const cudaError_t e = cudaGraphInstantiate(&exec, g, 0);
    (void)cudaGraphDestroy(g);
    check_cuda(e, "cudaGraphInstantiate");
    try {
      check_cuda(cudaGraphUpload(exec, stream), "cudaGraphUpload");
    } catch (...) {
      (void)cudaGraphExecDestroy(exec);
      throw;
    }
    return exec;
  }

  // The graph's work queued directly, not captured: the first use of each kernel (cuBLASLt's
  // among them) loads its module, which is better done before capture than during it.
  void run_uncaptured(size_t rows) const {
    enqueue_inputs(rows);
    for (const auto& s : steps) s->enqueue(rows, stream);
    enqueue_outputs(rows);
    check_cuda(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
  }

  void launch(cudaGraphExec_t exec) const {
    check_cuda(cudaGraphLaunch(exec, stream), "cudaGraphLaunch");
    check_cuda(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
  }
};

namespace {

// Plans where every tensor lives, allocates it all, and builds the steps.
class Planner final : public StepBuilder {
 public:
  explicit Planner(CudaExecutor::State& s) : s_(s), g_(s.graph), where_(g_.tensors.size()) {}

  const Graph& graph() const override { return g_; }
  DeviceOperand operand(TensorId id) const override {
    return DeviceOperand{pointer(id), cpu::ShapeAt(g_.tensor(id).shape)};
  }
  const float* upload(const std::vector<float>& values) override { return copy_to_device(values); }
  float* copy_to_device(const std::vector<float>& values) {
    DeviceBuffer& d = s_.constants.emplace_back(values.size() * sizeof(float));
    check_cuda(
        cudaMemcpy(d.data(), values.data(), values.size() * sizeof(float), cudaMemcpyHostToDevice),
        "cudaMemcpy (weights to the device)");
    return d.data();
  }
  float* scratch() const override { return scratch_; }
  cublasLtHandle_t blas() const override { return s_.blas; }
  void* workspace() const override { return s_.workspace.data(); }
  size_t workspace_bytes() const override { return s_.workspace.bytes(); }

  void plan_memory() {
    const auto last = static_cast<int>(g_.nodes.size());
    readers_.assign(g_.tensors.size(), 0);
    output_uses_.assign(g_.tensors.size(), 0);
    for (const Node& n : g_.nodes) {
      for (const TensorId in : n.inputs) {
        if (in != kNoTensor) ++readers_[static_cast<size_t>(in)];
      }
    }
    for (const TensorId out : g_.outputs) ++output_uses_[static_cast<size_t>(out)];
    std::vector<int> output_index(g_.tensors.size(), -1);
    for (size_t i = 0; i < g_.outputs.size(); ++i) {
      output_index[static_cast<size_t>(g_.outputs[i])] = static_cast<int>(i);
    }

    for (size_t i = 0; i < g_.inputs.size(); ++i) {
      Where& w = where_[static_cast<size_t>(g_.inputs[i])];
      w.block = static_cast<int>(add_block(floats_at_max(g_.tensor(g_.inputs[i]).shape), 0, last));
    }
    for (size_t i = 0; i < g_.tensors.size(); ++i) {
      if (g_.tensors[i].kind == TensorKind::kWeight) where_[i].weight = true;
    }
    scratch_block_.assign(g_.nodes.size(), -1);
    for (size_t i = 0; i < g_.nodes.size(); ++i) {
      const Node& n = g_.nodes[i];
      const auto step = static_cast<int>(i);
      for (const TensorId in : n.inputs) {
        if (in != kNoTensor && where_[static_cast<size_t>(in)].block >= 0) {
          plan_.extend(static_cast<size_t>(where_[static_cast<size_t>(in)].block), step);
        }
      }
      if (n.op == OpType::kReshape) {  // a view: the same memory under another shape
        where_[static_cast<size_t>(n.outputs[0])] = where_[static_cast<size_t>(n.inputs[0])];
        continue;
      }
      for (const TensorId out : n.outputs) {
        if (out == kNoTensor) continue;
        const auto o = static_cast<size_t>(out);
        // A graph output nothing else reads, produced by our kernel: written straight into
        // its staging buffer, saving a copy (and at batch 1 a graph node: a microsecond).
        if (readers_[o] == 0 && output_uses_[o] == 1 && written_by_our_kernel(g_, n)) {
          where_[o].staging_output = output_index[o];
          if (n.op == OpType::kGemm) {
            scratch_block_[i] =
                static_cast<int>(add_block(floats_at_max(g_.tensor(out).shape), step, step));
          }
          continue;
        }
        where_[o].block =
            static_cast<int>(add_block(floats_at_max(g_.tensor(out).shape), step, step));
      }
    }
    for (const TensorId out : g_.outputs) {
      const int block = where_[static_cast<size_t>(out)].block;
      if (block >= 0) plan_.extend(static_cast<size_t>(block), last);
    }
    plan_.finish();
  }

  void allocate() {
    const size_t max_batch = s_.info.max_batch;
    s_.arena = DeviceBuffer(plan_.total_floats() * sizeof(float));
    s_.workspace = DeviceBuffer(kWorkspaceBytes);
    size_t staging_floats = 0;
    for (const TensorInfo& t : s_.info.inputs) {
      staging_floats += round_up(t.row_elements() * max_batch, kStagingAlignFloats);
    }
    for (const TensorInfo& t : s_.info.outputs) {
      staging_floats += round_up(t.row_elements() * max_batch, kStagingAlignFloats);
    }
    s_.staging = PinnedBuffer(staging_floats * sizeof(float));
    size_t at = 0;
    const auto place = [&](const TensorInfo& t) {
      CudaExecutor::State::Io io;
      io.host = s_.staging.host() + at;
      io.mapped = s_.staging.device() + at;
      io.row_elements = t.row_elements();
      at += round_up(t.row_elements() * max_batch, kStagingAlignFloats);
      return io;
    };
    for (const TensorInfo& t : s_.info.inputs) s_.inputs.push_back(place(t));
    for (const TensorInfo& t : s_.info.outputs) s_.outputs.push_back(place(t));
    for (const auto& io : s_.inputs) s_.input_hosts.push_back(io.host);
    for (const auto& io : s_.outputs) s_.output_hosts.push_back(io.host);
    // Weights the steps read in place (a Linear layer's matrix), each in its own allocation,
    // 256-byte aligned as cuBLASLt prefers.
    for (const Node& n : g_.nodes) {
      for (const TensorId in : n.inputs) {
        if (in == kNoTensor) continue;
        Where& w = where_[static_cast<size_t>(in)];
        if (w.weight && w.weight_data == nullptr) {
          w.weight_data = copy_to_device(g_.tensor(in).data);
        }
      }
    }
    for (size_t i = 0; i < g_.inputs.size(); ++i) {
      s_.inputs[i].device = pointer(g_.inputs[i]);
    }
    for (size_t i = 0; i < g_.outputs.size(); ++i) {
      const Where& w = where_[static_cast<size_t>(g_.outputs[i])];
      s_.outputs[i].device = w.staging_output >= 0 ? nullptr : pointer(g_.outputs[i]);
    }
  }

  void build_steps() {
    for (size_t i = 0; i < g_.nodes.size(); ++i) {
      const Node& n = g_.nodes[i];
      try {
        if (s_.fused_rows > 0 && gemm_chainable(g_, n)) {
          i = build_chain(i) - 1;
          continue;
        }
        use_scratch_of(i);
        if (auto step = make_step(n)) {
          s_.steps.push_back(std::move(step));
          step_nodes_.push_back(i);
        }
      } catch (const ModelError& e) {
        throw ModelError(node_text(n) + e.what());
      }
    }
  }

  // The dense chain starting at node `first`: the Gemms after it that read only the one before
  // (and whose input nothing else reads). Returns the index after its last node.
  size_t build_chain(size_t first) {
    std::vector<const Node*> chain{&g_.nodes[first]};
    size_t end = first + 1;
    while (end < g_.nodes.size() && chain.size() < static_cast<size_t>(kChainMaxLayers)) {
      const Node& next = g_.nodes[end];
      const auto out = static_cast<size_t>(chain.back()->outputs[0]);
      if (!gemm_chainable(g_, next) || next.inputs[0] != chain.back()->outputs[0] ||
          readers_[out] != 1 || output_uses_[out] != 0) {
        break;
      }
      chain.push_back(&next);
      ++end;
    }
    std::vector<std::unique_ptr<Step>> gemms;
    for (size_t i = first; i < end; ++i) {
      use_scratch_of(i);
      gemms.push_back(make_gemm_step(*this, g_.nodes[i]));
    }
    s_.steps.push_back(make_dense_chain_step(*this, chain, std::move(gemms), s_.fused_rows));
    step_nodes_.push_back(first);
    return end;
  }

  void prepare_steps() {
    for (size_t i = 0; i < s_.steps.size(); ++i) {
      try {
        for (const size_t rows : s_.buckets) s_.steps[i]->prepare(rows);
      } catch (const std::exception& e) {
        throw ModelError(node_text(g_.nodes[step_nodes_[i]]) + e.what());
      }
    }
  }

 private:
  struct Where {
    int block = -1;           // arena block, or -1
    int staging_output = -1;  // written straight into this output's staging buffer
    bool weight = false;
    float* weight_data = nullptr;
  };

  void use_scratch_of(size_t node) {
    scratch_ = scratch_block_[node] >= 0
                   ? s_.arena.data() + plan_.offset(static_cast<size_t>(scratch_block_[node]))
                   : nullptr;
  }

  static std::string node_text(const Node& n) {
    return "node '" + n.name + "' (" + n.onnx_op + "): ";
  }

  float* pointer(TensorId id) const {
    const Where& w = where_[static_cast<size_t>(id)];
    if (w.weight) return w.weight_data;
    if (w.staging_output >= 0) return s_.outputs[static_cast<size_t>(w.staging_output)].mapped;
    return s_.arena.data() + plan_.offset(static_cast<size_t>(w.block));
  }

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
      case OpType::kLstm:
        break;  // refused before anything was allocated (see refuse_unsupported)
    }
    throw ModelError("op " + n.onnx_op + " is not supported by the cuda backend; use backend: cpu");
  }

  size_t floats_at_max(const Shape& shape) const {
    const size_t row = static_elements(shape);
    const size_t max_batch = s_.info.max_batch;
    if (batch_axis(shape) >= 0 && row > kMaxArenaFloats / max_batch) {
      throw ModelError("a tensor of shape " + shape_text(shape) + " at batch " +
                       std::to_string(max_batch) + " exceeds the device arena's limit");
    }
    return batch_axis(shape) >= 0 ? row * max_batch : row;
  }

  size_t add_block(size_t floats, int first, int last) {
    if (floats > kMaxArenaFloats - requested_) {
      throw ModelError("the intermediate tensors at batch " + std::to_string(s_.info.max_batch) +
                       " exceed the device arena's limit of " +
                       std::to_string(kMaxArenaFloats * sizeof(float) >> 30) + " GiB");
    }
    requested_ += floats;
    return plan_.add(floats, first, last);
  }

  CudaExecutor::State& s_;
  const Graph& g_;
  std::vector<Where> where_;
  std::vector<int> scratch_block_;
  std::vector<int> readers_;      // by tensor: the nodes that read it
  std::vector<int> output_uses_;  // by tensor: how often it is a graph output
  std::vector<size_t> step_nodes_;
  cpu::MemoryPlan plan_;
  size_t requested_ = 0;
  float* scratch_ = nullptr;
};

// Batches of up to this many rows run dense chains in the fused kernel (dense_chain.hpp):
// kChainMaxRows unless GUIJU_CUDA_FUSED_ROWS says less (0: cuBLASLt at every size), read when a
// model loads. For comparing the two paths on a GPU; the default is the faster at batch 1.
size_t fused_rows_setting() {
  const char* env = std::getenv("GUIJU_CUDA_FUSED_ROWS");  // NOLINT(concurrency-mt-unsafe)
  if (env == nullptr || *env == '\0') return kChainMaxRows;
  const long v = std::strtol(env, nullptr, 10);
  return static_cast<size_t>(std::clamp<long>(v, 0, kChainMaxRows));
}

// GRU and LSTM are the CPU backend's alone: refused by name before any device memory is taken.
void refuse_unsupported(const Graph& g) {
  for (const Node& n : g.nodes) {
    if (n.op == OpType::kGru || n.op == OpType::kLstm) {
      throw ModelError("node '" + n.name + "' (" + n.onnx_op + "): op " + n.onnx_op +
                       " is not supported by the cuda backend; use backend: cpu");
    }
  }
}

}  // namespace

CudaExecutor::CudaExecutor(Graph graph, ModelInfo info, int device)
    : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.graph = std::move(graph);
  s.info = std::move(info);
  s.device = device;
  const std::string& source = s.graph.source;
  if (s.info.max_batch == 0) throw ModelError(source + ": max_batch must be at least 1");
  fuse_activations(s.graph);
  s.info.inputs.clear();
  s.info.outputs.clear();
  for (const TensorId id : s.graph.inputs) s.info.inputs.push_back(tensor_info(s.graph.tensor(id)));
  for (const TensorId id : s.graph.outputs) {
    s.info.outputs.push_back(tensor_info(s.graph.tensor(id)));
  }
  try {
    refuse_unsupported(s.graph);
    if (const std::string why = device_unavailable(device); !why.empty()) throw ModelError(why);
    check_cuda(cudaSetDevice(device), "cudaSetDevice");
    s.buckets = graph_buckets(s.info.max_batch);
    s.fused_rows = fused_rows_setting();
    check_cuda(cudaStreamCreateWithFlags(&s.stream, cudaStreamNonBlocking), "cudaStreamCreate");
    check_cublas(cublasLtCreate(&s.blas), "cublasLtCreate");
    Planner planner(s);
    planner.plan_memory();
    planner.allocate();
    planner.build_steps();
    planner.prepare_steps();
    check_cuda(cudaMemsetAsync(s.arena.data(), 0, s.arena.bytes(), s.stream), "cudaMemsetAsync");
    for (const size_t rows : s.buckets) s.run_uncaptured(rows);
    for (const size_t rows : s.buckets) s.with_io.execs.push_back(s.capture(rows, true));
    // A model of views alone has no compute to capture (and an empty graph to launch).
    if (!s.steps.empty()) {
      for (const size_t rows : s.buckets) s.compute_only.execs.push_back(s.capture(rows, false));
    }
    // One replay of each graph now: the first launch of a graph (and of each kernel, which CUDA
    // loads lazily) costs far more than the later ones, and a run must not pay it.
    for (cudaGraphExec_t e : s.with_io.execs) s.launch(e);
  } catch (const ModelError& e) {
    throw ModelError(source + ": " + e.what());
  } catch (const std::runtime_error& e) {
    throw ModelError(source + ": cuda backend, device " + std::to_string(device) + ": " + e.what());
  }
}

CudaExecutor::~CudaExecutor() {
  if (state_ != nullptr) (void)cudaSetDevice(state_->device);
}

const ModelInfo& CudaExecutor::info() const {
  return state_->info;
}

void CudaExecutor::run(const Batch& batch) {
  State& s = *state_;
  const ModelInfo& info = s.info;
  if (batch.rows == 0 || batch.rows > info.max_batch) {
    throw std::invalid_argument("batch of " + std::to_string(batch.rows) + " rows; model '" +
                                info.name + "' takes 1 to " + std::to_string(info.max_batch));
  }
  if (batch.inputs.size() != info.inputs.size() || batch.outputs.size() != info.outputs.size()) {
    throw std::invalid_argument("model '" + info.name + "' takes " +
                                std::to_string(info.inputs.size()) + " inputs and gives " +
                                std::to_string(info.outputs.size()) + " outputs");
  }
  for (const float* p : batch.inputs) {
    if (p == nullptr) throw std::invalid_argument("a null input");
  }
  for (float* p : batch.outputs) {
    if (p == nullptr) throw std::invalid_argument("a null output");
  }
  s.make_current();
  for (size_t i = 0; i < s.inputs.size(); ++i) {
    const State::Io& io = s.inputs[i];
    if (batch.inputs[i] != io.host) {
      std::memcpy(io.host, batch.inputs[i], batch.rows * io.row_elements * sizeof(float));
    }
  }
  s.launch(s.with_io.execs[bucket_index(batch.rows, s.buckets.size())]);
  for (size_t i = 0; i < s.outputs.size(); ++i) {
    const State::Io& io = s.outputs[i];
    if (batch.outputs[i] != io.host) {
      std::memcpy(batch.outputs[i], io.host, batch.rows * io.row_elements * sizeof(float));
    }
  }
}

std::span<float* const> CudaExecutor::input_staging() const {
  return state_->input_hosts;
}

std::span<float* const> CudaExecutor::output_staging() const {
  return state_->output_hosts;
}

void CudaExecutor::run_on_device(size_t rows) {
  State& s = *state_;
  if (rows == 0 || rows > s.info.max_batch) {
    throw std::invalid_argument("batch of " + std::to_string(rows) + " rows; model '" +
                                s.info.name + "' takes 1 to " + std::to_string(s.info.max_batch));
  }
  s.make_current();
  if (s.compute_only.execs.empty()) return;
  s.launch(s.compute_only.execs[bucket_index(rows, s.buckets.size())]);
}

const std::vector<size_t>& CudaExecutor::buckets() const {
  return state_->buckets;
}

int CudaExecutor::device() const {
  return state_->device;
}

size_t CudaExecutor::device_bytes() const {
  const State& s = *state_;
  size_t bytes = s.arena.bytes() + s.workspace.bytes();
  for (const DeviceBuffer& d : s.constants) bytes += d.bytes();
  return bytes;
}

}  // namespace guiju::inference::cuda
