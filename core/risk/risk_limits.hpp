#pragma once
// The risk limits in force, per account, per strategy and per instrument (dense tables indexed
// by id, so a check reads a limit with one load), and what each limit means: its name in the
// config and in `set_risk_limit`, its unit, the scopes it may be set at and the control that
// enforces it. A limit of 0 is off. Single writer: the engine thread applies changes (journaled
// RiskLimitChange commands) between orders, so checks read without locks.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/ids.hpp"
#include "core/risk/risk_check_id.hpp"

namespace guiju {

// Journaled by number: append only, never renumber.
enum class LimitKey : uint8_t {
  kMaxOrderQuantity = 0,
  kMaxOrderValue = 1,
  kMaxOpenOrders = 2,
  kMaxLongPosition = 3,
  kMaxShortPosition = 4,
  kMaxGrossExposure = 5,
  kMaxNetExposure = 6,
  kDailyLossLimit = 7,
  kMaxCancelRatio = 8,
  kCancelRatioMinOrders = 9,
  kMinRestingTime = 10,
  kPriceCollarPercent = 11,
  kPriceCollarTicks = 12,
  kDuplicateWindow = 13,
  kStaleQuote = 14,
  kRestricted = 15,
  kRepeatedFills = 16,
  kRepeatedFillsWindow = 17,
};
inline constexpr size_t kLimitKeyCount = 18;

enum class LimitScope : uint8_t { kAccount = 1, kStrategy = 2, kInstrument = 3 };
std::string_view to_string(LimitScope scope);
std::optional<LimitScope> parse_limit_scope(std::string_view name);

// How a limit's value is written and stored (raw): quantities and amounts as decimals (raw with
// 8 decimals), counts as integers, times in milliseconds (raw nanoseconds), percentages with up
// to two decimals (raw basis points), flags as true/false (raw 1/0).
enum class LimitUnit : uint8_t { kQuantity, kMoney, kCount, kMilliseconds, kPercent, kFlag };

struct LimitKeyInfo {
  std::string_view name;  // as in the config: "max_order_quantity"
  LimitUnit unit;
  uint8_t scopes;  // bit (1 << LimitScope) per scope it may be set at
  RiskCheckId check;
  bool allowed_at(LimitScope s) const { return (scopes >> static_cast<unsigned>(s) & 1) != 0; }
};
const LimitKeyInfo& info(LimitKey key);
std::optional<LimitKey> parse_limit_key(std::string_view name);

// A value written in the key's unit, as raw. nullopt and `error` naming what is wrong: not a
// number, negative, too many decimals, too large.
std::optional<int64_t> parse_limit_value(LimitKey key, std::string_view text, std::string* error);
std::string format_limit_value(LimitKey key, int64_t raw);

using LimitValues = std::array<int64_t, kLimitKeyCount>;

class RiskLimits {
 public:
  RiskLimits(size_t accounts, size_t instruments);

  // All zeros (no limits) for an id past the table: a strategy loaded at run time has none until
  // one is set.
  const LimitValues& account(AccountId id) const { return account_row(id); }
  const LimitValues& strategy(StrategyId id) const { return strategy_row(id); }
  const LimitValues& instrument(InstrumentId id) const { return instrument_row(id); }
  int64_t get(LimitScope scope, uint32_t target, LimitKey key) const;
  // The tightest (smallest non-zero) of the key's limits at the order's account, strategy and
  // instrument; 0 when none is set.
  int64_t tightest(AccountId account, StrategyId strategy, InstrumentId instrument,
                   LimitKey key) const {
    const auto k = static_cast<size_t>(key);
    return tighter(tighter(account_row(account)[k], strategy_row(strategy)[k]),
                   instrument_row(instrument)[k]);
  }

  // Throws std::invalid_argument naming what is wrong: a key that cannot be set at the scope, an
  // account or instrument that does not exist, a negative value.
  void set(LimitScope scope, uint32_t target, LimitKey key, int64_t raw);
  void set_every_account(LimitKey key, int64_t raw) {
    for (size_t a = 0; a < accounts_.size(); ++a)
      set(LimitScope::kAccount, static_cast<uint32_t>(a), key, raw);
  }
  // Why set() would refuse, or empty when it would not.
  std::string refusal(LimitScope scope, uint32_t target, LimitKey key, int64_t raw) const;

 private:
  static const LimitValues& row(const std::vector<LimitValues>& table, uint32_t id) {
    if (id < table.size()) return table[id];
    return kNone;
  }
  const LimitValues& account_row(AccountId id) const { return row(accounts_, id); }
  const LimitValues& strategy_row(StrategyId id) const { return row(strategies_, id); }
  const LimitValues& instrument_row(InstrumentId id) const { return row(instruments_, id); }
  static int64_t tighter(int64_t a, int64_t b) { return a == 0 ? b : b == 0 ? a : a < b ? a : b; }
  static const LimitValues kNone;
  std::vector<LimitValues> accounts_;
  std::vector<LimitValues> strategies_;  // grown when a strategy's limit is set
  std::vector<LimitValues> instruments_;
};

}  // namespace guiju
