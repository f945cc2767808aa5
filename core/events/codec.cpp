#include "core/events/codec.hpp"

#include <cstring>

namespace guiju {

std::string_view to_string(EventType type) {
  switch (type) {
    case EventType::kQuote:
      return "quote";
    case EventType::kBookUpdate:
      return "book_update";
    case EventType::kTrade:
      return "trade";
    case EventType::kNewOrder:
      return "new_order";
    case EventType::kCancelOrder:
      return "cancel_order";
    case EventType::kReplaceOrder:
      return "replace_order";
    case EventType::kExecutionReport:
      return "execution_report";
    case EventType::kTimer:
      return "timer";
    case EventType::kControlCommand:
      return "control_command";
    case EventType::kSignalRequest:
      return "signal_request";
    case EventType::kSignalReply:
      return "signal_reply";
    case EventType::kRiskDecision:
      return "risk_decision";
    case EventType::kStrategyLifecycle:
      return "strategy_lifecycle";
    case EventType::kSession:
      return "session";
    case EventType::kStrategyParameter:
      return "strategy_parameter";
    case EventType::kDataSource:
      return "data_source";
    case EventType::kRiskLimitChange:
      return "risk_limit_change";
    case EventType::kOrderStatusRequest:
      return "order_status_request";
  }
  return "unknown";
}

std::string_view to_string(DecodeStatus s) {
  switch (s) {
    case DecodeStatus::kOk:
      return "ok";
    case DecodeStatus::kTruncated:
      return "truncated";
    case DecodeStatus::kOversized:
      return "oversized";
    case DecodeStatus::kUnknownType:
      return "unknown type";
    case DecodeStatus::kUnknownVersion:
      return "unknown version";
    case DecodeStatus::kSizeMismatch:
      return "size mismatch";
  }
  return "?";
}

namespace {

template <Event T>
constexpr size_t size_if_version(uint16_t version) {
  return version == T::kVersion ? sizeof(T) : 0;
}

bool known_type(uint16_t raw) {
  return raw >= 1 && raw <= kMaxEventType;
}

DecodeResult fail(DecodeStatus status, std::string message) {
  return DecodeResult{status, std::move(message)};
}

}  // namespace

size_t event_size(EventType type, uint16_t version) {
  switch (type) {
    case EventType::kQuote:
      return size_if_version<Quote>(version);
    case EventType::kBookUpdate:
      return size_if_version<BookUpdate>(version);
    case EventType::kTrade:
      return size_if_version<Trade>(version);
    case EventType::kNewOrder:
      return size_if_version<NewOrder>(version);
    case EventType::kCancelOrder:
      return size_if_version<CancelOrder>(version);
    case EventType::kReplaceOrder:
      return size_if_version<ReplaceOrder>(version);
    case EventType::kExecutionReport:
      return size_if_version<ExecutionReport>(version);
    case EventType::kTimer:
      return size_if_version<TimerFired>(version);
    case EventType::kControlCommand:
      return size_if_version<ControlCommand>(version);
    case EventType::kSignalRequest:
      return size_if_version<SignalRequest>(version);
    case EventType::kSignalReply:
      return size_if_version<SignalReply>(version);
    case EventType::kRiskDecision:
      return size_if_version<RiskDecisionEvent>(version);
    case EventType::kStrategyLifecycle:
      return size_if_version<StrategyEvent>(version);
    case EventType::kSession:
      return size_if_version<SessionEvent>(version);
    case EventType::kStrategyParameter:
      return size_if_version<StrategyParameterEvent>(version);
    case EventType::kDataSource:
      return size_if_version<DataSourceEvent>(version);
    case EventType::kRiskLimitChange:
      return size_if_version<RiskLimitChange>(version);
    case EventType::kOrderStatusRequest:
      return size_if_version<OrderStatusRequest>(version);
  }
  return 0;
}

size_t encode(const EventSlot& event, std::span<std::byte> out) {
  const size_t n = event.header().size;
  if (n > out.size() || n > EventSlot::kCapacity) return 0;
  std::memcpy(out.data(), event.bytes, n);
  return n;
}

DecodeResult decode(std::span<const std::byte> in, EventSlot& out) {
  if (in.size() < sizeof(EventHeader)) {
    return fail(DecodeStatus::kTruncated, "truncated: " + std::to_string(in.size()) +
                                              " bytes, an event header needs " +
                                              std::to_string(sizeof(EventHeader)));
  }
  EventHeader h;
  std::memcpy(&h, in.data(), sizeof h);
  const auto raw_type = static_cast<uint16_t>(h.type);
  if (!known_type(raw_type)) {
    return fail(DecodeStatus::kUnknownType, "unknown event type " + std::to_string(raw_type));
  }
  const size_t expected = event_size(h.type, h.version);
  if (expected == 0) {
    return fail(
        DecodeStatus::kUnknownVersion,
        std::string(to_string(h.type)) + ": unknown layout version " + std::to_string(h.version));
  }
  if (h.size != expected) {
    return fail(DecodeStatus::kSizeMismatch, std::string(to_string(h.type)) + " v" +
                                                 std::to_string(h.version) + ": header says " +
                                                 std::to_string(h.size) + " bytes, layout is " +
                                                 std::to_string(expected));
  }
  if (in.size() < expected) {
    return fail(DecodeStatus::kTruncated, std::string(to_string(h.type)) +
                                              ": truncated: " + std::to_string(in.size()) + " of " +
                                              std::to_string(expected) + " bytes");
  }
  if (in.size() > expected) {
    return fail(DecodeStatus::kOversized, std::string(to_string(h.type)) +
                                              ": oversized: " + std::to_string(in.size()) +
                                              " bytes, layout is " + std::to_string(expected));
  }
  std::memcpy(out.bytes, in.data(), expected);
  return {};
}

}  // namespace guiju
