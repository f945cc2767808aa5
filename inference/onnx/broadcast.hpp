#pragma once
// ONNX multidirectional broadcasting (numpy's rules) for shapes with a batch dimension: shapes
// are aligned on their last dimension; equal sizes stay, and a 1 stretches to the other size.
// The batch broadcasts only against itself or a 1: against any other size the model would be
// valid at that one batch size and no other, so it is refused.

#include "inference/onnx/graph.hpp"

namespace guiju::inference {

// The shape of a op b; throws ModelError naming both shapes when they do not broadcast.
Shape broadcast_shapes(const Shape& a, const Shape& b);

// Whether `from` broadcasts to `to` in one direction (Gemm's C, LayerNormalization's scale).
bool broadcasts_to(const Shape& from, const Shape& to);

}  // namespace guiju::inference
