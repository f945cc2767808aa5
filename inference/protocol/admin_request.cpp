#include "inference/protocol/admin_request.hpp"

#include <cstring>

namespace guiju::inference {
namespace {

constexpr FieldSpan kFields[] = {
    {"magic", 0, 4},           {"version", 4, 2},   {"kind", 6, 2},
    {"request_id", 8, 8},      {"command", 16, 2},  {"name_length", 18, 1},
    {"version_length", 19, 1}, {"reserved", 20, 4},
};

bool needs_name(AdminCommand c) {
  return c == AdminCommand::kLoad || c == AdminCommand::kUnload;
}

}  // namespace

std::string_view to_string(AdminCommand command) {
  switch (command) {
    case AdminCommand::kLoad:
      return "load";
    case AdminCommand::kUnload:
      return "unload";
    case AdminCommand::kList:
      return "list";
    case AdminCommand::kHealth:
      return "health";
  }
  return "unknown command";
}

size_t encode_admin_request(std::span<std::byte> out, const AdminRequestView& request) {
  if (request.name.size() > kMaxNameBytes || request.version.size() > kMaxVersionBytes) return 0;
  const size_t size = sizeof(AdminRequestHeader) + request.name.size() + request.version.size();
  if (out.size() < size) return 0;
  AdminRequestHeader h;
  h.request_id = request.request_id;
  h.command = static_cast<uint16_t>(request.command);
  h.name_length = static_cast<uint8_t>(request.name.size());
  h.version_length = static_cast<uint8_t>(request.version.size());
  std::byte* p = out.data();
  std::memcpy(p, &h, sizeof h);
  if (!request.name.empty()) std::memcpy(p + sizeof h, request.name.data(), request.name.size());
  if (!request.version.empty()) {
    std::memcpy(p + sizeof h + request.name.size(), request.version.data(), request.version.size());
  }
  return size;
}

DecodeError decode_admin_request(std::span<const std::byte> frame, AdminRequestView& out) {
  MessageKind kind{};
  if (DecodeError e = decode_frame_header(frame, kind)) return e;
  if (kind != MessageKind::kAdminRequest) {
    return DecodeError::at("kind", 6, "is not an admin request (4)")
        .got(static_cast<uint16_t>(kind));
  }
  if (frame.size() < sizeof(AdminRequestHeader)) return truncated(kFields, frame.size());
  AdminRequestHeader h;
  std::memcpy(&h, frame.data(), sizeof h);
  if (h.command < static_cast<uint16_t>(AdminCommand::kLoad) ||
      h.command > static_cast<uint16_t>(AdminCommand::kHealth)) {
    return DecodeError::at("command", 16,
                           "is not an admin command (1 load, 2 unload, 3 list, "
                           "4 health)")
        .got(h.command);
  }
  const auto command = static_cast<AdminCommand>(h.command);
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
  if (needs_name(command) && h.name_length == 0) {
    return DecodeError::at("name_length", 18, "is zero: load and unload name a model");
  }
  if (!needs_name(command) && (h.name_length != 0 || h.version_length != 0)) {
    return DecodeError::at(h.name_length != 0 ? "name_length" : "version_length",
                           h.name_length != 0 ? 18 : 19,
                           "is not zero: list and health name no model");
  }
  if (h.reserved != 0) return DecodeError::at("reserved", 20, "is not zero").got(h.reserved);
  constexpr uint32_t kNameAt = sizeof(AdminRequestHeader);
  const size_t size = kNameAt + size_t{h.name_length} + h.version_length;
  if (frame.size() != size) {
    return DecodeError::at("name", kNameAt, "name and version do not end the frame")
        .got(frame.size())
        .allowed(size);
  }
  const auto* chars = reinterpret_cast<const char*>(frame.data());
  const std::string_view name(chars + kNameAt, h.name_length);
  const std::string_view version(chars + kNameAt + h.name_length, h.version_length);
  if (DecodeError e = check_name(name, "name", kNameAt, needs_name(command))) return e;
  if (DecodeError e = check_name(version, "version", kNameAt + h.name_length, false)) return e;
  out.request_id = h.request_id;
  out.command = command;
  out.name = name;
  out.version = version;
  return {};
}

}  // namespace guiju::inference
