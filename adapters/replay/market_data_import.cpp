#include "adapters/replay/market_data_import.hpp"

#include <array>
#include <stdexcept>
#include <utility>

#include "adapters/replay/binance_depth_csv_import.hpp"
#include "adapters/replay/csv_mapping_import.hpp"
#include "adapters/replay/hftbacktest_import.hpp"
#include "adapters/replay/lean_tick_import.hpp"

namespace guiju {

namespace {

constexpr std::array<std::pair<ImportFormat, std::string_view>, 6> kNames{{
    {ImportFormat::kLeanTick, "lean"},
    {ImportFormat::kHftbacktest, "hftbacktest"},
    {ImportFormat::kTrueFx, "truefx"},
    {ImportFormat::kHistData, "histdata"},
    {ImportFormat::kBinanceDepthCsv, "binance_depth"},
    {ImportFormat::kCsv, "csv"},
}};

}  // namespace

std::optional<ImportFormat> parse_import_format(std::string_view name) {
  for (const auto& [format, text] : kNames) {
    if (text == name) return format;
  }
  return std::nullopt;
}

std::string_view to_string(ImportFormat format) {
  for (const auto& [f, text] : kNames) {
    if (f == format) return text;
  }
  return "?";
}

ImportedData import_market_data(ImportFormat format, const std::filesystem::path& file,
                                const ImportOptions& options, const CsvMapping* mapping) {
  switch (format) {
    case ImportFormat::kLeanTick:
      return import_lean_tick(file, options);
    case ImportFormat::kHftbacktest:
      return import_hftbacktest(file, options);
    case ImportFormat::kTrueFx:
      return import_mapped_csv(file, truefx_mapping(), options);
    case ImportFormat::kHistData:
      return import_mapped_csv(file, histdata_mapping(), options);
    case ImportFormat::kBinanceDepthCsv:
      return import_binance_depth_csv(file, options);
    case ImportFormat::kCsv:
      if (mapping == nullptr) {
        throw std::invalid_argument(file.string() + ": format csv needs a CsvMapping");
      }
      return import_mapped_csv(file, *mapping, options);
  }
  throw std::invalid_argument(file.string() + ": unknown import format");
}

}  // namespace guiju
