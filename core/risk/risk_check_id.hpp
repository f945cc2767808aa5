#pragma once
// Which control refused an order, or acted on its own: carried by every RiskDecision and
// journaled beside the reject code, so that `risk.fatal` can name the breaches that engage the
// kill switch, and `guiju audit report` can count refusals and self-trade attempts by control.
// The numbers are journaled: append only, never renumber.

#include <cstdint>
#include <optional>
#include <string_view>

namespace guiju {

enum class RiskCheckId : uint8_t {
  kNone = 0,
  kJournal = 1,
  kKillSwitch = 2,
  kStrategyState = 3,
  kOrderShape = 4,
  kCapacity = 5,
  kMarketRule = 6,
  kMaxOrderQuantity = 7,
  kMaxOrderValue = 8,
  kRestricted = 9,
  kStaleData = 10,
  kPriceCollar = 11,
  kDuplicateOrder = 12,
  kMaxOpenOrders = 13,
  kMaxLongPosition = 14,
  kMaxShortPosition = 15,
  kMaxGrossExposure = 16,
  kMaxNetExposure = 17,
  kMessageRate = 18,
  kMessagesPerDay = 19,
  kDailyLoss = 20,
  kCancelRatio = 21,
  kMinRestingTime = 22,
  kSelfTrade = 23,
  kRepeatedExecution = 24,
  kOrderSession = 25,
  kCancelOnly = 26,
};
inline constexpr uint8_t kMaxRiskCheckId = 26;

// snake_case, as `risk.fatal` and the journal's exports name them ("max_gross_exposure").
std::string_view to_string(RiskCheckId id);
std::optional<RiskCheckId> parse_risk_check_id(std::string_view name);

}  // namespace guiju
