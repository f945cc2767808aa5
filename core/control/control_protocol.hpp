#pragma once
// The control plane's messages: what `guiju ctl` sends a running engine and what comes back.
//
// A request is a ZeroMQ multipart message from a DEALER socket: an empty delimiter, the protocol
// tag, the operator's reason, then the command's words ("kill", "account", "acct1"). A reply is
// the delimiter, a status ("ok", "error", "denied") and text for people. Text keeps the protocol
// readable with any ZeroMQ tool; commands are rare, so nothing here is on a hot path.

#include <string>
#include <string_view>
#include <vector>

#include "core/control/operator_allow_list.hpp"

namespace guiju::control {

inline constexpr std::string_view kProtocolTag = "guiju-ctl/1";

struct ControlRequest {
  std::string reason;  // why, for the journal ("guiju ctl" when the operator gave none)
  std::vector<std::string> words;
  std::string text() const;  // the words joined by spaces, as the journal records the command
};

enum class ReplyStatus { kOk, kError, kDenied };
std::string_view to_string(ReplyStatus status);
bool parse_reply_status(std::string_view text, ReplyStatus* status);

struct ControlReply {
  ReplyStatus status = ReplyStatus::kOk;
  std::string text;
  static ControlReply ok(std::string text) { return {ReplyStatus::kOk, std::move(text)}; }
  static ControlReply error(std::string text) { return {ReplyStatus::kError, std::move(text)}; }
};

// One command of the control plane: its words, what role it needs, how it is written.
struct CommandSpec {
  std::string_view verb;     // first word
  std::string_view subverb;  // second word, or empty when the command has none
  OperatorRole role;
  std::string_view usage;
  std::string_view summary;
};
const std::vector<CommandSpec>& command_specs();
// The command `words` name; nullptr when there is none.
const CommandSpec* find_command(const std::vector<std::string>& words);
// `guiju ctl help`: every command with its usage and role.
std::string command_help();

}  // namespace guiju::control
