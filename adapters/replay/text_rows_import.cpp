#include "adapters/replay/text_rows_import.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

namespace guiju {

namespace {

// Decimals read before rounding: more than any data file writes, and 10^30 fits 128 bits.
constexpr int kMaxDecimals = 30;

}  // namespace

std::optional<int64_t> scaled_decimal(std::string_view text, int64_t divisor, int64_t step_raw,
                                      const char** why) {
  auto fail = [&](const char* reason) -> std::optional<int64_t> {
    if (why != nullptr) *why = reason;
    return std::nullopt;
  };
  if (divisor <= 0 || step_raw <= 0) return fail("bad scale");
  // Data files may sign positive numbers ("+0.5"); the fixed-point parser takes only a minus.
  if (text.starts_with('+') && !text.substr(1).starts_with('-')) text.remove_prefix(1);
  std::string error;
  const auto digits = fixed_point::parse_decimal_digits(text, kMaxDecimals, &error);
  if (!digits) {
    // A number that does not fit keeps its reason; any other text is simply not a number.
    if (error == fixed_point::kTooManyDecimals) return fail(fixed_point::kTooManyDecimals);
    if (error == fixed_point::kOutOfRange) return fail(fixed_point::kOutOfRange);
    return fail("expected a decimal number");
  }
  const auto [mantissa, decimals] = *digits;
  int128 raw = 0;
  if (decimals <= Price::kDecimals && divisor == 1 && step_raw == 1) {
    // The common case, exact without a 128-bit division.
    const int128 scale = fixed_point::pow10(Price::kDecimals - decimals);
    if (__builtin_mul_overflow(mantissa, scale, &raw)) return fail(fixed_point::kOutOfRange);
  } else {
    // mantissa x 10^8 / (10^decimals x divisor x step), rounded once, then back to raw units.
    int128 den = 1;
    for (int d = 0; d < decimals; ++d) den *= 10;
    int128 num = 0;
    if (__builtin_mul_overflow(mantissa, static_cast<int128>(Price::kScale), &num) ||
        __builtin_mul_overflow(den, static_cast<int128>(divisor), &den) ||
        __builtin_mul_overflow(den, static_cast<int128>(step_raw), &den)) {
      return fail(fixed_point::kOutOfRange);
    }
    const int128 steps = fixed_point::div_round(num, den);
    if (__builtin_mul_overflow(steps, static_cast<int128>(step_raw), &raw)) {
      return fail(fixed_point::kOutOfRange);
    }
  }
  if (raw > INT64_MAX || raw < INT64_MIN) return fail(fixed_point::kOutOfRange);
  return static_cast<int64_t>(raw);
}

std::string read_file_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw DataError(file.string() + ": cannot open the file");
  std::ostringstream all;
  all << in.rdbuf();
  if (in.bad()) throw DataError(file.string() + ": cannot read the file");
  return std::move(all).str();
}

TextRows::TextRows(std::string_view text, std::string source, char delimiter)
    : rest_(text), source_(std::move(source)), delimiter_(delimiter), all_(text) {}

size_t TextRows::count_lines() const {
  return static_cast<size_t>(std::count(all_.begin(), all_.end(), '\n')) + 1;
}

bool TextRows::next() {
  const bool trim_tabs = delimiter_ != '\t';
  const bool trim_spaces = delimiter_ != ' ';
  auto trim = [&](std::string_view f) {
    while (!f.empty() && ((trim_spaces && f.front() == ' ') || (trim_tabs && f.front() == '\t'))) {
      f.remove_prefix(1);
    }
    while (!f.empty() && ((trim_spaces && f.back() == ' ') || (trim_tabs && f.back() == '\t'))) {
      f.remove_suffix(1);
    }
    return f;
  };
  while (!rest_.empty()) {
    const size_t end = rest_.find('\n');
    std::string_view line = rest_.substr(0, end);
    rest_ = end == std::string_view::npos ? std::string_view{} : rest_.substr(end + 1);
    ++line_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty()) continue;
    fields_.clear();  // keeps its capacity: no allocation per row
    size_t start = 0;
    for (size_t i = 0; i <= line.size(); ++i) {
      if (i == line.size() || line[i] == delimiter_) {
        fields_.push_back(trim(line.substr(start, i - start)));
        start = i + 1;
      }
    }
    return true;
  }
  return false;
}

void TextRows::fail_row(std::string_view what) const {
  throw BadRow(source_ + ":" + std::to_string(line_) + ": " + std::string(what));
}

void TextRows::fail(size_t column, std::string_view what) const {
  std::string name = column < names_.size() && !names_[column].empty()
                         ? "field '" + names_[column] + "'"
                         : "field " + std::to_string(column + 1);
  throw BadRow(source_ + ":" + std::to_string(line_) + ":" + std::to_string(column + 1) + ": " +
               name + ": " + std::string(what) + ", got '" + std::string(fields_[column]) + "'");
}

void TextRows::expect_fields(size_t n) const {
  if (fields_.size() != n) {
    fail_row(std::to_string(fields_.size()) + " fields, expected " + std::to_string(n));
  }
}

void TextRows::expect_at_least(size_t n) const {
  if (fields_.size() < n) {
    fail_row(std::to_string(fields_.size()) + " fields, expected at least " + std::to_string(n));
  }
}

int64_t TextRows::integer(size_t column) const {
  const std::string_view f = fields_[column];
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
  if (ec != std::errc{} || end != f.data() + f.size()) fail(column, "expected an integer");
  return v;
}

Price TextRows::price(size_t column, int64_t divisor, Price tick) const {
  // More decimals than a Price holds is binary floating-point noise ("1801.00999999999999"),
  // which the tick rounds away; a price written within 8 decimals is kept exactly, even off the
  // tick, so that a misconfigured tick never silently moves real prices.
  const std::string_view f = fields_[column];
  const size_t dot = f.find('.');
  const bool noise = dot != std::string_view::npos && f.size() - dot - 1 > Price::kDecimals;
  const char* why = nullptr;
  const auto raw = scaled_decimal(f, divisor, noise && tick.is_positive() ? tick.raw() : 1, &why);
  if (!raw) fail(column, why);
  if (*raw < 0) fail(column, "expected a price, not negative");
  return Price::from_raw(*raw);
}

Quantity TextRows::quantity(size_t column) const {
  const char* why = nullptr;
  const auto raw = scaled_decimal(fields_[column], 1, 1, &why);
  if (!raw) fail(column, why);
  if (*raw < 0) fail(column, "expected a quantity, not negative");
  return Quantity::from_raw(*raw);
}

}  // namespace guiju
