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

#include "tests/support/run_command.hpp"

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

// ../shared/data beside the repository, or GUIJU_DATA_DIR.
inline std::filesystem::path reference_data_dir() {
  const char* env = std::getenv("GUIJU_DATA_DIR");
  if (env != nullptr && *env != '\0') return env;
  return std::filesystem::path(GUIJU_SOURCE_ROOT).parent_path() / "shared" / "data";
}

}  // namespace guiju::test
