#include "adapters/replay/lean_tick_import.hpp"

#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/replay/event_sink_import.hpp"
#include "adapters/replay/text_rows_import.hpp"
#include "adapters/replay/tick_rule_import.hpp"
#include "adapters/replay/zip_reader.hpp"
#include "core/clock/calendar.hpp"

namespace guiju {

namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kTwoAm = int64_t{2} * 3'600'000;
constexpr int64_t kLeanPriceScale = 10'000;  // LEAN writes USD x 10,000

// 0 = Sunday (1970-01-01 was a Thursday).
unsigned weekday(int64_t days) {
  return static_cast<unsigned>(((days % 7) + 11) % 7);
}

// Day of month of the n-th Sunday of a month.
unsigned nth_sunday(int64_t year, unsigned month, unsigned n) {
  const unsigned first = 1 + (7 - weekday(days_from_civil(year, month, 1))) % 7;
  return first + 7 * (n - 1);
}

// Day of month of the last Sunday of a month.
unsigned last_sunday(int64_t year, unsigned month) {
  const int64_t last =
      month == 12 ? days_from_civil(year + 1, 1, 1) - 1 : days_from_civil(year, month + 1, 1) - 1;
  const auto day = static_cast<unsigned>(last - days_from_civil(year, month, 1) + 1);
  return day - weekday(last);
}

enum class LeanFile : uint8_t { kTradeTicks, kQuoteTicks, kMinuteTradeBars, kMinuteQuoteBars };

struct MemberName {
  std::string date;    // YYYYMMDD
  std::string ticker;  // upper-cased
  LeanFile kind = LeanFile::kTradeTicks;
};

constexpr int64_t kMinuteMs = 60'000;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// <yyyymmdd>_<ticker>_Trade_Tick.csv, _Quote_Tick.csv, _minute_trade.csv or _minute_quote.csv;
// anything else is refused by name.
MemberName parse_member(const std::string& member, const std::string& where) {
  const size_t first = member.find('_');
  const std::string l = lower(member);
  MemberName out;
  std::string_view suffix_text;
  for (const auto& [suffix, kind] :
       {std::pair{std::string_view("_trade_tick.csv"), LeanFile::kTradeTicks},
        std::pair{std::string_view("_quote_tick.csv"), LeanFile::kQuoteTicks},
        std::pair{std::string_view("_minute_trade.csv"), LeanFile::kMinuteTradeBars},
        std::pair{std::string_view("_minute_quote.csv"), LeanFile::kMinuteQuoteBars}}) {
    if (l.ends_with(suffix)) {
      suffix_text = suffix;
      out.kind = kind;
    }
  }
  constexpr std::string_view kExpected =
      "<yyyymmdd>_<ticker>_Trade_Tick.csv, _Quote_Tick.csv, _minute_trade.csv or "
      "_minute_quote.csv";
  if (suffix_text.empty()) {
    const bool bars = l.find("_second_") != std::string::npos ||
                      l.find("_hour_") != std::string::npos ||
                      l.find("_daily_") != std::string::npos;
    throw DataError(where + ": member '" + member + "': " +
                    (bars ? "LEAN second, hour and daily bars are not supported"
                          : "not a LEAN tick or minute file") +
                    " (" + std::string(kExpected) + ")");
  }
  const size_t suffix = member.size() - suffix_text.size();
  out.date = member.substr(0, first);
  bool digits = out.date.size() == 8;
  for (const char c : out.date) digits = digits && c >= '0' && c <= '9';
  if (first == std::string::npos || first >= suffix || !digits) {
    throw DataError(where + ": member '" + member + "': expected " + std::string(kExpected));
  }
  const int month = std::stoi(out.date.substr(4, 2));
  const int day = std::stoi(out.date.substr(6, 2));
  if (month < 1 || month > 12 || day < 1 || day > 31) {
    throw DataError(where + ": member '" + member + "': no such date " + out.date);
  }
  out.ticker = member.substr(first + 1, suffix - first - 1);
  for (char& c : out.ticker) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Converts a record's local milliseconds to UTC: the offset is fixed by options, else US Eastern
// for the date, which can change once during the day (at 02:00 on the transition dates).
class EasternClock {
 public:
  EasternClock(const std::string& date, std::optional<int> fixed_offset_minutes) {
    const int64_t y = std::stoi(date.substr(0, 4));
    const auto m = static_cast<unsigned>(std::stoi(date.substr(4, 2)));
    const auto d = static_cast<unsigned>(std::stoi(date.substr(6, 2)));
    midnight_ = days_from_civil(y, m, d) * 86'400 * kSecond;
    before_ =
        fixed_offset_minutes ? *fixed_offset_minutes : us_eastern_utc_offset_minutes(y, m, d, 0);
    after_ = fixed_offset_minutes ? *fixed_offset_minutes
                                  : us_eastern_utc_offset_minutes(y, m, d, kTwoAm);
  }
  Timestamp utc(int64_t ms) const {
    const int offset = ms < kTwoAm ? before_ : after_;
    return midnight_ + ms * kMillisecond - offset * kMinute;
  }

 private:
  Timestamp midnight_ = 0;
  int before_ = 0;
  int after_ = 0;
};

int64_t time_ms(const TextRows& rows) {
  const int64_t ms = rows.integer(0);
  if (ms < 0 || ms >= kDayMs) rows.fail(0, "expected milliseconds since midnight, 0 to 86399999");
  return ms;
}

// A LEAN price: an integer x 10,000, never a decimal (a decimal here means a file of another
// layout, and reading it x 10,000 would be silently wrong).
Price lean_price(const TextRows& rows, size_t column) {
  const int64_t v = rows.integer(column);
  int64_t raw = 0;
  if (v < 0 || __builtin_mul_overflow(v, Price::kScale / kLeanPriceScale, &raw)) {
    rows.fail(column, "expected a price x 10000, not negative");
  }
  return Price::from_raw(raw);
}

Quantity lean_size(const TextRows& rows, size_t column) {
  const int64_t v = rows.integer(column);
  if (v < 0 || v > Quantity::from_raw(INT64_MAX).raw() / Quantity::kScale) {
    rows.fail(column, "expected a number of shares, not negative");
  }
  return Quantity::from_units(v);
}

bool suspicious(const TextRows& rows, size_t column) {
  const std::string_view f = rows.text(column);
  if (f != "0" && f != "1") rows.fail(column, "expected 0 or 1");
  return f == "1";
}

// LEAN's quotes update one side at a time (a price of 0: not in this record); the other side
// stands as it was.
void carry_forward(Quote& standing, Price bid, Quantity bid_size, Price ask, Quantity ask_size) {
  if (bid.is_positive()) {
    standing.bid_price = bid;
    standing.bid_size = bid_size;
  }
  if (ask.is_positive()) {
    standing.ask_price = ask;
    standing.ask_size = ask_size;
  }
}

void import_trades(TextRows& rows, const EasternClock& clock, InstrumentId instrument,
                   EventSink& sink) {
  rows.set_names({"time_ms", "price", "quantity", "exchange", "sale_condition", "suspicious"});
  TickRule tick_rule;
  while (rows.next()) {
    sink.row([&] {
      rows.expect_fields(6);
      const Timestamp t = clock.utc(time_ms(rows));
      const Price price = lean_price(rows, 1);
      if (!price.is_positive()) rows.fail(1, "expected a positive price");
      const Quantity size = lean_size(rows, 2);
      if (suspicious(rows, 5)) {
        sink.drop();
        return;
      }
      sink.check_time(t, rows.line());
      Trade trade;
      trade.instrument = instrument;
      trade.price = price;
      trade.size = size;
      trade.aggressor = tick_rule.classify(price);
      trade.trade_id = rows.line();
      sink.emit(trade, t, t);
    });
  }
}

void import_quotes(TextRows& rows, const EasternClock& clock, InstrumentId instrument,
                   EventSink& sink) {
  rows.set_names({"time_ms", "bid_price", "bid_size", "ask_price", "ask_size", "exchange",
                  "quote_condition", "suspicious"});
  Quote standing;  // the last bid and ask, carried forward
  standing.instrument = instrument;
  while (rows.next()) {
    sink.row([&] {
      rows.expect_fields(8);
      const Timestamp t = clock.utc(time_ms(rows));
      const Price bid = lean_price(rows, 1);
      const Quantity bid_size = lean_size(rows, 2);
      const Price ask = lean_price(rows, 3);
      const Quantity ask_size = lean_size(rows, 4);
      // A price of 0 is LEAN's "this side not in this record".
      if (bid.is_zero() && ask.is_zero()) rows.fail_row("neither a bid nor an ask price");
      if (suspicious(rows, 7)) {
        sink.drop();
        return;
      }
      sink.check_time(t, rows.line());
      carry_forward(standing, bid, bid_size, ask, ask_size);
      sink.emit(standing, t, t);
    });
  }
}

// A minute bar is not ticks: the path inside the minute is assumed. A trade bar becomes four
// trades, open at the start of the minute, then the high and the low (the one nearer the open
// first) at 20 and 40 seconds, and the close at its last millisecond, the volume split evenly
// (the remainder on the close). The venue's queue model then sees the minute's volume traded
// across its range, as a tick file would show it, rather than all of it at the close.
void import_trade_bars(TextRows& rows, const EasternClock& clock, InstrumentId instrument,
                       EventSink& sink) {
  rows.set_names({"bar_start_ms", "open", "high", "low", "close", "volume"});
  TickRule tick_rule;
  while (rows.next()) {
    sink.row([&] {
      rows.expect_fields(6);
      const int64_t start = time_ms(rows);
      const Price open = lean_price(rows, 1);
      const Price high = lean_price(rows, 2);
      const Price low = lean_price(rows, 3);
      const Price close = lean_price(rows, 4);
      const Quantity volume = lean_size(rows, 5);
      if (!low.is_positive() || high < low || open < low || open > high || close < low ||
          close > high) {
        rows.fail_row("expected positive prices with low <= open, close <= high");
      }
      if (volume.is_zero()) {
        sink.drop();
        return;
      }
      const bool high_first = high - open <= open - low;
      const std::array<std::pair<int64_t, Price>, 4> path = {{
          {0, open},
          {20'000, high_first ? high : low},
          {40'000, high_first ? low : high},
          {kMinuteMs - 1, close},
      }};
      const int64_t shares = volume.raw() / Quantity::kScale;
      const int64_t quarter = shares / 4;
      sink.check_time(clock.utc(start), rows.line());
      for (size_t i = 0; i < path.size(); ++i) {
        const int64_t size = i + 1 < path.size() ? quarter : shares - 3 * quarter;
        if (size == 0) continue;
        const Timestamp t = clock.utc(start + path[i].first);
        Trade trade;
        trade.instrument = instrument;
        trade.price = path[i].second;
        trade.size = Quantity::from_units(size);
        trade.aggressor = tick_rule.classify(trade.price);
        trade.trade_id = rows.line() * 4 + i;
        sink.emit(trade, t, t);
      }
    });
  }
}

// A quote bar becomes one Quote at the bar's last millisecond: the closing bid and ask with the
// last sizes. A side whose four prices are all 0 had no quote in the minute and is carried
// forward from earlier bars.
void import_quote_bars(TextRows& rows, const EasternClock& clock, InstrumentId instrument,
                       EventSink& sink) {
  rows.set_names({"bar_start_ms", "bid_open", "bid_high", "bid_low", "bid_close", "last_bid_size",
                  "ask_open", "ask_high", "ask_low", "ask_close", "last_ask_size"});
  Quote standing;
  standing.instrument = instrument;
  while (rows.next()) {
    sink.row([&] {
      rows.expect_fields(11);
      const Timestamp t = clock.utc(time_ms(rows) + kMinuteMs - 1);
      const Price bid = lean_price(rows, 4);
      const Quantity bid_size = lean_size(rows, 5);
      const Price ask = lean_price(rows, 9);
      const Quantity ask_size = lean_size(rows, 10);
      for (const size_t c : {1, 2, 3, 6, 7, 8}) (void)lean_price(rows, c);  // well-formed
      if (bid.is_zero() && ask.is_zero()) rows.fail_row("neither a bid nor an ask close");
      sink.check_time(t, rows.line());
      carry_forward(standing, bid, bid_size, ask, ask_size);
      sink.emit(standing, t, t);
    });
  }
}

}  // namespace

int us_eastern_utc_offset_minutes(int64_t year, unsigned month, unsigned day, int64_t ms_of_day) {
  constexpr int kEdt = -240;
  constexpr int kEst = -300;
  const bool since_2007 = year >= 2007;
  const unsigned start_month = since_2007 ? 3 : 4;
  const unsigned start_day = nth_sunday(year, start_month, since_2007 ? 2 : 1);
  const unsigned end_month = since_2007 ? 11 : 10;
  const unsigned end_day = since_2007 ? nth_sunday(year, 11, 1) : last_sunday(year, 10);
  const unsigned md = month * 100 + day;
  const unsigned start = start_month * 100 + start_day;
  const unsigned end = end_month * 100 + end_day;
  if (md == start) return ms_of_day < kTwoAm ? kEst : kEdt;
  if (md == end) return ms_of_day < kTwoAm ? kEdt : kEst;
  return md > start && md < end ? kEdt : kEst;
}

ImportedData import_lean_tick(const std::filesystem::path& archive, const ImportOptions& options) {
  // LEAN's archives are ZIP64. A damaged archive is a DataError like any other bad input here;
  // ZipReader's message already names the archive, the member and what was wrong.
  std::optional<ZipReader> zip;
  std::vector<std::string> files;  // directories (names ending in '/') left out
  try {
    zip.emplace(archive);
    for (std::string& name : zip->members()) {
      if (!name.ends_with('/')) files.push_back(std::move(name));
    }
  } catch (const ZipError& e) {
    throw DataError(e.what());
  }
  if (files.size() != 1) {
    throw DataError(archive.string() + ": expected one CSV member, found " +
                    std::to_string(files.size()));
  }
  const std::string& member = files.front();
  const MemberName name = parse_member(member, archive.string());  // bars refused unread
  std::string text;
  try {
    text = zip->read(member);
  } catch (const ZipError& e) {
    throw DataError(e.what());
  }
  EventSink sink(options, archive.string() + ":" + member);
  const InstrumentId instrument = sink.instrument(name.ticker, 0);  // the member names it
  const EasternClock clock(name.date, options.utc_offset_minutes);
  TextRows rows(text, sink.source());
  sink.reserve(rows.count_lines());
  switch (name.kind) {
    case LeanFile::kTradeTicks:
      import_trades(rows, clock, instrument, sink);
      break;
    case LeanFile::kQuoteTicks:
      import_quotes(rows, clock, instrument, sink);
      break;
    case LeanFile::kMinuteTradeBars:
      import_trade_bars(rows, clock, instrument, sink);
      break;
    case LeanFile::kMinuteQuoteBars:
      import_quote_bars(rows, clock, instrument, sink);
      break;
  }
  return sink.finish();
}

}  // namespace guiju
