#pragma once
// The hook where pre-trade risk sits: the engine calls it synchronously for every new order and
// every replace, after its own structural validation and before anything is sent. A refusal is
// returned to the strategy with the check's code, limit and observed value.

#include <cstdint>
#include <string_view>

#include "core/events/control_events.hpp"
#include "core/events/execution_report.hpp"
#include "core/events/order_events.hpp"
#include "core/risk/risk_check_id.hpp"

namespace guiju {

class Book;
class InstrumentRegistry;
class OrderManager;
class Portfolio;
struct Order;

// What a check may do besides refusing, carried out by the engine at once and journaled as a
// risk record (an output: a re-run derives it again from the same inputs). Cancels sent here are
// risk-reducing: no check may refuse them.
class RiskActions {
 public:
  virtual void cancel_order(OrderId order, RiskCheckId check, std::string_view reason) = 0;
  // Refuses the strategy's new orders and replaces until an operator resets its kill switch;
  // cancels its open orders.
  virtual void enter_cancel_only(StrategyId strategy, RiskCheckId check,
                                 std::string_view reason) = 0;
  virtual void engage_kill_switch(ControlScope scope, uint32_t target, RiskCheckId check,
                                  std::string_view reason) = 0;

 protected:
  ~RiskActions() = default;
};

// What a check may read: the engine's state at the moment of the decision.
struct RiskView {
  const InstrumentRegistry& instruments;
  const Book* books;  // indexed by InstrumentId
  const Portfolio& portfolio;
  const OrderManager& orders;
  Timestamp now;
  RiskActions* actions;  // null where nothing may be done (a benchmark, a unit test)
};

struct RiskDecision {
  RejectCode code = RejectCode::kNone;
  std::string_view reason;  // static text naming the check
  int64_t limit = 0;        // the limit in raw units of the checked quantity
  int64_t observed = 0;     // what the order would have made it
  RiskCheckId check = RiskCheckId::kNone;
  bool accepted() const { return code == RejectCode::kNone; }
  static RiskDecision accept() { return {}; }
};

// An order message the engine has just sent, for checks that count what went out.
struct SentMessage {
  enum class Kind : uint8_t { kNew, kReplace, kCancel };
  Kind kind = Kind::kNew;
  AccountId account = 0;
  StrategyId strategy = kNoStrategy;
  InstrumentId instrument = kNoInstrument;
  Timestamp time = 0;
  Side side = Side::kBuy;
  Price price;                  // new orders and replaces: the (new) limit price
  Quantity quantity;            // new orders and replaces: the (new) quantity
  OrderId order_id = kNoOrder;  // the order: for a replace, the replacement's new id
};

class PreTradeCheck {
 public:
  virtual ~PreTradeCheck() = default;
  // False for a check that never refuses a new order or a replace (it acts on cancels, fills or
  // marks): the engine then leaves it off the order path.
  virtual bool checks_orders() const { return true; }
  // Every message that left, refused or not by others: throttles count here.
  virtual void on_sent(const SentMessage& /*message*/) {}
  virtual RiskDecision check_new(const NewOrder& order, const RiskView& view) = 0;
  // current: the order as it works now; request: its proposed terms.
  virtual RiskDecision check_replace(const ReplaceOrder& request, const Order& current,
                                     const RiskView& view) = 0;
  // A strategy's own cancel. Cancels the engine sends to reduce risk (kill switch, cancel-only,
  // stop, self-trade prevention) are never asked.
  virtual RiskDecision check_cancel(const Order& /*order*/, const RiskView& /*view*/) {
    return RiskDecision::accept();
  }
  // A fill was applied to the OMS and the portfolio.
  virtual void on_fill(const Order& /*order*/, Quantity /*quantity*/, const RiskView& /*view*/) {}
  // About every 100 ms of engine time, and at once after a fill: marks have moved.
  virtual void on_interval(const RiskView& /*view*/) {}
};

}  // namespace guiju
