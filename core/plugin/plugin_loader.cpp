#include "core/plugin/plugin_loader.hpp"

#include <algorithm>
#include <span>
#include <vector>

#include "core/config/config_error.hpp"
#include "core/journal/chain_hash.hpp"

namespace guiju {

std::array<uint8_t, 32> parameters_hash(const StrategyParameters& parameters) {
  std::vector<std::string> lines;
  for (const auto& e : parameters.entries()) lines.push_back(e.key + "=" + e.value + "\n");
  std::sort(lines.begin(), lines.end());
  std::string text;
  for (const std::string& l : lines) text += l;
  return journal::sha256(std::as_bytes(std::span(text.data(), text.size())));
}

namespace {

// What the journal records of a strategy: its type and parameters, and the plugin file it runs.
StrategyIdentity identity_of(const StrategyConfig& s, const PluginFile& file,
                             const RemotePluginInfo& plugin) {
  StrategyIdentity id;
  id.type = plugin.type;
  id.parameters_hash = parameters_hash(s.parameters);
  id.plugin_path = file.path.string();
  id.plugin_hash = file.sha256;
  id.plugin_version = plugin.version;
  id.abi_major = plugin.abi_major;
  id.abi_minor = plugin.abi_minor;
  for (const auto& e : s.parameters.entries()) id.parameters.emplace_back(e.key, e.value);
  return id;
}

}  // namespace

LoadedStrategy PluginLoader::load(const StrategyConfig& s) {
  auto refuse = [&](const std::string& message) -> LoadedStrategy {
    throw ConfigError(config_file_, s.line, 1, "strategy '" + s.name + "' plugin", message);
  };
  PluginLoadOptions options;
  for (const std::string& d : plugins_.directories) options.directories.emplace_back(d);
  if (!s.sha256.empty()) {
    journal::Digest pin{};
    journal::from_hex(s.sha256, pin);  // the loader checked its form
    options.sha256 = pin;
  }
  if (s.out_of_process) return load_out_of_process(s, options);
  std::shared_ptr<PluginLibrary> library;
  try {
    auto& cached = open_[s.plugin];
    // A pin is checked for every strategy that names the file, not only the first.
    if (!cached || (options.sha256 && *options.sha256 != cached->file_hash())) {
      cached = PluginLibrary::open(s.plugin, options);
    }
    library = cached;
  } catch (const PluginError& e) {
    return refuse(e.what());
  } catch (const std::runtime_error& e) {  // the file could not be read to hash it
    return refuse(e.what());
  }
  const guiju_plugin& p = library->plugin();
  if (!s.type.empty() && s.type != p.type) {
    return refuse("the config expects strategy type '" + s.type + "' but " +
                  library->path().filename().string() + " provides '" + p.type + "'");
  }
  LoadedStrategy out;
  try {
    out.strategy = std::make_unique<PluginStrategy>(library, s.parameters);
  } catch (const PluginError& e) {
    return refuse(e.what());
  }
  out.identity =
      identity_of(s, {library->path(), library->file_hash()},
                  {p.type, p.version != nullptr ? p.version : "", p.abi_major, p.abi_minor});
  return out;
}

LoadedStrategy PluginLoader::load_out_of_process(const StrategyConfig& s,
                                                 const PluginLoadOptions& options) {
  auto refuse = [&](const std::string& message) -> LoadedStrategy {
    throw ConfigError(config_file_, s.line, 1, "strategy '" + s.name + "' plugin", message);
  };
  // Located and hashed here, loaded only over there: none of its code runs in the engine.
  PluginFile file;
  try {
    file = locate_plugin(s.plugin, options);
  } catch (const std::runtime_error& e) {
    return refuse(e.what());
  }
  RemoteHostOptions host;
  host.executable = host_executable_;
  host.endpoint = s.host_endpoint;
  host.reply_timeout = std::chrono::milliseconds(s.host_timeout_ms);
  std::unique_ptr<RemoteStrategy> remote;
  try {
    remote = std::make_unique<RemoteStrategy>(file, s.parameters, instruments_, host);
  } catch (const PluginError& e) {
    return refuse(e.what());
  }
  const RemotePluginInfo& info = remote->plugin_info();
  if (!s.type.empty() && s.type != info.type) {
    return refuse("the config expects strategy type '" + s.type + "' but " +
                  file.path.filename().string() + " provides '" + info.type + "'");
  }
  LoadedStrategy out;
  out.identity = identity_of(s, file, info);
  out.strategy = std::move(remote);
  return out;
}

}  // namespace guiju
