#pragma once
// The CPU backend: runs a loaded Graph with Eigen and the packed dense kernels of
// inference/cpu/dense_layer.hpp.
//
// At load it fuses activations into the Gemms before them, turns every node into a Step with its
// weights packed, and plans one arena for every intermediate tensor and scratch buffer at
// max_batch (inference/cpu/memory_plan.hpp); Reshape-like nodes cost nothing (their output is
// their input's memory under another shape). run() then only computes: no allocation, no lock,
// no system call, at any batch size the model was planned for.

#include <cstddef>
#include <memory>
#include <vector>

#include "inference/cpu/aligned_buffer.hpp"
#include "inference/cpu/step.hpp"
#include "inference/onnx/graph.hpp"
#include "inference/runtime/executor.hpp"

namespace guiju::inference::cpu {

class CpuExecutor final : public Executor {
 public:
  // `info` gives the name, version, sha256 and max_batch; its inputs and outputs are filled from
  // the graph. Throws ModelError when the model cannot be planned (an arena over the limit).
  CpuExecutor(Graph graph, ModelInfo info);

  const ModelInfo& info() const override { return info_; }
  void run(const Batch& batch) override;

  // Bytes of the arena (intermediate tensors and scratch at max_batch), for logs and tests.
  size_t arena_bytes() const { return arena_.size() * sizeof(float); }

 private:
  struct OutputCopy {
    Location at;
    size_t row_elements = 0;
  };

  Graph graph_;  // owns the weights some steps read in place
  ModelInfo info_;
  std::vector<std::unique_ptr<Step>> steps_;
  std::vector<size_t> block_offsets_;
  std::vector<OutputCopy> outputs_;
  AlignedBuffer arena_;
};

}  // namespace guiju::inference::cpu
