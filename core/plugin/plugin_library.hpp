#pragma once
// Loading a strategy plugin: a shared library that exports guiju_strategy_plugin (see
// plugins/guiju/strategy.h). Only files inside the configured plugin directories are loaded, and
// each is checked before any of its code runs beyond the entry function: its SHA-256 against
// the pin in the config (when there is one), the entry symbol, and the ABI major version.

#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "plugins/guiju/strategy.h"

namespace guiju {

// Why a plugin was refused; the message names the file and the check that failed.
class PluginError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PluginLoadOptions {
  std::vector<std::filesystem::path> directories;  // the only places plugins load from
  std::optional<std::array<uint8_t, 32>> sha256;   // the pin: refuse any other file
};

// A plugin file found in the configured directories and checked against its pin, not opened.
struct PluginFile {
  std::filesystem::path path;  // canonical
  std::array<uint8_t, 32> sha256{};
};

// Finds `file` (relative to the first directory that holds it, or absolute inside one of them)
// and hashes it; refuses a file outside the directories or one that does not match the pin. No
// code of the plugin runs: the out-of-process host's engine side uses this alone.
PluginFile locate_plugin(const std::string& file, const PluginLoadOptions& options);

// An open plugin. Shared by the strategies built from it; the library is closed with the last.
class PluginLibrary {
 public:
  // Resolves `file` (relative to the first directory that holds it, or absolute inside one of
  // them), checks it and opens it with RTLD_NOW | RTLD_LOCAL.
  static std::shared_ptr<PluginLibrary> open(const std::string& file,
                                             const PluginLoadOptions& options);
  ~PluginLibrary();
  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;

  const guiju_plugin& plugin() const { return *plugin_; }
  const std::filesystem::path& path() const { return path_; }
  const std::array<uint8_t, 32>& file_hash() const { return file_hash_; }

 private:
  PluginLibrary(void* handle, const guiju_plugin* plugin, std::filesystem::path path,
                const std::array<uint8_t, 32>& hash)
      : handle_(handle), plugin_(plugin), path_(std::move(path)), file_hash_(hash) {}

  void* handle_;
  const guiju_plugin* plugin_;
  std::filesystem::path path_;
  std::array<uint8_t, 32> file_hash_;
};

}  // namespace guiju
