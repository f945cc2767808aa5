#pragma once
// Runs models built with OnnxBuilder through load_model and the CPU executor, for the
// inference tests: write to a scratch file, load, run rows, read the outputs back.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "inference/runtime/executor.hpp"
#include "inference/runtime/load_model.hpp"
#include "tests/support/onnx_builder.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju::test {

inline std::unique_ptr<inference::Executor> load_built(const OnnxBuilder& b, size_t max_batch = 4,
                                                       const std::string& name = "model") {
  static TempDir dir("guiju-onnx");
  inference::ModelSpec spec;
  spec.path = b.write(dir.path(), name + ".onnx");
  spec.name = name;
  spec.version = "test";
  spec.max_batch = max_batch;
  return inference::load_model(spec);
}

// Runs `rows` rows; inputs in ModelInfo order, each rows * row_elements floats.
inline std::vector<std::vector<float>> run_rows(inference::Executor& e, size_t rows,
                                                const std::vector<std::vector<float>>& inputs) {
  const inference::ModelInfo& info = e.info();
  std::vector<const float*> in;
  for (size_t i = 0; i < inputs.size(); ++i) {
    EXPECT_EQ(inputs[i].size(), rows * info.inputs[i].row_elements()) << info.inputs[i].name;
    in.push_back(inputs[i].data());
  }
  std::vector<std::vector<float>> out;
  std::vector<float*> outp;
  for (const auto& o : info.outputs) out.emplace_back(rows * o.row_elements(), -12345.0F);
  for (auto& o : out) outp.push_back(o.data());
  e.run(inference::Batch{rows, in, outp});
  return out;
}

// A file's bytes.
inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes(std::filesystem::file_size(path), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return bytes;
}

// |got - want| <= abs + rel * |want| for every element.
inline void expect_close(const std::vector<float>& got, const std::vector<float>& want,
                         float abs = 1e-5F, float rel = 1e-5F, const std::string& what = "") {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_NEAR(got[i], want[i], abs + rel * std::abs(want[i])) << what << " element " << i;
  }
}

}  // namespace guiju::test
