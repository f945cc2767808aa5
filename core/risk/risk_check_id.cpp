#include "core/risk/risk_check_id.hpp"

#include <array>

namespace guiju {

namespace {

constexpr std::array<std::string_view, kMaxRiskCheckId + 1> kNames = {
    "none",
    "journal",
    "kill_switch",
    "strategy_state",
    "order_shape",
    "capacity",
    "market_rule",
    "max_order_quantity",
    "max_order_value",
    "restricted",
    "stale_market_data",
    "price_collar",
    "duplicate_order",
    "max_open_orders",
    "max_long_position",
    "max_short_position",
    "max_gross_exposure",
    "max_net_exposure",
    "message_rate",
    "messages_per_day",
    "daily_loss",
    "cancel_ratio",
    "min_resting_time",
    "self_trade",
    "repeated_execution",
    "order_session",
    "cancel_only",
};

}  // namespace

std::string_view to_string(RiskCheckId id) {
  const auto i = static_cast<size_t>(id);
  return i < kNames.size() ? kNames[i] : std::string_view("unknown");
}

std::optional<RiskCheckId> parse_risk_check_id(std::string_view name) {
  for (size_t i = 1; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<RiskCheckId>(i);
  }
  return std::nullopt;
}

}  // namespace guiju
