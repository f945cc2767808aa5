#pragma once
// `guiju run`'s control plane: the operators' commands (OperatorCommands), served over CURVE by a
// ControlServer when the config has a control section, and SIGHUP, which reloads the risk limits
// (and the operators' allow-list) from the config file. Both act off the engine thread; the
// engine applies their changes from its mailbox between events.

#include <atomic>
#include <memory>
#include <thread>

#include "apps/guiju/operator_commands.hpp"
#include "core/config/engine_config.hpp"
#include "core/control/control_server.hpp"
#include "core/engine/engine.hpp"
#include "core/engine/engine_mailbox.hpp"
#include "core/journal/journal_service.hpp"

namespace guiju {

class ControlPlane {
 public:
  // Gives the engine its mailbox and opens the control server (throws std::runtime_error naming
  // the key file, the allow-list or the address when one is refused: before any order). Watches
  // `reload_requested` (set by the SIGHUP handler) about every 100 ms.
  ControlPlane(Engine& engine, const EngineConfig& config, const journal::JournalService* journal,
               std::atomic<bool>& reload_requested);
  ~ControlPlane();
  ControlPlane(const ControlPlane&) = delete;
  ControlPlane& operator=(const ControlPlane&) = delete;

  // Stops serving (commands sent later get no answer). Idempotent.
  void stop();

 private:
  Engine& engine_;
  EngineMailbox mailbox_;
  OperatorCommands commands_;
  std::unique_ptr<control::ControlServer> server_;
  std::atomic<bool>& reload_requested_;
  std::jthread watcher_;
};

}  // namespace guiju
