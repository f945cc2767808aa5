#pragma once
// One node of the graph as the CPU runs it: a Step, built at load with everything it needs
// worked out (packed weights, where its tensors live, its scratch), so that run() only reads the
// rows of this run and computes. Steps hold no mutable state: their scratch is in the arena.

#include <cstddef>

#include "inference/cpu/run_shape.hpp"
#include "inference/onnx/graph.hpp"

namespace guiju::inference::cpu {

// What one run gives every step.
struct RunContext {
  float* arena = nullptr;
  const size_t* block_offsets = nullptr;  // in floats, by block id (inference/cpu/memory_plan)
  const float* const* inputs = nullptr;   // the caller's, in graph input order
  size_t rows = 0;
};

// Where a tensor's floats are: a block of the arena, one of the caller's inputs, or a weight.
struct Location {
  enum class Kind : uint8_t { kArena, kInput, kWeight };
  Kind kind = Kind::kArena;
  size_t index = 0;  // the arena block, or the graph input's position
  const float* weight = nullptr;

  const float* read(const RunContext& c) const {
    if (kind == Kind::kArena) return c.arena + c.block_offsets[index];
    if (kind == Kind::kInput) return c.inputs[index];
    return weight;
  }
  // Steps write only their outputs and scratch, which are always in the arena.
  float* write(const RunContext& c) const { return c.arena + c.block_offsets[index]; }
};

struct Operand {
  Location at;
  ShapeAt shape;
};

class Step {
 public:
  virtual ~Step() = default;
  virtual void run(const RunContext& context) const = 0;
};

// What a step may ask of the executor while it is built.
class StepBuilder {
 public:
  virtual const Graph& graph() const = 0;
  virtual Operand operand(TensorId tensor) const = 0;
  // A block of the arena for this step alone, sized for the largest batch.
  virtual Location scratch(size_t floats) = 0;
  virtual size_t max_batch() const = 0;

 protected:
  ~StepBuilder() = default;
};

}  // namespace guiju::inference::cpu
