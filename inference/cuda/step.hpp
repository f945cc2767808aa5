#pragma once
// One node of the graph as the CUDA backend runs it. Built at load with its device pointers
// resolved (everything lives at a fixed address for the executor's life), planned for each
// batch-size bucket, then queued once per bucket into a captured CUDA graph: after load, no step
// code runs at all; run() replays graphs.

#include <cublasLt.h>
#include <cuda_runtime_api.h>

#include <cstddef>
#include <vector>

#include "inference/cpu/run_shape.hpp"
#include "inference/onnx/graph.hpp"

namespace guiju::inference::cuda {

// A tensor on the device: its address (device memory, or mapped host memory for an output
// written straight to its staging buffer) and its shape with the batch symbolic.
struct DeviceOperand {
  float* data = nullptr;
  cpu::ShapeAt shape;
};

class Step {
 public:
  virtual ~Step() = default;
  // Plans what the step needs for `rows` rows (cuBLASLt algorithms), before any capture.
  virtual void prepare(size_t /*rows*/) {}
  // Queues the step's kernels for `rows` rows; called while a graph is captured, after
  // prepare(rows). Throws std::runtime_error naming the call that failed.
  virtual void enqueue(size_t rows, cudaStream_t stream) const = 0;
};

// What a step may ask of the executor while it is built.
class StepBuilder {
 public:
  virtual const Graph& graph() const = 0;
  virtual DeviceOperand operand(TensorId tensor) const = 0;
  // A device copy of `values`, kept for the executor's life (folded biases, expanded scales).
  virtual const float* upload(const std::vector<float>& values) = 0;
  // The block planned for the node being built when it needs one between cuBLASLt and its
  // own epilogue kernel (see gemm_needs_scratch); null otherwise.
  virtual float* scratch() const = 0;
  virtual cublasLtHandle_t blas() const = 0;
  virtual void* workspace() const = 0;
  virtual size_t workspace_bytes() const = 0;

 protected:
  ~StepBuilder() = default;
};

}  // namespace guiju::inference::cuda
