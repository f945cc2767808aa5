#pragma once
// Requests to the inference service and its replies. Doubles are allowed here: signals are not
// money (DESIGN.md rule 4). Replies are engine inputs, journaled, so replay needs no GPU.

#include <array>
#include <cstdint>
#include <string_view>

#include "core/events/event_header.hpp"
#include "core/model/reason_text.hpp"

namespace guiju {

inline constexpr int kMaxSignalInputs = 32;
inline constexpr int kMaxSignalOutputs = 8;

struct SignalRequest {
  static constexpr EventType kType = EventType::kSignalRequest;
  static constexpr uint16_t kVersion = 1;
  EventHeader header = make_header<SignalRequest>();
  uint64_t request_id = 0;
  uint32_t model_id = 0;
  StrategyId strategy = kNoStrategy;
  uint16_t input_count = 0;
  InstrumentId instrument = kNoInstrument;
  uint32_t reserved = 0;
  Timestamp deadline = 0;  // a reply after this is useless to the strategy
  std::array<float, kMaxSignalInputs> inputs{};
};
static_assert(sizeof(SignalRequest) == 200);

enum class SignalStatus : uint16_t {
  kOk = 0,
  kDeadlineMissed = 1,  // expired before it was computed: never computed late
  kModelError = 2,      // the model could not run it (wrong number of inputs, a failed run)
  kOverloaded = 3,      // refused: the queue was full
  kUnknownModel = 4,    // no model with this id is configured or loaded
  kUnavailable = 5,     // the service could not be reached
};
std::string_view to_string(SignalStatus s);

struct SignalReply {
  static constexpr EventType kType = EventType::kSignalReply;
  // v2: the model that answered (name, version, the model file's SHA-256), for the audit trail.
  static constexpr uint16_t kVersion = 2;
  EventHeader header = make_header<SignalReply>();
  uint64_t request_id = 0;
  uint32_t model_id = 0;
  SignalStatus status = SignalStatus::kOk;
  uint16_t output_count = 0;
  Duration latency = 0;  // from the request to the reply, as the answering side measured it
  std::array<float, kMaxSignalOutputs> outputs{};
  FixedText<24> model_name;
  FixedText<16> model_version;
  std::array<uint8_t, 32> model_sha256{};
};
static_assert(sizeof(SignalReply) == 168);

}  // namespace guiju
