#pragma once
// The JSON tensors of the KServe v2 infer request and reply (the Open Inference Protocol's
// "tensor data" in JSON: `data` flat in row-major order, or nested to match `shape`). Pure: the
// HTTP server hands it bodies, tests hand it every malformed body there is.
//
// Every refusal is an HTTP status and a message that starts with the field at fault, in the
// request's own terms ("inputs[0].shape[1]: ...", "inputs[0].data[3][7]: ..."), the way KServe
// clients show {"error": "..."} to a person.
//
// Numbers. A JSON number is read as a double (correctly rounded) and narrowed to float32; one
// outside float32's range is refused (it would become infinity). Outputs are written as the
// shortest decimal that reads back as the same double, and every float32 is exactly a double, so
// a client that reads them as doubles and narrows them gets the model's bits back. JSON has no
// NaN or infinity: such outputs are written as null.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "inference/protocol/admin_reply.hpp"

namespace guiju::inference {

struct HttpError {
  unsigned status = 0;  // 0: no error
  std::string message;
  explicit operator bool() const { return status != 0; }
};

struct JsonInferRequest {
  std::string id;  // echoed in the reply
  bool has_id = false;
  std::string input_name;
  std::vector<uint64_t> shape;       // as given: the batch first
  uint32_t rows = 0;                 // shape[0]
  uint32_t row_elements = 0;         // the product of the rest
  std::vector<std::string> outputs;  // asked for by name; empty: every output
  int64_t deadline_ns = 0;           // CLOCK_REALTIME; 0: none
};

// The most a request may wait, as a relative timeout: a larger one is a mistake, not a wish.
inline constexpr uint64_t kMaxTimeoutUs = 86'400'000'000;  // a day
// Arrays nested deeper than this are refused before they are built (nothing needs more than the
// shape's rank, at most 9).
inline constexpr int kMaxJsonDepth = 32;

// Decodes an infer request's body. now_ns (CLOCK_REALTIME) turns a relative timeout into the
// deadline. The tensor goes into data (rows * row_elements floats; the vector is reused between
// requests and only grows). Parameters it reads: timeout_us and timeout (Triton's name), both
// microseconds from now, 0 meaning none; deadline_ns, absolute (Unix epoch ns). The earliest of
// those given is the deadline. Other parameters are ignored, as KServe allows.
HttpError decode_infer_request(std::string_view body, int64_t now_ns, JsonInferRequest& out,
                               std::vector<float>& data);

// Checks a decoded request against the model version that is to answer it: the input's name and
// dimensions, the rows against max_batch, the outputs asked for.
HttpError check_against_model(const JsonInferRequest& request, const ModelEntry& model);

struct JsonInferReply {
  std::string_view model_name;
  std::string_view model_version;
  std::string_view id;
  bool has_id = false;
  std::array<uint8_t, 32> sha256{};
  int64_t queue_ns = 0;
  int64_t compute_ns = 0;
  std::string_view output_name;
  std::span<const uint32_t> output_dims;  // without the batch
  uint32_t rows = 0;
  std::span<const float> data;  // rows * the product of output_dims
};

// Appends the reply's JSON to out (cleared first):
//   {"model_name":..,"model_version":..,"id":..,"parameters":{"sha256":..,"queue_ns":..,
//    "compute_ns":..},"outputs":[{"name":..,"datatype":"FP32","shape":[..],"data":[..]}]}
void encode_infer_reply(const JsonInferReply& reply, std::string& out);

// The SHA-256 as 64 lowercase hex digits.
std::string sha256_hex(const std::array<uint8_t, 32>& sha);

}  // namespace guiju::inference
