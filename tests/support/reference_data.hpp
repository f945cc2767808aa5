#pragma once
// Where the reference market data is (the shared data directory described in its README): the
// GUIJU_DATA_DIR environment variable when set, else the directory CMake found at configure time
// (tests/CMakeLists.txt: beside this repository, or beside the repository it was cloned from).
// Tests that need the data skip, saying where they looked, when there is none.

#include <cstdlib>
#include <filesystem>

namespace guiju::test {

inline std::filesystem::path reference_data_dir() {
  const char* env = std::getenv("GUIJU_DATA_DIR");
  if (env != nullptr && *env != '\0') return env;
  return GUIJU_REFERENCE_DATA_DIR;
}

}  // namespace guiju::test
