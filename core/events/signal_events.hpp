#pragma once
// Requests to the inference service and its replies. Doubles are allowed here: signals are not
// money (DESIGN.md rule 4). Replies are engine inputs, journaled, so replay needs no GPU.

#include <array>
#include <cstdint>

#include "core/events/event_header.hpp"

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
  kDeadlineMissed = 1,
  kModelError = 2,
  kOverloaded = 3
};

struct SignalReply {
  static constexpr EventType kType = EventType::kSignalReply;
  static constexpr uint16_t kVersion = 1;
  EventHeader header = make_header<SignalReply>();
  uint64_t request_id = 0;
  uint32_t model_id = 0;
  SignalStatus status = SignalStatus::kOk;
  uint16_t output_count = 0;
  Duration latency = 0;  // service-side inference latency
  std::array<float, kMaxSignalOutputs> outputs{};
};
static_assert(sizeof(SignalReply) == 96);

}  // namespace guiju
