#pragma once
// Binance order-book CSV, one price level per row (the layout nautilus_trader's test data uses):
//   symbol,timestamp,first_update_id,last_update_id,side,update_type,price,qty,pu
// Consecutive rows with the same symbol, timestamp and last_update_id are one book event. A
// `snap` event replaces the symbol's book; `set` rows change one level each (qty 0 deletes it).
// After each event the importer emits one BookUpdate with the book's top kBookDepth levels per
// side, event time = timestamp (ms since the epoch, UTC; the file has no receive time).
//
// A file of updates without a snapshot builds its book from the updates alone, as the source
// project's loader does: the result shows only the levels the updates touched. Between
// consecutive `set` events of a symbol, pu must equal the previous event's last_update_id. A gap
// is bad data: it stops the import, or under BadRowPolicy::kSkip is reported (skipped) and the
// symbol's book is out of sync, publishing nothing until the next `snap` event (its updates
// counted as dropped), because a book missing updates can show levels that are gone. Columns
// are found by name in the header; first_update_id is checked to be an integer and not
// otherwise used.

#include <filesystem>

#include "adapters/replay/imported_data.hpp"

namespace guiju {

ImportedData import_binance_depth_csv(const std::filesystem::path& file,
                                      const ImportOptions& options);

}  // namespace guiju
