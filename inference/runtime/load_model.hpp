#pragma once
// Loads a model file for a backend: what the service does for each configured model, and what
// tests and benchmarks use. The file is read once; its SHA-256 (the bytes that were parsed, so
// a file replaced while loading cannot be hashed as one model and run as another) names the
// model in every reply.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "inference/runtime/executor.hpp"

namespace guiju::inference {

struct ModelSpec {
  std::filesystem::path path;  // the .onnx file
  std::string name;
  std::string version;
  std::string backend = "cpu";  // "cpu"; "cuda" where that backend is built
  size_t max_batch = 1;         // the most rows one run() takes; buffers are planned for it
};

// The largest max_batch a spec may ask for.
inline constexpr size_t kMaxBatchLimit = 4096;

// Throws ModelError (inference/onnx/model_error.hpp) naming the file and what is wrong: an
// unknown backend, a max_batch out of range, an unreadable file, or a model the loader or the
// backend refuses.
std::unique_ptr<Executor> load_model(const ModelSpec& spec);

}  // namespace guiju::inference
