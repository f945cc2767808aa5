#pragma once
// A strategy's lifecycle as the engine journals it: started, stopped, quarantined (with why),
// resumed. It names the strategy, its type, the hash of its parameters and the plugin file (path,
// SHA-256, ABI and plugin versions), so an auditor can tie every order to the exact algorithm,
// build and settings that decided it. At start each parameter is also journaled on its own
// (StrategyParameterEvent), as written in the config.

#include <array>
#include <cstdint>

#include "core/events/event_header.hpp"
#include "core/model/reason_text.hpp"

namespace guiju {

enum class StrategyAction : uint8_t {
  kStarted = 1,
  kStopped = 2,
  kQuarantined = 3,
  kResumed = 4,
  kUnloaded = 5,
};

using StrategyName = FixedText<32>;

struct StrategyEvent {
  static constexpr EventType kType = EventType::kStrategyLifecycle;
  static constexpr uint16_t kVersion = 2;
  EventHeader header = make_header<StrategyEvent>();
  StrategyId strategy = kNoStrategy;
  AccountId account = 0;
  StrategyAction action = StrategyAction::kStarted;
  uint8_t reserved[3] = {};
  StrategyName name;
  StrategyName type;                          // e.g. "mean_reversion"
  std::array<uint8_t, 32> parameters_hash{};  // SHA-256 of the sorted "key=value\n" lines
  ReasonText reason;
  std::array<uint8_t, 32> plugin_hash{};  // SHA-256 of the plugin file
  uint16_t abi_major = 0;                 // the strategy ABI the plugin was built for
  uint16_t abi_minor = 0;
  uint32_t reserved2 = 0;
  FixedText<16> plugin_version;
  FixedText<96> plugin_path;  // the tail, when longer
};
static_assert(sizeof(StrategyEvent) == 344);

// One parameter of a starting strategy, as written in the config.
struct StrategyParameterEvent {
  static constexpr EventType kType = EventType::kStrategyParameter;
  static constexpr uint16_t kVersion = 1;
  EventHeader header = make_header<StrategyParameterEvent>();
  StrategyId strategy = kNoStrategy;
  uint16_t reserved[3] = {};
  FixedText<32> key;
  FixedText<128> value;  // the tail is cut at 128 bytes; the parameter hash covers all of it
};
static_assert(sizeof(StrategyParameterEvent) == 208);

}  // namespace guiju
