// The SDK as a strategy developer outside this tree gets it: `cmake --install` into a fresh
// prefix, a plugin project in a directory of its own that only says find_package(guiju) and
// guiju_add_strategy(), built against the installed headers, then run by the installed guiju.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using guiju::test::run_command;
using guiju::test::TempDir;

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(SdkInstall, AnOutOfTreePluginBuildsAgainstTheInstalledSdkAndTrades) {
  TempDir prefix("guiju-sdk-prefix");
  TempDir project("guiju-sdk-project");

  const auto install = run_command(
      {CMAKE_COMMAND, "--install", GUIJU_BUILD_DIR, "--prefix", prefix.path().string()});
  ASSERT_EQ(install.exit_code, 0) << install.output;
  for (const char* f : {"include/guiju/strategy.h", "include/guiju/strategy.hpp",
                        "lib/cmake/guiju/guijuConfig.cmake", "bin/guiju"}) {
    EXPECT_TRUE(fs::exists(prefix.path() / f)) << f;
  }

  // The project: the sample mean-reversion source under another name, and a CMakeLists that
  // knows nothing of this tree.
  std::string source =
      read_file(fs::path(GUIJU_SOURCE_ROOT) / "strategies/mean_reversion/mean_reversion.cpp");
  source = std::regex_replace(source, std::regex("\"mean_reversion\""), "\"my_reversion\"");
  project.file("my_reversion.cpp", source);
  project.file(
      "CMakeLists.txt",
      "cmake_minimum_required(VERSION 3.16)\n"
      "project(my_reversion LANGUAGES CXX)\n"
      "find_package(guiju 1.0 REQUIRED)\n"
      "guiju_add_strategy(my_reversion OUTPUT_NAME my_reversion SOURCES my_reversion.cpp)\n");
  const fs::path build = project.path() / "build";
  const auto configure =
      run_command({CMAKE_COMMAND, "-S", project.path().string(), "-B", build.string(),
                   "-DCMAKE_PREFIX_PATH=" + prefix.path().string(), "-DCMAKE_BUILD_TYPE=Release"});
  ASSERT_EQ(configure.exit_code, 0) << configure.output;
  const auto compile = run_command({CMAKE_COMMAND, "--build", build.string()});
  ASSERT_EQ(compile.exit_code, 0) << compile.output;
  ASSERT_TRUE(fs::exists(build / "my_reversion.so")) << compile.output;

  // Loaded and trading, by the installed engine, on the sample's replay.
  std::string config =
      read_file(fs::path(GUIJU_SOURCE_ROOT) / "strategies/mean_reversion/config.yaml");
  config = std::regex_replace(config, std::regex("directories: \\[build/strategies\\]"),
                              "directories: [" + build.string() + "]");
  config = std::regex_replace(config, std::regex("plugin: mean_reversion.so"),
                              "plugin: my_reversion.so");
  config = std::regex_replace(config, std::regex("type: mean_reversion"), "type: my_reversion");
  const std::string config_path = project.file("engine.yaml", config);
  const auto run = run_command(
      {(prefix.path() / "bin/guiju").string(), "run", "--config", config_path, "--quiet"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(run.output, m, std::regex(R"(orders\s+(\d+) sent)"))) << run.output;
  EXPECT_GT(std::stoull(m[1]), 0u) << run.output;

  // An SDK of another major version is not offered to it.
  project.file("CMakeLists.txt",
               "cmake_minimum_required(VERSION 3.16)\n"
               "project(my_reversion LANGUAGES CXX)\n"
               "find_package(guiju 2.0 REQUIRED)\n");
  const auto newer = run_command({CMAKE_COMMAND, "-S", project.path().string(), "-B",
                                  (project.path() / "build2").string(),
                                  "-DCMAKE_PREFIX_PATH=" + prefix.path().string()});
  EXPECT_NE(newer.exit_code, 0) << newer.output;
}

}  // namespace
