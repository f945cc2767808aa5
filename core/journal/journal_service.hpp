#pragma once
// The journal's writer thread: the engine hands every event it consumes or emits to an SPSC ring;
// this thread appends them to the journal in engine order and commits in groups (everything that
// arrived while the last commit was syncing goes into the next one).
//
// Fail closed (DESIGN.md rule 6): when a write or sync fails, the service stops accepting
// records and says why; the engine checks healthy() before any order leaves and cancels what it
// can. Records are never dropped: a full ring makes the engine wait.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "core/bus/spsc_ring.hpp"
#include "core/events/event_slot.hpp"
#include "core/journal/audit_sink.hpp"
#include "core/journal/checkpoint.hpp"
#include "core/journal/journal_observer.hpp"
#include "core/journal/journal_writer.hpp"

namespace guiju::journal {

struct AuditEntry {
  Timestamp engine_time = 0;
  EventSlot event;
};

struct CheckpointOptions {
  std::filesystem::path private_key;  // Ed25519 PEM; empty: no checkpoints
  Duration interval = 60 * kSecond;
};

class JournalService final : public AuditSink {
 public:
  // Opens the journal (recovering a torn tail, see JournalWriter) and starts the writer thread.
  JournalService(WriterOptions options, size_t ring_capacity, RecoveryReport* report = nullptr,
                 const CheckpointOptions& checkpoints = {});
  ~JournalService() override;  // stop()
  JournalService(const JournalService&) = delete;
  JournalService& operator=(const JournalService&) = delete;

  // Engine thread. Queues one record; returns false (and queues nothing) once the journal has
  // failed. Waits while the ring is full.
  bool record(const EventSlot& event, Timestamp engine_time) override;

  bool healthy() const override { return !failed_.load(std::memory_order_acquire); }
  // Why the journal failed (empty while healthy).
  std::string failure() const override;
  // Highest sequence written and committed under the configured durability policy.
  uint64_t durable_sequence() const { return durable_.load(std::memory_order_acquire); }
  // Records queued by the engine so far (the journal's sequence of the last one queued).
  uint64_t queued() const { return queued_; }
  // How many times the engine found the ring full and waited for the writer (back-pressure:
  // nothing is lost, the engine stalls).
  uint64_t full_waits() const { return ring_.full_count(); }

  // Writes everything queued, commits, and joins the thread. Idempotent.
  void stop();

  // Who follows the journal from the writer thread (null: nobody). Set it before the engine
  // records anything, or an observer misses what came before; it must outlive stop().
  void set_observer(JournalObserver* observer) {
    observer_.store(observer, std::memory_order_release);
  }

 private:
  void run();
  void fail(const std::string& why);
  void checkpoint();  // sync, then sign the durable head

  JournalWriter writer_;
  std::unique_ptr<CheckpointSigner> signer_;
  Duration checkpoint_interval_ = 0;
  uint64_t checkpointed_sequence_ = 0;
  SpscRing<AuditEntry> ring_;
  uint64_t queued_ = 0;
  std::atomic<bool> failed_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> durable_{0};
  std::atomic<JournalObserver*> observer_{nullptr};
  mutable std::mutex failure_mutex_;  // guards failure_ (written once, read rarely; not hot)
  std::string failure_;
  std::thread thread_;
};

}  // namespace guiju::journal
