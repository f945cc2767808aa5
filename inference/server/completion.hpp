#pragma once
// How the batcher answers a front end, whatever its protocol: the ZeroMQ front end encodes the
// binary reply, an HTTP front end would write JSON. Called on the batcher's serving thread, once
// per job, never twice; the outputs are valid only during the call, so a front end copies or
// encodes them before it returns.

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "inference/protocol/admin_reply.hpp"
#include "inference/protocol/reply_status.hpp"

namespace guiju::inference {

struct InferOutcome {
  uint64_t request_id = 0;
  uint64_t tag = 0;
  ReplyStatus status = ReplyStatus::kOk;
  // The model version that answered (empty when none was found), and its file's SHA-256.
  std::string_view name;
  std::string_view version;
  std::array<uint8_t, 32> sha256{};
  int64_t queue_ns = 0;    // received -> its batch started (or it was refused)
  int64_t compute_ns = 0;  // the batch's run; 0 when not computed
  uint32_t rows = 0;       // of outputs; 0 unless ok
  uint32_t row_elements = 0;
  std::span<const float> outputs;
};

class Completion {
 public:
  virtual ~Completion() = default;
  virtual void complete(const InferOutcome& outcome) = 0;
  virtual void complete_admin(uint64_t tag, const AdminReply& reply) = 0;
};

}  // namespace guiju::inference
