#include "apps/guiju/control_plane.hpp"

#include <chrono>

#include "core/logging/log.hpp"

namespace guiju {

ControlPlane::ControlPlane(Engine& engine, const EngineConfig& config,
                           const journal::JournalService* journal,
                           std::atomic<bool>& reload_requested)
    : engine_(engine),
      commands_(engine, mailbox_, config, journal),
      reload_requested_(reload_requested) {
  engine_.set_mailbox(&mailbox_);
  if (config.control.enabled) {
    control::ControlServerOptions options;
    options.listen = config.control.listen;
    options.server_key = control::read_key_file(config.control.server_key);
    options.operators = config.control.operators;
    control::ControlHandlers handlers;
    handlers.command = [this](const control::OperatorKey& op, const control::ControlRequest& r) {
      return commands_.run(op, r);
    };
    handlers.denied = [this](const control::OperatorKey& op, const control::ControlRequest& r,
                             const std::string& why) { commands_.record_denied(op, r, why); };
    handlers.refused = [this](const std::string& address, const std::string& key) {
      commands_.record_refused(address, key);
    };
    server_ = std::make_unique<control::ControlServer>(std::move(options), std::move(handlers));
  }
  watcher_ = std::jthread([this](const std::stop_token& stop) {
    pthread_setname_np(pthread_self(), "guiju-reload");
    while (!stop.stop_requested()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (!reload_requested_.exchange(false)) continue;
      log().info("SIGHUP: reloading the risk limits{}",
                 server_ ? " and the operators' allow-list" : "");
      if (server_) server_->request_allow_list_reload();
      commands_.reload_risk_limits("SIGHUP", "reload on SIGHUP");
    }
  });
}

ControlPlane::~ControlPlane() {
  stop();
}

void ControlPlane::stop() {
  if (watcher_.joinable()) {
    watcher_.request_stop();
    watcher_.join();
  }
  if (server_) server_->stop();
  engine_.set_mailbox(nullptr);
}

}  // namespace guiju
