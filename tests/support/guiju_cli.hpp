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

}  // namespace guiju::test
