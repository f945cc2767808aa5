#include "adapters/replay/csv_mapping_import.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <stdexcept>
#include <unordered_map>

#include "adapters/replay/event_sink_import.hpp"
#include "adapters/replay/text_rows_import.hpp"
#include "adapters/replay/tick_rule_import.hpp"
#include "core/clock/calendar.hpp"

namespace guiju {

namespace {

constexpr size_t kAbsent = std::numeric_limits<size_t>::max();

// The mapping's columns as indices into a row (kAbsent: not mapped).
struct Columns {
  size_t time = kAbsent;
  size_t price = kAbsent;
  size_t size = kAbsent;
  size_t side = kAbsent;
  size_t bid_price = kAbsent;
  size_t bid_size = kAbsent;
  size_t ask_price = kAbsent;
  size_t ask_size = kAbsent;
  size_t symbol = kAbsent;
  size_t needed = 0;  // fields a row must have
};

// Reads `digits` decimal digits at `at` of `f`; -1 when any is not a digit or `f` is too short.
int64_t digits_at(std::string_view f, size_t at, size_t digits) {
  if (at + digits > f.size()) return -1;
  int64_t v = 0;
  for (size_t i = at; i < at + digits; ++i) {
    if (f[i] < '0' || f[i] > '9') return -1;
    v = v * 10 + (f[i] - '0');
  }
  return v;
}

// Nanoseconds since the epoch of a local civil time, or nullopt when the fields are no date.
std::optional<Timestamp> civil(int64_t y, int64_t mo, int64_t d, int64_t h, int64_t mi, int64_t s,
                               int64_t ns, int offset_minutes) {
  if (y < 1678 || y > 2261 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59 || h < 0 ||
      mi < 0 || s < 0) {
    return std::nullopt;
  }
  const auto m = static_cast<unsigned>(mo);
  const int64_t day = days_from_civil(y, m, static_cast<unsigned>(d));
  const int64_t next_month = m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m + 1, 1);
  if (day >= next_month) return std::nullopt;
  return ((day * 86'400 + h * 3'600 + mi * 60 + s) * kSecond) + ns - offset_minutes * kMinute;
}

// Fraction digits after a decimal point as nanoseconds ("295000" -> 295,000,000); -1 when more
// than 9 digits or not digits.
int64_t fraction_ns(std::string_view f) {
  if (f.empty() || f.size() > 9) return -1;
  int64_t v = digits_at(f, 0, f.size());
  if (v < 0) return -1;
  for (size_t i = f.size(); i < 9; ++i) v *= 10;
  return v;
}

class TimeParser {
 public:
  TimeParser(const CsvMapping& m, const ImportOptions& options, const std::string& source)
      : format_(m.time_format),
        offset_(options.utc_offset_minutes ? *options.utc_offset_minutes
                                           : m.utc_offset_minutes.value_or(0)) {
    if (format_ == CsvTimeFormat::kMsOfDay) {
      const std::string& d = options.trading_date;
      const bool ok = d.size() == 8 &&
                      std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!ok) {
        throw std::invalid_argument(source +
                                    ": time format ms_of_day needs ImportOptions::trading_date "
                                    "(YYYYMMDD), got '" +
                                    d + "'");
      }
      midnight_ = utc_midnight(d) - offset_ * kMinute;
    }
  }

  Timestamp parse(const TextRows& rows, size_t column) const {
    const std::string_view f = rows.text(column);
    switch (format_) {
      case CsvTimeFormat::kEpochNs:
        return scaled(rows, column, 1);
      case CsvTimeFormat::kEpochUs:
        return scaled(rows, column, kMicrosecond);
      case CsvTimeFormat::kEpochMs:
        return scaled(rows, column, kMillisecond);
      case CsvTimeFormat::kEpochS:
        return seconds(rows, column);
      case CsvTimeFormat::kMsOfDay: {
        const int64_t ms = rows.integer(column);
        if (ms < 0 || ms >= 86'400'000) {
          rows.fail(column, "expected milliseconds since midnight, 0 to 86399999");
        }
        return midnight_ + ms * kMillisecond;
      }
      case CsvTimeFormat::kIso8601:
        return iso8601(rows, column, f);
      case CsvTimeFormat::kYyyymmddHhmmssmmm: {
        // YYYYMMDD HHMMSSmmm
        std::optional<Timestamp> t;
        if (f.size() == 18 && f[8] == ' ') {
          const int64_t ms = digits_at(f, 15, 3);
          t = civil(digits_at(f, 0, 4), digits_at(f, 4, 2), digits_at(f, 6, 2), digits_at(f, 9, 2),
                    digits_at(f, 11, 2), digits_at(f, 13, 2), ms * kMillisecond, offset_);
          if (ms < 0) t.reset();
        }
        if (!t) rows.fail(column, "expected a time YYYYMMDD HHMMSSmmm");
        return *t;
      }
    }
    rows.fail(column, "unknown time format");
  }

