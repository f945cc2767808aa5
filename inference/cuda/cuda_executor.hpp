#pragma once
// The CUDA backend: runs a loaded Graph on one GPU with cuBLASLt and the kernels of
// inference/cuda/kernels.hpp, every run one CUDA graph launch.
//
// At load (the constructor) it:
// 1. fuses activations into the Gemms before them and turns every node into a Step, refusing
//    what it cannot run (GRU, LSTM: "use backend: cpu") with a ModelError naming the node;
// 2. plans one device arena for every intermediate tensor at max_batch (the CPU backend's
//    MemoryPlan: tensors whose lifetimes do not overlap share bytes), uploads the weights,
//    allocates cuBLASLt's workspace and pinned, mapped host staging buffers for max_batch rows of
//    every input and output: all the memory it will ever use;
// 3. captures one CUDA graph per batch-size bucket (inference/cuda/graph_buckets.hpp): the
//    inputs' rows from staging to the device, every step, the outputs back to staging. A graph
//    output our own kernel produces is written straight into its staging buffer.
//
// run() copies the caller's rows into staging, replays the bucket's graph on the executor's one
// stream, waits, and copies the rows out: no allocation, no planning. A caller that writes its
// rows straight into the staging buffers (input_staging(), output_staging()) and passes those
// pointers skips both host copies: the service's batcher can assemble a batch in place.
//
// One caller at a time. The device is the one named at construction; run() makes it current on
// the calling thread if it is not.

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "inference/onnx/graph.hpp"
#include "inference/runtime/executor.hpp"

namespace guiju::inference::cuda {

class CudaExecutor final : public Executor {
 public:
  // `info` gives the name, version, sha256 and max_batch; its inputs and outputs are filled from
  // the graph. Throws ModelError naming the file (and the node, or the CUDA call) when the model
  // cannot run on this device.
  CudaExecutor(Graph graph, ModelInfo info, int device);
  ~CudaExecutor() override;
  CudaExecutor(const CudaExecutor&) = delete;
  CudaExecutor& operator=(const CudaExecutor&) = delete;

  const ModelInfo& info() const override;
  // Throws std::invalid_argument for a batch that does not fit, std::runtime_error naming the
  // CUDA call when the device fails.
  void run(const Batch& batch) override;

  // Pinned host buffers of max_batch rows, one per input and output in ModelInfo order: pass
  // these very pointers in a Batch and run() copies nothing on the host.
  std::span<float* const> input_staging() const;
  std::span<float* const> output_staging() const;

  // The compute alone for `rows` rows, on whatever the device's input buffers hold, without the
  // transfers: for benchmarks comparing the device's work with another framework's.
  void run_on_device(size_t rows);

  // The batch sizes a graph was captured for, smallest first.
  const std::vector<size_t>& buckets() const;
  int device() const;
  // Device memory held: arena, weights, workspace.
  size_t device_bytes() const;

  // Opaque: the device resources and plans, defined in cuda_executor.cpp (public only so that
  // the planner there, which builds it, can name it).
  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace guiju::inference::cuda
