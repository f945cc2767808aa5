#pragma once
// What the control plane's commands do to a running engine (`guiju ctl`, docs/operations.md).
//
// Called on the control plane's thread; everything that reads or changes trading state runs on
// the engine thread through its mailbox, between two events, so the engine stays the single
// writer. Work that takes long (parsing the config file, opening a plugin) is done here first,
// off the engine thread; the engine only applies the result.
//
// Every command is journaled before it runs, as an operator_command control record naming the
// operator ("ctl:NAME") and the command as typed; what it then changes is journaled as the engine
// journals any such change (a kill switch, a limit, a strategy's lifecycle), with the same name.

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "core/config/engine_config.hpp"
#include "core/control/control_protocol.hpp"
#include "core/engine/engine.hpp"
#include "core/engine/engine_mailbox.hpp"
#include "core/journal/journal_service.hpp"

namespace guiju {

class OperatorCommands {
 public:
  // `config` is the one the engine started from: its file is re-read by `risk reload` and
  // `strategies load`. `journal` may be null (no audit journal configured).
  OperatorCommands(Engine& engine, EngineMailbox& mailbox, const EngineConfig& config,
                   const journal::JournalService* journal);

  // Runs an admitted command (the server has checked the role). Never throws.
  control::ControlReply run(const control::OperatorKey& op, const control::ControlRequest& request);
  // A command refused for the operator's role, and a connection refused for its key: journaled
  // too, so that attempts are on the record.
  void record_denied(const control::OperatorKey& op, const control::ControlRequest& request,
                     const std::string& why);
  void record_refused(const std::string& address, const std::string& key);
  // SIGHUP and `risk reload`: re-reads the config file and changes every risk limit that differs
  // from it (each journaled as a limit change by `issued_by`). A file that does not load, or whose
  // accounts or instruments differ from the running ones, changes nothing and says why.
  control::ControlReply reload_risk_limits(std::string_view issued_by, std::string_view reason);

 private:
  // Runs `task` on the engine thread; "the engine is not taking commands" when it does not run
  // within the timeout (not started, or stopped).
  control::ControlReply on_engine(const std::function<control::ControlReply()>& task);
  control::ControlReply dispatch(const std::string& issued_by,
                                 const control::ControlRequest& request);
  control::ControlReply status();
  control::ControlReply strategies();
  control::ControlReply orders();
  control::ControlReply positions();
  control::ControlReply risk_show(const std::vector<std::string>& words);
  control::ControlReply risk_set(const std::string& issued_by, const control::ControlRequest& r);
  control::ControlReply scoped_control(ControlAction action, const std::string& issued_by,
                                       const control::ControlRequest& r);
  control::ControlReply strategy_lifecycle(const std::string& issued_by,
                                           const control::ControlRequest& r);
  control::ControlReply load_strategy(const std::string& issued_by, const std::string& name);
  // Journals the operator_command record (engine thread).
  void journal_command(std::string_view issued_by, std::string_view text);

  Engine& engine_;
  EngineMailbox& mailbox_;
  const EngineConfig& config_;
  const journal::JournalService* journal_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace guiju
