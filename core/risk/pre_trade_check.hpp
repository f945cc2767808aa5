#pragma once
// The hook where pre-trade risk sits: the engine calls it synchronously for every new order and
// every replace, after its own structural validation and before anything is sent. A refusal is
// returned to the strategy with the check's code, limit and observed value.

#include <cstdint>
#include <string_view>

#include "core/events/execution_report.hpp"
#include "core/events/order_events.hpp"

namespace guiju {

class Book;
class InstrumentRegistry;
class OrderManager;
class Portfolio;
struct Order;

// What a check may read: the engine's state at the moment of the decision.
struct RiskView {
  const InstrumentRegistry& instruments;
  const Book* books;  // indexed by InstrumentId
  const Portfolio& portfolio;
  const OrderManager& orders;
  Timestamp now;
};

struct RiskDecision {
  RejectCode code = RejectCode::kNone;
  std::string_view reason;  // static text naming the check
  int64_t limit = 0;        // the limit in raw units of the checked quantity
  int64_t observed = 0;     // what the order would have made it
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
  Price price;        // new orders and replaces: the (new) limit price
  Quantity quantity;  // new orders and replaces: the (new) quantity
};

class PreTradeCheck {
 public:
  virtual ~PreTradeCheck() = default;
  // Every message that left, refused or not by others: throttles count here.
  virtual void on_sent(const SentMessage& /*message*/) {}
  virtual RiskDecision check_new(const NewOrder& order, const RiskView& view) = 0;
  // current: the order as it works now; request: its proposed terms.
  virtual RiskDecision check_replace(const ReplaceOrder& request, const Order& current,
                                     const RiskView& view) = 0;
};

}  // namespace guiju
