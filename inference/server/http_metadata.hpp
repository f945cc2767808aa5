#pragma once
// The KServe v2 answers that are not tensors: server and model metadata, readiness, and the
// error body ({"error": "..."}), with how the service's reply statuses map to HTTP statuses.
//
//   ok 200, bad request 400, unknown model 404, model error 500,
//   overloaded 503, unavailable (stopping, being unloaded) 503, expired 504.
//
// 504 for an expired deadline: the request was in time when it arrived and the service did not
// get to it before the deadline the client set, which is what a gateway timeout says; it is not
// the client's fault (4xx) and, unlike 503, retrying the same request is pointless.

#include <string>
#include <string_view>
#include <vector>

#include "inference/protocol/admin_reply.hpp"
#include "inference/protocol/reply_status.hpp"

namespace guiju::inference {

unsigned http_status(ReplyStatus status);

// {"error": message}.
std::string error_body(std::string_view message);
// {"error": message, "model_name", "model_version", "parameters": {"sha256", "status"}}: a
// refusal by a model version that was found, so even an error names the model that gave it.
// (KServe clients read "error"; the rest is for the engine's client and people.)
std::string model_error_body(std::string_view message, const ModelEntry& model, ReplyStatus status);

// GET /v2: {"name": "guiju-inferd", "version", "extensions": []}.
std::string server_metadata_body(std::string_view version);

// The version a model request is for: the named one, or the latest ready one (models are in the
// registry's order: by name, then version). nullptr when none is.
const ModelEntry* find_model(const std::vector<ModelEntry>& models, std::string_view name,
                             std::string_view version);

// GET /v2/models/NAME[/versions/V]: {"name", "versions": [every loaded version], "platform":
// "onnx", "inputs": [{"name", "datatype": "FP32", "shape": [-1, ...]}], "outputs": [...]}, of
// the version `chosen`.
std::string model_metadata_body(const std::vector<ModelEntry>& models, const ModelEntry& chosen);

}  // namespace guiju::inference
