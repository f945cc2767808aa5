#include "core/journal/query.hpp"

#include <algorithm>
#include <set>

#include "core/journal/journal_writer.hpp"
#include "core/journal/segment_scan.hpp"

namespace guiju::journal {

std::string query_journal(const std::filesystem::path& directory, const QueryFilter& filter,
                          const std::function<void(const RecordFields&)>& f) {
  // The order's family grows as replaces name new ids, so a story follows the order through
  // every replace.
  std::set<OrderId> family;
  if (filter.order) family.insert(*filter.order);

  auto matches = [&](RecordFields& r) {
    if (filter.from && r.event_time < *filter.from) return false;
    if (filter.to && r.event_time >= *filter.to) return false;
    if (filter.instrument && r.instrument != *filter.instrument) return false;
    if (filter.account && r.account != *filter.account) return false;
    if (filter.strategy && r.strategy != *filter.strategy) return false;
    if (filter.type && r.type != *filter.type) return false;
    if (filter.order) {
      const bool named = std::any_of(r.orders.begin(), r.orders.end(),
                                     [&](OrderId id) { return family.contains(id); });
      if (!named) return false;
      family.insert(r.orders.begin(), r.orders.end());
    }
    return true;
  };

  return for_each_record(directory, [&](const RecordHeader& h, std::span<const std::byte> payload) {
    RecordFields r = record_fields(h, payload);
    if (matches(r)) f(r);
  });
}

std::string for_each_record(
    const std::filesystem::path& directory,
    const std::function<void(const RecordHeader&, std::span<const std::byte>)>& f) {
  std::optional<Digest> previous = Digest{};
  std::optional<uint64_t> next = 1;
  for (const auto& path : list_segments(directory)) {
    const SegmentScan scan =
        scan_segment(path, previous, next,
                     [&](const RecordHeader& h, std::span<const std::byte> payload,
                         uint64_t /*offset*/, const Digest& /*chain*/) { f(h, payload); });
    if (scan.problem) return describe(*scan.problem);
    previous = scan.head;
    next = scan.records > 0 ? scan.last_sequence + 1 : scan.header.first_sequence;
  }
  return {};
}

}  // namespace guiju::journal
