#include "inference/server/http_tensor_codec.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <limits>

#include "core/util/json_string.hpp"
#include "inference/protocol/frame_header.hpp"

namespace guiju::inference {
namespace {

using nlohmann::json;

// Thrown by the parser's callback: the body nests deeper than any tensor.
struct TooDeep {};

HttpError bad(std::string message) {
  return {400, std::move(message)};
}

std::string type_of(const json& v) {
  if (v.is_number_integer()) return "integer";
  if (v.is_number_float()) return "number";
  return v.type_name();
}

std::string shape_text(std::span<const uint64_t> shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

std::string dims_text(const std::vector<uint32_t>& dims) {
  std::string s = "[-1";
  for (const uint32_t d : dims) s += ", " + std::to_string(d);
  return s + "]";
}

std::string model_text(const ModelEntry& m) {
  return "model " + m.name + " version " + m.version;
}

// A non-negative integer parameter of at most limit.
HttpError read_count(const json& v, const std::string& field, uint64_t limit, uint64_t& out) {
  if (!v.is_number_integer())
    return bad(field + ": expected a non-negative integer, got " + type_of(v));
  if (v.is_number_unsigned()) {
    out = v.get<uint64_t>();
  } else {
    const int64_t s = v.get<int64_t>();
    if (s < 0) return bad(field + ": is negative (" + std::to_string(s) + ")");
    out = static_cast<uint64_t>(s);
  }
  if (out > limit) {
    return bad(field + ": " + std::to_string(out) + " is more than " + std::to_string(limit));
  }
  return {};
}

HttpError read_parameters(const json& p, int64_t now_ns, JsonInferRequest& out) {
  if (!p.is_object()) return bad("parameters: expected an object, got " + type_of(p));
  const auto earliest = [&](int64_t deadline) {
    if (deadline != 0 && (out.deadline_ns == 0 || deadline < out.deadline_ns)) {
      out.deadline_ns = deadline;
    }
  };
  for (const char* key : {"timeout_us", "timeout"}) {
    const auto it = p.find(key);
    if (it == p.end()) continue;
    uint64_t us = 0;
    if (HttpError e = read_count(*it, std::string("parameters.") + key, kMaxTimeoutUs, us)) {
      return e;
    }
    if (us != 0) earliest(now_ns + static_cast<int64_t>(us) * 1000);
  }
  if (const auto it = p.find("deadline_ns"); it != p.end()) {
    uint64_t ns = 0;
    if (HttpError e = read_count(*it, "parameters.deadline_ns",
                                 static_cast<uint64_t>(std::numeric_limits<int64_t>::max()), ns)) {
      return e;
    }
    earliest(static_cast<int64_t>(ns));
  }
  if (const auto it = p.find("binary_data_output"); it != p.end() && it->is_boolean() && *it) {
    return bad(
        "parameters.binary_data_output: the binary tensor extension is not supported; ask for "
        "JSON outputs");
  }
  return {};
}

HttpError read_shape(const json& input, JsonInferRequest& out) {
  const auto it = input.find("shape");
  if (it == input.end()) return bad("inputs[0].shape: missing (expected [rows, ...])");
  const json& shape = *it;
  if (!shape.is_array()) return bad("inputs[0].shape: expected an array, got " + type_of(shape));
  if (shape.empty() || shape.size() > kMaxShapeRank + 1) {
    return bad("inputs[0].shape: has " + std::to_string(shape.size()) +
               " dimensions; expected 1 to " + std::to_string(kMaxShapeRank + 1) +
               " (the batch first)");
  }
  out.shape.clear();
  for (size_t i = 0; i < shape.size(); ++i) {
    uint64_t d = 0;
    const std::string field = "inputs[0].shape[" + std::to_string(i) + "]";
    if (HttpError e = read_count(shape[i], field, std::numeric_limits<uint64_t>::max(), d)) {
      return e;
    }
    out.shape.push_back(d);
  }
  if (out.shape[0] == 0 || out.shape[0] > kMaxRows) {
    return bad("inputs[0].shape[0]: " + std::to_string(out.shape[0]) + " rows; expected 1 to " +
               std::to_string(kMaxRows) + " (the batch)");
  }
  // Multiplied with a check at each step: a shape of huge dimensions cannot wrap to a small one.
  uint64_t row = 1;
  for (size_t i = 1; i < out.shape.size(); ++i) {
    if (out.shape[i] == 0) {
      return bad("inputs[0].shape[" + std::to_string(i) + "]: is 0; a row must have elements");
    }
    if (out.shape[i] > kMaxRowElements / row) {
      return bad("inputs[0].shape: a row of " + shape_text(out.shape) + " has more than " +
                 std::to_string(kMaxRowElements) + " elements");
    }
    row *= out.shape[i];
  }
  out.rows = static_cast<uint32_t>(out.shape[0]);
  out.row_elements = static_cast<uint32_t>(row);
  return {};
}

std::string path_text(std::span<const size_t> path) {
  std::string s = "inputs[0].data";
  for (const size_t i : path) s += "[" + std::to_string(i) + "]";
  return s;
}

HttpError read_number(const json& v, std::span<const size_t> path, float& out) {
  if (!v.is_number()) {
    return bad(path_text(path) + ": expected a number, got " + type_of(v));
  }
  const double d = v.get<double>();
  if (!(std::fabs(d) <= static_cast<double>(std::numeric_limits<float>::max()))) {
    char text[32];
    const auto r = std::to_chars(std::begin(text), std::end(text), d);
    return bad(path_text(path) + ": " + std::string(text, r.ptr) + " is out of the FP32 range");
  }
  out = static_cast<float>(d);
  return {};
}

// data nested to match the shape: at depth d an array of shape[d] elements, numbers at the last.
// Checked whole before a float is written, so a wrong structure is named where it is wrong.
HttpError check_nested(const json& v, std::span<const uint64_t> shape, size_t depth,
                       std::vector<size_t>& path) {
  if (!v.is_array()) {
    return bad(path_text(path) + ": expected an array of " + std::to_string(shape[depth]) +
               " (shape " + shape_text(shape) + "), got " + type_of(v));
  }
  if (v.size() != shape[depth]) {
    return bad(path_text(path) + ": has " + std::to_string(v.size()) + " elements; shape " +
               shape_text(shape) + " needs " + std::to_string(shape[depth]) + " here");
  }
  if (depth + 1 == shape.size()) return {};
  for (size_t i = 0; i < v.size(); ++i) {
    path.push_back(i);
    if (HttpError e = check_nested(v[i], shape, depth + 1, path)) return e;
    path.pop_back();
  }
  return {};
}

HttpError fill_nested(const json& v, size_t depth, size_t rank, std::vector<size_t>& path,
                      float*& out) {
  for (size_t i = 0; i < v.size(); ++i) {
    path.push_back(i);
    if (depth + 1 == rank) {
      if (HttpError e = read_number(v[i], path, *out++)) return e;
    } else if (HttpError e = fill_nested(v[i], depth + 1, rank, path, out)) {
      return e;
    }
    path.pop_back();
  }
  return {};
}

HttpError read_data(const json& input, const JsonInferRequest& req, std::vector<float>& data) {
  const auto it = input.find("data");
  if (it == input.end()) {
    if (input.contains("parameters") && input["parameters"].is_object() &&
        input["parameters"].contains("binary_data_size")) {
      return bad(
          "inputs[0].parameters.binary_data_size: the binary tensor extension is not "
          "supported; send the tensor as JSON in 'data'");
    }
    return bad("inputs[0].data: missing (expected the tensor's values, flat or nested)");
  }
  const json& d = *it;
  if (!d.is_array()) return bad("inputs[0].data: expected an array, got " + type_of(d));
  const uint64_t total = uint64_t{req.rows} * req.row_elements;
  std::vector<size_t> path;
  const bool nested = !d.empty() && d[0].is_array();
  if (nested) {
    if (HttpError e = check_nested(d, req.shape, 0, path)) return e;
  } else if (d.size() != total) {
    return bad("inputs[0].data: has " + std::to_string(d.size()) + " values; shape " +
               shape_text(req.shape) + " needs " + std::to_string(total));
  }
  // Only now, with the count known to be what the body holds, is room made for it.
  data.resize(total);
  float* out = data.data();
  if (nested) return fill_nested(d, 0, req.shape.size(), path, out);
  path.push_back(0);
  for (size_t i = 0; i < d.size(); ++i) {
    path.back() = i;
    if (HttpError e = read_number(d[i], path, out[i])) return e;
  }
  return {};
}

HttpError read_outputs(const json& outputs, JsonInferRequest& out) {
  if (!outputs.is_array()) return bad("outputs: expected an array, got " + type_of(outputs));
  for (size_t i = 0; i < outputs.size(); ++i) {
    const std::string field = "outputs[" + std::to_string(i) + "]";
    const json& o = outputs[i];
    if (!o.is_object()) return bad(field + ": expected an object, got " + type_of(o));
    const auto name = o.find("name");
    if (name == o.end()) return bad(field + ".name: missing");
    if (!name->is_string()) return bad(field + ".name: expected a string, got " + type_of(*name));
    if (const auto p = o.find("parameters"); p != o.end() && p->is_object()) {
      if (const auto b = p->find("binary_data"); b != p->end() && b->is_boolean() && *b) {
        return bad(field +
                   ".parameters.binary_data: the binary tensor extension is not supported; ask "
                   "for JSON outputs (binary_data false)");
      }
    }
    out.outputs.push_back(name->get<std::string>());
  }
  return {};
}

}  // namespace

HttpError decode_infer_request(std::string_view body, int64_t now_ns, JsonInferRequest& out,
                               std::vector<float>& data) {
  out = JsonInferRequest{};
  json root;
  try {
    root = json::parse(body, [](int depth, json::parse_event_t /*event*/, json& /*parsed*/) {
      if (depth > kMaxJsonDepth) throw TooDeep{};
      return true;
    });
  } catch (const json::parse_error& e) {
    // nlohmann's text after its "[json.exception.parse_error.N] " prefix says where and why.
    std::string what = e.what();
    if (const size_t close = what.find("] "); close != std::string::npos) what.erase(0, close + 2);
    return bad("body: not JSON: " + what);
  } catch (const TooDeep&) {
    return bad("body: nested more than " + std::to_string(kMaxJsonDepth) + " levels deep");
  }
  if (!root.is_object()) return bad("body: expected a JSON object, got " + type_of(root));
  if (const auto id = root.find("id"); id != root.end()) {
    if (!id->is_string()) return bad("id: expected a string, got " + type_of(*id));
    out.id = id->get<std::string>();
    out.has_id = true;
  }
  if (const auto p = root.find("parameters"); p != root.end()) {
    if (HttpError e = read_parameters(*p, now_ns, out)) return e;
  }
  const auto inputs = root.find("inputs");
  if (inputs == root.end()) {
    return bad(R"(inputs: missing (expected [{"name", "shape", "datatype", "data"}]))");
  }
  if (!inputs->is_array()) return bad("inputs: expected an array, got " + type_of(*inputs));
  if (inputs->size() != 1) {
    return bad("inputs: has " + std::to_string(inputs->size()) +
               " tensors; the service serves models of one input tensor");
  }
  const json& input = (*inputs)[0];
  if (!input.is_object()) return bad("inputs[0]: expected an object, got " + type_of(input));
  const auto name = input.find("name");
  if (name == input.end()) return bad("inputs[0].name: missing");
  if (!name->is_string()) return bad("inputs[0].name: expected a string, got " + type_of(*name));
  out.input_name = name->get<std::string>();
  const auto datatype = input.find("datatype");
  if (datatype == input.end()) return bad("inputs[0].datatype: missing (expected \"FP32\")");
  if (!datatype->is_string()) {
    return bad("inputs[0].datatype: expected a string, got " + type_of(*datatype));
  }
  if (datatype->get<std::string>() != "FP32") {
    return bad("inputs[0].datatype: \"" + datatype->get<std::string>() +
               "\" is not served; the service's models take FP32");
  }
  if (HttpError e = read_shape(input, out)) return e;
  if (const auto outputs = root.find("outputs"); outputs != root.end()) {
    if (HttpError e = read_outputs(*outputs, out)) return e;
  }
  return read_data(input, out, data);
}

HttpError check_against_model(const JsonInferRequest& request, const ModelEntry& model) {
  const std::string input = "input '" + model.input_name + "' " + dims_text(model.input_shape);
  if (request.input_name != model.input_name) {
    return bad("inputs[0].name: '" + request.input_name + "' is not an input of " +
               model_text(model) + " (its " + input + ")");
  }
  bool fits = request.shape.size() == model.input_shape.size() + 1;
  for (size_t i = 0; fits && i < model.input_shape.size(); ++i) {
    fits = request.shape[i + 1] == model.input_shape[i];
  }
  if (!fits) {
    return bad("inputs[0].shape: " + shape_text(request.shape) + " does not fit " +
               model_text(model) + "'s " + input + " (the first dimension is the batch)");
  }
  if (request.rows > model.max_batch) {
    return bad("inputs[0].shape[0]: " + std::to_string(request.rows) + " rows are more than " +
               model_text(model) + "'s max_batch " + std::to_string(model.max_batch));
  }
  for (size_t i = 0; i < request.outputs.size(); ++i) {
    if (request.outputs[i] != model.output_name) {
      return bad("outputs[" + std::to_string(i) + "].name: '" + request.outputs[i] +
                 "' is not an output of " + model_text(model) + " (its output: '" +
                 model.output_name + "' " + dims_text(model.output_shape) + ")");
    }
  }
  return {};
}

std::string sha256_hex(const std::array<uint8_t, 32>& sha) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(64);
  for (const uint8_t b : sha) {
    s.push_back(kDigits[b >> 4]);
    s.push_back(kDigits[b & 0xf]);
  }
  return s;
}

void encode_infer_reply(const JsonInferReply& reply, std::string& out) {
  out.clear();
  out.reserve(256 + reply.data.size() * 12);
  out += "{\"model_name\":";
  append_json_string(out, reply.model_name);
  out += ",\"model_version\":";
  append_json_string(out, reply.model_version);
  if (reply.has_id) {
    out += ",\"id\":";
    append_json_string(out, reply.id);
  }
  out += R"(,"parameters":{"sha256":")";
  out += sha256_hex(reply.sha256);
  out += R"(","queue_ns":)";
  out += std::to_string(reply.queue_ns);
  out += R"(,"compute_ns":)";
  out += std::to_string(reply.compute_ns);
  out += R"(},"outputs":[{"name":)";
  append_json_string(out, reply.output_name);
  out += R"(,"datatype":"FP32","shape":[)";
  out += std::to_string(reply.rows);
  for (const uint32_t d : reply.output_dims) {
    out.push_back(',');
    out += std::to_string(d);
  }
  out += "],\"data\":[";
  char number[32];
  for (size_t i = 0; i < reply.data.size(); ++i) {
    if (i != 0) out.push_back(',');
    const float x = reply.data[i];
    if (!std::isfinite(x)) {
      out += "null";
      continue;
    }
    // The double's shortest form: exact for a reader that parses doubles (see the header).
    const auto r = std::to_chars(std::begin(number), std::end(number), static_cast<double>(x));
    out.append(number, r.ptr);
  }
  out += "]}]}";
}

}  // namespace guiju::inference
