#pragma once
// A CSV file with a header row, read whole: fields looked up by column name, typed getters, and
// errors that name the source, the line and the column. Lines and fields are split by TextRows,
// like every other text format here: comma-separated, no quoting (the market data files here use
// none), LF or CRLF line endings, an optional final newline, blank lines skipped, spaces around a
// field trimmed.

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/fixed_point.hpp"

namespace guiju {

// Bad data: the message names the source (file, or archive and member), line and column.
class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class CsvTable {
 public:
  // Takes the text; `source` names it in errors.
  CsvTable(std::string text, std::string source);

  // The index of a column; throws DataError naming the source and the column when absent.
  size_t column(std::string_view name) const;
  size_t rows() const { return rows_.size(); }

  std::string_view text(size_t row, size_t column) const;
  int64_t integer(size_t row, size_t column) const;
  double number(size_t row, size_t column) const;  // plain or exponent form
  // A price written as a decimal that may carry binary floating-point noise ("1801.00999999"),
  // rounded to the nearest multiple of `tick`.
  Price price(size_t row, size_t column, Price tick) const;
  // A whole-share quantity written as an integer or a decimal ("100" or "100.0").
  Quantity quantity(size_t row, size_t column) const;
  // The source line of a row (the header is line 1).
  size_t line(size_t row) const { return lines_[row]; }

  [[noreturn]] void fail(size_t row, size_t column, const std::string& what) const;

 private:
  std::string text_;
  std::string source_;
  std::vector<std::string_view> header_;
  std::vector<std::vector<std::string_view>> rows_;
  std::vector<size_t> lines_;
};

}  // namespace guiju
