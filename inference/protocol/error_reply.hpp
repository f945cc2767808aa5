#pragma once
// The answer to a frame that does not decode: which field at which byte offset was wrong, and
// the sentence saying how. The request id is echoed when the frame held one.
//
//   offset size field
//        0    8 FrameHeader (kind 3)
//        8    8 request_id       0 when the frame was too short or not ours
//       16    4 offset           of the field at fault in the frame that was refused
//       20    2 message_length   0..1024
//       22    1 field_length     1..64
//       23    1 reserved         0
//       24      field (its name, as in docs/inference.md), then the message

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "inference/protocol/decode_error.hpp"
#include "inference/protocol/frame_header.hpp"

namespace guiju::inference {

inline constexpr size_t kMaxErrorMessageBytes = 1024;
inline constexpr size_t kMaxFieldNameBytes = 64;

struct ErrorReplyHeader {
  FrameHeader frame{kWireMagic, kWireVersion, static_cast<uint16_t>(MessageKind::kErrorReply)};
  uint64_t request_id = 0;
  uint32_t offset = 0;
  uint16_t message_length = 0;
  uint8_t field_length = 0;
  uint8_t reserved = 0;
};
static_assert(sizeof(ErrorReplyHeader) == 24);

struct ErrorReplyView {
  uint64_t request_id = 0;
  uint32_t offset = 0;
  std::string_view field;
  std::string_view message;
};

// The request id of a frame that failed to decode, when it got that far (0 otherwise).
uint64_t request_id_of(std::span<const std::byte> frame);

// The error reply for a frame that failed to decode (the message is describe(error), truncated to
// kMaxErrorMessageBytes). Returns the size, or 0 when out is too small (kMaxErrorReplyBytes is
// always enough).
inline constexpr size_t kMaxErrorReplyBytes =
    sizeof(ErrorReplyHeader) + kMaxFieldNameBytes + kMaxErrorMessageBytes;
size_t encode_error_reply(std::span<std::byte> out, uint64_t request_id, const DecodeError& error);

DecodeError decode_error_reply(std::span<const std::byte> frame, ErrorReplyView& out);

}  // namespace guiju::inference
