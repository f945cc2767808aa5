#pragma once
// A plugin strategy run in its own process by `guiju strategy-host`, as the engine sees it: a
// Strategy whose callbacks cross a ZeroMQ connection (remote_protocol.hpp). The engine thread
// waits for each callback to finish, serving the strategy's host calls meanwhile, so strategies
// behave exactly as in process; what the separate process buys is containment: a plugin that
// crashes or hangs takes down its host, not the engine. Such a failure surfaces here as a
// StrategyFailure, and the engine quarantines the strategy and cancels its orders.

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>

#include "core/config/strategy_parameters.hpp"
#include "core/model/instrument.hpp"
#include "core/plugin/plugin_library.hpp"
#include "core/plugin/remote_channel.hpp"
#include "core/strategy/strategy.hpp"

namespace guiju {

struct RemoteHostOptions {
  std::string executable;  // the guiju binary that provides `strategy-host`
  std::string endpoint;    // empty: a fresh ipc:// endpoint in the temporary directory
  // A callback or host call unanswered this long means the host is gone.
  std::chrono::milliseconds reply_timeout{1000};
  std::chrono::milliseconds start_timeout{10000};
};

// What a plugin declares about itself (for an out-of-process one, as its host reported it).
struct RemotePluginInfo {
  std::string type;
  std::string version;
  uint16_t abi_major = 0;
  uint16_t abi_minor = 0;
};

class RemoteStrategy final : public Strategy {
 public:
  // Starts the host process, hands it the plugin file (it checks the same SHA-256 before loading
  // it) and the parameters, and waits for the strategy to be created. Throws ConfigError for a
  // bad parameter, PluginError when the host refuses the plugin or cannot be started.
  RemoteStrategy(const PluginFile& plugin, const StrategyParameters& parameters,
                 const InstrumentRegistry& instruments, const RemoteHostOptions& options);
  ~RemoteStrategy() override;
  RemoteStrategy(const RemoteStrategy&) = delete;
  RemoteStrategy& operator=(const RemoteStrategy&) = delete;

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

  const RemotePluginInfo& plugin_info() const { return info_; }
  pid_t host_pid() const { return pid_; }

 private:
  // Sends one callback and serves host calls until it is done; throws StrategyFailure when the
  // callback failed or the host stopped answering.
  void callback(StrategyContext& ctx, remote::Callback op, const remote::Writer& payload);
  void serve(StrategyContext& ctx, const remote::Message& call);
  // Why the host is not answering: its exit status when it has ended, else a timeout.
  std::string host_gone(std::chrono::milliseconds waited);
  bool host_exited(std::string& how);
  void stop_host();

  std::unique_ptr<remote::Channel> channel_;
  std::string ipc_path_;  // removed at the end, for ipc:// endpoints made here
  pid_t pid_ = -1;
  bool dead_ = false;  // failed once: no more callbacks are sent
  remote::CallbackMask implemented_ = 0;
  RemotePluginInfo info_;
  std::chrono::milliseconds reply_timeout_;
  remote::Writer scratch_;
};

}  // namespace guiju
