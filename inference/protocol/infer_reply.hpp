#pragma once
// The reply to an infer request: its status, the model that answered (name, version and the
// model file's SHA-256), where the time went on the server, and the output tensor (rows of
// row_elements float32; none unless the status is ok).
//
//   offset size field
//        0    8 FrameHeader (kind 2)
//        8    8 request_id
//       16    2 status           ReplyStatus
//       18    1 name_length      0..64 (0 when no model is known)
//       19    1 version_length   0..32
//       20    4 rows             0 unless ok
//       24    4 row_elements
//       28    4 reserved         0
//       32    8 queue_ns         received -> its batch started
//       40    8 compute_ns       the batch's run
//       48   32 sha256           of the model file, raw bytes (zero when no model is known)
//       80      name, version, then the data

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "inference/protocol/decode_error.hpp"
#include "inference/protocol/frame_header.hpp"
#include "inference/protocol/reply_status.hpp"

namespace guiju::inference {

struct InferReplyHeader {
  FrameHeader frame{kWireMagic, kWireVersion, static_cast<uint16_t>(MessageKind::kInferReply)};
  uint64_t request_id = 0;
  uint16_t status = 0;
  uint8_t name_length = 0;
  uint8_t version_length = 0;
  uint32_t rows = 0;
  uint32_t row_elements = 0;
  uint32_t reserved = 0;
  int64_t queue_ns = 0;
  int64_t compute_ns = 0;
  std::array<uint8_t, 32> sha256{};
};
static_assert(sizeof(InferReplyHeader) == 80);

struct InferReplyFields {
  uint64_t request_id = 0;
  ReplyStatus status = ReplyStatus::kOk;
  std::string_view name;
  std::string_view version;
  std::array<uint8_t, 32> sha256{};
  int64_t queue_ns = 0;
  int64_t compute_ns = 0;
  uint32_t rows = 0;
  uint32_t row_elements = 0;
};

struct InferReplyView {
  InferReplyFields fields;
  std::span<const std::byte> data;  // rows * row_elements float32, unaligned

  void copy_data(float* out) const;
};

size_t infer_reply_size(const InferReplyFields& fields);

// Returns the frame's size, or 0 when it does not fit in out or the fields are out of range.
size_t encode_infer_reply(std::span<std::byte> out, const InferReplyFields& fields,
                          std::span<const float> data);

DecodeError decode_infer_reply(std::span<const std::byte> frame, InferReplyView& out);

}  // namespace guiju::inference
