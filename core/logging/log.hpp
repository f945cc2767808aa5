#pragma once
// Logging: spdlog, asynchronous (a background thread formats and writes), to the console and a
// rotating file. The engine logs lifecycle, warnings and summaries, never once per event: the hot
// path's record of every event is the audit journal, not the log.

#include <spdlog/spdlog.h>

#include <cstddef>
#include <string>

namespace guiju {

struct LogOptions {
  std::string level = "info";  // trace|debug|info|warn|error|off
  std::string directory;       // empty: console only
  std::string file_name = "guiju.log";
  size_t max_file_bytes = 64 << 20;
  size_t max_files = 5;
  bool console = true;
  size_t queue_size = 8192;  // async queue entries; full queue blocks (never drops)
};

// Sets up the process-wide logger. Safe to call again (replaces the previous one).
void init_logging(const LogOptions& options);
// Flushes and stops the background thread; call before exit.
void shutdown_logging();
// The process-wide logger (a console logger until init_logging is called).
spdlog::logger& log();

}  // namespace guiju
