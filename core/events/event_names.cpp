#include <string_view>

#include "core/events/control_events.hpp"
#include "core/events/execution_report.hpp"
#include "core/events/risk_events.hpp"
#include "core/events/session_events.hpp"
#include "core/events/signal_events.hpp"

namespace guiju {

std::string_view to_string(ExecType t) {
  switch (t) {
    case ExecType::kAck:
      return "ack";
    case ExecType::kPartialFill:
      return "partial_fill";
    case ExecType::kFill:
      return "fill";
    case ExecType::kCanceled:
      return "canceled";
    case ExecType::kReplaced:
      return "replaced";
    case ExecType::kRejected:
      return "rejected";
    case ExecType::kExpired:
      return "expired";
    case ExecType::kCancelRejected:
      return "cancel_rejected";
    case ExecType::kStatus:
      return "status";
  }
  return "?";
}

std::string_view to_string(RejectCode c) {
  switch (c) {
    case RejectCode::kNone:
      return "none";
    case RejectCode::kUnknownInstrument:
      return "unknown instrument";
    case RejectCode::kInvalidQuantity:
      return "invalid quantity";
    case RejectCode::kInvalidPrice:
      return "invalid price";
    case RejectCode::kOffTick:
      return "price not on tick";
    case RejectCode::kOddLot:
      return "quantity not a whole lot";
    case RejectCode::kUnknownOrder:
      return "unknown order";
    case RejectCode::kTooLateToCancel:
      return "too late to cancel";
    case RejectCode::kOrderCapacityExhausted:
      return "order capacity exhausted";
    case RejectCode::kOrderRingFull:
      return "order ring full";
    case RejectCode::kRiskRejected:
      return "rejected by pre-trade risk";
    case RejectCode::kVenueRejected:
      return "rejected by venue";
    case RejectCode::kNoLiquidity:
      return "no liquidity";
    case RejectCode::kNotWorking:
      return "order not working";
    case RejectCode::kJournalUnavailable:
      return "audit journal unavailable";
    case RejectCode::kMalformedRequest:
      return "malformed order request";
    case RejectCode::kThrottled:
      return "order-message throttle";
    case RejectCode::kKillSwitch:
      return "kill switch engaged";
    case RejectCode::kMarketRule:
      return "exchange rule";
    case RejectCode::kUnknownStrategy:
      return "unknown strategy";
    case RejectCode::kOrderSessionDown:
      return "order session down";
    case RejectCode::kSelfTrade:
      return "self-trade prevented";
  }
  return "?";
}

std::string_view to_string(SignalStatus s) {
  switch (s) {
    case SignalStatus::kOk:
      return "ok";
    case SignalStatus::kDeadlineMissed:
      return "deadline_missed";
    case SignalStatus::kModelError:
      return "model_error";
    case SignalStatus::kOverloaded:
      return "overloaded";
    case SignalStatus::kUnknownModel:
      return "unknown_model";
    case SignalStatus::kUnavailable:
      return "unavailable";
  }
  return "?";
}

std::string_view to_string(RiskAction a) {
  switch (a) {
    case RiskAction::kNewOrder:
      return "new_order";
    case RiskAction::kReplace:
      return "replace";
    case RiskAction::kCancel:
      return "cancel";
    case RiskAction::kKillSwitch:
      return "kill_switch";
    case RiskAction::kCancelOnly:
      return "cancel_only";
    case RiskAction::kCancelResting:
      return "cancel_resting";
  }
  return "?";
}

std::string_view to_string(ControlAction a) {
  switch (a) {
    case ControlAction::kStop:
      return "stop";
    case ControlAction::kKillSwitch:
      return "kill switch engaged";
    case ControlAction::kResetKillSwitch:
      return "reset_kill_switch";
    case ControlAction::kCancelAll:
      return "cancel_all";
    case ControlAction::kPauseStrategy:
      return "pause_strategy";
    case ControlAction::kResumeStrategy:
      return "resume_strategy";
    case ControlAction::kOrderSessionDown:
      return "order_session_down";
    case ControlAction::kOrderSessionUp:
      return "order_session_up";
    case ControlAction::kMarketDataSessionDown:
      return "market_data_session_down";
    case ControlAction::kMarketDataSessionUp:
      return "market_data_session_up";
    case ControlAction::kOperatorCommand:
      return "operator_command";
    case ControlAction::kFlatten:
      return "flatten";
  }
  return "?";
}

std::string_view to_string(SessionAction action) {
  switch (action) {
    case SessionAction::kEngineStarted:
      return "engine_started";
    case SessionAction::kEngineStopping:
      return "engine_stopping";
  }
  return "?";
}

}  // namespace guiju
