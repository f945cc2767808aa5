#pragma once
// Appends records to the journal: segmented files, one hash chain, group commit.
//
// Single-threaded by design: one writer thread owns it (the journal service feeds it from the
// engine's audit ring). append() only copies into a pre-allocated buffer and extends the chain;
// commit() writes the buffer with one write() and makes it durable as the policy says.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/events/event_slot.hpp"
#include "core/journal/chain_hash.hpp"
#include "core/journal/record_format.hpp"

namespace guiju::journal {

enum class Durability : uint8_t {
  kEveryCommit = 1,  // fdatasync at every commit: a committed record survives power loss
  kInterval = 2,     // fdatasync at most every sync_interval: power loss can lose that window
  kOsBuffered = 3,   // write() only: survives a process crash, not power loss
};

struct WriterOptions {
  std::filesystem::path directory;
  std::string trading_date;               // YYYYMMDD, written into each segment header
  uint64_t segment_bytes = 256ull << 20;  // rotate when a segment would grow past this
  Durability durability = Durability::kEveryCommit;
  Duration sync_interval = 2 * kMillisecond;
  size_t buffer_bytes = 1 << 20;
  // When set, segment headers carry this time instead of the wall clock: a replay's journal
  // holds no wall-clock field, so two runs of it are byte-identical.
  std::optional<Timestamp> segment_time;
};

// What opening an existing journal found and did.
struct RecoveryReport {
  bool existing = false;       // false: a new journal was started
  uint64_t last_sequence = 0;  // the last record kept
  uint64_t cut_bytes = 0;      // torn tail removed from the last segment
  std::string cut_reason;      // why, with file and offset; empty when nothing was cut
};

class JournalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class JournalWriter {
 public:
  // Opens (or creates) the journal in options.directory. An existing journal's last segment is
  // checked: a torn tail (what a crash mid-write leaves) is cut back to the last complete,
  // chain-valid record and reported; any other damage is refused with a JournalError naming the
  // file, the byte offset and the sequence, because cutting it would lose records.
  explicit JournalWriter(WriterOptions options, RecoveryReport* report = nullptr);
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  // Adds one record to the buffer and the chain; returns its sequence. Throws JournalError when
  // the payload is too large. Rotates to a new segment first if this one is full.
  uint64_t append(uint16_t type, uint16_t version, Timestamp engine_time, Timestamp event_time,
                  Timestamp receive_time, std::span<const std::byte> payload);
  // An event, with its own type, version and times.
  uint64_t append(const EventSlot& event, Timestamp engine_time);

  // Writes everything appended so far and syncs as the policy says. Throws JournalError on an
  // I/O error (disk full, device gone): the caller must stop sending orders.
  void commit();
  // commit() and then fdatasync whatever the policy: before a checkpoint is signed.
  void commit_and_sync() {
    commit();
    sync();
  }
  // Under kInterval: when what was written since the last sync must be synced by (monotonic
  // time), or 0 when nothing written waits for a sync. A writer that goes idle calls sync_if_due()
  // by then: commit() syncs only when it runs, and the last group before a quiet spell would
  // otherwise wait for the next record to be synced, which may be hours.
  Timestamp sync_deadline() const { return unsynced_ ? last_sync_ + options_.sync_interval : 0; }
  // Syncs what was written if sync_deadline() has passed. Throws JournalError as commit() does.
  void sync_if_due();
  // Starts a new segment for a new trading day (the date goes into its header).
  void set_trading_date(const std::string& yyyymmdd);

  uint64_t last_sequence() const { return next_sequence_ - 1; }
  // Everything up to this sequence has been written (and synced, under kEveryCommit).
  uint64_t durable_sequence() const { return durable_sequence_; }
  const Digest& head() const { return head_; }
  const std::filesystem::path& current_segment() const { return segment_path_; }
  const std::filesystem::path& directory() const { return options_.directory; }
  const WriterOptions& options() const { return options_; }

 private:
  void recover(RecoveryReport* report);
  void open_new_segment();
  void close_segment();  // commit, sync, record in the manifest
  void write_manifest();
  void write_all(const std::byte* data, size_t size);
  void sync();

  WriterOptions options_;
  ChainHasher hasher_;
  std::vector<std::byte> buffer_;
  size_t buffered_ = 0;
  int fd_ = -1;
  std::filesystem::path segment_path_;
  uint64_t segment_first_ = 1;
  std::string segment_date_;   // trading date in the current segment's header
  uint64_t segment_size_ = 0;  // bytes in the file, committed or buffered
  uint64_t next_sequence_ = 1;
  uint64_t durable_sequence_ = 0;
  Timestamp last_sync_ = 0;
  bool unsynced_ = false;  // kInterval: bytes written since the last sync
  Digest head_{};
  struct ClosedSegment {
    std::string file;
    uint64_t first;
    uint64_t last;
    Digest head;
    std::string trading_date;
  };
  std::vector<ClosedSegment> manifest_;
};

// Segment files of a journal directory in sequence order.
std::vector<std::filesystem::path> list_segments(const std::filesystem::path& directory);
std::string segment_file_name(uint64_t first_sequence);

}  // namespace guiju::journal
