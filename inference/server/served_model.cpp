#include "inference/server/served_model.hpp"

#include <stdexcept>

#include "inference/onnx/model_error.hpp"
#include "inference/runtime/load_model.hpp"

namespace guiju::inference {
namespace {

std::array<uint8_t, 32> hex_to_bytes(const std::string& hex) {
  auto nibble = [](char c) -> uint8_t {
    if (c >= '0' && c <= '9') return static_cast<uint8_t>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<uint8_t>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<uint8_t>(c - 'A' + 10);
    return 0;
  };
  std::array<uint8_t, 32> out{};
  for (size_t i = 0; i < out.size() && 2 * i + 1 < hex.size(); ++i) {
    out[i] = static_cast<uint8_t>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
  }
  return out;
}

std::string shape_text(const TensorInfo& t) {
  std::string s = t.name + " [";
  for (size_t i = 0; i < t.shape.size(); ++i) s += (i ? ", " : "") + std::to_string(t.shape[i]);
  return s + "]";
}

std::vector<uint32_t> dims(const TensorInfo& t) {
  std::vector<uint32_t> d;
  for (const int64_t x : t.shape) d.push_back(static_cast<uint32_t>(x));
  return d;
}

}  // namespace

ServedModel::ServedModel(ModelConfig model_config, std::unique_ptr<Executor> model,
                         size_t queue_capacity)
    : config(std::move(model_config)), executor(std::move(model)), queue(queue_capacity) {
  const ModelInfo& info = executor->info();
  sha256 = hex_to_bytes(info.sha256);
  input_elements = static_cast<uint32_t>(info.inputs[0].row_elements());
  output_elements = static_cast<uint32_t>(info.outputs[0].row_elements());
  max_batch = static_cast<uint32_t>(info.max_batch);
  inputs.assign(size_t{max_batch} * input_elements, 0.0F);
  outputs.assign(size_t{max_batch} * output_elements, 0.0F);
  batch.reserve(max_batch);
}

ModelEntry ServedModel::entry() const {
  ModelEntry e;
  e.name = name();
  e.version = version();
  e.state = state;
  e.max_batch = max_batch;
  e.queued = static_cast<uint32_t>(queue.size());
  e.sha256 = sha256;
  e.answered = counters.answered;
  e.expired = counters.expired;
  e.overloaded = counters.overloaded;
  e.errors = counters.errors;
  e.input_shape = dims(executor->info().inputs[0]);
  e.output_shape = dims(executor->info().outputs[0]);
  e.input_name = executor->info().inputs[0].name;
  e.output_name = executor->info().outputs[0].name;
  return e;
}

std::unique_ptr<ServedModel> load_served_model(const std::filesystem::path& repository,
                                               const std::string& name, const std::string& version,
                                               size_t queue_capacity) {
  std::string chosen = version;
  const std::string what = "model " + name + (version.empty() ? "" : " version " + version);
  try {
    if (chosen.empty()) {
      const std::vector<std::string> versions = model_versions(repository, name);
      if (versions.empty()) {
        throw ModelError("no version with a model.onnx in " + (repository / name).string());
      }
      chosen = versions.back();
    }
    ModelConfig config = read_model_config(repository, name, chosen);
    ModelSpec spec;
    spec.path = config.model_file;
    spec.name = config.name;
    spec.version = config.version;
    spec.backend = config.backend;
    spec.device = config.device;
    spec.max_batch = config.max_batch;
    std::unique_ptr<Executor> executor = load_model(spec);
    const ModelInfo& info = executor->info();
    if (info.inputs.size() != 1 || info.outputs.size() != 1) {
      throw ModelError("the service serves models of one input tensor and one output tensor; " +
                       config.model_file.string() + " has " + std::to_string(info.inputs.size()) +
                       " and " + std::to_string(info.outputs.size()));
    }
    const auto same = [](const TensorInfo& a, const TensorInfo& b) {
      return a.name == b.name && a.shape == b.shape;
    };
    if (config.inputs.size() != 1 || !same(config.inputs[0], info.inputs[0]) ||
        config.outputs.size() != 1 || !same(config.outputs[0], info.outputs[0])) {
      throw ModelError(config.config_file.string() +
                       " declares inputs and outputs other than the model file's (" +
                       shape_text(info.inputs[0]) + " -> " + shape_text(info.outputs[0]) + ")");
    }
    return std::make_unique<ServedModel>(std::move(config), std::move(executor), queue_capacity);
  } catch (const std::exception& e) {
    throw ModelError(what + ": " + e.what());
  }
}

}  // namespace guiju::inference