 private:
  static Timestamp scaled(const TextRows& rows, size_t column, int64_t unit) {
    const int64_t v = rows.integer(column);
    int64_t t = 0;
    if (__builtin_mul_overflow(v, unit, &t)) rows.fail(column, "time out of range");
    return t;
  }

  static Timestamp seconds(const TextRows& rows, size_t column) {
    const std::string_view f = rows.text(column);
    const size_t dot = f.find('.');
    const std::string_view whole = f.substr(0, dot);
    int64_t s = 0;
    const auto [end, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), s);
    const int64_t ns = dot == std::string_view::npos ? 0 : fraction_ns(f.substr(dot + 1));
    int64_t t = 0;
    if (ec != std::errc{} || end != whole.data() + whole.size() || ns < 0 || s < 0 ||
        __builtin_mul_overflow(s, kSecond, &t) || __builtin_add_overflow(t, ns, &t)) {
      rows.fail(column, "expected seconds since the epoch, with up to 9 decimals");
    }
    return t;
  }

  // YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|+HH:MM|-HH:MM|+HHMM|+HH]
  Timestamp iso8601(const TextRows& rows, size_t column, std::string_view f) const {
    auto bad = [&]() {
      rows.fail(column, "expected an ISO-8601 time YYYY-MM-DD HH:MM:SS[.fff][Z|+HH:MM]");
    };
    if (f.size() < 19 || f[4] != '-' || f[7] != '-' || (f[10] != 'T' && f[10] != ' ') ||
        f[13] != ':' || f[16] != ':') {
      bad();
    }
    size_t at = 19;
    int64_t ns = 0;
    if (at < f.size() && f[at] == '.') {
      size_t end = at + 1;
      while (end < f.size() && f[end] >= '0' && f[end] <= '9') ++end;
      ns = fraction_ns(f.substr(at + 1, end - at - 1));
      if (ns < 0) bad();
      at = end;
    }
    int offset = offset_;
    if (at < f.size()) {
      const auto zone = parse_utc_offset(f.substr(at));
      if (!zone) bad();
      offset = *zone;
    }
    const auto t = civil(digits_at(f, 0, 4), digits_at(f, 5, 2), digits_at(f, 8, 2),
                         digits_at(f, 11, 2), digits_at(f, 14, 2), digits_at(f, 17, 2), ns, offset);
    if (!t) bad();
    return *t;
  }

  CsvTimeFormat format_;
  int offset_;
  Timestamp midnight_ = 0;
};

Columns resolve(const CsvMapping& m, TextRows& rows, const std::string& source) {
  Columns c;
  std::vector<std::string> header;
  if (m.has_header) {
    if (!rows.next()) throw DataError(source + ": empty (no header row)");
    for (size_t i = 0; i < rows.size(); ++i) header.emplace_back(rows.text(i));
  }
  std::vector<std::string> names = header;
  auto one = [&](const CsvColumn& col, const char* role, size_t& into) {
    if (!col.is_set()) return;
    if (col.index) {
      into = *col.index;
    } else {
      const auto it = std::find(header.begin(), header.end(), col.name);
      if (it == header.end()) {
        throw DataError(source + ":" + std::to_string(rows.line()) + ": no column '" + col.name +
                        "' in the header (columns." + role + ")");
      }
      into = static_cast<size_t>(it - header.begin());
    }
    if (names.size() <= into) names.resize(into + 1);
    if (names[into].empty()) names[into] = role;
    c.needed = std::max(c.needed, into + 1);
  };
  one(m.time, "time", c.time);
  one(m.price, "price", c.price);
  one(m.size, "size", c.size);
  one(m.side, "side", c.side);
  one(m.bid_price, "bid_price", c.bid_price);
  one(m.bid_size, "bid_size", c.bid_size);
  one(m.ask_price, "ask_price", c.ask_price);
  one(m.ask_size, "ask_size", c.ask_size);
  one(m.symbol, "symbol", c.symbol);
  if (m.has_header) {
    if (c.needed > header.size()) {
      throw DataError(source + ":" + std::to_string(rows.line()) + ": the header has " +
                      std::to_string(header.size()) + " columns, the mapping uses column " +
                      std::to_string(c.needed - 1) + " (0-based)");
    }
    c.needed = header.size();  // with a header every row has its columns
  }
  rows.set_names(std::move(names));
  return c;
}

