#include "inference/protocol/admin_reply.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace guiju::inference {
namespace {

constexpr FieldSpan kFields[] = {
    {"magic", 0, 4},    {"version", 4, 2}, {"kind", 6, 2},         {"request_id", 8, 8},
    {"command", 16, 2}, {"status", 18, 2}, {"model_count", 20, 2}, {"message_length", 22, 2},
};

// Writes at out[at] and moves at on; out is sized beforehand, so nothing reallocates.
void put(std::vector<std::byte>& out, size_t& at, const void* p, size_t n) {
  if (n != 0) std::memcpy(out.data() + at, p, n);
  at += n;
}

}  // namespace

std::string_view to_string(ModelState state) {
  switch (state) {
    case ModelState::kReady:
      return "ready";
    case ModelState::kDraining:
      return "draining";
  }
  return "unknown state";
}

void encode_admin_reply(const AdminReply& reply, std::vector<std::byte>& out) {
  if (reply.models.size() > UINT16_MAX) throw std::invalid_argument("admin reply: too many models");
  const size_t message_length = std::min(reply.message.size(), kMaxAdminMessageBytes);
  size_t size = sizeof(AdminReplyHeader) + message_length;
  for (const ModelEntry& m : reply.models) {
    if (m.name.empty() || m.name.size() > kMaxNameBytes || m.version.size() > kMaxVersionBytes ||
        m.input_shape.size() > kMaxShapeRank || m.output_shape.size() > kMaxShapeRank) {
      throw std::invalid_argument("admin reply: model entry '" + m.name + "' out of range");
    }
    size += sizeof(ModelEntryHeader) + m.name.size() + m.version.size() +
            sizeof(uint32_t) * (m.input_shape.size() + m.output_shape.size());
  }
  out.resize(size);
  AdminReplyHeader h;
  h.request_id = reply.request_id;
  h.command = static_cast<uint16_t>(reply.command);
  h.status = static_cast<uint16_t>(reply.status);
  h.model_count = static_cast<uint16_t>(reply.models.size());
  h.message_length = static_cast<uint16_t>(message_length);
  size_t at = 0;
  put(out, at, &h, sizeof h);
  put(out, at, reply.message.data(), message_length);
  for (const ModelEntry& m : reply.models) {
    ModelEntryHeader e;
    e.name_length = static_cast<uint8_t>(m.name.size());
    e.version_length = static_cast<uint8_t>(m.version.size());
    e.state = static_cast<uint8_t>(m.state);
    e.input_rank = static_cast<uint8_t>(m.input_shape.size());
    e.output_rank = static_cast<uint8_t>(m.output_shape.size());
    e.max_batch = m.max_batch;
    e.queued = m.queued;
    e.sha256 = m.sha256;
    e.answered = m.answered;
    e.expired = m.expired;
    e.overloaded = m.overloaded;
    e.errors = m.errors;
    put(out, at, &e, sizeof e);
    put(out, at, m.name.data(), m.name.size());
    put(out, at, m.version.data(), m.version.size());
    put(out, at, m.input_shape.data(), sizeof(uint32_t) * m.input_shape.size());
    put(out, at, m.output_shape.data(), sizeof(uint32_t) * m.output_shape.size());
  }
}

DecodeError decode_admin_reply(std::span<const std::byte> frame, AdminReply& out) {
  MessageKind kind{};
  if (DecodeError e = decode_frame_header(frame, kind)) return e;
  if (kind != MessageKind::kAdminReply) {
    return DecodeError::at("kind", 6, "is not an admin reply (5)").got(static_cast<uint16_t>(kind));
  }
  if (frame.size() < sizeof(AdminReplyHeader)) return truncated(kFields, frame.size());
  AdminReplyHeader h;
  std::memcpy(&h, frame.data(), sizeof h);
  if (h.command < static_cast<uint16_t>(AdminCommand::kLoad) ||
      h.command > static_cast<uint16_t>(AdminCommand::kHealth)) {
    return DecodeError::at("command", 16, "is not an admin command").got(h.command);
  }
  if (h.status > kLastReplyStatus)
    return DecodeError::at("status", 18, "is not a status").got(h.status);
  if (h.message_length > kMaxAdminMessageBytes) {
    return DecodeError::at("message_length", 22, "is too long")
        .got(h.message_length)
        .allowed(kMaxAdminMessageBytes);
  }
  size_t at = sizeof h;
  if (frame.size() - at < h.message_length) {
    return DecodeError::at("message", static_cast<uint32_t>(at), "runs past the end of the frame")
        .got(h.message_length)
        .allowed(frame.size() - at);
  }
  const auto* chars = reinterpret_cast<const char*>(frame.data());
  out.request_id = h.request_id;
  out.command = static_cast<AdminCommand>(h.command);
  out.status = static_cast<ReplyStatus>(h.status);
  out.message.assign(chars + at, h.message_length);
  at += h.message_length;
  out.models.clear();
  for (uint16_t i = 0; i < h.model_count; ++i) {
    const auto entry_at = static_cast<uint32_t>(at);
    if (frame.size() - at < sizeof(ModelEntryHeader)) {
      return DecodeError::at("model entry", entry_at, "is cut off: the frame is too short")
          .got(frame.size() - at)
          .allowed(sizeof(ModelEntryHeader));
    }
    ModelEntryHeader e;
    std::memcpy(&e, frame.data() + at, sizeof e);
    if (e.name_length == 0 || e.name_length > kMaxNameBytes ||
        e.version_length > kMaxVersionBytes || e.input_rank > kMaxShapeRank ||
        e.output_rank > kMaxShapeRank ||
        (e.state != static_cast<uint8_t>(ModelState::kReady) &&
         e.state != static_cast<uint8_t>(ModelState::kDraining))) {
      return DecodeError::at("model entry", entry_at, "has a length, rank or state out of range");
    }
    at += sizeof e;
    const size_t tail = size_t{e.name_length} + e.version_length +
                        sizeof(uint32_t) * (size_t{e.input_rank} + e.output_rank);
    if (frame.size() - at < tail) {
      return DecodeError::at("model entry", entry_at, "runs past the end of the frame")
          .got(frame.size() - at)
          .allowed(tail);
    }
    ModelEntry m;
    m.name.assign(chars + at, e.name_length);
    at += e.name_length;
    m.version.assign(chars + at, e.version_length);
    at += e.version_length;
    m.input_shape.resize(e.input_rank);
    if (e.input_rank != 0)
      std::memcpy(m.input_shape.data(), frame.data() + at, 4 * size_t{e.input_rank});
    at += 4 * size_t{e.input_rank};
    m.output_shape.resize(e.output_rank);
    if (e.output_rank != 0)
      std::memcpy(m.output_shape.data(), frame.data() + at, 4 * size_t{e.output_rank});
    at += 4 * size_t{e.output_rank};
    m.state = static_cast<ModelState>(e.state);
    m.max_batch = e.max_batch;
    m.queued = e.queued;
    m.sha256 = e.sha256;
    m.answered = e.answered;
    m.expired = e.expired;
    m.overloaded = e.overloaded;
    m.errors = e.errors;
    out.models.push_back(std::move(m));
  }
  if (at != frame.size()) {
    return DecodeError::at("model entry", static_cast<uint32_t>(at),
                           "the frame goes on after the last entry")
        .got(frame.size())
        .allowed(at);
  }
  return {};
}

}  // namespace guiju::inference
