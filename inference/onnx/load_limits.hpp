#pragma once
// Caps on what a model file may make the loader (and a backend) allocate. A hostile or corrupt
// file is refused against these before anything of its size is allocated: a dimension of 2^40
// or a ConstantOfShape of a billion elements costs an error message, not the process.
//
// The file's size is the one cap protobuf's parse itself obeys, and a parse may take several
// times the file in memory (a packed varint of one byte becomes an 8-byte integer): that is why
// the cap is tens of megabytes, not gigabytes.

#include <cstddef>

namespace guiju::inference {

struct LoadLimits {
  size_t max_file_bytes = size_t{64} << 20;  // signal models are a few MB
  size_t max_nodes = 20'000;
  size_t max_rank = 6;
  // Per tensor: a weight's elements, an activation's elements per batch row.
  size_t max_tensor_elements = size_t{1} << 24;
  // All weights together, including constants the loader folds (ConstantOfShape): as much as
  // the largest file holds.
  size_t max_weight_elements = size_t{1} << 24;
  // Integer tensors folded at load (shapes, axes, indices) are small.
  size_t max_folded_elements = size_t{1} << 16;
};

}  // namespace guiju::inference
