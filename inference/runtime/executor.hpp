#pragma once
// What every inference backend gives the service and the engine's embedded client: a loaded,
// validated model that runs a batch of rows. The ONNX loader (inference/onnx) builds the graph;
// each backend (inference/cpu, inference/cuda) plans its memory at load, so run() allocates
// nothing.
//
// Tensors are float32, row-major, with the batch as their first dimension. Signal models take
// one feature tensor and give one output tensor, but a model may have several of each; they are
// passed in the order of ModelInfo::inputs and ModelInfo::outputs.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace guiju::inference {

struct TensorInfo {
  std::string name;
  // Without the batch dimension: [features] for an MLP, [steps, features] for a GRU or LSTM.
  std::vector<int64_t> shape;
  // Elements per row: the product of shape.
  size_t row_elements() const {
    size_t n = 1;
    for (const int64_t d : shape) n *= static_cast<size_t>(d);
    return n;
  }
};

struct ModelInfo {
  std::string name;
  std::string version;
  std::string sha256;  // of the model file, hex: every reply names it
  std::vector<TensorInfo> inputs;
  std::vector<TensorInfo> outputs;
  size_t max_batch = 1;  // the most rows one run() takes; buffers are planned for it
};

// One run: `rows` rows of every input, written into every output. The spans hold one pointer per
// tensor, in ModelInfo order; each points at rows * row_elements() floats.
struct Batch {
  size_t rows = 0;
  std::span<const float* const> inputs;
  std::span<float* const> outputs;
};

class Executor {
 public:
  virtual ~Executor() = default;
  virtual const ModelInfo& info() const = 0;
  // Not thread-safe: one caller at a time (the service's batcher thread, or the engine's
  // inference worker). rows must be 1..info().max_batch. Throws std::invalid_argument for a batch
  // that does not fit; never allocates for rows == 1.
  virtual void run(const Batch& batch) = 0;
};

}  // namespace guiju::inference
