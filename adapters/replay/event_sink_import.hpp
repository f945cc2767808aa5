#pragma once
// Where every importer puts its events: stamps the header (event and receive time, sequence 1, 2,
// 3 ... per import, the configured source id), holds the import to non-decreasing event times
// (replay requires it), resolves symbols to instruments, and applies the bad-row policy in one
// place, so that each format's file only says how its rows map to events.

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "adapters/replay/csv_table.hpp"
#include "adapters/replay/imported_data.hpp"
#include "core/events/event_slot.hpp"

namespace guiju {

// One malformed row. A DataError, so a caller that stops on bad data sees the usual type; the
// sink catches only this type under BadRowPolicy::kSkip, so errors that are not about one row
// (an unknown symbol, a damaged archive) are never skipped.
class BadRow : public DataError {
 public:
  using DataError::DataError;
};

class EventSink {
 public:
  // `source` names the file (and member) in messages.
  EventSink(const ImportOptions& options, std::string source);

  const std::string& source() const { return source_; }
  void reserve(size_t events) { out_.events.reserve(events); }

  // Runs `parse` for one row: a BadRow it throws stops the import (kStop) or is counted and
  // kept as an example (kSkip). Parse everything and call check_time before changing any
  // state, so that a skipped row leaves no trace.
  template <typename F>
  void row(F&& parse) {
    ++out_.stats.rows;
    try {
      parse();
    } catch (const BadRow& e) {
      skip(e);
    }
  }
  // Counts a row that is well-formed but deliberately produces no event (ImportStats::dropped).
  void drop() { ++out_.stats.dropped; }
  // Records a bad row found outside row() (kSkip), or throws it (kStop).
  void skip(const BadRow& e);

  // Throws BadRow when `t` is earlier than the last event's time: replay needs time order.
  void check_time(Timestamp t, size_t line) const;

  template <Event T>
  void emit(T event, Timestamp event_time, Timestamp receive_time) {
    event.header = make_header<T>(event_time, receive_time, options_.source_id);
    event.header.sequence = ++sequence_;
    last_time_ = event_time;
    out_.events.emplace_back().store(event);
  }

  // The instrument of a symbol the file names: options.instrument_of, else the fixed
  // options.instrument. An unknown symbol throws DataError naming the file, line and symbol,
  // whatever the policy: it is a configuration problem, not a bad row. `line` 0: the file's
  // name carries the symbol.
  InstrumentId instrument(std::string_view symbol, size_t line);
  // The instrument of a file that names none: options.instrument, else std::invalid_argument.
  InstrumentId fixed_instrument() const;

  ImportedData finish();

 private:
  const ImportOptions& options_;
  std::string source_;
  ImportedData out_;
  uint64_t sequence_ = 0;
  Timestamp last_time_ = std::numeric_limits<Timestamp>::min();
  std::string last_symbol_;  // one lookup per change of symbol, not per row
  InstrumentId last_instrument_ = kNoInstrument;
};

}  // namespace guiju
