#pragma once
// Re-running a recorded session: the engine is fed the journal's inputs (market data, execution
// reports, control commands, signal replies and timer firings, each at its recorded engine time on
// a simulated clock), and everything it emits is held against what the session recorded. The first
// divergence is reported with both records. No venue and no GPU are needed: the venue's reports
// and the model's replies are inputs too.
//
// What is compared: each output's type and its bytes after the event header (orders with their
// ids, prices and quantities, risk refusals with limits and observed values, strategy lifecycle
// with parameter hashes and plugin file hashes, parameters). A plugin's path is not compared:
// the same file may live elsewhere on the re-running machine; its SHA-256 must match. Header
// timestamps are not compared: a live session stamps its decisions with a fresh clock read, a
// re-run with the recorded engine time.

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock/clock.hpp"
#include "core/engine/engine.hpp"
#include "core/journal/audit_sink.hpp"

namespace guiju {

struct RerunDivergence {
  uint64_t sequence = 0;  // of the recorded record where the runs part (0: past the end)
  std::string expected;   // the recorded record, as fields ("(nothing)" when none was recorded)
  std::string actual;     // what the re-run emitted ("(nothing)" when it emitted nothing)
};

// One recorded run of the engine, as its kEngineStarted record describes it.
struct RecordedSession {
  uint64_t first_sequence = 0;
  std::string mode;
  std::string trading_date;
  std::string software;  // empty when the run has no session record
  std::array<uint8_t, 32> config_hash{};
};

struct RerunResult {
  uint64_t records = 0;
  uint64_t inputs = 0;
  uint64_t outputs_compared = 0;
  std::vector<RecordedSession> sessions;  // every run re-run, in order
  std::optional<RerunDivergence> divergence;
  std::string damage;  // the journal is damaged here; the re-run stopped before it
};

// The engine's audit sink during a re-run: keeps what the engine emits for comparison.
class RerunRecorder final : public journal::AuditSink {
 public:
  bool record(const EventSlot& event, Timestamp engine_time) override;
  bool healthy() const override { return true; }
  std::string failure() const override { return {}; }
  std::vector<EventSlot> take();

 private:
  std::vector<EventSlot> emitted_;
};

// An engine for one recorded run. Each run is re-run on a fresh engine, as each was recorded by
// a fresh process: the engine must be built from the session's config, with
// EngineOptions::timers_from_journal, on clock(), with recorder() as its journal, not started.
class RerunTarget {
 public:
  virtual ~RerunTarget() = default;
  virtual Engine& engine() = 0;
  virtual SimulatedClock& clock() = 0;
  virtual RerunRecorder& recorder() = 0;
};

// Builds the engine for a run whose first order id was first_order_id (ids continue across
// restarts; 1 when the run sent no order).
using RerunTargetFactory = std::function<std::unique_ptr<RerunTarget>(OrderId first_order_id)>;

// Re-runs every run the journal holds, in order, and stops at the first divergence.
RerunResult rerun_journal(const std::filesystem::path& journal, const RerunTargetFactory& make);

// The data sources a replay journal names (its DataSourceEvent records, first run only); empty
// for a journal of a paper or live session, which holds its market data itself.
std::vector<DataSourceEvent> recorded_data_sources(const std::filesystem::path& journal);

// A replay journal holds no market data (only its hash), so a replay is re-run by replaying the
// same data again, with this sink in the journal's place: every record the engine journals,
// inputs and outputs alike, is held against the recorded one in order, with its engine time. A
// replay is deterministic: the same data and config give the same records. Only the journal's
// first run is compared (a journal directory can hold several replays, each a run).
class ReplayJournalMatcher final : public journal::AuditSink {
 public:
  explicit ReplayJournalMatcher(const std::filesystem::path& journal);
  bool record(const EventSlot& event, Timestamp engine_time) override;
  bool healthy() const override { return true; }
  std::string failure() const override { return {}; }
  // After the replay: the first divergence, including recorded records the re-run never made.
  std::optional<RerunDivergence> finish();
  uint64_t compared() const { return next_; }
  uint64_t recorded() const { return recorded_.size(); }
  int runs() const { return runs_; }  // runs in the journal (only the first is compared)
  const std::string& damage() const { return damage_; }

 private:
  struct Recorded {
    EventSlot event;
    Timestamp engine_time;
    uint64_t sequence;
  };
  std::vector<Recorded> recorded_;
  size_t next_ = 0;
  int runs_ = 0;
  std::optional<RerunDivergence> divergence_;
  std::string damage_;
};

}  // namespace guiju
