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

// The identity of a replay's input data, journaled right after kEngineStarted, one record per
// source. A replay journals what it decides, not a second copy of the market data it read: the
// file's SHA-256 proves which bytes were replayed, and a re-run reads them again and checks it.
struct DataSourceEvent {
  static constexpr EventType kType = EventType::kDataSource;
  static constexpr uint16_t kVersion = 1;
  EventHeader header = make_header<DataSourceEvent>();
  uint64_t bytes = 0;   // size of the file (0 for a generated source)
  uint64_t events = 0;  // market-data events the source holds (0 when not known in advance)
  Timestamp from = 0;   // the replayed window of event time; 0: from the start
  Timestamp to = 0;     // 0: to the end
  std::array<uint8_t, 32> sha256{};  // of the file's bytes, or of a generator's parameters
  FixedText<16> format;              // synthetic, sse_level2, journal, lean, hftbacktest, ...
  FixedText<120> location;           // the path as given, or the generator's parameters
};
static_assert(sizeof(DataSourceEvent) == 240);

std::string_view to_string(SessionAction action);

}  // namespace guiju
