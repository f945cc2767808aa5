#include "core/data/csv_mapping.hpp"

#include <array>
#include <stdexcept>
#include <utility>

namespace guiju {

namespace {

constexpr std::array<std::pair<CsvKind, std::string_view>, 3> kKinds{{
    {CsvKind::kTrades, "trades"},
    {CsvKind::kQuotes, "quotes"},
    {CsvKind::kOneSidedQuotes, "one_sided_quotes"},
}};

constexpr std::array<std::pair<CsvTimeFormat, std::string_view>, 7> kTimeFormats{{
    {CsvTimeFormat::kEpochNs, "epoch_ns"},
    {CsvTimeFormat::kEpochUs, "epoch_us"},
    {CsvTimeFormat::kEpochMs, "epoch_ms"},
    {CsvTimeFormat::kEpochS, "epoch_s"},
    {CsvTimeFormat::kMsOfDay, "ms_of_day"},
    {CsvTimeFormat::kIso8601, "iso8601"},
    {CsvTimeFormat::kYyyymmddHhmmssmmm, "yyyymmdd_hhmmssmmm"},
}};

bool is_epoch(CsvTimeFormat f) {
  return f == CsvTimeFormat::kEpochNs || f == CsvTimeFormat::kEpochUs ||
         f == CsvTimeFormat::kEpochMs || f == CsvTimeFormat::kEpochS;
}

[[noreturn]] void invalid(const std::string& field, const std::string& what) {
  throw std::invalid_argument("csv mapping: " + field + ": " + what);
}

void check_column(const CsvMapping& m, const CsvColumn& c, const std::string& field, bool required,
                  const std::string& why) {
  if (!c.is_set()) {
    if (required) invalid(field, "missing; " + why);
    return;
  }
  if (!c.name.empty() && c.index) invalid(field, "give a column name or an index, not both");
  if (!c.name.empty() && !m.has_header) {
    invalid(field, "column '" + c.name + "' is a name, but the file has no header (header: " +
                       "false); give a 0-based index");
  }
}

}  // namespace

CsvColumn CsvColumn::parse(std::string_view text) {
  bool digits = !text.empty();
  size_t index = 0;
  for (const char c : text) {
    digits = digits && c >= '0' && c <= '9';
    if (digits) index = index * 10 + static_cast<size_t>(c - '0');
  }
  if (digits && text.size() <= 9) return at(index);
  return named(std::string(text));
}

void CsvMapping::validate() const {
  if (delimiter == '\n' || delimiter == '\r' || delimiter == '"' || delimiter == '\0') {
    invalid("delimiter", "must not be a line break, a quote or NUL");
  }
  if (price_scale < 1)
    invalid("price_scale", "must be 1 or more, got " + std::to_string(price_scale));
  check_column(*this, time, "time.column", true, "every row needs a time");
  if (utc_offset_minutes) {
    if (is_epoch(time_format) && *utc_offset_minutes != 0) {
      invalid("time.utc_offset", "epoch times are UTC; remove the offset");
    }
    if (*utc_offset_minutes <= -24 * 60 || *utc_offset_minutes >= 24 * 60) {
      invalid("time.utc_offset", "must be within -23:59 and +23:59");
    }
  }
  const bool trades = kind == CsvKind::kTrades;
  const std::string for_kind = "kind " + std::string(to_string(kind)) + " needs it";
  check_column(*this, price, "columns.price", trades, for_kind);
  check_column(*this, size, "columns.size", trades, for_kind);
  check_column(*this, side, "columns.side", false, "");
  check_column(*this, bid_price, "columns.bid_price", !trades, for_kind);
  check_column(*this, ask_price, "columns.ask_price", !trades, for_kind);
  check_column(*this, bid_size, "columns.bid_size", false, "");
  check_column(*this, ask_size, "columns.ask_size", false, "");
  check_column(*this, symbol, "columns.symbol", false, "");
  const std::string other = trades ? "quote" : "trade";
  const auto unused = [&](const CsvColumn& c, const char* field) {
    if (c.is_set())
      invalid(field, "a " + other + " column, but kind is " + std::string(to_string(kind)));
  };
  if (trades) {
    unused(bid_price, "columns.bid_price");
    unused(ask_price, "columns.ask_price");
    unused(bid_size, "columns.bid_size");
    unused(ask_size, "columns.ask_size");
  } else {
    unused(price, "columns.price");
    unused(size, "columns.size");
    unused(side, "columns.side");
  }
}

std::optional<CsvKind> parse_csv_kind(std::string_view name) {
  for (const auto& [kind, text] : kKinds) {
    if (text == name) return kind;
  }
  return std::nullopt;
}

std::string_view to_string(CsvKind kind) {
  for (const auto& [k, text] : kKinds) {
    if (k == kind) return text;
  }
  return "?";
}

std::optional<CsvTimeFormat> parse_csv_time_format(std::string_view name) {
  for (const auto& [format, text] : kTimeFormats) {
    if (text == name) return format;
  }
  return std::nullopt;
}

std::string_view to_string(CsvTimeFormat format) {
  for (const auto& [f, text] : kTimeFormats) {
    if (f == format) return text;
  }
  return "?";
}

std::optional<int> parse_utc_offset(std::string_view text) {
  if (text == "Z" || text == "z") return 0;
  if (text.size() < 3 || (text[0] != '+' && text[0] != '-')) return std::nullopt;
  const int sign = text[0] == '-' ? -1 : 1;
  std::string_view rest = text.substr(1);
  auto two = [](std::string_view s) -> std::optional<int> {
    if (s.size() != 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9') return std::nullopt;
    return (s[0] - '0') * 10 + (s[1] - '0');
  };
  std::optional<int> hours = two(rest.substr(0, 2));
  std::optional<int> minutes = 0;
  rest.remove_prefix(std::min<size_t>(2, rest.size()));
  if (!rest.empty() && rest[0] == ':') rest.remove_prefix(1);
  if (!rest.empty()) minutes = two(rest);
  if (!hours || !minutes || *hours > 23 || *minutes > 59) return std::nullopt;
  return sign * (*hours * 60 + *minutes);
}

CsvMapping truefx_mapping() {
  CsvMapping m;
  m.has_header = true;
  m.kind = CsvKind::kQuotes;
  m.time = CsvColumn::named("timestamp");
  m.time_format = CsvTimeFormat::kIso8601;
  m.bid_price = CsvColumn::named("bid");
  m.ask_price = CsvColumn::named("ask");
  return m;
}

CsvMapping histdata_mapping() {
  CsvMapping m;
  m.has_header = false;
  m.kind = CsvKind::kQuotes;
  m.time = CsvColumn::at(0);
  m.time_format = CsvTimeFormat::kYyyymmddHhmmssmmm;
  m.utc_offset_minutes = -5 * 60;
  m.bid_price = CsvColumn::at(1);
  m.ask_price = CsvColumn::at(2);
  return m;
}

}  // namespace guiju
