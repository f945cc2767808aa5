#include "inference/server/http_metadata.hpp"

#include <nlohmann/json.hpp>

#include "inference/server/http_tensor_codec.hpp"

namespace guiju::inference {
namespace {

using nlohmann::json;

json tensor(const std::string& name, const std::vector<uint32_t>& dims) {
  json shape = json::array({-1});
  for (const uint32_t d : dims) shape.push_back(d);
  return {{"name", name}, {"datatype", "FP32"}, {"shape", std::move(shape)}};
}

}  // namespace

unsigned http_status(ReplyStatus status) {
  switch (status) {
    case ReplyStatus::kOk:
      return 200;
    case ReplyStatus::kExpired:
      return 504;
    case ReplyStatus::kOverloaded:
    case ReplyStatus::kUnavailable:
      return 503;
    case ReplyStatus::kUnknownModel:
      return 404;
    case ReplyStatus::kBadRequest:
      return 400;
    case ReplyStatus::kModelError:
      return 500;
  }
  return 500;
}

std::string error_body(std::string_view message) {
  return json{{"error", message}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string model_error_body(std::string_view message, const ModelEntry& model,
                             ReplyStatus status) {
  const json body{
      {"error", message},
      {"model_name", model.name},
      {"model_version", model.version},
      {"parameters", {{"sha256", sha256_hex(model.sha256)}, {"status", to_string(status)}}}};
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string server_metadata_body(std::string_view version) {
  return json{{"name", "guiju-inferd"}, {"version", version}, {"extensions", json::array()}}.dump();
}

const ModelEntry* find_model(const std::vector<ModelEntry>& models, std::string_view name,
                             std::string_view version) {
  const ModelEntry* found = nullptr;
  for (const ModelEntry& m : models) {
    if (m.name != name) continue;
    if (!version.empty()) {
      if (m.version == version) return &m;
      continue;
    }
    if (m.state == ModelState::kReady) found = &m;  // the last ready one is the latest
  }
  return found;
}

std::string model_metadata_body(const std::vector<ModelEntry>& models, const ModelEntry& chosen) {
  json versions = json::array();
  for (const ModelEntry& m : models) {
    if (m.name == chosen.name) versions.push_back(m.version);
  }
  const json body{{"name", chosen.name},
                  {"versions", std::move(versions)},
                  {"platform", "onnx"},
                  {"inputs", json::array({tensor(chosen.input_name, chosen.input_shape)})},
                  {"outputs", json::array({tensor(chosen.output_name, chosen.output_shape)})}};
  return body.dump();
}

}  // namespace guiju::inference
