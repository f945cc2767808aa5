#pragma once
// An infer request: one float32 tensor of `rows` rows for a model, with a deadline. After the
// fixed header come the name, the version and rows * row_elements float32 values, nothing else.
//
//   offset size field
//        0    8 FrameHeader (kind 1)
//        8    8 request_id       chosen by the client; echoed in the reply
//       16    8 deadline_ns      Unix epoch ns (CLOCK_REALTIME); 0 = none
//       24    1 name_length      1..64
//       25    1 version_length   0..32; 0 = the latest loaded version
//       26    2 reserved         0
//       28    4 rows             1..4096
//       32    4 row_elements     1..2^24, the model's elements per row
//       36    4 reserved2        0
//       40      name, version, then the data (any float, NaN included)

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "inference/protocol/decode_error.hpp"
#include "inference/protocol/frame_header.hpp"

namespace guiju::inference {

struct InferRequestHeader {
  FrameHeader frame{kWireMagic, kWireVersion, static_cast<uint16_t>(MessageKind::kInferRequest)};
  uint64_t request_id = 0;
  int64_t deadline_ns = 0;
  uint8_t name_length = 0;
  uint8_t version_length = 0;
  uint16_t reserved = 0;
  uint32_t rows = 0;
  uint32_t row_elements = 0;
  uint32_t reserved2 = 0;
};
static_assert(sizeof(InferRequestHeader) == 40);

struct InferRequestFields {
  uint64_t request_id = 0;
  int64_t deadline_ns = 0;
  std::string_view name;
  std::string_view version;
  uint32_t rows = 0;
  uint32_t row_elements = 0;
};

// A decoded request: views into the frame, valid while the frame is.
struct InferRequestView {
  InferRequestFields fields;
  // rows * row_elements little-endian float32, not necessarily aligned: read with copy_data().
  std::span<const std::byte> data;
  uint32_t data_offset = 0;

  void copy_data(float* out) const;
};

// The frame's size for these fields.
size_t infer_request_size(const InferRequestFields& fields);

// Writes the frame into out. Returns its size, or 0 when it does not fit, data does not hold
// rows * row_elements values, or a field is out of the limits the decoder enforces.
size_t encode_infer_request(std::span<std::byte> out, const InferRequestFields& fields,
                            std::span<const float> data);

// Validates every field and length against the frame (which must hold exactly the header, the
// name, the version and the data), never reading outside it. The frame header is checked too.
DecodeError decode_infer_request(std::span<const std::byte> frame, InferRequestView& out);

}  // namespace guiju::inference
