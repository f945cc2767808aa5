#pragma once
// A CSV file described by a CsvMapping (csv_mapping.hpp): the user's own files, and the TrueFX
// and HistData presets. One row is one event:
//   trades            -> Trade (aggressor from the side column, else the tick test; trade_id is
//                        the row's line number)
//   quotes            -> Quote (sizes 0 when the mapping names no size columns)
//   one_sided_quotes  -> Quote, the side a row leaves empty (or 0) carried forward per instrument
// Columns the mapping does not name are ignored. Times become UTC nanoseconds as the mapping's
// time format says; prices are the column's decimal value / price_scale, exact when written with
// up to 8 decimals, and otherwise (binary floating-point noise, "1801.00999999999999") rounded
// to ImportOptions::tick_size when that is set, else to 8 decimals. Rows must be in
// non-decreasing time order.
//
// Errors: a mapping that cannot describe a file throws std::invalid_argument (validate()); a
// header without a named column throws DataError naming the file and column; a malformed row is
// a BadRow naming file, line, column and field (stopped or skipped per ImportOptions).

#include <filesystem>

#include "adapters/replay/imported_data.hpp"
#include "core/data/csv_mapping.hpp"

namespace guiju {

ImportedData import_mapped_csv(const std::filesystem::path& file, const CsvMapping& mapping,
                               const ImportOptions& options);

}  // namespace guiju
