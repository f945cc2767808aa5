#pragma once
// Self-trade prevention: a new order or a replace that would trade against a resting order of
// the same account, or of another account in the same control group (accounts under common
// control), in the same instrument, is handled by policy before it is sent: the new order is
// refused, or the resting orders are cancelled, or both. China's exchanges count trading with
// oneself, or among accounts under one control, as abnormal trading, and elsewhere such wash
// trades are prohibited (docs/risk.md says which rules).
//
// Would trade against: a limit buy at P crosses a resting sell at P or below, a limit sell at P
// a resting buy at P or above; a market order (new or resting) crosses anything on the other
// side. Resting: sent and not finished, from the moment it is sent (a new order still unacked can
// reach the venue first), including an order whose replace is in flight (at its old price) and
// the replacement (at its new price), since either may be working when the new order arrives.
// An order whose cancel is pending is leaving and is not resting: the cancel was sent first and
// reaches the venue first. Should the venue refuse that cancel, the order is resting again and
// later orders are checked against it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/risk/pre_trade_check.hpp"

namespace guiju {

enum class SelfTradePolicy : uint8_t {
  kRejectNew = 1,      // the new order is refused; the resting ones keep working
  kCancelResting = 2,  // the resting ones are cancelled; the new order goes
  kCancelBoth = 3,     // the resting ones are cancelled and the new order is refused
};
// reject_new, cancel_resting, cancel_both (as `risk.self_trade.policy` names them).
std::string_view to_string(SelfTradePolicy p);
std::optional<SelfTradePolicy> parse_self_trade_policy(std::string_view name);

struct SelfTradeRules {
  bool enabled = false;  // off unless `risk.self_trade` is configured
  SelfTradePolicy policy = SelfTradePolicy::kRejectNew;
  // Accounts under common control; an account in no group is a group of its own. An account
  // is in at most one group.
  std::vector<std::vector<AccountId>> groups;
};

class SelfTradeCheck final : public PreTradeCheck {
 public:
  // accounts, instruments: how many the engine has (ids below them). first_order_id and
  // order_capacity: the OMS's range of order ids (OrderManager::first_id(), capacity()). The
  // index is sized for them up front and never allocates afterwards. An account beyond
  // `accounts` is a group of its own, added when it first sends.
  SelfTradeCheck(SelfTradeRules rules, size_t accounts, size_t instruments, OrderId first_order_id,
                 size_t order_capacity);

  RiskDecision check_new(const NewOrder& order, const RiskView& view) override;
  RiskDecision check_replace(const ReplaceOrder& request, const Order& current,
                             const RiskView& view) override;
  // New orders and replacements join the index. Throws std::logic_error for an id outside the
  // OMS's range (the OMS cannot have sent it).
  void on_sent(const SentMessage& message) override;
  void on_interval(const RiskView& view) override;

  uint32_t group_of(AccountId account) const {
    return account < group_of_.size() ? group_of_[account] : kNoGroup;
  }
  // The orders the index holds for a group, instrument and side, finished ones included until
  // they are pruned (for tests).
  size_t indexed(uint32_t group, InstrumentId instrument, Side side) const;

 private:
  static constexpr uint32_t kNoGroup = UINT32_MAX;
  static constexpr uint32_t kEnd = UINT32_MAX;       // the end of a lane's list
  static constexpr uint32_t kFree = UINT32_MAX - 1;  // a slot in no lane
  size_t lane_of(uint32_t group, InstrumentId instrument, Side side) const {
    return (static_cast<size_t>(group) * instruments_ + instrument) * 2 +
           (side == Side::kSell ? 1 : 0);
  }
  OrderId id_of(uint32_t slot) const { return first_order_id_ + slot; }
  uint32_t add_group();
  // Walks a lane, unlinking the orders that finished; calls visit(order, standing) for the rest.
  // Returns the orders visited.
  template <typename Visit>
  size_t walk(size_t lane, const OrderManager& orders, Visit&& visit);
  RiskDecision check(AccountId account, InstrumentId instrument, Side side, OrderType type,
                     Price price, const RiskView& view);
  // Asks the engine to cancel the crossing orders; true when none of them is resting any more.
  bool cancel_crossing(Side side, OrderType type, Price price, bool all_or_nothing,
                       const RiskView& view);

  SelfTradeRules rules_;
  size_t instruments_;
  OrderId first_order_id_;
  uint32_t groups_ = 0;
  std::vector<uint32_t> group_of_;  // by account
  // The index: per group, instrument and side (a lane), a list of the orders sent there that
  // may still rest, threaded through one link per order slot of the OMS (slot = id - first id,
  // as the OMS stores them). A check reads only the lane on the other side of its own group and
  // instrument, so its cost is the number of the group's orders there, not the number of open
  // orders; memory is 4 bytes per order the session may send and 4 per lane, all allocated here.
  std::vector<uint32_t> heads_;  // per lane: its newest order's slot, kEnd when empty
  std::vector<uint32_t> next_;   // per order slot: the next (older) order of its lane, kEnd, kFree
  size_t sweep_lane_ = 0;        // where on_interval goes on pruning
  std::vector<OrderId> crossing_;  // the crossing orders found by the last check
  std::string cancel_reason_;
};

}  // namespace guiju
