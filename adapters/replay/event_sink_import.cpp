#include "adapters/replay/event_sink_import.hpp"

#include <stdexcept>

#include "core/clock/calendar.hpp"

namespace guiju {

EventSink::EventSink(const ImportOptions& options, std::string source)
    : options_(options), source_(std::move(source)) {}

void EventSink::skip(const BadRow& e) {
  if (options_.on_bad_row == BadRowPolicy::kStop) throw e;
  ++out_.stats.skipped;
  if (out_.stats.skipped_examples.size() < ImportStats::kMaxSkippedExamples) {
    out_.stats.skipped_examples.emplace_back(e.what());
  }
}

void EventSink::check_time(Timestamp t, size_t line) const {
  if (t < last_time_) {
    throw BadRow(source_ + ":" + std::to_string(line) + ": time " + format_utc(t) +
                 " is earlier than the previous record's " + format_utc(last_time_));
  }
}

InstrumentId EventSink::instrument(std::string_view symbol, size_t line) {
  if (last_instrument_ != kNoInstrument && symbol == last_symbol_) return last_instrument_;
  InstrumentId id = kNoInstrument;
  if (options_.instrument_of) {
    const auto found = options_.instrument_of(symbol);
    if (!found) {
      throw DataError(source_ + (line > 0 ? ":" + std::to_string(line) : "") +
                      ": unknown symbol '" + std::string(symbol) +
                      "' (no instrument configured for it)");
    }
    id = *found;
  } else if (options_.instrument) {
    id = *options_.instrument;
  } else {
    throw std::invalid_argument(source_ + ": symbol '" + std::string(symbol) +
                                "': set ImportOptions::instrument_of or ::instrument");
  }
  last_symbol_.assign(symbol);
  last_instrument_ = id;
  return id;
}

InstrumentId EventSink::fixed_instrument() const {
  if (!options_.instrument) {
    throw std::invalid_argument(
        source_ + ": the file names no instrument; set ImportOptions::" + "instrument");
  }
  return *options_.instrument;
}

ImportedData EventSink::finish() {
  out_.stats.events = out_.events.size();
  return std::move(out_);
}

}  // namespace guiju
