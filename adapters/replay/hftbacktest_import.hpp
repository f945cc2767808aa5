#pragma once
// hftbacktest's raw Binance WebSocket recordings: a gzip file of lines `<local_ns> <json>`, where
// local_ns is the recorder's receive time (ns since the epoch, UTC) and the JSON is the message
// as received. Combined-stream messages {"stream":..., "data":{...}} become:
//   <sym>@depth...      depthUpdate: applied to a full book (price -> qty per side, qty 0
//                       removes the level); a BookUpdate with the top kBookDepth levels per side
//                       is emitted whenever those levels change, once the book is synced
//   <sym>@bookTicker    Quote: b/B best bid price/qty, a/A best ask price/qty
//   <sym>@trade         Trade: p price, q qty, t trade_id; m = true (buyer is the maker) means
//                       seller-initiated, Side::kSell
// Other streams are dropped (counted in ImportStats::dropped). The symbol `s` is resolved with
// ImportOptions::instrument_of; depth for one symbol per file (the REST snapshot names none).
//
// Times. event_time = receive_time = local_ns for every event. Only local_ns is on every line
// (bookTicker has no time field), the lines are in local_ns order, and replay needs
// non-decreasing event times; the exchange's E/T (milliseconds, and on this recording 1.25 s
// ahead of the recorder's clock) would interleave with bookTicker's local times out of order.
// The exchange times are therefore not carried.
//
// Book sync, Binance's rule for a diff-depth stream plus a REST snapshot. The line without
// `stream` is the snapshot {"lastUpdateId", "bids", "asks"}. Updates that arrive before it are
// kept; at the snapshot, those with u <= lastUpdateId are dropped and the rest applied in order,
// the first applied one having U <= lastUpdateId + 1 <= u. No BookUpdate is published before the
// snapshot: until then there is no book. Every update's U must be the previous update's u + 1;
// a gap is bad data: it stops the import, or under BadRowPolicy::kSkip the update is skipped and
// the book is out of sync, publishing nothing until a later snapshot (its updates dropped),
// since a book missing updates can show levels that are gone.
//
// Damaged gzip (bad header, corrupt data, checksum mismatch, truncation) is a DataError naming
// the file.

#include <filesystem>
#include <string>

#include "adapters/replay/imported_data.hpp"

namespace guiju {

ImportedData import_hftbacktest(const std::filesystem::path& file, const ImportOptions& options);

// The decompressed bytes of a gzip file (one or more members); DataError naming the file when it
// is not gzip or is damaged.
std::string gunzip_file(const std::filesystem::path& file);

}  // namespace guiju
