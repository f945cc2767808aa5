#pragma once
// A pre-trade refusal, as the engine journals it: which check, the limit, what the order would
// have made the checked quantity, and the order's terms. An accepted order needs no such record:
// the NewOrder or ReplaceOrder that follows it in the journal is the proof it passed.

#include <cstdint>

#include "core/events/event_header.hpp"
#include "core/events/execution_report.hpp"
#include "core/model/fixed_point.hpp"
#include "core/model/order_types.hpp"
#include "core/model/reason_text.hpp"
#include "core/risk/risk_check_id.hpp"
#include "core/risk/risk_limits.hpp"

namespace guiju {

// What the record is about: a refused new order, replace or cancel, or an action a control
// took on its own (engaging the kill switch, putting a strategy in cancel-only mode, cancelling
// a resting order that a new one would have traded against).
enum class RiskAction : uint8_t {
  kNewOrder = 1,
  kReplace = 2,
  kCancel = 3,
  kKillSwitch = 4,     // scope: strategy when `strategy` is set, else account, else global
  kCancelOnly = 5,     // the strategy may only cancel until reset
  kCancelResting = 6,  // order_id: the resting order cancelled
};
std::string_view to_string(RiskAction a);

struct RiskDecisionEvent {
  static constexpr EventType kType = EventType::kRiskDecision;
  static constexpr uint16_t kVersion = 1;
  EventHeader header = make_header<RiskDecisionEvent>();
  InstrumentId instrument = kNoInstrument;
  AccountId account = 0;
  StrategyId strategy = kNoStrategy;
  RejectCode code = RejectCode::kNone;
  Side side = Side::kBuy;
  RiskAction action = RiskAction::kNewOrder;
  RiskCheckId check = RiskCheckId::kNone;  // the control (0 in records written before it was)
  uint8_t reserved[3] = {};
  OrderId order_id = kNoOrder;  // for a replace: the order it would have replaced
  Price price;
  Quantity quantity;
  int64_t limit = 0;     // raw units of the checked quantity
  int64_t observed = 0;  // raw units of the checked quantity
  ReasonText reason;
};
static_assert(sizeof(RiskDecisionEvent) == 144);

// An operator's change of a risk limit at run time (the engine API; the control plane calls it).
// An input, journaled before it takes effect, so a re-run applies it at the same point.
struct RiskLimitChange {
  static constexpr EventType kType = EventType::kRiskLimitChange;
  static constexpr uint16_t kVersion = 1;
  EventHeader header = make_header<RiskLimitChange>();
  LimitScope scope = LimitScope::kAccount;
  LimitKey key = LimitKey::kMaxOrderQuantity;
  uint8_t reserved[2] = {};
  uint32_t target = 0;   // account, strategy or instrument id
  int64_t value = 0;     // raw, in the key's unit; 0 turns the limit off
  int64_t previous = 0;  // what it was
  OperatorName issued_by;
  ReasonText reason;
};
static_assert(sizeof(RiskLimitChange) == 136);

}  // namespace guiju
