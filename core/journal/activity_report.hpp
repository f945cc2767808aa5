#pragma once
// The order-activity figures a compliance officer files and watches, computed from a journal:
// per account and strategy, per trading day (Beijing date) — orders, replaces, cancels, fills,
// order-to-trade and cancel ratios, cancels within one second of entry, the peak of order
// messages in any one-second window, and how these compare with the CSRC high-frequency
// thresholds (300 messages in a second, 20,000 in a day) and with the figures the firm filed.
// The one-second windows slide over the records in journal order, which is the engine's order:
// the engine stamps its orders and cancels with its own clock, so their times never go back.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/model/timestamp.hpp"

namespace guiju::journal {

inline constexpr uint64_t kCsrcPeakPerSecond = 300;
inline constexpr uint64_t kCsrcPerDay = 20'000;

struct ActivityRow {
  std::string trading_day;  // YYYY-MM-DD, Beijing time
  int64_t account = -1;
  int64_t strategy = -1;
  uint64_t orders = 0;
  uint64_t replaces = 0;
  uint64_t cancels = 0;
  uint64_t fills = 0;
  uint64_t cancels_within_1s = 0;
  uint64_t peak_messages_per_second = 0;         // orders + replaces + cancels, any 1 s window
  Timestamp peak_at = 0;                         // start of that window
  std::map<std::string, uint64_t> risk_rejects;  // by reason code
  // Self-trade attempts stopped by self-trade prevention (risk check self_trade): the new orders
  // and replaces refused, counted for whoever sent them, and the resting orders cancelled because
  // an order of the same control group would have traded against them, counted for the resting
  // order's account and strategy. Under cancel_both one attempt counts once in each.
  uint64_t self_trade_refused = 0;
  uint64_t self_trade_cancels = 0;
  // A replace counts two: a cancel and a new order on the exchange.
  uint64_t messages() const { return orders + 2 * replaces + cancels; }
  double order_to_trade() const {
    return fills == 0 ? 0.0 : static_cast<double>(orders + replaces) / static_cast<double>(fills);
  }
  double cancel_ratio() const {
    return orders == 0 ? 0.0 : static_cast<double>(cancels) / static_cast<double>(orders);
  }
};

struct ControlEvent {
  Timestamp time = 0;
  std::string action;  // kill_switch, reset_kill_switch, ...
  std::string issued_by;
  std::string reason;
};

struct ActivityReport {
  std::vector<ActivityRow> rows;  // sorted by day, account, strategy
  std::vector<ControlEvent> control_events;
  uint64_t records = 0;
  std::string damage;  // non-empty: the journal is damaged here and the report stops before it
};

ActivityReport build_activity_report(const std::filesystem::path& directory);

}  // namespace guiju::journal
