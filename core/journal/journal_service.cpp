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

// How long the writer sleeps when it finds the ring empty: its pickup delay after a batch, doubling
// with each empty look up to kMaxIdle (or the pickup delay, when that is longer).
//
// Each wake-up that finds records costs a write() (and, under every_commit, a sync) for however
// few it finds, and on a host with fewer cores than busy threads it can take the core the engine
// thread or a FIX thread was about to need. So the writer waits as long as the durability policy
// allows before it looks again:
// - every_commit: 20 µs. Records come in bursts (a market-data message, the decision, the order,
//   the report); a commit is a sync, and whoever chose this policy wants each record durable soon.
// - interval: a quarter of sync_interval (500 µs at the default 2 ms), between 20 µs and 1 ms. A
//   record cannot be durable before the next sync anyway; waking every 20 µs to write it to the
//   page cache sooner took the wire-to-wire latency from 1.0x to 1.3x-1.4x the bare QuickFIX
//   application's in bench/fix_wire_latency_bench on a 2-vCPU host (bench/README.md).
// - os_buffered: 500 µs: nothing is synced; the delay only sets how soon a record reaches the page
//   cache and the drop-copy feed.
// The writer also wakes for a sync that is due (JournalWriter::sync_deadline): the last group
// before a quiet spell is synced within the interval, not with the next record. A busy engine
// keeps the writer finding work, so it never sleeps. The ring holds 65,536 records by default: at
// a million records a second, 65 ms, against a pickup delay of at most 1 ms.
constexpr Duration kEveryCommitPickup = 20 * kMicrosecond;
constexpr Duration kBufferedPickup = 500 * kMicrosecond;
constexpr Duration kMaxIntervalPickup = kMillisecond;
constexpr Duration kMaxIdle = 640 * kMicrosecond;
constexpr size_t kPopBatch = 4096;

Duration pickup_delay(const WriterOptions& o) {
  switch (o.durability) {
    case Durability::kEveryCommit:
      return kEveryCommitPickup;
    case Durability::kInterval:
      return std::clamp(o.sync_interval / 4, kEveryCommitPickup, kMaxIntervalPickup);
    case Durability::kOsBuffered:
      return kBufferedPickup;
  }
  return kEveryCommitPickup;
}

void JournalService::run() {
  // Once a second the service says how far the journal is durable: an operator (and the crash
  // test) can hold it to that after any crash.
  int64_t next_report = monotonic_now() + kSecond;
  int64_t next_checkpoint = monotonic_now() + checkpoint_interval_;
  const Duration pickup = pickup_delay(writer_.options());
  const Duration max_idle = std::max(pickup, kMaxIdle);
  Duration idle = pickup;
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
      } else {
        writer_.sync_if_due();
      }
    } catch (const std::exception& e) {
      fail(e.what());
      return;
    }
    if (n == 0) {
      if (stopping_.load(std::memory_order_acquire) && ring_.empty()) return;
      Duration sleep = idle;
      if (const Timestamp due = writer_.sync_deadline(); due != 0) {
        sleep = std::clamp<Duration>(due - monotonic_now(), 0, sleep);
      }
      std::this_thread::sleep_for(std::chrono::nanoseconds(sleep));
      idle = std::min(idle * 2, max_idle);
    } else {
      idle = pickup;
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
