#pragma once
// Running the guiju program from end-to-end tests: the binary, the shipped configs pointed at
// this build's sample strategies, and the reference data directory.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/reference_data.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju::test {

inline CommandResult run_guiju(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {GUIJU_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv);
}

inline std::string config_path(const std::string& name) {
  return std::string(GUIJU_SOURCE_ROOT) + "/configs/" + name;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A shipped config as text, its plugin directory pointed at this build's sample strategies (the
// tests run in the build tree, not from the repository root the configs are written for).
inline std::string read_config(const std::string& name) {
  return std::regex_replace(read_file(config_path(name)),
                            std::regex("directories: \\[build/strategies\\]"),
                            "directories: [" GUIJU_STRATEGY_DIR "]");
}

// configs/paper.yaml as text, set to run for `duration_seconds` with its state, journal and logs in
// `dir` and the given journal durability.
inline std::string paper_config_text(const TempDir& dir, int duration_seconds,
                                     const char* durability) {
  std::string text = read_config("paper.yaml");
  text = std::regex_replace(text, std::regex("duration_seconds: \\d+"),
                            "duration_seconds: " + std::to_string(duration_seconds));
  text = std::regex_replace(text, std::regex("state_dir: \\S+"),
                            "state_dir: " + (dir.path() / "state").string());
  text = std::regex_replace(text, std::regex("directory: journal/paper"),
                            "directory: " + (dir.path() / "journal").string());
  text = std::regex_replace(text, std::regex("directory: logs/paper"),
                            "directory: " + (dir.path() / "logs").string());
  text = std::regex_replace(text, std::regex("durability: \\S+"),
                            std::string("durability: ") + durability);
  return text;
}

// configs/paper.yaml with the market maker instead of mean reversion, at real time, for a run
// ended by a signal: it always has quotes resting, so a stop or a kill always has orders to
// cancel. `extra` is appended (another top-level section). Returns the file's path in `dir`.
inline std::string market_maker_paper_config(const TempDir& dir, const std::string& extra = "") {
  std::string text = paper_config_text(dir, 0, "interval");
  const std::regex strategies(R"(\nstrategies:\n(  .*\n|    .*\n)*)");
  text =
      std::regex_replace(text, strategies,
                         "\nstrategies:\n"
                         "  - name: market-maker\n"
                         "    plugin: market_maker.so\n"
                         "    account: paper\n"
                         "    instruments: [\"000001\"]\n"
                         "    parameters: { half_spread_ticks: 5, order_lots: 1, "
                         "max_inventory_lots: 20, skew_ticks_per_lot: 0.25, requote_ticks: 2 }\n");
  // A margin account, so that the ask side is not refused for want of shares; the market at its
  // own pace and quotes wide enough that they rest rather than fill.
  text = std::regex_replace(text, std::regex("\n  - name: paper\n"),
                            "\n  - name: paper\n    allow_short: true\n");
  text = std::regex_replace(text, std::regex("speed: \\d+"), "speed: 1");
  return dir.file("paper.yaml", text + extra);
}

}  // namespace guiju::test
