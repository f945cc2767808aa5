#pragma once
// StrategyContext as the engine implements it: a thin forwarder bound to one strategy's slot.

#include "core/strategy/strategy_context.hpp"

namespace guiju {

class Engine;

class EngineStrategyContext final : public StrategyContext {
 public:
  EngineStrategyContext(Engine& engine, StrategyId id, AccountId account)
      : engine_(engine), id_(id), account_(account) {}

  SubmitResult submit(const OrderRequest& request) override;
  SubmitResult cancel(OrderId order) override;
  SubmitResult replace(OrderId order, Price new_price, Quantity new_quantity) override;
  TimerId set_timer(Duration delay, Duration period) override;
  bool cancel_timer(TimerId timer) override;
  Timestamp now() const override;
  StrategyId id() const override { return id_; }
  AccountId account() const override { return account_; }
  bool has_instrument(InstrumentId id) const override;
  const Instrument& instrument(InstrumentId id) const override;
  std::span<const InstrumentId> subscriptions() const override;
  std::optional<InstrumentId> find_instrument(std::string_view symbol) const override;
  const Book& book(InstrumentId id) const override;
  const Order* order(OrderId id) const override;
  const Position* position(InstrumentId id) const override;
  void log(LogLevel level, std::string_view message) override;
  uint64_t request_signal(const SignalRequest& request) override;

 protected:
  size_t open_order_count_all() const override;
  const Order* open_order_at(size_t i) const override;

 private:
  Engine& engine_;
  StrategyId id_;
  AccountId account_;
};

}  // namespace guiju
