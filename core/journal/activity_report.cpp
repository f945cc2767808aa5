#include "core/journal/activity_report.hpp"

#include <algorithm>
#include <deque>
#include <tuple>
#include <unordered_map>

#include "core/clock/calendar.hpp"
#include "core/events/execution_report.hpp"
#include "core/events/risk_events.hpp"
#include "core/journal/query.hpp"

namespace guiju::journal {

namespace {

constexpr Duration kBeijing = 8 * kHour;

std::string beijing_day(Timestamp t) {
  return format_utc(t + kBeijing).substr(0, 10);
}

std::string field(const RecordFields& r, const char* name) {
  for (const auto& [k, v] : r.fields) {
    if (k == name) return v;
  }
  return {};
}

struct Counter {
  ActivityRow row;
  std::deque<Timestamp> window;  // message times in the last second
  void message(Timestamp t) {
    window.push_back(t);
    while (!window.empty() && window.front() <= t - kSecond) window.pop_front();
    if (window.size() > row.peak_messages_per_second) {
      row.peak_messages_per_second = window.size();
      row.peak_at = window.front();
    }
  }
};

}  // namespace

ActivityReport build_activity_report(const std::filesystem::path& directory) {
  ActivityReport report;
  using Key = std::tuple<std::string, int64_t, int64_t>;
  std::map<Key, Counter> counters;
  struct OrderInfo {
    int64_t account;
    int64_t strategy;
    Timestamp entered;
  };
  std::unordered_map<OrderId, OrderInfo> orders;

  auto counter = [&](Timestamp t, int64_t account, int64_t strategy) -> Counter& {
    Counter& c = counters[Key{beijing_day(t), account, strategy}];
    c.row.trading_day = beijing_day(t);
    c.row.account = account;
    c.row.strategy = strategy;
    return c;
  };

  // Each figure counts twice: for the strategy, and for its account across strategies (the
  // CSRC thresholds apply per account). Account totals have strategy -1.
  auto both = [&](Timestamp t, int64_t account, int64_t strategy, auto&& apply) {
    apply(counter(t, account, strategy));
    apply(counter(t, account, -1));
  };
  report.damage = query_journal(directory, QueryFilter{}, [&](const RecordFields& r) {
    ++report.records;
    const Timestamp t = r.event_time;
    if (r.type == "new_order") {
      orders[r.orders.front()] = {r.account, r.strategy, t};
      both(t, r.account, r.strategy, [&](Counter& c) {
        ++c.row.orders;
        c.message(t);
      });
    } else if (r.type == "replace_order") {
      const auto it = orders.find(r.orders.front());
      const Timestamp entered = it == orders.end() ? t : it->second.entered;
      orders[r.orders.back()] = {r.account, r.strategy, entered};
      // On the exchanges a replace is a cancel and a new order: two messages, as the
      // throttle counts it (core/risk/message_throttle.hpp).
      both(t, r.account, r.strategy, [&](Counter& c) {
        ++c.row.replaces;
        c.message(t);
        c.message(t);
      });
    } else if (r.type == "cancel_order") {
      const auto it = orders.find(r.orders.front());
      const bool quick = it != orders.end() && t - it->second.entered < kSecond;
      both(t, r.account, r.strategy, [&](Counter& c) {
        ++c.row.cancels;
        if (quick) ++c.row.cancels_within_1s;
        c.message(t);
      });
    } else if (r.type == "execution_report" && !field(r, "last_qty").empty()) {
      const auto it = orders.find(r.orders.front());
      if (it != orders.end()) {
        both(t, it->second.account, it->second.strategy, [](Counter& c) { ++c.row.fills; });
      }
    } else if (r.type == "risk_decision") {
      const std::string reason = field(r, "reject");
      const bool self_trade = field(r, "check") == "self_trade";
      // A record of what a control did on its own (a resting order cancelled, a kill switch)
      // refused nothing: it has no reject code.
      const bool refusal = reason != to_string(RejectCode::kNone);
      const bool cancelled = field(r, "action") == to_string(RiskAction::kCancelResting);
      both(t, r.account, r.strategy, [&](Counter& c) {
        if (refusal) ++c.row.risk_rejects[reason];
        if (self_trade && refusal) ++c.row.self_trade_refused;
        if (self_trade && cancelled) ++c.row.self_trade_cancels;
      });
    } else if (r.type == "control_command") {
      report.control_events.push_back(
          {t, field(r, "action"), field(r, "issued_by"), field(r, "reason")});
    }
  });
  for (auto& [key, c] : counters) report.rows.push_back(c.row);
  return report;
}

}  // namespace guiju::journal
