#include "inference/protocol/infer_reply.hpp"

#include <cstring>

namespace guiju::inference {
namespace {

constexpr FieldSpan kFields[] = {
    {"magic", 0, 4},           {"version", 4, 2},   {"kind", 6, 2},
    {"request_id", 8, 8},      {"status", 16, 2},   {"name_length", 18, 1},
    {"version_length", 19, 1}, {"rows", 20, 4},     {"row_elements", 24, 4},
    {"reserved", 28, 4},       {"queue_ns", 32, 8}, {"compute_ns", 40, 8},
    {"sha256", 48, 32},
};

}  // namespace

void InferReplyView::copy_data(float* out) const {
  if (!data.empty()) std::memcpy(out, data.data(), data.size());
}

size_t infer_reply_size(const InferReplyFields& fields) {
  return sizeof(InferReplyHeader) + fields.name.size() + fields.version.size() +
         sizeof(float) * static_cast<size_t>(fields.rows) * fields.row_elements;
}

size_t encode_infer_reply(std::span<std::byte> out, const InferReplyFields& fields,
                          std::span<const float> data) {
  if (fields.name.size() > kMaxNameBytes || fields.version.size() > kMaxVersionBytes ||
      fields.rows > kMaxRows || fields.row_elements > kMaxRowElements ||
      data.size() != static_cast<size_t>(fields.rows) * fields.row_elements) {
    return 0;
  }
  const size_t size = infer_reply_size(fields);
  if (out.size() < size) return 0;
  InferReplyHeader h;
  h.request_id = fields.request_id;
  h.status = static_cast<uint16_t>(fields.status);
  h.name_length = static_cast<uint8_t>(fields.name.size());
  h.version_length = static_cast<uint8_t>(fields.version.size());
  h.rows = fields.rows;
  h.row_elements = fields.row_elements;
  h.queue_ns = fields.queue_ns;
  h.compute_ns = fields.compute_ns;
  h.sha256 = fields.sha256;
  std::byte* p = out.data();
  std::memcpy(p, &h, sizeof h);
  p += sizeof h;
  if (!fields.name.empty()) std::memcpy(p, fields.name.data(), fields.name.size());
  p += fields.name.size();
  if (!fields.version.empty()) std::memcpy(p, fields.version.data(), fields.version.size());
  p += fields.version.size();
  if (!data.empty()) std::memcpy(p, data.data(), data.size_bytes());
  return size;
}

DecodeError decode_infer_reply(std::span<const std::byte> frame, InferReplyView& out) {
  MessageKind kind{};
  if (DecodeError e = decode_frame_header(frame, kind)) return e;
  if (kind != MessageKind::kInferReply) {
    return DecodeError::at("kind", 6, "is not an infer reply (2)").got(static_cast<uint16_t>(kind));
  }
  if (frame.size() < sizeof(InferReplyHeader)) return truncated(kFields, frame.size());
  InferReplyHeader h;
  std::memcpy(&h, frame.data(), sizeof h);
  if (h.status > kLastReplyStatus)
    return DecodeError::at("status", 16, "is not a status").got(h.status);
  if (h.name_length > kMaxNameBytes) {
    return DecodeError::at("name_length", 18, "is too long")
        .got(h.name_length)
        .allowed(kMaxNameBytes);
  }
  if (h.version_length > kMaxVersionBytes) {
    return DecodeError::at("version_length", 19, "is too long")
        .got(h.version_length)
        .allowed(kMaxVersionBytes);
  }
  if (h.rows > kMaxRows)
    return DecodeError::at("rows", 20, "is too many").got(h.rows).allowed(kMaxRows);
  if (h.row_elements > kMaxRowElements) {
    return DecodeError::at("row_elements", 24, "is too many")
        .got(h.row_elements)
        .allowed(kMaxRowElements);
  }
  if (h.reserved != 0) return DecodeError::at("reserved", 28, "is not zero").got(h.reserved);
  constexpr uint32_t kNameAt = sizeof(InferReplyHeader);
  const size_t texts = size_t{h.name_length} + h.version_length;
  const uint64_t bytes = uint64_t{h.rows} * h.row_elements * sizeof(float);
  if (frame.size() - kNameAt < texts) {
    return DecodeError::at("name", kNameAt, "name and version run past the end of the frame")
        .got(kNameAt + texts)
        .allowed(frame.size());
  }
  const auto data_at = static_cast<uint32_t>(kNameAt + texts);
  if (frame.size() - data_at != bytes) {
    return DecodeError::at("data", data_at, "is not rows * row_elements float32 to the frame's end")
        .got(frame.size() - data_at)
        .allowed(bytes);
  }
  const auto* chars = reinterpret_cast<const char*>(frame.data());
  out.fields.request_id = h.request_id;
  out.fields.status = static_cast<ReplyStatus>(h.status);
  out.fields.name = std::string_view(chars + kNameAt, h.name_length);
  out.fields.version = std::string_view(chars + kNameAt + h.name_length, h.version_length);
  out.fields.sha256 = h.sha256;
  out.fields.queue_ns = h.queue_ns;
  out.fields.compute_ns = h.compute_ns;
  out.fields.rows = h.rows;
  out.fields.row_elements = h.row_elements;
  out.data = frame.subspan(data_at, bytes);
  return {};
}

}  // namespace guiju::inference
