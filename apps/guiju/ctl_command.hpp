#pragma once
// `guiju ctl`: the operator's side of the control plane (docs/operations.md).

#include <string>
#include <vector>

namespace guiju {

struct CtlArguments {
  std::vector<std::string> words;  // the command: `status`, `kill account acct1`, `keygen alice`
  std::string config;              // take the endpoint and server key from this engine config
  std::string connect;             // or name them: tcp://127.0.0.1:7030
  std::string server_key;          // the engine's .pub (or .key) file
  std::string key;                 // the operator's .key file (default: $GUIJU_CTL_KEY)
  std::string reason = "guiju ctl";
  std::string directory = ".";  // keygen: where NAME.key and NAME.pub are written
  int timeout_ms = 5000;
};

// Exit codes: 0 done, 1 the engine refused or failed the command, 2 bad usage or files,
// 3 no answer (engine not running, wrong server key) or the key refused, 4 the key's role may not
// run the command.
int ctl_command(const CtlArguments& args);

}  // namespace guiju
