#include "inference/protocol/infer_request.hpp"

#include <cstring>

namespace guiju::inference {
namespace {

constexpr FieldSpan kFields[] = {
    {"magic", 0, 4},           {"version", 4, 2},      {"kind", 6, 2},
    {"request_id", 8, 8},      {"deadline_ns", 16, 8}, {"name_length", 24, 1},
    {"version_length", 25, 1}, {"reserved", 26, 2},    {"rows", 28, 4},
    {"row_elements", 32, 4},   {"reserved2", 36, 4},
};

bool in_range(const InferRequestFields& f) {
  return !f.name.empty() && f.name.size() <= kMaxNameBytes &&
         f.version.size() <= kMaxVersionBytes && f.rows >= 1 && f.rows <= kMaxRows &&
         f.row_elements >= 1 && f.row_elements <= kMaxRowElements;
}

}  // namespace

void InferRequestView::copy_data(float* out) const {
  std::memcpy(out, data.data(), data.size());
}

size_t infer_request_size(const InferRequestFields& fields) {
  return sizeof(InferRequestHeader) + fields.name.size() + fields.version.size() +
         sizeof(float) * static_cast<size_t>(fields.rows) * fields.row_elements;
}

size_t encode_infer_request(std::span<std::byte> out, const InferRequestFields& fields,
                            std::span<const float> data) {
  if (!in_range(fields)) return 0;
  if (data.size() != static_cast<size_t>(fields.rows) * fields.row_elements) return 0;
  const size_t size = infer_request_size(fields);
  if (out.size() < size) return 0;
  InferRequestHeader h;
  h.request_id = fields.request_id;
  h.deadline_ns = fields.deadline_ns;
  h.name_length = static_cast<uint8_t>(fields.name.size());
  h.version_length = static_cast<uint8_t>(fields.version.size());
  h.rows = fields.rows;
  h.row_elements = fields.row_elements;
  std::byte* p = out.data();
  std::memcpy(p, &h, sizeof h);
  p += sizeof h;
  std::memcpy(p, fields.name.data(), fields.name.size());
  p += fields.name.size();
  if (!fields.version.empty()) std::memcpy(p, fields.version.data(), fields.version.size());
  p += fields.version.size();
  std::memcpy(p, data.data(), data.size_bytes());
  return size;
}

DecodeError decode_infer_request(std::span<const std::byte> frame, InferRequestView& out) {
  MessageKind kind{};
  if (DecodeError e = decode_frame_header(frame, kind)) return e;
  if (kind != MessageKind::kInferRequest) {
    return DecodeError::at("kind", 6, "is not an infer request (1)")
        .got(static_cast<uint16_t>(kind));
  }
  if (frame.size() < sizeof(InferRequestHeader)) return truncated(kFields, frame.size());
  InferRequestHeader h;
  std::memcpy(&h, frame.data(), sizeof h);
  if (h.name_length == 0) return DecodeError::at("name_length", 24, "is zero: a model is named");
  if (h.name_length > kMaxNameBytes) {
    return DecodeError::at("name_length", 24, "is too long")
        .got(h.name_length)
        .allowed(kMaxNameBytes);
  }
  if (h.version_length > kMaxVersionBytes) {
    return DecodeError::at("version_length", 25, "is too long")
        .got(h.version_length)
        .allowed(kMaxVersionBytes);
  }
  if (h.reserved != 0) return DecodeError::at("reserved", 26, "is not zero").got(h.reserved);
  if (h.rows == 0 || h.rows > kMaxRows) {
    return DecodeError::at("rows", 28, "is out of range 1..4096").got(h.rows).allowed(kMaxRows);
  }
  if (h.row_elements == 0 || h.row_elements > kMaxRowElements) {
    return DecodeError::at("row_elements", 32, "is out of range 1..2^24")
        .got(h.row_elements)
        .allowed(kMaxRowElements);
  }
  if (h.reserved2 != 0) return DecodeError::at("reserved2", 36, "is not zero").got(h.reserved2);
  constexpr uint32_t kNameAt = sizeof(InferRequestHeader);
  const size_t texts = size_t{h.name_length} + h.version_length;
  if (frame.size() - kNameAt < texts) {
    return DecodeError::at(
               frame.size() - kNameAt < h.name_length ? "name" : "version",
               frame.size() - kNameAt < h.name_length ? kNameAt : kNameAt + h.name_length,
               "runs past the end of the frame")
        .got(kNameAt + texts)
        .allowed(frame.size());
  }
  const auto* chars = reinterpret_cast<const char*>(frame.data());
  const std::string_view name(chars + kNameAt, h.name_length);
  const std::string_view version(chars + kNameAt + h.name_length, h.version_length);
  if (DecodeError e = check_name(name, "name", kNameAt, true)) return e;
  const uint32_t version_at = kNameAt + h.name_length;
  if (DecodeError e = check_name(version, "version", version_at, false)) return e;
  const auto data_at = static_cast<uint32_t>(kNameAt + texts);
  // At most 4096 * 2^24 elements: the byte count cannot overflow 64 bits.
  const uint64_t bytes = uint64_t{h.rows} * h.row_elements * sizeof(float);
  const size_t remaining = frame.size() - data_at;
  if (bytes > remaining) {
    return DecodeError::at("data", data_at, "rows * row_elements float32 do not fit in the frame")
        .got(bytes)
        .allowed(remaining);
  }
  if (bytes < remaining) {
    return DecodeError::at("data", static_cast<uint32_t>(data_at + bytes),
                           "the frame goes on after rows * row_elements float32")
        .got(remaining)
        .allowed(bytes);
  }
  out.fields.request_id = h.request_id;
  out.fields.deadline_ns = h.deadline_ns;
  out.fields.name = name;
  out.fields.version = version;
  out.fields.rows = h.rows;
  out.fields.row_elements = h.row_elements;
  out.data = frame.subspan(data_at, bytes);
  out.data_offset = data_at;
  return {};
}

}  // namespace guiju::inference
