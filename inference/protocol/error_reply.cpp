#include "inference/protocol/error_reply.hpp"

#include <algorithm>
#include <cstring>

namespace guiju::inference {
namespace {

constexpr FieldSpan kFields[] = {
    {"magic", 0, 4},   {"version", 4, 2},         {"kind", 6, 2},          {"request_id", 8, 8},
    {"offset", 16, 4}, {"message_length", 20, 2}, {"field_length", 22, 1}, {"reserved", 23, 1},
};

}  // namespace

uint64_t request_id_of(std::span<const std::byte> frame) {
  // Only from a frame that is ours: a stranger's bytes 8..15 are not a request id.
  uint32_t magic = 0;
  uint64_t id = 0;
  if (frame.size() < 16) return 0;
  std::memcpy(&magic, frame.data(), sizeof magic);
  if (magic != kWireMagic) return 0;
  std::memcpy(&id, frame.data() + 8, sizeof id);
  return id;
}

size_t encode_error_reply(std::span<std::byte> out, uint64_t request_id, const DecodeError& error) {
  char text[kMaxErrorMessageBytes + 1];
  const std::string_view message = describe(error, text);
  const std::string_view field =
      error.field != nullptr ? std::string_view(error.field) : std::string_view("frame");
  const size_t field_length = std::min(field.size(), kMaxFieldNameBytes);
  const size_t size = sizeof(ErrorReplyHeader) + field_length + message.size();
  if (out.size() < size) return 0;
  ErrorReplyHeader h;
  h.request_id = request_id;
  h.offset = error.offset;
  h.message_length = static_cast<uint16_t>(message.size());
  h.field_length = static_cast<uint8_t>(field_length);
  std::byte* p = out.data();
  std::memcpy(p, &h, sizeof h);
  std::memcpy(p + sizeof h, field.data(), field_length);
  if (!message.empty()) std::memcpy(p + sizeof h + field_length, message.data(), message.size());
  return size;
}

DecodeError decode_error_reply(std::span<const std::byte> frame, ErrorReplyView& out) {
  MessageKind kind{};
  if (DecodeError e = decode_frame_header(frame, kind)) return e;
  if (kind != MessageKind::kErrorReply) {
    return DecodeError::at("kind", 6, "is not an error reply (3)").got(static_cast<uint16_t>(kind));
  }
  if (frame.size() < sizeof(ErrorReplyHeader)) return truncated(kFields, frame.size());
  ErrorReplyHeader h;
  std::memcpy(&h, frame.data(), sizeof h);
  if (h.message_length > kMaxErrorMessageBytes) {
    return DecodeError::at("message_length", 20, "is too long")
        .got(h.message_length)
        .allowed(kMaxErrorMessageBytes);
  }
  if (h.field_length == 0 || h.field_length > kMaxFieldNameBytes) {
    return DecodeError::at("field_length", 22, "is out of range 1..64").got(h.field_length);
  }
  if (h.reserved != 0) return DecodeError::at("reserved", 23, "is not zero").got(h.reserved);
  const size_t size = sizeof h + size_t{h.field_length} + h.message_length;
  if (frame.size() != size) {
    return DecodeError::at("message", sizeof h, "field and message do not end the frame")
        .got(frame.size())
        .allowed(size);
  }
  const auto* chars = reinterpret_cast<const char*>(frame.data());
  out.request_id = h.request_id;
  out.offset = h.offset;
  out.field = std::string_view(chars + sizeof h, h.field_length);
  out.message = std::string_view(chars + sizeof h + h.field_length, h.message_length);
  return {};
}

}  // namespace guiju::inference
