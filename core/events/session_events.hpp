#pragma once
// Sessions as the journal records them. The engine writes kEngineStarted before anything else it
// journals in a run, and kEngineStopping the moment it is asked to stop, before the strategies'
// stop and the cancels of open orders that follow it. A journal that holds several runs (a
// restart, a new trading day) is cut into them exactly at kEngineStarted, and each run names the
// software and the config that produced it. Venue sessions (logon, logout, disconnects) use the
// same event.

#include <array>
#include <cstdint>

#include "core/events/event_header.hpp"
#include "core/model/reason_text.hpp"

namespace guiju {

enum class SessionAction : uint8_t {
  kEngineStarted = 1,
  kEngineStopping = 2,
};

struct SessionEvent {
  static constexpr EventType kType = EventType::kSession;
  static constexpr uint16_t kVersion = 1;
  EventHeader header = make_header<SessionEvent>();
  SessionAction action = SessionAction::kEngineStarted;
  uint8_t reserved[7] = {};
  FixedText<16> mode;                     // replay, paper, live
  FixedText<16> trading_date;             // YYYYMMDD
  FixedText<32> software;                 // "guiju 0.3.0"
  std::array<uint8_t, 32> config_hash{};  // SHA-256 of the config file's bytes
  FixedText<64> detail;                   // config path, or why the session ended
};
static_assert(sizeof(SessionEvent) == 208);

std::string_view to_string(SessionAction action);

}  // namespace guiju
