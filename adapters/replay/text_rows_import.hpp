#pragma once
// Delimited text read row by row, with or without a header, for the importers; CsvTable reads its
// lines through it too, so every text format here splits lines and fields the same way. The
// vendor files (LEAN, HistData) have no header and run to hundreds of thousands of rows, so this
// walks the text once, reusing one field vector, and parses numbers with std::from_chars and the
// fixed-point parser. Every error is a BadRow that names the source, the line, the column
// (1-based, as editors count) and the field.
//
// No quoting (none of the market-data files uses it); LF or CRLF line endings; blank lines are
// skipped; a last line without a newline is read like any other; spaces around a field are
// trimmed (users' CSVs write "a, b").

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/replay/event_sink_import.hpp"
#include "core/model/fixed_point.hpp"

namespace guiju {

// Decimal text ("167.41", "-0.5", "1674100") as a raw fixed-point value with 8 decimals, divided
// by `divisor` (a price written x10000 has divisor 10000) and rounded half away from zero to a
// multiple of `step_raw` (a tick; 1 when the value is kept to 8 decimals). nullopt, with the
// reason in *why, when the text is not a decimal or the value does not fit.
std::optional<int64_t> scaled_decimal(std::string_view text, int64_t divisor, int64_t step_raw,
                                      const char** why);

// A file's bytes; DataError naming the file when it cannot be read.
std::string read_file_text(const std::filesystem::path& file);

class TextRows {
 public:
  // `text` must outlive this; `source` names it in errors (file, or archive:member).
  TextRows(std::string_view text, std::string source, char delimiter = ',');

  // Column names for messages (a header row, or the format's documented names).
  void set_names(std::vector<std::string> names) { names_ = std::move(names); }
  const std::vector<std::string>& names() const { return names_; }

  // Moves to the next non-blank line and splits it; false at the end of the text.
  bool next();
  size_t line() const { return line_; }
  size_t size() const { return fields_.size(); }
  std::string_view text(size_t column) const { return fields_[column]; }
  // The row's fields, views into the text (valid while the text is).
  const std::vector<std::string_view>& fields() const { return fields_; }
  // Lines in the text, for reserving the output.
  size_t count_lines() const;

  // BadRow unless the row has exactly / at least `n` fields.
  void expect_fields(size_t n) const;
  void expect_at_least(size_t n) const;

  int64_t integer(size_t column) const;
  // A price: decimal text divided by `divisor`. Text with more than 8 decimals (floating-point
  // noise) is rounded to `tick` when tick is positive, else to 8 decimals; negative prices are
  // bad rows.
  Price price(size_t column, int64_t divisor = 1, Price tick = Price::zero()) const;
  // A non-negative quantity in decimal text.
  Quantity quantity(size_t column) const;

  [[noreturn]] void fail(size_t column, std::string_view what) const;
  [[noreturn]] void fail_row(std::string_view what) const;

 private:
  std::string_view rest_;
  std::string source_;
  char delimiter_;
  size_t line_ = 0;
  std::vector<std::string_view> fields_;
  std::vector<std::string> names_;
  std::string_view all_;
};

}  // namespace guiju
