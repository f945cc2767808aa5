#pragma once
// Everything /metrics reports, as one trivially copyable value: the engine thread fills it every
// publish period and hands it to a SnapshotPublisher; the HTTP thread reads a consistent copy.
// Names (rings, accounts) travel inside it as fixed text, because rings are added while the
// session starts and the reader must never look at engine-owned containers.

#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

#include "core/events/event_header.hpp"
#include "core/metrics/latency_histogram.hpp"
#include "core/risk/risk_check_id.hpp"

namespace guiju {

// A name as fixed text; truncated to 31 bytes.
struct MetricName {
  std::array<char, 32> text{};
  void set(std::string_view s) {
    text.fill('\0');
    std::memcpy(text.data(), s.data(), s.size() < text.size() ? s.size() : text.size() - 1);
  }
  std::string_view view() const { return {text.data(), ::strnlen(text.data(), text.size())}; }
};

// The limits whose use has a current value to compare with: per account.
enum class UtilisedLimit : uint8_t {
  kMaxOpenOrders = 0,
  kMaxGrossExposure = 1,
  kMaxNetExposure = 2,
  kDailyLossLimit = 3,
};
inline constexpr size_t kUtilisedLimitCount = 4;
std::string_view to_string(UtilisedLimit limit);

inline constexpr size_t kMetricsMaxRings = 8;
inline constexpr size_t kMetricsMaxAccounts = 16;
inline constexpr size_t kSignalStatusCount = 6;  // SignalStatus values

struct MetricsSnapshot {
  uint64_t published_at_ns = 0;  // wall clock; 0: never published
  uint64_t engine_started = 0;
  uint64_t kill_switch = 0;  // the global kill switch (or a failed journal) halts new orders

  // The engine's counters.
  std::array<uint64_t, kMaxEventType + 1> events_by_type{};
  uint64_t orders_sent = 0;
  uint64_t cancels_sent = 0;
  uint64_t replaces_sent = 0;
  uint64_t fills = 0;
  uint64_t timers_fired = 0;
  uint64_t strategy_errors = 0;
  uint64_t callback_overruns = 0;
  uint64_t unroutable_events = 0;
  std::array<uint64_t, kMaxRiskCheckId + 1> rejects_by_check{};  // refused before sending
  uint64_t venue_rejects = 0;                                    // rejected by the venue

  // Rings: the inbound ones in the engine's order, then the order ring.
  uint64_t ring_count = 0;
  std::array<MetricName, kMetricsMaxRings> ring_names{};
  std::array<uint64_t, kMetricsMaxRings> ring_depth{};
  std::array<uint64_t, kMetricsMaxRings> ring_capacity{};
  std::array<uint64_t, kMetricsMaxRings> ring_full{};

  LatencyHistogram decision_latency;

  // Risk: use of each limit as a fraction of it (1.0: at the limit); negative: the limit is off.
  uint64_t account_count = 0;
  std::array<MetricName, kMetricsMaxAccounts> account_names{};
  std::array<std::array<double, kUtilisedLimitCount>, kMetricsMaxAccounts> utilisation{};

  // The audit journal (journal_enabled 0: none configured).
  uint64_t journal_enabled = 0;
  uint64_t journal_healthy = 0;
  uint64_t journal_queued = 0;
  uint64_t journal_durable = 0;

  // FIX sessions (has_*: the mode has that session; *_up: logged on).
  uint64_t has_market_data_session = 0;
  uint64_t market_data_session_up = 0;
  uint64_t has_order_session = 0;
  uint64_t order_session_up = 0;

  // Inference, as the engine sees it.
  uint64_t signals_requested = 0;
  std::array<uint64_t, kSignalStatusCount> signal_replies{};  // by SignalStatus
  uint64_t signals_timed_out = 0;
  uint64_t late_signal_replies = 0;
  LatencyHistogram inference_latency;
};
static_assert(std::is_trivially_copyable_v<MetricsSnapshot>);
static_assert(sizeof(MetricsSnapshot) % sizeof(uint64_t) == 0, "copied as 64-bit words");

}  // namespace guiju
