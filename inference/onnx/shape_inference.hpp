#pragma once
// The shapes a node's outputs have, worked out from its inputs' shapes and its attributes, with
// every rule of the op checked on the way (ranks, matching dimensions, axes in range, the batch
// kept to one dimension and out of places where its size would change the model's meaning, such
// as a softmax or a normalisation across rows). The loader runs it on every node; a backend or a
// test that builds a Graph by hand may run it again.

#include <vector>

#include "inference/onnx/graph.hpp"

namespace guiju::inference {

// One shape per entry of node.outputs (also where the entry is kNoTensor). A kReshape's output
// shape is its output tensor's (the loader resolves it); it is checked against the input.
// Throws ModelError saying what does not fit, without the node's name (the caller adds it).
std::vector<Shape> infer_shapes(const Graph& graph, const Node& node);

}  // namespace guiju::inference
