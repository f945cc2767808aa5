#pragma once
// One entry point for every recorded market-data format the importers read, by name, so that a
// config or command line can say `format: lean` and a path. docs/market-data-formats.md maps
// each format's columns to the engine's events.
//
//   lean           LEAN tick ZIP, trades or quotes            lean_tick_import.hpp
//   hftbacktest    Binance WebSocket recording (.gz)          hftbacktest_import.hpp
//   truefx         TrueFX tick CSV                            csv_mapping.hpp truefx_mapping()
//   histdata       HistData.com ASCII tick CSV                csv_mapping.hpp histdata_mapping()
//   binance_depth  Binance order-book CSV, a level per row    binance_depth_csv_import.hpp
//   csv            the user's CSV, described by a CsvMapping  csv_mapping_import.hpp

#include <filesystem>
#include <optional>
#include <string_view>

#include "adapters/replay/imported_data.hpp"
#include "core/data/csv_mapping.hpp"

namespace guiju {

enum class ImportFormat : uint8_t {
  kLeanTick,
  kHftbacktest,
  kTrueFx,
  kHistData,
  kBinanceDepthCsv,
  kCsv
};

// "lean", "hftbacktest", "truefx", "histdata", "binance_depth", "csv"; nullopt otherwise.
std::optional<ImportFormat> parse_import_format(std::string_view name);
std::string_view to_string(ImportFormat format);

// Reads the whole file as engine events. `mapping` is required for kCsv (std::invalid_argument
// without it) and ignored otherwise. Bad data throws DataError (or is skipped, per
// options.on_bad_row); a mapping or options that cannot work throw std::invalid_argument.
ImportedData import_market_data(ImportFormat format, const std::filesystem::path& file,
                                const ImportOptions& options, const CsvMapping* mapping = nullptr);

}  // namespace guiju
