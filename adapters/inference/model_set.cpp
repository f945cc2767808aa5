#include "adapters/inference/model_set.hpp"

#include <algorithm>
#include <stdexcept>

#include "inference/runtime/load_model.hpp"

namespace guiju::inference {

namespace {

std::array<uint8_t, 32> hex_to_bytes(const std::string& hex) {
  std::array<uint8_t, 32> out{};
  auto nibble = [](char c) -> uint8_t {
    if (c >= '0' && c <= '9') return static_cast<uint8_t>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<uint8_t>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<uint8_t>(c - 'A' + 10);
    return 0;
  };
  for (size_t i = 0; i < out.size() && 2 * i + 1 < hex.size(); ++i) {
    out[i] = static_cast<uint8_t>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
  }
  return out;
}

bool same_shape(const TensorInfo& declared, const TensorInfo& actual) {
  return declared.name == actual.name && declared.shape == actual.shape;
}

std::string shape_text(const TensorInfo& t) {
  std::string s = t.name + " [";
  for (size_t i = 0; i < t.shape.size(); ++i) s += (i ? ", " : "") + std::to_string(t.shape[i]);
  return s + "]";
}

void stamp(const ModelSet::Model& m, SignalReply& reply) {
  reply.model_id = m.id;
  reply.model_name.assign(m.config.name);
  reply.model_version.assign(m.config.version);
  reply.model_sha256 = m.sha256;
}

}  // namespace

ModelSet::ModelSet(const InferenceConfig& config) {
  models_.reserve(config.models.size());
  for (const InferenceModelConfig& wanted : config.models) {
    std::string version = wanted.version;
    if (version.empty()) {
      const std::vector<std::string> versions = model_versions(config.repository, wanted.name);
      if (versions.empty()) {
        throw std::runtime_error("model " + wanted.name + ": no version with a model.onnx in " +
                                 config.repository);
      }
      version = versions.back();
    }
    Model m;
    m.id = wanted.id;
    m.config = read_model_config(config.repository, wanted.name, version);
    const std::string what = "model " + wanted.name + " version " + version;
    ModelSpec spec;
    spec.path = m.config.model_file;
    spec.name = m.config.name;
    spec.version = m.config.version;
    spec.backend = m.config.backend;
    spec.device = m.config.device;
    spec.max_batch = m.config.max_batch;
    m.executor = load_model(spec);
    const ModelInfo& info = m.executor->info();
    if (info.inputs.size() != 1 || info.outputs.size() != 1) {
      throw std::runtime_error(what +
                               ": a signal model takes one input tensor and gives one "
                               "output tensor; this one has " +
                               std::to_string(info.inputs.size()) + " and " +
                               std::to_string(info.outputs.size()));
    }
    if (m.config.inputs.size() != 1 || !same_shape(m.config.inputs[0], info.inputs[0]) ||
        m.config.outputs.size() != 1 || !same_shape(m.config.outputs[0], info.outputs[0])) {
      throw std::runtime_error(what + ": " + m.config.config_file.string() +
                               " declares inputs and outputs other than the model file's (" +
                               shape_text(info.inputs[0]) + " -> " + shape_text(info.outputs[0]) +
                               ")");
    }
    m.input_elements = info.inputs[0].row_elements();
    m.output_elements = info.outputs[0].row_elements();
    if (m.input_elements > static_cast<size_t>(kMaxSignalInputs) ||
        m.output_elements > static_cast<size_t>(kMaxSignalOutputs)) {
      throw std::runtime_error(
          what + ": a signal carries at most " + std::to_string(kMaxSignalInputs) + " inputs and " +
          std::to_string(kMaxSignalOutputs) + " outputs; the model has " +
          std::to_string(m.input_elements) + " and " + std::to_string(m.output_elements));
    }
    m.sha256 = hex_to_bytes(info.sha256);
    m.inputs.assign(m.config.max_batch * m.input_elements, 0.0f);
    m.outputs.assign(m.config.max_batch * m.output_elements, 0.0f);
    models_.push_back(std::move(m));
  }
}

ModelSet::Model* ModelSet::find(uint32_t id) {
  for (Model& m : models_) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

void ModelSet::refuse(const SignalRequest& request, SignalStatus status, SignalReply& reply) {
  reply.request_id = request.request_id;
  reply.model_id = request.model_id;
  reply.status = status;
  reply.output_count = 0;
  if (const Model* m = find(request.model_id)) stamp(*m, reply);
}

void ModelSet::answer(Model& model, std::span<const SignalRequest* const> requests,
                      std::span<SignalReply> replies) {
  // Gather the rows that fit into the model's planned input buffer, in request order.
  size_t rows = 0;
  for (size_t i = 0; i < requests.size(); ++i) {
    const SignalRequest& r = *requests[i];
    SignalReply& reply = replies[i];
    stamp(model, reply);
    reply.request_id = r.request_id;
    if (r.input_count != model.input_elements || rows == model.config.max_batch) {
      reply.status = SignalStatus::kModelError;
      reply.output_count = 0;
      continue;
    }
    std::copy_n(r.inputs.data(), model.input_elements,
                model.inputs.data() + rows * model.input_elements);
    reply.status = SignalStatus::kOk;
    ++rows;
  }
  if (rows == 0) return;
  const float* in[] = {model.inputs.data()};
  float* out[] = {model.outputs.data()};
  try {
    model.executor->run(Batch{rows, in, out});
  } catch (const std::exception&) {
    for (size_t i = 0; i < requests.size(); ++i) {
      if (replies[i].status == SignalStatus::kOk) replies[i].status = SignalStatus::kModelError;
    }
    return;
  }
  // Scatter the outputs back to the requests that were run, in the same order.
  size_t row = 0;
  for (size_t i = 0; i < requests.size(); ++i) {
    SignalReply& reply = replies[i];
    if (reply.status != SignalStatus::kOk) continue;
    reply.output_count = static_cast<uint16_t>(model.output_elements);
    std::copy_n(model.outputs.data() + row * model.output_elements, model.output_elements,
                reply.outputs.data());
    ++row;
  }
}

}  // namespace guiju::inference
