#include "core/risk/risk_limits.hpp"

#include <stdexcept>

#include "core/model/fixed_point.hpp"

namespace guiju {

namespace {

constexpr uint8_t kAccountScope = 1 << static_cast<unsigned>(LimitScope::kAccount);
constexpr uint8_t kStrategyScope = 1 << static_cast<unsigned>(LimitScope::kStrategy);
constexpr uint8_t kInstrumentScope = 1 << static_cast<unsigned>(LimitScope::kInstrument);
constexpr uint8_t kAll = kAccountScope | kStrategyScope | kInstrumentScope;

// In LimitKey order.
constexpr std::array<LimitKeyInfo, kLimitKeyCount> kKeys = {{
    {"max_order_quantity", LimitUnit::kQuantity, kAll, RiskCheckId::kMaxOrderQuantity},
    {"max_order_value", LimitUnit::kMoney, kAll, RiskCheckId::kMaxOrderValue},
    {"max_open_orders", LimitUnit::kCount, kAccountScope | kStrategyScope,
     RiskCheckId::kMaxOpenOrders},
    {"max_long_position", LimitUnit::kQuantity, kAll, RiskCheckId::kMaxLongPosition},
    {"max_short_position", LimitUnit::kQuantity, kAll, RiskCheckId::kMaxShortPosition},
    {"max_gross_exposure", LimitUnit::kMoney, kAccountScope, RiskCheckId::kMaxGrossExposure},
    {"max_net_exposure", LimitUnit::kMoney, kAccountScope, RiskCheckId::kMaxNetExposure},
    {"daily_loss_limit", LimitUnit::kMoney, kAccountScope | kStrategyScope,
     RiskCheckId::kDailyLoss},
    {"max_cancel_ratio", LimitUnit::kPercent, kAccountScope | kStrategyScope,
     RiskCheckId::kCancelRatio},
    {"cancel_ratio_min_orders", LimitUnit::kCount, kAccountScope | kStrategyScope,
     RiskCheckId::kCancelRatio},
    {"min_resting_ms", LimitUnit::kMilliseconds, kAccountScope | kStrategyScope,
     RiskCheckId::kMinRestingTime},
    {"price_collar_percent", LimitUnit::kPercent, kAccountScope | kInstrumentScope,
     RiskCheckId::kPriceCollar},
    {"price_collar_ticks", LimitUnit::kCount, kAccountScope | kInstrumentScope,
     RiskCheckId::kPriceCollar},
    {"duplicate_window_ms", LimitUnit::kMilliseconds, kAccountScope, RiskCheckId::kDuplicateOrder},
    {"stale_quote_ms", LimitUnit::kMilliseconds, kAccountScope | kInstrumentScope,
     RiskCheckId::kStaleData},
    {"restricted", LimitUnit::kFlag, kInstrumentScope, RiskCheckId::kRestricted},
    {"repeated_fills", LimitUnit::kCount, kAccountScope | kStrategyScope,
     RiskCheckId::kRepeatedExecution},
    {"repeated_fills_window_ms", LimitUnit::kMilliseconds, kAccountScope | kStrategyScope,
     RiskCheckId::kRepeatedExecution},
}};

std::optional<int64_t> parse_scaled(std::string_view text, int decimals, std::string* error) {
  std::string why;
  const auto raw = fixed_point::parse_decimal(text, decimals, &why);
  if (!raw) {
    if (error) *error = "expected a number, got '" + std::string(text) + "' (" + why + ")";
    return std::nullopt;
  }
  if (*raw > INT64_MAX || *raw < INT64_MIN) {
    if (error) *error = "out of range: '" + std::string(text) + "'";
    return std::nullopt;
  }
  return static_cast<int64_t>(*raw);
}

}  // namespace

const LimitValues RiskLimits::kNone = {};

std::string_view to_string(LimitScope scope) {
  switch (scope) {
    case LimitScope::kAccount:
      return "account";
    case LimitScope::kStrategy:
      return "strategy";
    case LimitScope::kInstrument:
      return "instrument";
  }
  return "?";
}

std::optional<LimitScope> parse_limit_scope(std::string_view name) {
  if (name == "account") return LimitScope::kAccount;
  if (name == "strategy") return LimitScope::kStrategy;
  if (name == "instrument") return LimitScope::kInstrument;
  return std::nullopt;
}

const LimitKeyInfo& info(LimitKey key) {
  return kKeys[static_cast<size_t>(key)];
}

std::optional<LimitKey> parse_limit_key(std::string_view name) {
  for (size_t i = 0; i < kKeys.size(); ++i) {
    if (kKeys[i].name == name) return static_cast<LimitKey>(i);
  }
  return std::nullopt;
}

std::optional<int64_t> parse_limit_value(LimitKey key, std::string_view text, std::string* error) {
  std::optional<int64_t> raw;
  switch (info(key).unit) {
    case LimitUnit::kQuantity:
    case LimitUnit::kMoney:
      raw = parse_scaled(text, 8, error);
      break;
    case LimitUnit::kPercent:
      raw = parse_scaled(text, 2, error);
      if (raw && *raw > 10'000) {
        if (error) *error = "a percentage above 100: '" + std::string(text) + "'";
        return std::nullopt;
      }
      break;
    case LimitUnit::kCount:
      raw = parse_scaled(text, 0, error);
      break;
    case LimitUnit::kMilliseconds:
      raw = parse_scaled(text, 0, error);
      if (raw && *raw > 86'400'000) {
        if (error) *error = "more than a day of milliseconds: '" + std::string(text) + "'";
        return std::nullopt;
      }
      if (raw) *raw *= 1'000'000;
      break;
    case LimitUnit::kFlag:
      if (text == "true" || text == "1") return 1;
      if (text == "false" || text == "0") return 0;
      if (error) *error = "expected true or false, got '" + std::string(text) + "'";
      return std::nullopt;
  }
  if (raw && *raw < 0) {
    if (error) *error = "must not be negative, got '" + std::string(text) + "'";
    return std::nullopt;
  }
  return raw;
}

std::string format_limit_value(LimitKey key, int64_t raw) {
  switch (info(key).unit) {
    case LimitUnit::kQuantity:
    case LimitUnit::kMoney:
      return fixed_point::format_decimal(raw, 8, 0);
    case LimitUnit::kPercent:
      return fixed_point::format_decimal(raw, 2, 0) + "%";
    case LimitUnit::kCount:
      return std::to_string(raw);
    case LimitUnit::kMilliseconds:
      return std::to_string(raw / 1'000'000) + " ms";
    case LimitUnit::kFlag:
      return raw != 0 ? "true" : "false";
  }
  return std::to_string(raw);
}

RiskLimits::RiskLimits(size_t accounts, size_t instruments)
    : accounts_(accounts, kNone), instruments_(instruments, kNone) {}

int64_t RiskLimits::get(LimitScope scope, uint32_t target, LimitKey key) const {
  const auto k = static_cast<size_t>(key);
  switch (scope) {
    case LimitScope::kAccount:
      return account(target)[k];
    case LimitScope::kStrategy:
      return strategy(target)[k];
    case LimitScope::kInstrument:
      return instrument(target)[k];
  }
  return 0;
}

std::string RiskLimits::refusal(LimitScope scope, uint32_t target, LimitKey key,
                                int64_t raw) const {
  const LimitKeyInfo& k = info(key);
  if (!k.allowed_at(scope)) {
    return std::string(k.name) + " cannot be set per " + std::string(to_string(scope));
  }
  if (raw < 0) return std::string(k.name) + " must not be negative";
  if (scope == LimitScope::kAccount && target >= accounts_.size()) {
    return "no account " + std::to_string(target);
  }
  if (scope == LimitScope::kInstrument && target >= instruments_.size()) {
    return "no instrument " + std::to_string(target);
  }
  if (scope == LimitScope::kStrategy && target >= kNoStrategy) return "no strategy";
  return {};
}

void RiskLimits::set(LimitScope scope, uint32_t target, LimitKey key, int64_t raw) {
  if (std::string why = refusal(scope, target, key, raw); !why.empty()) {
    throw std::invalid_argument(why);
  }
  const auto k = static_cast<size_t>(key);
  switch (scope) {
    case LimitScope::kAccount:
      accounts_[target][k] = raw;
      break;
    case LimitScope::kStrategy:
      if (target >= strategies_.size()) strategies_.resize(target + 1, kNone);
      strategies_[target][k] = raw;
      break;
    case LimitScope::kInstrument:
      instruments_[target][k] = raw;
      break;
  }
}

}  // namespace guiju
