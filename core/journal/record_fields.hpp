#pragma once
// A journal record as named fields, for queries and exports: the same decoding serves the text,
// CSV and JSON Lines outputs, so they can never disagree.

#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/events/event_slot.hpp"
#include "core/journal/record_format.hpp"

namespace guiju::journal {

struct RecordFields {
  uint64_t sequence = 0;
  std::string type;  // event type name
  Timestamp engine_time = 0;
  Timestamp event_time = 0;
  Timestamp receive_time = 0;
  // Ids the filters look at; kNo* when the event has none.
  InstrumentId instrument = kNoInstrument;
  int64_t account = -1;
  int64_t strategy = -1;
  std::vector<OrderId> orders;  // every order id the record mentions
  // Everything else, in a stable order: (name, value as text).
  std::vector<std::pair<std::string, std::string>> fields;
};

// Decodes one record. A payload that does not decode (unknown type or version) still yields the
// header fields and a "decode_error" field: an auditor sees it rather than losing it.
RecordFields record_fields(const RecordHeader& header, std::span<const std::byte> payload);
// The same for an event as the engine handed it to the journal (the writer thread's view: no
// bytes to check, the journal has just given it `sequence`).
RecordFields record_fields(uint64_t sequence, Timestamp engine_time, const EventSlot& event);

// The column names every CSV export has, in order (the first columns of every row).
const std::vector<std::string>& common_columns();

}  // namespace guiju::journal
