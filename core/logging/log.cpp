#include "core/logging/log.hpp"

#include <spdlog/async.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <filesystem>
#include <stdexcept>
#include <vector>

namespace guiju {

namespace {

constexpr const char* kPattern = "%Y-%m-%dT%H:%M:%S.%f %^%l%$ %v";

// A synchronous console logger: before init_logging and after shutdown_logging.
std::shared_ptr<spdlog::logger> console_logger() {
  auto l = std::make_shared<spdlog::logger>(
      "guiju", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  l->set_pattern(kPattern);
  return l;
}

// Loggers are kept out of spdlog's global registry so re-initialising never collides.
std::shared_ptr<spdlog::logger>& current() {
  static std::shared_ptr<spdlog::logger> logger = console_logger();
  return logger;
}

}  // namespace

void init_logging(const LogOptions& options) {
  const auto level = spdlog::level::from_str(options.level);
  if (level == spdlog::level::off && options.level != "off") {
    throw std::invalid_argument("unknown log level '" + options.level + "'");
  }
  std::vector<spdlog::sink_ptr> sinks;
  if (options.console) sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  if (!options.directory.empty()) {
    std::filesystem::create_directories(options.directory);
    const auto path = std::filesystem::path(options.directory) / options.file_name;
    sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
        path.string(), options.max_file_bytes, options.max_files));
  }
  spdlog::init_thread_pool(options.queue_size, 1);
  // block_retry: when the queue is full the caller waits; a log line is never silently dropped.
  auto logger = std::make_shared<spdlog::async_logger>("guiju", sinks.begin(), sinks.end(),
                                                       spdlog::thread_pool(),
                                                       spdlog::async_overflow_policy::block);
  logger->set_pattern(kPattern);
  logger->set_level(level);
  logger->flush_on(spdlog::level::warn);
  current() = logger;
}

void shutdown_logging() {
  current()->flush();
  current() = console_logger();  // releases the async logger before its thread pool goes
  spdlog::shutdown();
}

spdlog::logger& log() {
  return *current();
}

}  // namespace guiju
