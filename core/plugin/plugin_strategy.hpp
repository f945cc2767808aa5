#pragma once
// A strategy provided by a plugin: the engine's Strategy interface on one side, the plugin's C
// callbacks on the other. Events and orders are converted to the ABI's plain structs; the host
// API forwards to the engine's StrategyContext. A callback that returns non-zero (for a C++
// plugin: an exception its SDK caught) becomes an exception here, which the engine contains by
// quarantining the strategy.

#include <memory>
#include <string>

#include "core/config/strategy_parameters.hpp"
#include "core/plugin/plugin_library.hpp"
#include "core/strategy/strategy.hpp"

struct guiju_host;

namespace guiju {

class PluginStrategy final : public Strategy {
 public:
  // Creates the plugin's strategy with these parameters. Throws ConfigError naming the strategy
  // and the key for a bad or unknown parameter, PluginError when the plugin refuses otherwise.
  PluginStrategy(std::shared_ptr<PluginLibrary> library, const StrategyParameters& parameters);
  ~PluginStrategy() override;
  PluginStrategy(const PluginStrategy&) = delete;
  PluginStrategy& operator=(const PluginStrategy&) = delete;

  void on_start(StrategyContext& ctx) override;
  void on_stop(StrategyContext& ctx) override;
  void on_quote(StrategyContext& ctx, const Quote& quote) override;
  void on_book(StrategyContext& ctx, const BookUpdate& book) override;
  void on_trade(StrategyContext& ctx, const Trade& trade) override;
  void on_order_update(StrategyContext& ctx, const Order& order) override;
  void on_fill(StrategyContext& ctx, const Order& order, const Fill& fill) override;
  void on_timer(StrategyContext& ctx, TimerId timer, Timestamp scheduled) override;
  void on_signal(StrategyContext& ctx, const SignalReply& reply) override;
  void on_signal_timeout(StrategyContext& ctx, uint64_t request_id) override;

  const PluginLibrary& library() const { return *library_; }
  // The callbacks the plugin implements (the others are never worth a call).
  const guiju_strategy_callbacks& callbacks() const { return callbacks_; }

 private:
  // Runs one callback with the context bound; throws StrategyFailure on a non-zero result.
  template <typename Call>
  void invoke(StrategyContext& ctx, Call&& call);

  std::shared_ptr<PluginLibrary> library_;
  guiju_strategy_callbacks callbacks_{};
  std::unique_ptr<guiju_host> host_;
  void* self_ = nullptr;
};

}  // namespace guiju
