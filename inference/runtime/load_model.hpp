#pragma once
// Loads a model file for a backend: what the service does for each configured model, and what
// tests and benchmarks use. The file is read once; its SHA-256 (the bytes that were parsed, so
// a file replaced while loading cannot be hashed as one model and run as another) names the
// model in every reply.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "inference/runtime/executor.hpp"

namespace guiju::inference {

struct ModelSpec {
  std::filesystem::path path;  // the .onnx file
  std::string name;
  std::string version;
  std::string backend = "cpu";  // "cpu"; "cuda" where that backend is built
  int device = 0;               // the GPU, for "cuda" (config.yaml's `device`)
  size_t max_batch = 1;         // the most rows one run() takes; buffers are planned for it
};

// The largest max_batch a spec may ask for, by backend: the CPU backend runs a batch row by
// row with its arena in cache, where more rows buy nothing; a GPU needs tens of thousands of
// rows in flight to be busy.
inline constexpr size_t kMaxBatchLimit = 4096;       // cpu
inline constexpr size_t kMaxBatchLimitCuda = 65536;  // cuda
size_t max_batch_limit(std::string_view backend);

// Whether a backend is built into this binary: "cpu" always, "cuda" when it was built with the
// CUDA toolkit (GUIJU_CUDA). Says nothing of whether a GPU is present.
bool backend_built(std::string_view backend);

// Throws ModelError (inference/onnx/model_error.hpp) naming the model and what is wrong: an
// unknown backend or one not built into this binary, no CUDA device (for "cuda"), a max_batch
// out of range, an unreadable file, or a model the loader or the backend refuses.
std::unique_ptr<Executor> load_model(const ModelSpec& spec);

}  // namespace guiju::inference
