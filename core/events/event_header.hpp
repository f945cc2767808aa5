#pragma once
// The common header of every event (DESIGN.md rule 5). The same bytes go into rings, journal
// records and ZeroMQ frames, so the layout is fixed, little-endian, and checked at compile time.

#include <cstdint>
#include <string_view>
#include <type_traits>

#include "core/model/ids.hpp"
#include "core/model/timestamp.hpp"

namespace guiju {

enum class EventType : uint16_t {
  kQuote = 1,
  kBookUpdate = 2,
  kTrade = 3,
  kNewOrder = 4,
  kCancelOrder = 5,
  kReplaceOrder = 6,
  kExecutionReport = 7,
  kTimer = 8,
  kControlCommand = 9,
  kSignalRequest = 10,
  kSignalReply = 11,
  kRiskDecision = 12,
  kStrategyLifecycle = 13,
  kSession = 14,
  kStrategyParameter = 15,
  kDataSource = 16,
  kRiskLimitChange = 17,
  kOrderStatusRequest = 18,
};
inline constexpr uint16_t kMaxEventType = 18;

std::string_view to_string(EventType type);

constexpr bool is_market_data(EventType type) {
  return type == EventType::kQuote || type == EventType::kBookUpdate || type == EventType::kTrade;
}

struct EventHeader {
  EventType type{};
  uint16_t version = 0;        // layout version of this event type
  uint32_t size = 0;           // sizeof the whole event, header included
  uint64_t sequence = 0;       // stamped by the producer (per source) or the engine (engine order)
  Timestamp event_time = 0;    // when it happened at its origin (exchange time, decision time)
  Timestamp receive_time = 0;  // when this process received or created it
  SourceId source = 0;
  uint32_t reserved = 0;  // zero; keeps the header a multiple of 8 bytes
};
static_assert(sizeof(EventHeader) == 40);
static_assert(std::is_trivially_copyable_v<EventHeader>);

// Every event is a trivially copyable struct whose first member is its header and which declares
// its type and layout version.
template <typename T>
concept Event = std::is_trivially_copyable_v<T> && std::is_standard_layout_v<T> &&
    requires(const T& e) {
  { T::kType } -> std::convertible_to<EventType>;
  { T::kVersion } -> std::convertible_to<uint16_t>;
  { e.header } -> std::convertible_to<EventHeader>;
};

// A header filled in for event type T.
template <typename T>
constexpr EventHeader make_header(Timestamp event_time = 0, Timestamp receive_time = 0,
                                  SourceId source = 0) {
  EventHeader h;
  h.type = T::kType;
  h.version = T::kVersion;
  h.size = static_cast<uint32_t>(sizeof(T));
  h.event_time = event_time;
  h.receive_time = receive_time;
  h.source = source;
  return h;
}

}  // namespace guiju
