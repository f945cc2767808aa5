#include "core/journal/journal_service.hpp"

#include "core/clock/clock.hpp"
#include "core/logging/log.hpp"

namespace guiju::journal {

JournalService::JournalService(WriterOptions options, size_t ring_capacity, RecoveryReport* report)
    : writer_(std::move(options), report), ring_(ring_capacity, BackPressure::kBlock, "audit") {
  durable_.store(writer_.durable_sequence(), std::memory_order_release);
  queued_ = writer_.last_sequence();
  thread_ = std::thread([this] { run(); });
}

JournalService::~JournalService() {
  stop();
}

bool JournalService::record(const EventSlot& event, Timestamp engine_time) {
  if (!healthy()) return false;
  const bool queued = ring_.emplace([&](AuditEntry& e) {
    e.engine_time = engine_time;
    e.event = event;
  });
  if (queued) ++queued_;
  return queued;
}

std::string JournalService::failure() const {
  const std::lock_guard lock(failure_mutex_);
  return failure_;
}

void JournalService::fail(const std::string& why) {
  {
    const std::lock_guard lock(failure_mutex_);
    failure_ = why;
  }
  failed_.store(true, std::memory_order_release);
  ring_.close();  // an engine waiting on a full ring must not wait for ever
  log().error("audit journal failed, no new orders will be sent: {}", why);
}

void JournalService::run() {
  // Once a second the service says how far the journal is durable: an operator (and the crash
  // test) can hold it to that after any crash.
  int64_t next_report = monotonic_now() + kSecond;
  for (;;) {
    if (monotonic_now() >= next_report) {
      next_report += kSecond;
      log().info("audit journal durable through sequence {}",
                 durable_.load(std::memory_order_acquire));
    }
    size_t n = 0;
    try {
      n = ring_.pop_batch([&](const AuditEntry& e) { writer_.append(e.event, e.engine_time); },
                          4096);
      if (n != 0) {
        writer_.commit();
        durable_.store(writer_.durable_sequence(), std::memory_order_release);
      }
    } catch (const std::exception& e) {
      fail(e.what());
      return;
    }
    if (n == 0) {
      if (stopping_.load(std::memory_order_acquire) && ring_.empty()) return;
      std::this_thread::sleep_for(std::chrono::microseconds(20));
    }
  }
}

void JournalService::stop() {
  if (!thread_.joinable()) return;
  stopping_.store(true, std::memory_order_release);
  thread_.join();
  if (healthy()) {
    try {
      writer_.commit();
      durable_.store(writer_.durable_sequence(), std::memory_order_release);
    } catch (const std::exception& e) {
      fail(e.what());
    }
  }
}

}  // namespace guiju::journal
