#pragma once
// A strategy's lifecycle as the engine journals it: started, stopped, quarantined (with why),
// resumed. It names the strategy, its type and the hash of its parameters, so an auditor can tie
// every order to the exact algorithm and settings that decided it.

#include <array>
#include <cstdint>

#include "core/events/event_header.hpp"
#include "core/model/reason_text.hpp"

namespace guiju {

enum class StrategyAction : uint8_t { kStarted = 1, kStopped = 2, kQuarantined = 3, kResumed = 4 };

using StrategyName = FixedText<32>;

struct StrategyEvent {
  static constexpr EventType kType = EventType::kStrategyLifecycle;
  static constexpr uint16_t kVersion = 1;
  EventHeader header = make_header<StrategyEvent>();
  StrategyId strategy = kNoStrategy;
  AccountId account = 0;
  StrategyAction action = StrategyAction::kStarted;
  uint8_t reserved[3] = {};
  StrategyName name;
  StrategyName type;                          // e.g. "mean_reversion"
  std::array<uint8_t, 32> parameters_hash{};  // SHA-256 of the sorted "key=value\n" lines
  ReasonText reason;
};
static_assert(sizeof(StrategyEvent) == 192);

}  // namespace guiju
