#include "core/dropcopy/dropcopy_topic.hpp"

namespace guiju::dropcopy {

namespace {

std::string_view execution_topic(const ExecutionReport& r) {
  switch (r.exec_type) {
    case ExecType::kAck:
      return "exec.ack";
    case ExecType::kPartialFill:
      return "fill.partial";
    case ExecType::kFill:
      return "fill.full";
    case ExecType::kCanceled:
      return "exec.canceled";
    case ExecType::kReplaced:
      return "exec.replaced";
    case ExecType::kRejected:
      return "reject.venue";
    case ExecType::kExpired:
      return "exec.expired";
    case ExecType::kCancelRejected:
      return "reject.cancel";
    case ExecType::kStatus:
      return "exec.status";
  }
  return "exec.unknown";  // a layout newer than this build; still shown, not dropped
}

// Refusals before anything left (pre-trade risk, throttles, the kill switch, a full order ring)
// share one topic; the actions a control took by itself each have their own.
std::string_view risk_topic(const RiskDecisionEvent& d) {
  switch (d.action) {
    case RiskAction::kNewOrder:
    case RiskAction::kReplace:
    case RiskAction::kCancel:
      return "reject.risk";
    case RiskAction::kKillSwitch:
      return "risk.kill_switch";
    case RiskAction::kCancelOnly:
      return "risk.cancel_only";
    case RiskAction::kCancelResting:
      return "risk.cancel_resting";
  }
  return "risk.unknown";
}

std::string_view control_topic(const ControlCommand& c) {
  switch (c.action) {
    case ControlAction::kStop:
      return "control.stop";
    case ControlAction::kKillSwitch:
      return "control.kill_switch";
    case ControlAction::kResetKillSwitch:
      return "control.reset_kill_switch";
    case ControlAction::kCancelAll:
      return "control.cancel_all";
    case ControlAction::kPauseStrategy:
      return "control.pause_strategy";
    case ControlAction::kResumeStrategy:
      return "control.resume_strategy";
    case ControlAction::kOrderSessionDown:
      return "control.order_session_down";
    case ControlAction::kOrderSessionUp:
      return "control.order_session_up";
    case ControlAction::kMarketDataSessionDown:
      return "control.market_data_session_down";
    case ControlAction::kMarketDataSessionUp:
      return "control.market_data_session_up";
    case ControlAction::kOperatorCommand:
      return "control.operator_command";
    case ControlAction::kFlatten:
      return "control.flatten";
  }
  return "control.unknown";
}

std::string_view strategy_topic(const StrategyEvent& e) {
  switch (e.action) {
    case StrategyAction::kStarted:
      return "strategy.started";
    case StrategyAction::kStopped:
      return "strategy.stopped";
    case StrategyAction::kQuarantined:
      return "strategy.quarantined";
    case StrategyAction::kResumed:
      return "strategy.resumed";
    case StrategyAction::kUnloaded:
      return "strategy.unloaded";
  }
  return "strategy.unknown";
}

std::string_view session_topic(const SessionEvent& e) {
  switch (e.action) {
    case SessionAction::kEngineStarted:
      return "session.started";
    case SessionAction::kEngineStopping:
      return "session.stopping";
  }
  return "session.unknown";
}

}  // namespace

std::string_view topic_of(const EventSlot& event) {
  switch (event.type()) {
    case EventType::kNewOrder:
      return "order.new";
    case EventType::kCancelOrder:
      return "order.cancel";
    case EventType::kReplaceOrder:
      return "order.replace";
    case EventType::kOrderStatusRequest:
      return "order.status_request";
    case EventType::kExecutionReport:
      return execution_topic(event.as<ExecutionReport>());
    case EventType::kRiskDecision:
      return risk_topic(event.as<RiskDecisionEvent>());
    case EventType::kControlCommand:
      return control_topic(event.as<ControlCommand>());
    case EventType::kRiskLimitChange:
      return "control.risk_limit";
    case EventType::kStrategyLifecycle:
      return strategy_topic(event.as<StrategyEvent>());
    case EventType::kSession:
      return session_topic(event.as<SessionEvent>());
    case EventType::kQuote:
    case EventType::kBookUpdate:
    case EventType::kTrade:
    case EventType::kTimer:
    case EventType::kSignalRequest:
    case EventType::kSignalReply:
    case EventType::kStrategyParameter:
    case EventType::kDataSource:
      return {};
  }
  return {};
}

}  // namespace guiju::dropcopy
