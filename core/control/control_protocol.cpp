#include "core/control/control_protocol.hpp"

#include <algorithm>
#include <iterator>

namespace guiju::control {

std::string ControlRequest::text() const {
  std::string out;
  for (const std::string& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

std::string_view to_string(ReplyStatus status) {
  switch (status) {
    case ReplyStatus::kOk:
      return "ok";
    case ReplyStatus::kError:
      return "error";
    case ReplyStatus::kDenied:
      return "denied";
  }
  return "error";
}

bool parse_reply_status(std::string_view text, ReplyStatus* status) {
  constexpr ReplyStatus kAll[] = {ReplyStatus::kOk, ReplyStatus::kError, ReplyStatus::kDenied};
  const auto* found = std::find_if(std::begin(kAll), std::end(kAll),
                                   [&](ReplyStatus s) { return text == to_string(s); });
  if (found == std::end(kAll)) return false;
  *status = *found;
  return true;
}

const std::vector<CommandSpec>& command_specs() {
  using enum OperatorRole;
  static const std::vector<CommandSpec> specs = {
      {"status", "", kReadOnly, "status",
       "the engine's state: mode, sessions, kill switches, journal"},
      {"strategies", "", kReadOnly, "strategies", "the strategies and their states"},
      {"strategies", "list", kReadOnly, "strategies list", "the same"},
      {"strategies", "load", kOperator, "strategies load NAME",
       "load and start the strategy NAME as the engine's config file now defines it"},
      {"strategies", "unload", kOperator, "strategies unload NAME",
       "cancel the strategy's orders, stop and remove it"},
      {"strategies", "pause", kOperator, "strategies pause NAME",
       "cancel the strategy's orders and stop its new ones until resumed"},
      {"strategies", "resume", kOperator, "strategies resume NAME", "let a paused strategy trade"},
      {"orders", "", kReadOnly, "orders", "the open orders"},
      {"positions", "", kReadOnly, "positions",
       "positions and PnL by account, strategy, instrument"},
      {"risk", "show", kReadOnly, "risk show [account NAME | strategy NAME | instrument SYMBOL]",
       "the risk limits in force (every one set, or one scope's)"},
      {"risk", "set", kOperator, "risk set account|strategy|instrument TARGET LIMIT VALUE",
       "change one limit now (0: off); docs/risk.md lists the limits and their units"},
      {"risk", "reload", kOperator, "risk reload",
       "apply the limits the config file now holds (as SIGHUP does)"},
      {"kill", "", kOperator, "kill [global | account NAME | strategy NAME]",
       "engage the kill switch: cancel every open order in scope, refuse new ones"},
      {"reset", "", kOperator, "reset [global | account NAME | strategy NAME]",
       "release the kill switch over the scope"},
      {"flatten", "", kOperator, "flatten [global | account NAME | strategy NAME]",
       "cancel the scope's open orders and send orders closing its positions"},
  };
  return specs;
}

const CommandSpec* find_command(const std::vector<std::string>& words) {
  if (words.empty()) return nullptr;
  const CommandSpec* verb_only = nullptr;
  for (const CommandSpec& spec : command_specs()) {
    if (spec.verb != words[0]) continue;
    if (spec.subverb.empty()) {
      verb_only = &spec;
    } else if (words.size() > 1 && spec.subverb == words[1]) {
      return &spec;
    }
  }
  // "strategies" alone lists; "strategies frobnicate" is no command.
  if (verb_only != nullptr && words[0] == "strategies" && words.size() > 1) return nullptr;
  return verb_only;
}

std::string command_help() {
  std::string out = "Commands (role needed):\n";
  for (const CommandSpec& spec : command_specs()) {
    std::string usage(spec.usage);
    usage.resize(std::max<size_t>(usage.size(), 64), ' ');
    out += "  " + usage + " (" + std::string(to_string(spec.role)) + ")\n      " +
           std::string(spec.summary) + "\n";
  }
  return out;
}

}  // namespace guiju::control
