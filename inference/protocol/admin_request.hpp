#pragma once
// Admin requests: load or unload a model version, list the models, ask whether the service is
// healthy. They travel on the same socket as infer requests and are answered by an admin reply.
//
//   offset size field
//        0    8 FrameHeader (kind 4)
//        8    8 request_id
//       16    2 command          AdminCommand
//       18    1 name_length      load, unload: 1..64; list, health: 0
//       19    1 version_length   0..32; load: 0 = the latest in the repository; unload: 0 = all
//       20    4 reserved         0
//       24      name, version

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "inference/protocol/decode_error.hpp"
#include "inference/protocol/frame_header.hpp"

namespace guiju::inference {

enum class AdminCommand : uint16_t {
  kLoad = 1,
  kUnload = 2,
  kList = 3,
  kHealth = 4,
};
std::string_view to_string(AdminCommand command);

struct AdminRequestHeader {
  FrameHeader frame{kWireMagic, kWireVersion, static_cast<uint16_t>(MessageKind::kAdminRequest)};
  uint64_t request_id = 0;
  uint16_t command = 0;
  uint8_t name_length = 0;
  uint8_t version_length = 0;
  uint32_t reserved = 0;
};
static_assert(sizeof(AdminRequestHeader) == 24);

struct AdminRequestView {
  uint64_t request_id = 0;
  AdminCommand command = AdminCommand::kHealth;
  std::string_view name;
  std::string_view version;
};

// Returns the size, or 0 when out is too small or a field is out of range.
size_t encode_admin_request(std::span<std::byte> out, const AdminRequestView& request);
inline constexpr size_t kMaxAdminRequestBytes =
    sizeof(AdminRequestHeader) + kMaxNameBytes + kMaxVersionBytes;

DecodeError decode_admin_request(std::span<const std::byte> frame, AdminRequestView& out);

}  // namespace guiju::inference
