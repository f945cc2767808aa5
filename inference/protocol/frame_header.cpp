#include "inference/protocol/frame_header.hpp"

#include <cstring>

namespace guiju::inference {

std::string_view to_string(MessageKind kind) {
  switch (kind) {
    case MessageKind::kInferRequest:
      return "infer request";
    case MessageKind::kInferReply:
      return "infer reply";
    case MessageKind::kErrorReply:
      return "error reply";
    case MessageKind::kAdminRequest:
      return "admin request";
    case MessageKind::kAdminReply:
      return "admin reply";
  }
  return "unknown";
}

DecodeError decode_frame_header(std::span<const std::byte> frame, MessageKind& kind) {
  static constexpr FieldSpan kFields[] = {{"magic", 0, 4}, {"version", 4, 2}, {"kind", 6, 2}};
  if (frame.size() < sizeof(FrameHeader)) return truncated(kFields, frame.size());
  FrameHeader h;
  std::memcpy(&h, frame.data(), sizeof h);
  if (h.magic != kWireMagic) {
    return DecodeError::at("magic", 0, "is not \"GJIF\": not a guiju-inferd frame").got(h.magic);
  }
  if (h.version != kWireVersion) {
    return DecodeError::at("version", 4, "is not a protocol version this service speaks")
        .got(h.version)
        .allowed(kWireVersion);
  }
  if (h.kind < static_cast<uint16_t>(MessageKind::kInferRequest) ||
      h.kind > static_cast<uint16_t>(MessageKind::kAdminReply)) {
    return DecodeError::at("kind", 6, "is not a message kind").got(h.kind);
  }
  kind = static_cast<MessageKind>(h.kind);
  return {};
}

DecodeError truncated(std::span<const FieldSpan> fields, size_t size) {
  for (const FieldSpan& f : fields) {
    if (f.offset + f.size > size) {
      return DecodeError::at(f.name, f.offset, "is cut off: the frame is too short")
          .got(size)
          .allowed(f.offset + f.size);
    }
  }
  return {};
}

DecodeError check_name(std::string_view text, const char* field, uint32_t offset, bool required) {
  if (text.empty()) {
    return required ? DecodeError::at(field, offset, "is empty") : DecodeError{};
  }
  if (text.front() == '.') return DecodeError::at(field, offset, "starts with '.'");
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) {
      return DecodeError::at(field, offset + static_cast<uint32_t>(i),
                             "has a byte outside [A-Za-z0-9._-]")
          .got(static_cast<unsigned char>(c));
    }
  }
  return {};
}

}  // namespace guiju::inference
