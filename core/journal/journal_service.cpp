#include "core/journal/journal_service.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "core/clock/clock.hpp"
#include "core/logging/log.hpp"

namespace guiju::journal {

JournalService::JournalService(WriterOptions options, size_t ring_capacity, RecoveryReport* report,
                               const CheckpointOptions& checkpoints)
    : writer_(std::move(options), report), ring_(ring_capacity, BackPressure::kBlock, "audit") {
  if (!checkpoints.private_key.empty()) {
    signer_ = std::make_unique<CheckpointSigner>(checkpoints.private_key);
    checkpoint_interval_ = checkpoints.interval;
  }
  durable_.store(writer_.durable_sequence(), std::memory_order_release);
  queued_ = writer_.last_sequence();
  thread_ = std::thread([this] { run(); });
}

JournalService::~JournalService() {
  stop();
}

bool JournalService::record(const EventSlot& event, Timestamp engine_time) {
  if (!healthy()) return false;
  // Copy the event's own bytes, not the whole slot: a quote is 80 bytes of a 384-byte slot.
  const size_t size = std::min<size_t>(event.header().size, EventSlot::kCapacity);
  const auto write = [&](AuditEntry& e) {
    e.engine_time = engine_time;
    std::memcpy(e.event.bytes, event.bytes, size);
  };
  bool queued = ring_.try_emplace(write);
  if (!queued) {
    // Full: the writer is a ring behind. Waiting is rare; timing it costs nothing otherwise.
    const auto began = std::chrono::steady_clock::now();
    queued = ring_.emplace(write);
    waited_ += std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::steady_clock::now() - began)
                   .count();
  }
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

// How long the writer sleeps when it finds the ring empty: 20 µs after a batch, since records come
// in bursts (a market-data message, the decision, the order, the report), doubling with each empty
// look up to 640 µs. A writer that woke every 20 µs all day took a fifth of a core on a quiet
// engine, and on a host with fewer cores than busy threads each of its wake-ups could take the
// core the engine thread or a FIX thread was about to need. The cost is bounded: the first record
// after a quiet spell waits at most 640 µs to be committed (configs/live.yaml syncs every 2 ms),
// and a busy engine keeps the writer finding work, so it never backs off. The ring holds 65,536
// records by default: at a million records a second, 65 ms.
constexpr int kMinIdleMicros = 20;
constexpr int kMaxIdleMicros = 640;
constexpr size_t kPopBatch = 4096;

void JournalService::run() {
  // Once a second the service says how far the journal is durable: an operator (and the crash
  // test) can hold it to that after any crash.
  int64_t next_report = monotonic_now() + kSecond;
  int64_t next_checkpoint = monotonic_now() + checkpoint_interval_;
  int idle_us = kMinIdleMicros;
  for (;;) {
    if (signer_ && monotonic_now() >= next_checkpoint) {
      next_checkpoint += checkpoint_interval_;
      try {
        checkpoint();
      } catch (const std::exception& e) {
        fail(e.what());
        return;
      }
    }
    // Loaded once per batch: the records it is told were appended are the ones it is told
    // were committed.
    JournalObserver* const observer = observer_.load(std::memory_order_acquire);
    if (monotonic_now() >= next_report) {
      next_report += kSecond;
      const uint64_t durable = durable_.load(std::memory_order_acquire);
      log().info("audit journal durable through sequence {}", durable);
      // Flushed at once: this is the line an operator holds the journal to after a crash, and a
      // crash loses what the logger still buffers (it flushes by itself only from warnings up).
      log().flush();
      if (observer != nullptr) observer->committed(durable);
    }
    size_t n = 0;
    try {
      // A group is what the ring holds, up to a ring's worth, committed once: popped 4,096 at a
      // time so that the engine gets the slots back as it goes. One pop a commit capped a group
      // at 4,096 records, and on a VM disk that syncs a megabyte in 2 ms the journal then kept up
      // with 240,000 market events a second at most (bench/README.md, engine_load_bench).
      for (size_t got = kPopBatch; got == kPopBatch && n < ring_.capacity();) {
        got = ring_.pop_batch(
            [&](const AuditEntry& e) {
              const uint64_t sequence = writer_.append(e.event, e.engine_time);
              if (observer != nullptr) observer->appended(sequence, e.event, e.engine_time);
            },
            kPopBatch);
        n += got;
      }
      if (n != 0) {
        writer_.commit();
        durable_.store(writer_.durable_sequence(), std::memory_order_release);
        if (observer != nullptr) observer->committed(writer_.durable_sequence());
      }
    } catch (const std::exception& e) {
      fail(e.what());
      return;
    }
    if (n == 0) {
      if (stopping_.load(std::memory_order_acquire) && ring_.empty()) return;
      std::this_thread::sleep_for(std::chrono::microseconds(idle_us));
      idle_us = std::min(idle_us * 2, kMaxIdleMicros);
    } else {
      idle_us = kMinIdleMicros;
    }
  }
}

void JournalService::checkpoint() {
  if (writer_.last_sequence() == checkpointed_sequence_) return;  // nothing new to sign
  writer_.commit_and_sync();  // a signed head must be on disk, whatever the policy
  durable_.store(writer_.durable_sequence(), std::memory_order_release);
  signer_->append(writer_.directory(), writer_.last_sequence(), writer_.head(), utc_now());
  checkpointed_sequence_ = writer_.last_sequence();
}

void JournalService::stop() {
  if (!thread_.joinable()) return;
  stopping_.store(true, std::memory_order_release);
  thread_.join();
  if (healthy()) {
    try {
      writer_.commit();
      durable_.store(writer_.durable_sequence(), std::memory_order_release);
      if (signer_) checkpoint();  // the session's final head is signed too
    } catch (const std::exception& e) {
      fail(e.what());
    }
  }
}

}  // namespace guiju::journal
