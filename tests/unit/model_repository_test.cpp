// The model repository (inference/runtime/model_repository.hpp): DIR/NAME/VERSION with
// config.yaml and model.onnx, the config's checks (each refusal names file, line and key), and
// which versions there are.

#include "inference/runtime/model_repository.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/config/config_error.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju::inference {
namespace {

namespace fs = std::filesystem;
using guiju::test::TempDir;

constexpr const char* kGood = R"(name: ai_signal
version: 3
backend: cpu
max_batch: 64
max_queue_delay_us: 100
inputs: [{ name: features, shape: [16] }]
outputs: [{ name: signal, shape: [1] }]
)";

class ModelRepositoryTest : public ::testing::Test {
 protected:
  void Add(const std::string& name, const std::string& version, const std::string& config) {
    const fs::path dir = dir_.path() / name / version;
    fs::create_directories(dir);
    std::ofstream(dir / "model.onnx") << "not parsed here";
    std::ofstream(dir / "config.yaml") << config;
  }
  std::string Refusal(const std::string& config) {
    Add("ai_signal", "3", config);
    try {
      read_model_config(dir_.path(), "ai_signal", "3");
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "accepted";
  }
  TempDir dir_;
};

TEST_F(ModelRepositoryTest, ReadsAModelsConfig) {
  Add("ai_signal", "3", kGood);
  const ModelConfig c = read_model_config(dir_.path(), "ai_signal", "3");
  EXPECT_EQ(c.name, "ai_signal");
  EXPECT_EQ(c.version, "3");
  EXPECT_EQ(c.backend, "cpu");
  EXPECT_EQ(c.max_batch, 64u);
  EXPECT_EQ(c.max_queue_delay_ns, 100'000);
  ASSERT_EQ(c.inputs.size(), 1u);
  EXPECT_EQ(c.inputs[0].name, "features");
  EXPECT_EQ(c.inputs[0].shape, (std::vector<int64_t>{16}));
  EXPECT_EQ(c.outputs[0].row_elements(), 1u);
  EXPECT_EQ(c.model_file, dir_.path() / "ai_signal" / "3" / "model.onnx");
}

TEST_F(ModelRepositoryTest, RefusalsNameTheFileTheLineAndTheKey) {
  const std::string backend = Refusal(std::string(kGood) + "device: 0\nbackend2: x\n");
  EXPECT_NE(backend.find("config.yaml:9:1: backend2: unknown key"), std::string::npos) << backend;
  std::string bad = kGood;
  bad.replace(bad.find("backend: cpu"), 12, "backend: tpu");
  EXPECT_NE(Refusal(bad).find("config.yaml:3:10: backend: expected cpu or cuda, got 'tpu'"),
            std::string::npos)
      << Refusal(bad);
  bad = kGood;
  bad.replace(bad.find("max_batch: 64"), 13, "max_batch: 0");
  EXPECT_NE(Refusal(bad).find("max_batch: expected an integer in [1,"), std::string::npos);
  bad = kGood;
  bad.replace(bad.find("[16]"), 4, "[-1]");
  EXPECT_NE(Refusal(bad).find("inputs[0].shape[0]"), std::string::npos) << Refusal(bad);
  bad = kGood;
  bad.replace(bad.find("version: 3"), 10, "version: 4");
  EXPECT_NE(Refusal(bad).find("version: '4' in directory 3"), std::string::npos);
  EXPECT_NE(Refusal("name: ai_signal\nversion: 3\n").find("inputs: missing"), std::string::npos);
  EXPECT_NE(Refusal("[1, 2").find("config.yaml:"), std::string::npos) << "YAML syntax";
}

TEST_F(ModelRepositoryTest, AMissingModelOrFileIsNamed) {
  EXPECT_THROW(read_model_config(dir_.path(), "nothing", "1"), std::invalid_argument);
  Add("ai_signal", "3", kGood);
  fs::remove(dir_.path() / "ai_signal" / "3" / "model.onnx");
  try {
    read_model_config(dir_.path(), "ai_signal", "3");
    FAIL() << "accepted a version without its model file";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("model.onnx"), std::string::npos) << e.what();
  }
}

TEST_F(ModelRepositoryTest, VersionsAreOrderedByValueAndTheRepositoryIsScanned) {
  for (const char* v : {"10", "2", "9"}) {
    std::string config = kGood;
    config.replace(config.find("version: 3"), 10, std::string("version: ") + v);
    Add("ai_signal", v, config);
  }
  EXPECT_EQ(model_versions(dir_.path(), "ai_signal"), (std::vector<std::string>{"2", "9", "10"}));
  EXPECT_TRUE(model_versions(dir_.path(), "other").empty());
  EXPECT_EQ(scan_repository(dir_.path()).size(), 3u);
  EXPECT_THROW(scan_repository(dir_.path() / "missing"), std::invalid_argument);
}

}  // namespace
}  // namespace guiju::inference
