#pragma once
// Loads an ONNX model file into the Graph IR (inference/onnx/graph.hpp) with Debian's libonnx
// protobuf classes, and validates it whole: only float32 tensors; every op, attribute and input
// supported; shapes inferred and checked node by node; inputs and outputs named, with the batch
// as their first dimension. Anything else is refused with a ModelError that names the file, and
// the node (name and op type) and the attribute or shape at fault. Corrupt or hostile files
// (truncated, random bytes, huge dimensions, external data, cycles, missing initializers) are
// refused the same way, within the LoadLimits.

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "inference/onnx/graph.hpp"
#include "inference/onnx/load_limits.hpp"

namespace guiju::inference {

// `source` names the bytes in errors (the file's path).
Graph parse_onnx(std::span<const std::byte> bytes, const std::string& source,
                 const LoadLimits& limits = {});

// Reads the file whole (refusing it when larger than limits.max_file_bytes) and parses it.
Graph load_onnx_file(const std::filesystem::path& path, const LoadLimits& limits = {});

// A model file's bytes, read once so that what is hashed is what is parsed. Throws ModelError
// when it cannot be read or is larger than `max_bytes`.
std::vector<std::byte> read_model_file(const std::filesystem::path& path, size_t max_bytes);

}  // namespace guiju::inference
