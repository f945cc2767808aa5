#include "core/risk/repeated_execution_check.hpp"

#include <string>

#include "core/oms/order.hpp"

namespace guiju {

namespace {

constexpr auto kFills = static_cast<size_t>(LimitKey::kRepeatedFills);
constexpr auto kWindow = static_cast<size_t>(LimitKey::kRepeatedFillsWindow);

std::string breach_text(const LimitValues& limits) {
  return "repeated executions: " + std::to_string(limits[kFills]) + " fills within " +
         std::to_string(limits[kWindow] / kMillisecond) + " ms";
}

}  // namespace

bool RepeatedExecutionCheck::record(std::vector<Window>& table, uint32_t id,
                                    const LimitValues& limits, Timestamp now) {
  if (limits[kFills] == 0 || limits[kWindow] == 0) return false;
  if (table.size() <= id) table.resize(id + 1);
  Window& w = table[id];
  if (w.fills != limits[kFills] || w.window != limits[kWindow]) {
    w = {limits[kFills], limits[kWindow],
         RollingWindowLimit(static_cast<uint32_t>(limits[kFills]), limits[kWindow])};
  }
  w.recent.record(now);
  return w.recent.full(now);
}

void RepeatedExecutionCheck::on_fill(const Order& order, Quantity /*quantity*/,
                                     const RiskView& view) {
  if (view.actions == nullptr) return;
  const LimitValues& by_strategy = limits_.strategy(order.strategy);
  if (order.strategy != kNoStrategy && record(strategies_, order.strategy, by_strategy, view.now)) {
    view.actions->engage_kill_switch(ControlScope::kStrategy, order.strategy,
                                     RiskCheckId::kRepeatedExecution, breach_text(by_strategy));
  }
  const LimitValues& by_account = limits_.account(order.account);
  if (record(accounts_, order.account, by_account, view.now)) {
    view.actions->engage_kill_switch(ControlScope::kAccount, order.account,
                                     RiskCheckId::kRepeatedExecution, breach_text(by_account));
  }
}

}  // namespace guiju
