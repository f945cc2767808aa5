#pragma once
// Reading a journal back with filters: the basis of `guiju audit query` and `export`.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "core/journal/record_fields.hpp"

namespace guiju::journal {

struct QueryFilter {
  std::optional<Timestamp> from;  // event time >= from
  std::optional<Timestamp> to;    // event time < to
  std::optional<InstrumentId> instrument;
  std::optional<int64_t> account;
  std::optional<int64_t> strategy;
  std::optional<std::string> type;  // event type name, e.g. "new_order"
  // An order's whole story: every record that names it, and the orders it was replaced by.
  std::optional<OrderId> order;
};

// Calls f(header, payload) for every record in journal order, checking the chain as it goes.
// Returns where the journal is damaged (empty when it was read to the end).
std::string for_each_record(
    const std::filesystem::path& directory,
    const std::function<void(const RecordHeader&, std::span<const std::byte>)>& f);

// Calls f for every record that passes the filter, in journal order. Stops at the first damaged
// record and returns its description (empty when the whole journal was read): a query never
// reports past damage as if it were the record.
std::string query_journal(const std::filesystem::path& directory, const QueryFilter& filter,
                          const std::function<void(const RecordFields&)>& f);

}  // namespace guiju::journal
