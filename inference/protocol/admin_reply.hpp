#pragma once
// The reply to an admin request: a status, a message (a load's refusal says why, naming the file
// and what is wrong) and, for list, one entry per loaded model version.
//
//   offset size field
//        0    8 FrameHeader (kind 5)
//        8    8 request_id
//       16    2 command          AdminCommand
//       18    2 status           ReplyStatus
//       20    2 model_count      entries that follow the message
//       22    2 message_length   0..4096
//       24      message, then model_count entries, each a ModelEntryHeader followed by its
//               name, version, input dims and output dims (u32 each, without the batch)
//
// An entry (ModelEntryHeader, 80 bytes):
//        0    1 name_length      1..64
//        1    1 version_length   1..32
//        2    1 state            ModelState
//        3    1 input_rank       0..8
//        4    1 output_rank      0..8
//        5    3 reserved         0
//        8    4 max_batch
//       12    4 queued           requests waiting now
//       16   32 sha256
//       48    8 answered         computed and answered ok
//       56    8 expired          answered expired, never computed
//       64    8 overloaded       refused because the queue was full
//       72    8 errors           bad requests and failed runs

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "inference/protocol/admin_request.hpp"
#include "inference/protocol/decode_error.hpp"
#include "inference/protocol/frame_header.hpp"
#include "inference/protocol/reply_status.hpp"

namespace guiju::inference {

inline constexpr size_t kMaxAdminMessageBytes = 4096;
inline constexpr size_t kMaxShapeRank = 8;

enum class ModelState : uint8_t {
  kReady = 1,     // serving
  kDraining = 2,  // being unloaded: finishing what is queued, taking nothing new
};
std::string_view to_string(ModelState state);

struct AdminReplyHeader {
  FrameHeader frame{kWireMagic, kWireVersion, static_cast<uint16_t>(MessageKind::kAdminReply)};
  uint64_t request_id = 0;
  uint16_t command = 0;
  uint16_t status = 0;
  uint16_t model_count = 0;
  uint16_t message_length = 0;
};
static_assert(sizeof(AdminReplyHeader) == 24);

struct ModelEntryHeader {
  uint8_t name_length = 0;
  uint8_t version_length = 0;
  uint8_t state = 0;
  uint8_t input_rank = 0;
  uint8_t output_rank = 0;
  std::array<uint8_t, 3> reserved{};
  uint32_t max_batch = 0;
  uint32_t queued = 0;
  std::array<uint8_t, 32> sha256{};
  uint64_t answered = 0;
  uint64_t expired = 0;
  uint64_t overloaded = 0;
  uint64_t errors = 0;
};
static_assert(sizeof(ModelEntryHeader) == 80);

struct ModelEntry {
  std::string name;
  std::string version;
  ModelState state = ModelState::kReady;
  uint32_t max_batch = 0;
  uint32_t queued = 0;
  std::array<uint8_t, 32> sha256{};
  uint64_t answered = 0;
  uint64_t expired = 0;
  uint64_t overloaded = 0;
  uint64_t errors = 0;
  std::vector<uint32_t> input_shape;  // without the batch
  std::vector<uint32_t> output_shape;
  // Not on the binary wire (its entry has the shapes only); the HTTP front end's model metadata
  // names the tensors.
  std::string input_name;
  std::string output_name;
};

// Admin replies are off the hot path: they are built and read with ordinary containers.
struct AdminReply {
  uint64_t request_id = 0;
  AdminCommand command = AdminCommand::kHealth;
  ReplyStatus status = ReplyStatus::kOk;
  std::string message;
  std::vector<ModelEntry> models;
};

// Encodes into out (resized to the frame). Throws std::invalid_argument for fields out of range
// (more than 65535 models, a name too long): a bug of the caller, never the peer's input.
void encode_admin_reply(const AdminReply& reply, std::vector<std::byte>& out);

DecodeError decode_admin_reply(std::span<const std::byte> frame, AdminReply& out);

}  // namespace guiju::inference
