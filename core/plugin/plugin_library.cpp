#include "core/plugin/plugin_library.hpp"

#include <dlfcn.h>

#include <cstddef>
#include <cstring>

#include "core/journal/chain_hash.hpp"

namespace guiju {

namespace {

// True when `path` (canonical) lies inside `directory` (canonical).
bool inside(const std::filesystem::path& path, const std::filesystem::path& directory) {
  auto p = path.begin();
  for (auto d = directory.begin(); d != directory.end(); ++d, ++p) {
    if (p == path.end() || *p != *d) return false;
  }
  return p != path.end();
}

std::string version_text(unsigned major, unsigned minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

// The file the config names, found in (and only in) the configured directories.
std::filesystem::path resolve(const std::string& file, const PluginLoadOptions& options) {
  namespace fs = std::filesystem;
  if (options.directories.empty()) {
    throw PluginError("plugin '" + file +
                      "': no plugin directories are configured (plugins.directories)");
  }
  std::vector<fs::path> candidates;
  const fs::path named(file);
  if (named.is_absolute()) {
    candidates.push_back(named);
  } else {
    for (const fs::path& d : options.directories) candidates.push_back(d / named);
  }
  for (const fs::path& candidate : candidates) {
    std::error_code ec;
    fs::path real = fs::canonical(candidate, ec);  // symlinks resolved: no escaping
    if (ec || !fs::is_regular_file(real)) continue;
    for (const fs::path& d : options.directories) {
      const fs::path dir = fs::weakly_canonical(d, ec);
      if (!ec && inside(real, dir)) return real;
    }
    throw PluginError("plugin '" + file + "': " + real.string() +
                      " is outside the configured plugin directories; refused");
  }
  std::string searched;
  for (const fs::path& d : options.directories) {
    searched += (searched.empty() ? "" : ", ") + d.string();
  }
  throw PluginError("plugin '" + file + "': not found in the plugin directories (" + searched +
                    ")");
}

}  // namespace

PluginFile locate_plugin(const std::string& file, const PluginLoadOptions& options) {
  PluginFile out;
  out.path = resolve(file, options);
  // Hashed before it is opened: a file that does not match its pin never runs any code.
  out.sha256 = journal::sha256_file(out.path);
  if (options.sha256 && *options.sha256 != out.sha256) {
    throw PluginError("plugin " + out.path.string() + ": SHA-256 " + journal::to_hex(out.sha256) +
                      " does not match the pin in the config (" + journal::to_hex(*options.sha256) +
                      "); refused");
  }
  return out;
}

std::shared_ptr<PluginLibrary> PluginLibrary::open(const std::string& file,
                                                   const PluginLoadOptions& options) {
  const PluginFile located = locate_plugin(file, options);
  const std::filesystem::path& path = located.path;
  const journal::Digest& hash = located.sha256;
  const std::string where = "plugin " + path.string();

  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* error = ::dlerror();  // NOLINT(concurrency-mt-unsafe): loading is single-threaded
    throw PluginError(where + ": cannot be loaded: " + (error ? error : "unknown error"));
  }
  auto close_and_throw = [&](const std::string& message) {
    ::dlclose(handle);
    throw PluginError(where + ": " + message);
  };
  void* symbol = ::dlsym(handle, GUIJU_ENTRY_SYMBOL);
  if (symbol == nullptr) {
    close_and_throw("entry symbol '" GUIJU_ENTRY_SYMBOL
                    "' is missing (export it with GUIJU_EXPORT_STRATEGY); refused");
  }
  guiju_plugin_entry_fn entry = nullptr;
  static_assert(sizeof entry == sizeof symbol);
  std::memcpy(&entry, &symbol, sizeof entry);  // object pointer to function pointer, POSIX-style
  const guiju_plugin* plugin = entry();
  if (plugin == nullptr) close_and_throw("entry function returned no plugin description");
  if (plugin->abi_major != GUIJU_ABI_MAJOR) {
    close_and_throw("built for strategy ABI " + version_text(plugin->abi_major, plugin->abi_minor) +
                    ", this engine provides ABI " + version_text(GUIJU_ABI_MAJOR, GUIJU_ABI_MINOR) +
                    " (the major versions differ); rebuild it against this SDK");
  }
  if (plugin->type == nullptr || plugin->type[0] == '\0') {
    close_and_throw("the plugin description names no strategy type");
  }
  if (plugin->callbacks.create == nullptr || plugin->callbacks.destroy == nullptr) {
    close_and_throw("the plugin has no create or destroy callback");
  }
  if (plugin->callbacks.struct_size < offsetof(guiju_strategy_callbacks, on_signal_timeout)) {
    close_and_throw("the plugin's callback table is too small (" +
                    std::to_string(plugin->callbacks.struct_size) + " bytes)");
  }
  return std::shared_ptr<PluginLibrary>(new PluginLibrary(handle, plugin, path, hash));
}

PluginLibrary::~PluginLibrary() {
  ::dlclose(handle_);
}

}  // namespace guiju
