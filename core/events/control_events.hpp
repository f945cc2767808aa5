#pragma once
// Engine-owned timers firing, and operator commands from the control plane.

#include <cstdint>
#include <string_view>

#include "core/events/event_header.hpp"
#include "core/model/reason_text.hpp"

namespace guiju {

struct TimerFired {
  static constexpr EventType kType = EventType::kTimer;
  static constexpr uint16_t kVersion = 1;
  EventHeader header = make_header<TimerFired>();
  TimerId timer_id = 0;
  StrategyId strategy = kNoStrategy;  // owner; kNoStrategy for the engine's own timers
  uint8_t reserved[6] = {};
  Timestamp scheduled_time = 0;  // when it was due (header.event_time is when it fired)
  Duration period = 0;           // 0 for one-shot
};
static_assert(sizeof(TimerFired) == 72);

enum class ControlAction : uint16_t {
  kStop = 1,        // finish the current batch, stop strategies, exit the loop
  kKillSwitch = 2,  // cancel everything in scope and block new orders
  kResetKillSwitch = 3,
  kCancelAll = 4,  // cancel open orders in scope, keep trading
  kPauseStrategy = 5,
  kResumeStrategy = 6,
  // The order session to the venue dropped: open orders' status becomes unknown and new orders,
  // replaces and cancels are refused until it is back (cancel-on-disconnect state; the FIX
  // adapter issues these, `issued_by` names the session).
  kOrderSessionDown = 7,
  // Back: orders may be sent again; the open orders of unknown status are reconciled.
  kOrderSessionUp = 8,
  // The market-data session dropped (its instruments' books are stale until re-subscribed) and
  // came back: recorded for the audit trail; the books themselves say what is stale.
  kMarketDataSessionDown = 9,
  kMarketDataSessionUp = 10,
  // An operator's command through the control plane, recorded with the operator's key name
  // (issued_by) and the command as typed (reason, truncated): the queries and refusals too, so the
  // journal says who looked at and who tried to change what. Changes nothing by itself.
  kOperatorCommand = 11,
  // Cancel the scope's open orders and send orders closing its positions (at the touch: sells at
  // the best bid, buys at the best ask), through the pre-trade checks.
  kFlatten = 12,
};
std::string_view to_string(ControlAction a);

enum class ControlScope : uint16_t { kGlobal = 0, kAccount = 1, kStrategy = 2 };

struct ControlCommand {
  static constexpr EventType kType = EventType::kControlCommand;
  static constexpr uint16_t kVersion = 1;
  EventHeader header = make_header<ControlCommand>();
  ControlAction action = ControlAction::kStop;
  ControlScope scope = ControlScope::kGlobal;
  uint32_t target = 0;  // account or strategy id for scoped actions
  int64_t argument = 0;
  OperatorName issued_by;  // who asked (journaled for the audit trail)
  ReasonText reason;
};
static_assert(sizeof(ControlCommand) == 128);

}  // namespace guiju
