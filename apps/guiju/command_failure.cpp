#include "apps/guiju/command_failure.hpp"

#include <exception>
#include <iostream>

#include "adapters/replay/csv_table.hpp"
#include "adapters/replay/zip_reader.hpp"
#include "core/config/config_error.hpp"
#include "core/config/config_loader.hpp"
#include "core/logging/log.hpp"

namespace guiju {

std::optional<EngineConfig> load_config_for_command(const std::string& path) {
  try {
    return load_engine_config(path);
  } catch (const ConfigError& e) {
    std::cerr << "guiju: config error: " << e.what() << "\n";
    return std::nullopt;
  }
}

int exit_code_for_failure(std::string_view command) {
  try {
    throw;
  } catch (const ConfigError& e) {
    shutdown_logging();
    std::cerr << "guiju: config error: " << e.what() << "\n";
    return 2;
  } catch (const DataError& e) {
    shutdown_logging();
    std::cerr << "guiju: bad market data: " << e.what() << "\n";
    return 1;
  } catch (const ZipError& e) {
    shutdown_logging();
    std::cerr << "guiju: bad market data: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    log().error("guiju {} failed: {}", command, e.what());
    shutdown_logging();
    std::cerr << "guiju: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace guiju