Side side_of(const TextRows& rows, size_t column) {
  const std::string_view f = rows.text(column);
  auto is = [&](std::string_view word) {
    return f.size() == word.size() && std::equal(f.begin(), f.end(), word.begin(),
                                                 [](char a, char b) { return (a | 0x20) == b; });
  };
  if (is("b") || is("buy")) return Side::kBuy;
  if (!is("s") && !is("sell")) rows.fail(column, "expected B, S, buy or sell");
  return Side::kSell;
}

}  // namespace

ImportedData import_mapped_csv(const std::filesystem::path& file, const CsvMapping& mapping,
                               const ImportOptions& options) {
  mapping.validate();
  const std::string text = read_file_text(file);
  EventSink sink(options, file.string());
  TextRows rows(text, sink.source(), mapping.delimiter);
  const Columns c = resolve(mapping, rows, sink.source());
  const TimeParser times(mapping, options, sink.source());
  const std::optional<InstrumentId> fixed =
      c.symbol == kAbsent ? std::optional<InstrumentId>(sink.fixed_instrument()) : std::nullopt;
  const Price tick = options.tick_size;
  const int64_t scale = mapping.price_scale;
  const bool exact_fields = mapping.has_header;
  sink.reserve(rows.count_lines());

  // Per-instrument state: the tick test's last price, the standing one-sided quote.
  std::unordered_map<InstrumentId, TickRule> tick_rules;
  std::unordered_map<InstrumentId, Quote> standing;
  auto instrument = [&]() {
    return fixed ? *fixed : sink.instrument(rows.text(c.symbol), rows.line());
  };
  auto size_or_zero = [&](size_t column) {
    return column == kAbsent ? Quantity::zero() : rows.quantity(column);
  };
  // One side of a one-sided quote: present when its price is written and not zero.
  auto present = [&](size_t column) {
    const std::string_view f = rows.text(column);
    return !f.empty() && rows.price(column, scale, tick).is_positive();
  };

  while (rows.next()) {
    sink.row([&] {
      if (exact_fields) {
        rows.expect_fields(c.needed);
      } else {
        rows.expect_at_least(c.needed);
      }
      const Timestamp t = times.parse(rows, c.time);
      switch (mapping.kind) {
        case CsvKind::kTrades: {
          Trade trade;
          trade.price = rows.price(c.price, scale, tick);
          trade.size = rows.quantity(c.size);
          const std::optional<Side> side =
              c.side == kAbsent ? std::nullopt : std::optional<Side>(side_of(rows, c.side));
          trade.instrument = instrument();
          sink.check_time(t, rows.line());
          const Side inferred = tick_rules[trade.instrument].classify(trade.price);
          trade.aggressor = side.value_or(inferred);
          trade.trade_id = rows.line();
          sink.emit(trade, t, t);
          break;
        }
        case CsvKind::kQuotes: {
          Quote q;
          q.bid_price = rows.price(c.bid_price, scale, tick);
          q.bid_size = size_or_zero(c.bid_size);
          q.ask_price = rows.price(c.ask_price, scale, tick);
          q.ask_size = size_or_zero(c.ask_size);
          q.instrument = instrument();
          sink.check_time(t, rows.line());
          sink.emit(q, t, t);
          break;
        }
        case CsvKind::kOneSidedQuotes: {
          const bool bid = present(c.bid_price);
          const bool ask = present(c.ask_price);
          if (!bid && !ask) rows.fail_row("neither a bid nor an ask price");
          const Quantity bid_size = bid ? size_or_zero(c.bid_size) : Quantity::zero();
          const Quantity ask_size = ask ? size_or_zero(c.ask_size) : Quantity::zero();
          const InstrumentId id = instrument();
          sink.check_time(t, rows.line());
          Quote& q = standing[id];
          q.instrument = id;
          if (bid) {
            q.bid_price = rows.price(c.bid_price, scale, tick);
            q.bid_size = bid_size;
          }
          if (ask) {
            q.ask_price = rows.price(c.ask_price, scale, tick);
            q.ask_size = ask_size;
          }
          sink.emit(q, t, t);
          break;
        }
      }
    });
  }
  return sink.finish();
}

}  // namespace guiju
