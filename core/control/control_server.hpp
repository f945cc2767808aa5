#pragma once
// The control plane's server side: a ZeroMQ ROUTER socket with CURVE encryption, a ZAP handler
// that admits only the operators on the allow-list, and the check of each command against the
// operator's role. The commands themselves are the caller's (`handler`): this class knows who
// asked and whether they may, not what the engine does.
//
// One thread, named guiju-ctl, serves both the ZAP requests and the commands; it also calls
// `tick` about every 100 ms, which `guiju run` uses to act on SIGHUP off the engine thread.

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "core/control/control_protocol.hpp"
#include "core/control/curve_key.hpp"
#include "core/control/operator_allow_list.hpp"

namespace guiju::control {

struct ControlServerOptions {
  std::string listen;               // tcp://127.0.0.1:7030, ipc:///run/guiju/control
  CurveKeyPair server_key;          // with its secret
  std::filesystem::path operators;  // the allow-list file
};

struct ControlHandlers {
  // Runs an admitted command from an operator whose role allows it. Must not throw.
  std::function<ControlReply(const OperatorKey&, const ControlRequest&)> command;
  // A command the operator's role does not allow (`why` says so), or a key no longer listed.
  std::function<void(const OperatorKey&, const ControlRequest&, const std::string& why)> denied;
  // A connection refused because its key is not on the allow-list.
  std::function<void(const std::string& address, const std::string& key)> refused;
  // About every 100 ms on the server's thread.
  std::function<void()> tick;
};

class ControlServer {
 public:
  // Reads the allow-list and binds; throws std::runtime_error naming the file or the address
  // when either fails (before the engine trades). Then starts the thread.
  ControlServer(ControlServerOptions options, ControlHandlers handlers);
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // Where it listens (a tcp port of 0 resolved).
  const std::string& endpoint() const { return endpoint_; }
  // Re-reads the allow-list on the server's thread; a list that fails to read leaves the old one
  // in force (and the error logged). Async-signal-safe.
  void request_allow_list_reload() { reload_.store(true, std::memory_order_relaxed); }
  // Stops the thread. Idempotent.
  void stop();

 private:
  struct Sockets;
  void run();
  void serve_zap();
  void serve_command();
  void reload_allow_list();

  ControlServerOptions options_;
  ControlHandlers handlers_;
  OperatorAllowList allow_list_;  // the server's thread only, once started
  std::unique_ptr<Sockets> sockets_;
  std::string endpoint_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> reload_{false};
  std::thread thread_;
};

}  // namespace guiju::control
