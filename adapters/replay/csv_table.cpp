#include "adapters/replay/csv_table.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "adapters/replay/text_rows_import.hpp"

namespace guiju {

CsvTable::CsvTable(std::string text, std::string source)
    : text_(std::move(text)), source_(std::move(source)) {
  TextRows lines(text_, source_);
  while (lines.next()) {
    if (header_.empty()) {
      header_ = lines.fields();
      continue;
    }
    if (lines.size() != header_.size()) {
      // Not lines.fail_row(): that is a BadRow, which an import may skip, and a table whose rows
      // do not match its header is damaged as a whole.
      throw DataError(source_ + ":" + std::to_string(lines.line()) + ": " +
                      std::to_string(lines.size()) + " fields where the header has " +
                      std::to_string(header_.size()));
    }
    rows_.push_back(lines.fields());
    lines_.push_back(lines.line());
  }
  if (header_.empty()) throw DataError(source_ + ": empty (no header row)");
}

size_t CsvTable::column(std::string_view name) const {
  for (size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return i;
  }
  throw DataError(source_ + ":1: no column '" + std::string(name) + "' in the header");
}

void CsvTable::fail(size_t row, size_t column, const std::string& what) const {
  throw DataError(source_ + ":" + std::to_string(lines_[row]) + ": column '" +
                  std::string(header_[column]) + "': " + what + ", got '" +
                  std::string(rows_[row][column]) + "'");
}

std::string_view CsvTable::text(size_t row, size_t column) const {
  return rows_[row][column];
}

int64_t CsvTable::integer(size_t row, size_t column) const {
  const std::string_view f = rows_[row][column];
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
  if (ec != std::errc{} || end != f.data() + f.size()) fail(row, column, "expected an integer");
  return v;
}

double CsvTable::number(size_t row, size_t column) const {
  const std::string field(rows_[row][column]);
  char* end = nullptr;
  const double v = std::strtod(field.c_str(), &end);
  if (field.empty() || end != field.c_str() + field.size() || !std::isfinite(v)) {
    fail(row, column, "expected a number");
  }
  return v;
}

Price CsvTable::price(size_t row, size_t column, Price tick) const {
  const double v = number(row, column);
  if (v < 0) fail(row, column, "expected a price, not negative");
  const double ticks =
      std::round(v * static_cast<double>(Price::kScale) / static_cast<double>(tick.raw()));
  return Price::from_raw(static_cast<int64_t>(ticks) * tick.raw());
}

Quantity CsvTable::quantity(size_t row, size_t column) const {
  const double v = number(row, column);
  if (v < 0 || v != std::floor(v) || v > 9e12) fail(row, column, "expected a whole quantity");
  return Quantity::from_units(static_cast<int64_t>(v));
}

}  // namespace guiju
