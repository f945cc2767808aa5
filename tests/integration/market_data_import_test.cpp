// The importers of recorded market data (adapters/replay/*_import.hpp) on the real files in
// ../shared/data (LEAN, hftbacktest, nautilus), held to the figures the data's README states, and
// on small bad files written here: every malformed row must name its file, line and field, and
// the skip policy must count what it skips. Real-data tests skip with the reason when the data
// directory is not there.

#include <gtest/gtest.h>
#include <zlib.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/replay/csv_table.hpp"
#include "adapters/replay/hftbacktest_import.hpp"
#include "adapters/replay/lean_tick_import.hpp"
#include "adapters/replay/market_data_import.hpp"
#include "core/clock/calendar.hpp"
#include "core/data/csv_mapping.hpp"
#include "tests/support/reference_data.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju {
namespace {

namespace fs = std::filesystem;

fs::path DataDir() {
  return test::reference_data_dir();
}

#define REQUIRE_DATA(path)                                                        \
  if (!fs::exists(path)) {                                                        \
    GTEST_SKIP() << "no reference data at " << (path) << " (set GUIJU_DATA_DIR)"; \
  }

constexpr InstrumentId kSpy = 1;
constexpr InstrumentId kIbm = 2;
constexpr InstrumentId kBtc = 3;
constexpr InstrumentId kFx = 4;

ImportOptions Options() {
  ImportOptions o;
  o.instrument_of = [](std::string_view symbol) -> std::optional<InstrumentId> {
    static const std::map<std::string, InstrumentId, std::less<>> known{
        {"SPY", kSpy}, {"IBM", kIbm}, {"BTCUSDT", kBtc}};
    const auto it = known.find(symbol);
    if (it == known.end()) return std::nullopt;
    return it->second;
  };
  o.source_id = 401;
  return o;
}

ImportOptions FixedOptions() {
  ImportOptions o;
  o.instrument = kFx;
  return o;
}

Price P(std::string_view text) {
  return *Price::parse(text);
}
Quantity Q(std::string_view text) {
  return *Quantity::parse(text);
}

Timestamp Utc(int y, unsigned m, unsigned d, int h, int mi, int s, int ms) {
  return days_from_civil(y, m, d) * 86'400 * kSecond + h * kHour + mi * kMinute + s * kSecond +
         ms * kMillisecond;
}

template <typename T>
std::vector<T> All(const ImportedData& data) {
  std::vector<T> out;
  for (const EventSlot& e : data.events) {
    if (e.type() == T::kType) out.push_back(e.as<T>());
  }
  return out;
}

// What replay relies on: sequence 1, 2, 3 ..., the configured source, non-decreasing times.
void ExpectReplayable(const ImportedData& data, SourceId source) {
  Timestamp last = INT64_MIN;
  uint64_t sequence = 0;
  size_t out_of_order = 0;
  for (const EventSlot& e : data.events) {
    const EventHeader& h = e.header();
    out_of_order += h.event_time < last ? 1 : 0;
    last = h.event_time;
    ASSERT_EQ(h.sequence, ++sequence);
    ASSERT_EQ(h.source, source);
  }
  EXPECT_EQ(out_of_order, 0u);
  EXPECT_EQ(data.stats.events, data.events.size());
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// A ZIP archive with one stored (uncompressed) member, as LEAN ships its CSVs but without
// deflate, which ZipReader reads the same way.
void WriteZip(const fs::path& path, const std::string& member, const std::string& text) {
  std::string out;
  auto u16 = [&](uint32_t v) {
    out.push_back(static_cast<char>(v & 0xff));
    out.push_back(static_cast<char>((v >> 8) & 0xff));
  };
  auto u32 = [&](uint32_t v) {
    u16(v & 0xffff);
    u16(v >> 16);
  };
  const auto crc = static_cast<uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(text.data()), static_cast<uInt>(text.size())));
  const auto size = static_cast<uint32_t>(text.size());
  const auto name = static_cast<uint32_t>(member.size());
  u32(0x04034b50);  // local header
  u16(20), u16(0), u16(0), u16(0), u16(0), u32(crc), u32(size), u32(size), u16(name), u16(0);
  out += member + text;
  const auto directory = static_cast<uint32_t>(out.size());
  u32(0x02014b50);  // central directory entry
  u16(20), u16(20), u16(0), u16(0), u16(0), u16(0), u32(crc), u32(size), u32(size), u16(name);
  u16(0), u16(0), u16(0), u16(0), u32(0), u32(0);
  out += member;
  const auto directory_size = static_cast<uint32_t>(out.size()) - directory;
  u32(0x06054b50);  // end of central directory
  u16(0), u16(0), u16(1), u16(1), u32(directory_size), u32(directory), u16(0);
  std::ofstream(path, std::ios::binary) << out;
}

void WriteGzip(const fs::path& path, const std::string& text) {
  gzFile f = gzopen(path.string().c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(gzwrite(f, text.data(), static_cast<unsigned>(text.size())),
            static_cast<int>(text.size()));
  ASSERT_EQ(gzclose(f), Z_OK);
}

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream all;
  all << in.rdbuf();
  return std::move(all).str();
}

// The message of the DataError `f` throws ("" when it throws none).
template <typename F>
std::string DataErrorOf(F&& f) {
  try {
    f();
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

// ----------------------------------------------------------------------------------------------
// LEAN

fs::path Lean(const std::string& path) {
  return DataDir() / "lean" / "equity" / "usa" / path;
}

TEST(LeanTickImport, SpyTradesMatchTheReadme) {
  const fs::path file = Lean("tick/spy/20131007_trade.zip");
  REQUIRE_DATA(file);
  const auto start = std::chrono::steady_clock::now();
  const ImportedData data = import_market_data(ImportFormat::kLeanTick, file, Options());
  const double seconds = Seconds(start);
  std::printf("LEAN SPY 2013-10-07: %zu trades imported in %.3f s\n", data.events.size(), seconds);

  const auto trades = All<Trade>(data);
  ASSERT_EQ(trades.size(), 250'601u);
  EXPECT_EQ(data.events.size(), trades.size());
  EXPECT_EQ(data.stats.rows, 250'601u);
  EXPECT_EQ(data.stats.skipped, 0u);
  EXPECT_EQ(data.stats.dropped, 0u);  // no row is flagged suspicious
  Quantity total;
  size_t sells = 0;
  for (const Trade& t : trades) {
    total += t.size;
    sells += t.aggressor == Side::kSell ? 1 : 0;
    ASSERT_EQ(t.instrument, kSpy);
  }
  EXPECT_EQ(total, Quantity::from_units(97'062'721));
  // The first row, 14400464,1674100,100,P,...: 04:00:00.464 New York (EDT) = 08:00:00.464 UTC.
  EXPECT_EQ(trades.front().header.event_time, Utc(2013, 10, 7, 8, 0, 0, 464));
  EXPECT_EQ(trades.front().header.receive_time, trades.front().header.event_time);
  EXPECT_EQ(trades.front().price, P("167.41"));
  EXPECT_EQ(trades.front().size, Quantity::from_units(100));
  EXPECT_EQ(trades.front().trade_id, 1u);
  EXPECT_EQ(trades.back().trade_id, 250'601u);
  EXPECT_EQ(trades.back().header.event_time, Utc(2013, 10, 7, 23, 59, 59, 536));
  // The tick test classifies both ways on a real day (a constant guess would not).
  EXPECT_GT(sells, trades.size() / 4);
  EXPECT_LT(sells, trades.size() * 3 / 4);
  ExpectReplayable(data, 401);
  EXPECT_LT(seconds, 2.0);  // loaded once per replay; measured well under a second
}

TEST(LeanTickImport, IbmTradesMatchTheReadme) {
  const fs::path file = Lean("tick/ibm/20131007_trade.zip");
  REQUIRE_DATA(file);
  const ImportedData data = import_market_data(ImportFormat::kLeanTick, file, Options());
  const auto trades = All<Trade>(data);
  ASSERT_EQ(trades.size(), 24'293u);
  Quantity total;
  for (const Trade& t : trades) total += t.size;
  EXPECT_EQ(total, Quantity::from_units(3'960'352));
  EXPECT_EQ(trades.front().header.event_time, Utc(2013, 10, 7, 8, 0, 30, 270));
  EXPECT_EQ(trades.back().header.event_time, Utc(2013, 10, 7, 23, 26, 7, 550));
  EXPECT_EQ(trades.front().instrument, kIbm);
}

TEST(LeanTickImport, IbmQuotesCarryTheOtherSideAndDropTheSuspiciousRecord) {
  const fs::path file = Lean("tick/ibm/20131007_quote.zip");
  REQUIRE_DATA(file);
  const ImportedData data = import_market_data(ImportFormat::kLeanTick, file, Options());
  EXPECT_EQ(data.stats.rows, 109'067u);
  EXPECT_EQ(data.stats.dropped, 1u);  // the last record, suspicious = 1
  EXPECT_EQ(data.stats.skipped, 0u);
  const auto quotes = All<Quote>(data);
  ASSERT_EQ(quotes.size(), 109'066u);
  // 14400054,0,0,1836300,100,Q,1,0: an ask only; no bid seen yet, so the bid side is zero.
  const Quote& first = quotes[0];
  EXPECT_EQ(first.header.event_time, Utc(2013, 10, 7, 8, 0, 0, 54));
  EXPECT_EQ(first.instrument, kIbm);
  EXPECT_EQ(first.ask_price, P("183.63"));
  EXPECT_EQ(first.ask_size, Quantity::from_units(100));
  EXPECT_TRUE(first.bid_price.is_zero());
  EXPECT_TRUE(first.bid_size.is_zero());
  // 14400241,1800100,300,0,0,...: a bid; the ask is carried forward.
  EXPECT_EQ(quotes[1].bid_price, P("180.01"));
  EXPECT_EQ(quotes[1].bid_size, Quantity::from_units(300));
  EXPECT_EQ(quotes[1].ask_price, P("183.63"));
  // 14400241,0,0,1818000,3000,...: the ask replaced, the bid carried.
  EXPECT_EQ(quotes[2].bid_price, P("180.01"));
  EXPECT_EQ(quotes[2].ask_price, P("181.80"));
  EXPECT_EQ(quotes[2].ask_size, Quantity::from_units(3000));
  // Every quote after the first bid is two-sided.
  for (size_t i = 1; i < quotes.size(); ++i) {
    ASSERT_TRUE(quotes[i].bid_price.is_positive() && quotes[i].ask_price.is_positive()) << i;
  }
  // The suspicious last record (an ask of 186.00) left no trace: the last quote is the one
  // before it, at 20:00:00.122 EDT.
  const Quote& last = quotes.back();
  EXPECT_EQ(last.header.event_time, Utc(2013, 10, 8, 0, 0, 0, 122));
  EXPECT_EQ(last.bid_price, P("181.98"));
  EXPECT_EQ(last.ask_price, P("182.62"));
  ExpectReplayable(data, 401);
}

// Minute trade bars become four trades each (open, high and low in the order nearer the open
// first, close) carrying the bar's whole volume; quote bars one quote at the minute's end.
TEST(LeanTickImport, MinuteBarsBecomeTradesAcrossTheirRangeAndClosingQuotes) {
  const fs::path trades = Lean("minute/spy/20131007_trade.zip");
  const fs::path quotes = Lean("minute/spy/20131007_quote.zip");
  REQUIRE_DATA(trades);
  REQUIRE_DATA(quotes);
  const ImportedData t = import_market_data(ImportFormat::kLeanTick, trades, Options());
  EXPECT_EQ(t.stats.rows, 828u);
  int64_t volume = 0;
  for (const EventSlot& e : t.events) {
    ASSERT_EQ(e.type(), EventType::kTrade);
    volume += e.as<Trade>().size.raw() / Quantity::kScale;
  }
  EXPECT_EQ(volume, 92'720'576);  // the vendor's minute volume for the day, as the README says
  EXPECT_LE(t.events.size(), 4u * 828u);
  EXPECT_GT(t.events.size(), 3u * 828u);
  EXPECT_EQ(t.events.front().header().event_time, Utc(2013, 10, 7, 8, 0, 0, 0));
  // Each bar's four trades stay inside its minute, ordered in time.
  ExpectReplayable(t, 401);

  const ImportedData q = import_market_data(ImportFormat::kLeanTick, quotes, Options());
  EXPECT_EQ(q.stats.rows, 908u);
  EXPECT_EQ(q.events.size(), 908u);
  EXPECT_EQ(q.events.front().header().event_time, Utc(2013, 10, 7, 8, 0, 59, 999));
  const Quote& last = q.events.back().as<Quote>();
  EXPECT_TRUE(last.bid_price.is_positive());
  EXPECT_TRUE(last.ask_price.is_positive());
}

TEST(LeanTickImport, EasternTimeFollowsTheUsDaylightSavingRules) {
  constexpr int64_t kHourMs = 3'600'000;
  EXPECT_EQ(us_eastern_utc_offset_minutes(2013, 10, 7, 4 * kHourMs), -240);  // the data's day
  EXPECT_EQ(us_eastern_utc_offset_minutes(2013, 12, 2, 12 * kHourMs), -300);
  EXPECT_EQ(us_eastern_utc_offset_minutes(2013, 1, 15, 12 * kHourMs), -300);
  // 2013: daylight time from Sunday 10 March 02:00 to Sunday 3 November 02:00.
  EXPECT_EQ(us_eastern_utc_offset_minutes(2013, 3, 9, 12 * kHourMs), -300);
  EXPECT_EQ(us_eastern_utc_offset_minutes(2013, 3, 10, 1 * kHourMs), -300);
  EXPECT_EQ(us_eastern_utc_offset_minutes(2013, 3, 10, 3 * kHourMs), -240);
  EXPECT_EQ(us_eastern_utc_offset_minutes(2013, 11, 2, 12 * kHourMs), -240);
  EXPECT_EQ(us_eastern_utc_offset_minutes(2013, 11, 3, 1 * kHourMs), -240);
  EXPECT_EQ(us_eastern_utc_offset_minutes(2013, 11, 3, 3 * kHourMs), -300);
  EXPECT_EQ(us_eastern_utc_offset_minutes(2013, 11, 4, 0), -300);
  // 2024: 10 March and 3 November again; 2006 (old rule): 2 April to 29 October.
  EXPECT_EQ(us_eastern_utc_offset_minutes(2024, 3, 10, 3 * kHourMs), -240);
  EXPECT_EQ(us_eastern_utc_offset_minutes(2006, 3, 20, 12 * kHourMs), -300);
  EXPECT_EQ(us_eastern_utc_offset_minutes(2006, 4, 2, 3 * kHourMs), -240);
  EXPECT_EQ(us_eastern_utc_offset_minutes(2006, 10, 29, 1 * kHourMs), -240);
  EXPECT_EQ(us_eastern_utc_offset_minutes(2006, 10, 29, 3 * kHourMs), -300);
}

TEST(LeanTickImport, WinterFilesUseEstAndAnOffsetOptionOverrides) {
  const test::TempDir dir;
  const fs::path file = dir.path() / "20131202_trade.zip";
  WriteZip(file, "20131202_spy_Trade_Tick.csv", "34200000,1800000,10,P,1,0");  // no final newline
  const ImportedData winter = import_lean_tick(file, Options());
  ASSERT_EQ(winter.events.size(), 1u);
  EXPECT_EQ(winter.events[0].header().event_time, Utc(2013, 12, 2, 14, 30, 0, 0));  // 09:30 EST
  ImportOptions utc = Options();
  utc.utc_offset_minutes = 0;
  const ImportedData fixed = import_lean_tick(file, utc);
  EXPECT_EQ(fixed.events[0].header().event_time, Utc(2013, 12, 2, 9, 30, 0, 0));
}

TEST(LeanTickImport, AMalformedRowNamesArchiveMemberLineAndField) {
  const test::TempDir dir;
  const fs::path file = dir.path() / "20131007_trade.zip";
  WriteZip(file, "20131007_spy_Trade_Tick.csv",
           "14400464,1674100,100,P,20002000,0\n14400465,1674100,100,P,1,0\n"
           "14400466,167.41,100,P,1,0\n14400467,1674200,100,P,1,0");
  const std::string error = DataErrorOf([&] { import_lean_tick(file, Options()); });
  EXPECT_NE(error.find("20131007_trade.zip:20131007_spy_Trade_Tick.csv:3:2"), std::string::npos)
      << error;
  EXPECT_NE(error.find("field 'price'"), std::string::npos) << error;
  EXPECT_NE(error.find("'167.41'"), std::string::npos) << error;

  ImportOptions skip = Options();
  skip.on_bad_row = BadRowPolicy::kSkip;
  const ImportedData data = import_lean_tick(file, skip);
  EXPECT_EQ(data.events.size(), 3u);
  EXPECT_EQ(data.stats.skipped, 1u);
  ASSERT_EQ(data.stats.skipped_examples.size(), 1u);
  EXPECT_EQ(data.stats.skipped_examples[0], error);
  // trade_id is the line number, so the skipped line leaves a hole, not a renumbering.
  EXPECT_EQ(All<Trade>(data).back().trade_id, 4u);
}

TEST(LeanTickImport, AnUnknownTickerIsAnErrorNamingTheSymbol) {
  const test::TempDir dir;
  const fs::path file = dir.path() / "20131007_trade.zip";
  WriteZip(file, "20131007_aapl_Trade_Tick.csv", "14400464,1674100,100,P,20002000,0\n");
  ImportOptions skip = Options();
  skip.on_bad_row = BadRowPolicy::kSkip;  // not a bad row: skipping does not hide it
  const std::string error = DataErrorOf([&] { import_lean_tick(file, skip); });
  EXPECT_NE(error.find("AAPL"), std::string::npos) << error;
  EXPECT_NE(error.find("20131007_trade.zip"), std::string::npos) << error;
}

TEST(LeanTickImport, ADamagedArchiveIsADataError) {
  const test::TempDir dir;
  const fs::path file = dir.path() / "20131007_trade.zip";
  WriteZip(file, "20131007_spy_Trade_Tick.csv", "14400464,1674100,100,P,20002000,0\n");
  std::string bytes = ReadBytes(file);
  bytes[30 + 27 + 3] ^= 0x01;  // inside the member's data: the CRC no longer matches
  std::ofstream(file, std::ios::binary) << bytes;
  const std::string error = DataErrorOf([&] { import_lean_tick(file, Options()); });
  EXPECT_NE(error.find("CRC"), std::string::npos) << error;
}

// LEAN's archives are ZIP64 (sizes 0xFFFFFFFF, the real ones in the 0x0001 extra field): a copy
// cut off inside the central directory must be refused naming the archive, never read past its
// end, whether the end record went with the cut or was kept after a cut-short directory.
TEST(LeanTickImport, ATruncatedZip64ArchiveIsADataErrorNamingIt) {
  const fs::path original = Lean("tick/ibm/20131007_trade.zip");
  REQUIRE_DATA(original);
  ASSERT_EQ(import_lean_tick(original, Options()).events.empty(), false);
  const std::string bytes = ReadBytes(original);
  const size_t directory = bytes.rfind(std::string("PK\x01\x02", 4));
  const size_t end = bytes.rfind(std::string("PK\x05\x06", 4));
  ASSERT_NE(directory, std::string::npos);
  ASSERT_NE(end, std::string::npos);
  ASSERT_LT(directory + 60, end);
  const test::TempDir dir;

  const fs::path cut = dir.path() / "cut_20131007_trade.zip";  // the end record cut off too
  std::ofstream(cut, std::ios::binary) << bytes.substr(0, directory + 60);
  std::string error = DataErrorOf([&] { import_lean_tick(cut, Options()); });
  EXPECT_NE(error.find(cut.string()), std::string::npos) << error;

  // The entry's name and ZIP64 extra field cut short, the end record kept after it.
  const fs::path short_directory = dir.path() / "short_20131007_trade.zip";
  std::ofstream(short_directory, std::ios::binary)
      << bytes.substr(0, directory + 50) + bytes.substr(end);
  error = DataErrorOf([&] { import_lean_tick(short_directory, Options()); });
  EXPECT_NE(error.find(short_directory.string()), std::string::npos) << error;
  EXPECT_NE(error.find("central directory entry 0"), std::string::npos) << error;
}

// ----------------------------------------------------------------------------------------------
// hftbacktest

TEST(HftbacktestImport, BinanceRecordingMatchesTheReadme) {
  const fs::path file = DataDir() / "hftbacktest" / "spot" / "btcusdt_20240808.gz";
  REQUIRE_DATA(file);
  const auto start = std::chrono::steady_clock::now();
  const ImportedData data = import_market_data(ImportFormat::kHftbacktest, file, Options());
  const double seconds = Seconds(start);
  const auto quotes = All<Quote>(data);
  const auto trades = All<Trade>(data);
  const auto books = All<BookUpdate>(data);
  std::printf("hftbacktest BTCUSDT: %zu lines -> %zu quotes, %zu trades, %zu books in %.3f s\n",
              static_cast<size_t>(data.stats.rows), quotes.size(), trades.size(), books.size(),
              seconds);
  EXPECT_EQ(data.stats.rows, 41'249u);
  EXPECT_EQ(data.stats.skipped, 0u);
  EXPECT_EQ(quotes.size(), 28'040u);  // one per bookTicker line
  EXPECT_EQ(trades.size(), 9'757u);   // one per trade line
  // The two updates before the snapshot that it covers (u <= lastUpdateId) are dropped.
  EXPECT_EQ(data.stats.dropped, 2u);
  // A book whenever the top ten levels change, from the snapshot on: measured 3,150 (and by an
  // independent rebuild from the README's rule).
  EXPECT_EQ(books.size(), 3'150u);
  EXPECT_EQ(data.events.size(), quotes.size() + trades.size() + books.size());

  // No book before the snapshot (line 8, local 1723161254206652067); the first is published at
  // it, with the kept update of line 6 applied: the snapshot's 1.54698 at 61837.64 became 1.6052.
  ASSERT_FALSE(books.empty());
  const Timestamp snapshot_time = 1723161254206652067;
  EXPECT_EQ(books.front().header.event_time, snapshot_time);
  const BookUpdate& first = books.front();
  EXPECT_EQ(first.instrument, kBtc);
  EXPECT_EQ(first.bid_levels, 10);
  EXPECT_EQ(first.ask_levels, 10);
  EXPECT_EQ(first.bids[0].price, P("61837.63"));
  EXPECT_EQ(first.bids[0].size, Q("3.78826"));
  EXPECT_EQ(first.bids[1].price, P("61837.62"));
  EXPECT_EQ(first.asks[0].price, P("61837.64"));
  EXPECT_EQ(first.asks[0].size, Q("1.6052"));
  EXPECT_EQ(first.asks[1].price, P("61837.65"));
  size_t crossed = 0;
  for (const BookUpdate& b : books) {
    ASSERT_GE(b.header.event_time, snapshot_time);
    crossed += b.bids[0].price >= b.asks[0].price ? 1 : 0;
    for (int i = 1; i < b.bid_levels; ++i) ASSERT_LT(b.bids[i].price, b.bids[i - 1].price);
    for (int i = 1; i < b.ask_levels; ++i) ASSERT_GT(b.asks[i].price, b.asks[i - 1].price);
  }
  EXPECT_EQ(crossed, 0u);
  EXPECT_EQ(books.back().bids[0].price, P("61685.99"));
  EXPECT_EQ(books.back().asks[0].price, P("61686.00"));

  // The README's sample lines 3 and 4: times are the recorder's (local_ns) for every event.
  EXPECT_EQ(quotes.front().header.event_time, 1723161254087891268);
  EXPECT_EQ(quotes.front().header.receive_time, 1723161254087891268);
  EXPECT_EQ(quotes.front().bid_price, P("61837.63"));
  EXPECT_EQ(quotes.front().bid_size, Q("3.78826"));
  EXPECT_EQ(quotes.front().ask_price, P("61837.64"));
  EXPECT_EQ(quotes.front().ask_size, Q("1.54698"));
  const Trade& t = trades.front();
  EXPECT_EQ(t.header.event_time, 1723161254087896568);
  EXPECT_EQ(t.trade_id, 3735683259u);
  EXPECT_EQ(t.price, P("61837.63"));
  EXPECT_EQ(t.size, Q("0.02"));
  EXPECT_EQ(t.aggressor, Side::kSell);  // m = true: the buyer was the maker
  size_t buys = 0;
  for (const Trade& x : trades) buys += x.aggressor == Side::kBuy ? 1 : 0;
  EXPECT_GT(buys, 0u);
  EXPECT_EQ(quotes.back().header.event_time, 1723161599999231384);
  ExpectReplayable(data, 401);
}

// Depth lines for the sync tests, Binance's shape with one level per side.
std::string Depth(int64_t local, int64_t first, int64_t last, const std::string& bid,
                  const std::string& ask) {
  return std::to_string(local) +
         R"( {"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":)" +
         std::to_string(first) + R"(,"u":)" + std::to_string(last) + R"(,"b":[)" + bid +
         R"(],"a":[)" + ask + "]}}\n";
}
std::string Snapshot(int64_t local, int64_t id) {
  return std::to_string(local) + R"( {"lastUpdateId":)" + std::to_string(id) +
         R"(,"bids":[["100.0","1.0"],["99.0","2.0"]],"asks":[["101.0","1.0"],["102.0","2.0"]]})" +
         "\n";
}

TEST(HftbacktestImport, TheSnapshotSyncFollowsBinancesRule) {
  const test::TempDir dir;
  const fs::path file = dir.path() / "sync.gz";
  WriteGzip(file, Depth(1000, 10, 14, R"(["100.0","5.0"])", "") +  // covered: dropped
                      Depth(2000, 15, 22, R"(["99.0","0"])", R"(["101.5","3.0"])") +  // spans 20
                      Snapshot(3000, 20) +                                            //
                      Depth(4000, 23, 25, "", R"(["101.0","0"])"));
  const ImportedData data = import_hftbacktest(file, Options());
  EXPECT_EQ(data.stats.dropped, 1u);
  const auto books = All<BookUpdate>(data);
  ASSERT_EQ(books.size(), 2u);
  // At the snapshot: its levels, with the spanning update applied (99 removed, 101.5 added),
  // and not the covered one (100 stays 1.0).
  const BookUpdate& a = books[0];
  EXPECT_EQ(a.header.event_time, 3000);
  ASSERT_EQ(a.bid_levels, 1);
  EXPECT_EQ(a.bids[0].price, P("100"));
  EXPECT_EQ(a.bids[0].size, Q("1"));
  ASSERT_EQ(a.ask_levels, 3);
  EXPECT_EQ(a.asks[1].price, P("101.5"));
  const BookUpdate& b = books[1];
  EXPECT_EQ(b.header.event_time, 4000);
  ASSERT_EQ(b.ask_levels, 2);
  EXPECT_EQ(b.asks[0].price, P("101.5"));
}

TEST(HftbacktestImport, AGapInUpdateIdsStopsOrLosesTheBook) {
  const test::TempDir dir;
  const fs::path file = dir.path() / "gap.gz";
  WriteGzip(file, Snapshot(1000, 20) + Depth(2000, 21, 22, R"(["100.5","1.0"])", "") +
                      Depth(3000, 25, 26, R"(["100.6","1.0"])", "") +  // 23, 24 missing
                      Depth(4000, 27, 28, R"(["100.7","1.0"])", ""));
  const std::string error = DataErrorOf([&] { import_hftbacktest(file, Options()); });
  EXPECT_NE(error.find("gap.gz:3:"), std::string::npos) << error;
  EXPECT_NE(error.find("'data.U'"), std::string::npos) << error;
  EXPECT_NE(error.find("gap"), std::string::npos) << error;

  ImportOptions skip = Options();
  skip.on_bad_row = BadRowPolicy::kSkip;
  const ImportedData data = import_hftbacktest(file, skip);
  EXPECT_EQ(data.stats.skipped, 1u);
  EXPECT_EQ(data.stats.dropped, 1u);  // line 4: the book is out of sync
  ASSERT_EQ(data.stats.skipped_examples.size(), 1u);
  EXPECT_EQ(data.stats.skipped_examples[0], error);
  // The snapshot names no symbol, so the book is first published with line 2, which does;
  // nothing after the gap.
  const auto books = All<BookUpdate>(data);
  ASSERT_EQ(books.size(), 1u);
  EXPECT_EQ(books[0].header.event_time, 2000);
  EXPECT_EQ(books[0].bids[0].price, P("100.5"));
}

TEST(HftbacktestImport, DamagedGzipIsADataErrorNamingTheFile) {
  const test::TempDir dir;
  std::string text;
  for (int i = 0; i < 200; ++i) text += Depth(1000 + i, 10 + 2 * i, 11 + 2 * i, "", "");
  const fs::path good = dir.path() / "good.gz";
  WriteGzip(good, text);
  EXPECT_EQ(gunzip_file(good), text);
  const std::string bytes = ReadBytes(good);

  const fs::path truncated = dir.path() / "truncated.gz";
  std::ofstream(truncated, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  std::string error = DataErrorOf([&] { import_hftbacktest(truncated, Options()); });
  EXPECT_NE(error.find("truncated.gz"), std::string::npos) << error;
  EXPECT_NE(error.find("truncated"), std::string::npos) << error;

  const fs::path corrupt = dir.path() / "corrupt.gz";
  std::string flipped = bytes;
  flipped[flipped.size() - 6] ^= 0x40;  // in the CRC-32 trailer
  std::ofstream(corrupt, std::ios::binary) << flipped;
  error = DataErrorOf([&] { import_hftbacktest(corrupt, Options()); });
  EXPECT_NE(error.find("corrupt.gz"), std::string::npos) << error;
  EXPECT_NE(error.find("damaged"), std::string::npos) << error;

  const fs::path plain = dir.path() / "plain.gz";
  std::ofstream(plain, std::ios::binary) << text;
  error = DataErrorOf([&] { import_hftbacktest(plain, Options()); });
  EXPECT_NE(error.find("plain.gz: not a gzip file"), std::string::npos) << error;
}

TEST(HftbacktestImport, MalformedLinesNameLineAndField) {
  const test::TempDir dir;
  const fs::path file = dir.path() / "bad.gz";
  const std::string trade =
      R"( {"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":7,"p":"61837.63","q":"0.02","T":1,"m":false,"M":true}})";
  std::string bad_price = trade;
  bad_price.replace(bad_price.find("61837.63"), 8, "61837.6x");
  WriteGzip(file, "1000" + trade + "\n" + "1001 {not json\n" + "1002" + bad_price + "\n" + "999" +
                      trade + "\n" + "1003" + trade + "\n");
  ImportOptions skip = Options();
  skip.on_bad_row = BadRowPolicy::kSkip;
  const ImportedData data = import_hftbacktest(file, skip);
  EXPECT_EQ(data.stats.skipped, 3u);
  ASSERT_EQ(data.stats.skipped_examples.size(), 3u);
  EXPECT_NE(data.stats.skipped_examples[0].find("bad.gz:2: not JSON"), std::string::npos)
      << data.stats.skipped_examples[0];
  EXPECT_NE(data.stats.skipped_examples[1].find("bad.gz:3: field 'data.p'"), std::string::npos)
      << data.stats.skipped_examples[1];
  EXPECT_NE(data.stats.skipped_examples[2].find("bad.gz:4: time"), std::string::npos)
      << data.stats.skipped_examples[2];
  EXPECT_NE(data.stats.skipped_examples[2].find("earlier"), std::string::npos);
  const auto trades = All<Trade>(data);
  ASSERT_EQ(trades.size(), 2u);
  EXPECT_EQ(trades[0].aggressor, Side::kBuy);  // m = false: the seller was the maker
}

// ----------------------------------------------------------------------------------------------
// nautilus: TrueFX, HistData, Binance depth CSV

TEST(TrueFxImport, UsdJpyQuotesMatchTheReadme) {
  const fs::path file = DataDir() / "nautilus" / "truefx" / "usdjpy-ticks.csv";
  REQUIRE_DATA(file);
  const ImportedData data = import_market_data(ImportFormat::kTrueFx, file, FixedOptions());
  const auto quotes = All<Quote>(data);
  ASSERT_EQ(quotes.size(), 1'000u);
  EXPECT_EQ(data.stats.rows, 1'000u);
  EXPECT_EQ(format_utc(quotes.front().header.event_time), "2013-01-01T22:00:00.295000000Z");
  EXPECT_EQ(quotes.front().bid_price, P("86.655"));
  EXPECT_EQ(quotes.front().ask_price, P("86.728"));
  EXPECT_TRUE(quotes.front().bid_size.is_zero());  // TrueFX has no sizes
  EXPECT_TRUE(quotes.front().ask_size.is_zero());
  EXPECT_EQ(quotes.front().instrument, kFx);
  EXPECT_EQ(format_utc(quotes.back().header.event_time), "2013-01-01T22:35:13.494000000Z");
  ExpectReplayable(data, 400);
}

TEST(HistDataImport, EurUsdQuotesAreFixedUtcMinusFiveUnlessOverridden) {
  const fs::path file = DataDir() / "nautilus" / "quote_tick_data.csv";
  REQUIRE_DATA(file);
  const ImportedData data = import_market_data(ImportFormat::kHistData, file, FixedOptions());
  const auto quotes = All<Quote>(data);
  ASSERT_EQ(quotes.size(), 9'500u);
  EXPECT_EQ(format_utc(quotes.front().header.event_time), "2020-01-01T22:00:00.065000000Z");
  EXPECT_EQ(quotes.front().bid_price, P("1.1212"));
  EXPECT_EQ(quotes.front().ask_price, P("1.12172"));
  EXPECT_TRUE(quotes.front().bid_size.is_zero());
  EXPECT_EQ(format_utc(quotes.back().header.event_time), "2020-01-02T04:00:52.125000000Z");
  ExpectReplayable(data, 400);

  ImportOptions utc = FixedOptions();
  utc.utc_offset_minutes = 0;  // as the source repository reads it
  const ImportedData as_utc = import_market_data(ImportFormat::kHistData, file, utc);
  EXPECT_EQ(format_utc(as_utc.events.front().header().event_time),
            "2020-01-01T17:00:00.065000000Z");
}

TEST(BinanceDepthCsvImport, TheSnapshotIsOneBookOfTenBidLevels) {
  const fs::path file = DataDir() / "nautilus" / "binance" / "btcusdt-depth-snap.csv";
  REQUIRE_DATA(file);
  const ImportedData data = import_market_data(ImportFormat::kBinanceDepthCsv, file, Options());
  EXPECT_EQ(data.stats.rows, 100u);
  const auto books = All<BookUpdate>(data);
  ASSERT_EQ(books.size(), 1u);
  ASSERT_EQ(data.events.size(), 1u);
  const BookUpdate& b = books[0];
  EXPECT_EQ(b.header.event_time, 1667346579146 * kMillisecond);
  EXPECT_EQ(b.instrument, kBtc);
  EXPECT_EQ(b.bid_levels, 10);
  EXPECT_EQ(b.ask_levels, 0);  // the file has no ask rows
  EXPECT_EQ(b.bids[0].price, P("20377.00"));
  EXPECT_EQ(b.bids[0].size, Q("1.770"));
  EXPECT_EQ(b.bids[9].price, P("20376.10"));
  EXPECT_EQ(b.bids[9].size, Q("0.199"));
  EXPECT_TRUE(b.asks[0].price.is_zero());
  ExpectReplayable(data, 401);
}

TEST(BinanceDepthCsvImport, TheUpdateFileIsOneEvent) {
  const fs::path file = DataDir() / "nautilus" / "binance" / "btcusdt-depth-update.csv";
  REQUIRE_DATA(file);
  const ImportedData data = import_market_data(ImportFormat::kBinanceDepthCsv, file, Options());
  EXPECT_EQ(data.stats.rows, 100u);
  const auto books = All<BookUpdate>(data);
  ASSERT_EQ(books.size(), 1u);
  const BookUpdate& b = books[0];
  EXPECT_EQ(b.header.event_time, 1667347199939 * kMillisecond);
  // Built from the update alone (no snapshot): 20 bid and 30 ask levels remain non-zero.
  EXPECT_EQ(b.bid_levels, 10);
  EXPECT_EQ(b.ask_levels, 10);
  EXPECT_EQ(b.bids[0].price, P("20472.10"));
  EXPECT_EQ(b.bids[0].size, Q("22.276"));
  EXPECT_EQ(b.asks[0].price, P("20472.20"));
  EXPECT_EQ(b.asks[0].size, Q("4.211"));
}

TEST(BinanceDepthCsvImport, EventsGroupAndAGapIsReported) {
  const test::TempDir dir;
  const fs::path file = dir.path() / "depth.csv";
  std::ofstream(file) << "symbol,timestamp,first_update_id,last_update_id,side,update_type,"
                         "price,qty,pu\n"
                      << "BTCUSDT,1000,5,5,b,snap,100.0,1.000,-1\n"
                      << "BTCUSDT,1000,5,5,a,snap,101.0,1.000,-1\n"
                      << "BTCUSDT,2000,6,8,b,set,100.0,0.000,5\n"
                      << "BTCUSDT,2000,6,8,b,set,99.5,2.000,5\n"
                      << "BTCUSDT,3000,10,12,a,set,100.5,1.000,9\n"  // pu 9, not 8: a gap
                      << "BTCUSDT,3000,10,12,a,set,100.6,1.000,9\n"
                      << "BTCUSDT,4000,13,13,b,snap,98.0,1.000,-1\n";  // re-syncs
  const std::string error =
      DataErrorOf([&] { import_market_data(ImportFormat::kBinanceDepthCsv, file, Options()); });
  EXPECT_NE(error.find("depth.csv:6:9: field 'pu'"), std::string::npos) << error;

  ImportOptions skip = Options();
  skip.on_bad_row = BadRowPolicy::kSkip;
  const ImportedData data = import_market_data(ImportFormat::kBinanceDepthCsv, file, skip);
  EXPECT_EQ(data.stats.skipped, 1u);
  EXPECT_EQ(data.stats.dropped, 1u);  // the gapped event's second row
  const auto books = All<BookUpdate>(data);
  ASSERT_EQ(books.size(), 3u);  // the snapshot, the update, the new snapshot; not the gapped one
  EXPECT_EQ(books[0].header.event_time, 1000 * kMillisecond);
  EXPECT_EQ(books[0].bid_levels, 1);
  EXPECT_EQ(books[0].ask_levels, 1);
  EXPECT_EQ(books[1].header.event_time, 2000 * kMillisecond);
  ASSERT_EQ(books[1].bid_levels, 1);
  EXPECT_EQ(books[1].bids[0].price, P("99.5"));  // 100.0 deleted by qty 0
  EXPECT_EQ(books[2].header.event_time, 4000 * kMillisecond);
  EXPECT_EQ(books[2].bids[0].price, P("98"));
  EXPECT_EQ(books[2].ask_levels, 0);  // a snapshot replaces the whole book
}

TEST(BinanceDepthCsvImport, AnUnknownSymbolIsAnErrorEvenWhenSkipping) {
  const test::TempDir dir;
  const fs::path file = dir.path() / "eth.csv";
  std::ofstream(file) << "symbol,timestamp,first_update_id,last_update_id,side,update_type,"
                         "price,qty,pu\n"
                      << "BTCUSDT,1000,5,5,b,snap,100.0,1.000,-1\n"
                      << "ETHUSDT,1000,5,5,b,snap,100.0,1.000,-1\n";
  ImportOptions skip = Options();
  skip.on_bad_row = BadRowPolicy::kSkip;
  const std::string error =
      DataErrorOf([&] { import_market_data(ImportFormat::kBinanceDepthCsv, file, skip); });
  EXPECT_NE(error.find("eth.csv:3"), std::string::npos) << error;
  EXPECT_NE(error.find("unknown symbol 'ETHUSDT'"), std::string::npos) << error;
}

// ----------------------------------------------------------------------------------------------
// The user's own CSV (CsvMapping)

TEST(CsvMappingImport, EveryTimeFormatGivesTheSameInstant) {
  const test::TempDir dir;
  // 2024-03-05 14:30:15.250 UTC, and 09:30:15.250 at UTC-05:00.
  const Timestamp want = Utc(2024, 3, 5, 14, 30, 15, 250);
  struct Case {
    CsvTimeFormat format;
    std::string text;
    std::optional<int> offset;
  };
  const std::vector<Case> cases{
      {CsvTimeFormat::kEpochNs, "1709649015250000000", std::nullopt},
      {CsvTimeFormat::kEpochUs, "1709649015250000", std::nullopt},
      {CsvTimeFormat::kEpochMs, "1709649015250", std::nullopt},
      {CsvTimeFormat::kEpochS, "1709649015.25", std::nullopt},
      {CsvTimeFormat::kMsOfDay, "34215250", -300},
      {CsvTimeFormat::kIso8601, "2024-03-05T14:30:15.250Z", std::nullopt},
      {CsvTimeFormat::kIso8601, "2024-03-05 09:30:15.25-05:00", std::nullopt},
      {CsvTimeFormat::kIso8601, "2024-03-05 09:30:15.250000", -300},  // no zone: the offset
      {CsvTimeFormat::kYyyymmddHhmmssmmm, "20240305 093015250", -300},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const fs::path file = dir.path() / "t.csv";
    std::ofstream(file) << "when;px;qty\n" << c.text << ";101.5;3\n";
    CsvMapping m;
    m.delimiter = ';';
    m.kind = CsvKind::kTrades;
    m.time = CsvColumn::named("when");
    m.time_format = c.format;
    m.utc_offset_minutes = c.offset;
    m.price = CsvColumn::named("px");
    m.size = CsvColumn::at(2);
    ImportOptions o = FixedOptions();
    o.trading_date = "20240305";
    const ImportedData data = import_market_data(ImportFormat::kCsv, file, o, &m);
    ASSERT_EQ(data.events.size(), 1u);
    const Trade& t = data.events[0].as<Trade>();
    EXPECT_EQ(format_utc(t.header.event_time), format_utc(want));
    EXPECT_EQ(t.price, P("101.5"));
    EXPECT_EQ(t.size, Quantity::from_units(3));
    EXPECT_EQ(t.trade_id, 2u);  // the line number
  }
}

TEST(CsvMappingImport, TradesWithSymbolSideAndScaledPrices) {
  const test::TempDir dir;
  const fs::path file = dir.path() / "trades.csv";
  std::ofstream(file) << "1000,SPY,1674100,100,S\n1000,IBM,1836300,5,buy\n2000,SPY,1674200,7,B\n";
  CsvMapping m;
  m.has_header = false;
  m.kind = CsvKind::kTrades;
  m.time = CsvColumn::at(0);
  m.time_format = CsvTimeFormat::kEpochMs;
  m.symbol = CsvColumn::at(1);
  m.price = CsvColumn::at(2);
  m.size = CsvColumn::at(3);
  m.side = CsvColumn::at(4);
  m.price_scale = 10'000;
  const ImportedData data = import_market_data(ImportFormat::kCsv, file, Options(), &m);
  const auto trades = All<Trade>(data);
  ASSERT_EQ(trades.size(), 3u);
  EXPECT_EQ(trades[0].instrument, kSpy);
  EXPECT_EQ(trades[0].price, P("167.41"));
  EXPECT_EQ(trades[0].aggressor, Side::kSell);
  EXPECT_EQ(trades[1].instrument, kIbm);
  EXPECT_EQ(trades[1].aggressor, Side::kBuy);
  EXPECT_EQ(trades[2].header.event_time, 2000 * kMillisecond);
  ExpectReplayable(data, 401);
}

TEST(CsvMappingImport, OneSidedQuotesCarryTheOtherSide) {
  const test::TempDir dir;
  const fs::path file = dir.path() / "quotes.csv";
  std::ofstream(file) << "t,bp,bs,ap,as\n1,,,10.5,3\n2,10.1,4,0,0\n3,10.2,5,,\n";
  CsvMapping m;
  m.kind = CsvKind::kOneSidedQuotes;
  m.time = CsvColumn::named("t");
  m.time_format = CsvTimeFormat::kEpochS;
  m.bid_price = CsvColumn::named("bp");
  m.bid_size = CsvColumn::named("bs");
  m.ask_price = CsvColumn::named("ap");
  m.ask_size = CsvColumn::named("as");
  const ImportedData data = import_market_data(ImportFormat::kCsv, file, FixedOptions(), &m);
  const auto quotes = All<Quote>(data);
  ASSERT_EQ(quotes.size(), 3u);
  EXPECT_TRUE(quotes[0].bid_price.is_zero());
  EXPECT_EQ(quotes[0].ask_price, P("10.5"));
  EXPECT_EQ(quotes[1].bid_price, P("10.1"));
  EXPECT_EQ(quotes[1].ask_price, P("10.5"));
  EXPECT_EQ(quotes[1].ask_size, Quantity::from_units(3));
  EXPECT_EQ(quotes[2].bid_size, Quantity::from_units(5));
  EXPECT_EQ(quotes[2].ask_price, P("10.5"));
}

TEST(CsvMappingImport, OnlyPricesWithFloatingPointNoiseAreRoundedToTheTick) {
  const test::TempDir dir;
  const fs::path file = dir.path() / "noise.csv";
  std::ofstream(file) << "t,bid,ask\n1,1801.00999999999999,1801.0250\n";
  CsvMapping m;
  m.time = CsvColumn::named("t");
  m.time_format = CsvTimeFormat::kEpochMs;
  m.bid_price = CsvColumn::named("bid");
  m.ask_price = CsvColumn::named("ask");
  ImportOptions o = FixedOptions();
  o.tick_size = P("0.01");
  const ImportedData data = import_market_data(ImportFormat::kCsv, file, o, &m);
  ASSERT_EQ(data.events.size(), 1u);
  EXPECT_EQ(data.events[0].as<Quote>().bid_price, P("1801.01"));   // noise: to the tick
  EXPECT_EQ(data.events[0].as<Quote>().ask_price, P("1801.025"));  // written: kept exactly
  o.tick_size = Price::zero();
  const ImportedData exact = import_market_data(ImportFormat::kCsv, file, o, &m);
  EXPECT_EQ(exact.events[0].as<Quote>().bid_price, P("1801.01"));  // to 8 decimals
}

// A TrueFX-shaped file with the given rows after the header.
fs::path TrueFxFile(const test::TempDir& dir, const std::string& rows) {
  const fs::path file = dir.path() / "usdjpy.csv";
  std::ofstream(file) << "timestamp,bid,ask\n" << rows;
  return file;
}

TEST(CsvMappingImport, AMalformedNumberNamesFileLineAndField) {
  const test::TempDir dir;
  const fs::path file = TrueFxFile(dir,
                                   "2013-01-01 22:00:00.295000+00:00,86.655,86.728\n"
                                   "2013-01-01 22:02:35.907000+00:00,86.6x7,86.728\n");
  const std::string error =
      DataErrorOf([&] { import_market_data(ImportFormat::kTrueFx, file, FixedOptions()); });
  EXPECT_NE(error.find("usdjpy.csv:3:2: field 'bid'"), std::string::npos) << error;
  EXPECT_NE(error.find("'86.6x7'"), std::string::npos) << error;
}

TEST(CsvMappingImport, AShortRowIsABadRow) {
  const test::TempDir dir;
  const fs::path file = TrueFxFile(dir,
                                   "2013-01-01 22:00:00.295000+00:00,86.655,86.728\n"
                                   "2013-01-01 22:02:35.907000+00:00,86.657\n");
  const std::string error =
      DataErrorOf([&] { import_market_data(ImportFormat::kTrueFx, file, FixedOptions()); });
  EXPECT_NE(error.find("usdjpy.csv:3: 2 fields, expected 3"), std::string::npos) << error;
}

TEST(CsvMappingImport, TimeGoingBackwardsIsABadRow) {
  const test::TempDir dir;
  const fs::path file = TrueFxFile(dir,
                                   "2013-01-01 22:00:00.295000+00:00,86.655,86.728\n"
                                   "2013-01-01 21:59:59.000000+00:00,86.657,86.728\n"
                                   "2013-01-01 22:00:00.295000+00:00,86.658,86.728\n");
  const std::string error =
      DataErrorOf([&] { import_market_data(ImportFormat::kTrueFx, file, FixedOptions()); });
  EXPECT_NE(error.find("usdjpy.csv:3: time 2013-01-01T21:59:59"), std::string::npos) << error;
  EXPECT_NE(error.find("earlier"), std::string::npos) << error;
  ImportOptions skip = FixedOptions();
  skip.on_bad_row = BadRowPolicy::kSkip;
  const ImportedData data = import_market_data(ImportFormat::kTrueFx, file, skip);
  EXPECT_EQ(data.events.size(), 2u);  // an equal time is in order
  EXPECT_EQ(data.stats.skipped, 1u);
}

TEST(CsvMappingImport, StopThrowsAtTheFirstBadRowSkipCountsAndKeepsTenExamples) {
  const test::TempDir dir;
  std::string rows;
  for (int i = 0; i < 30; ++i) {
    const bool bad = i % 2 == 1;  // lines 3, 5, ..., 31: 15 bad rows
    rows += "2013-01-01 22:00:" + std::string(i < 10 ? "0" : "") + std::to_string(i) +
            ".000+00:00," + (bad ? "x" : "86.655") + ",86.728\n";
  }
  const fs::path file = TrueFxFile(dir, rows);
  const std::string error =
      DataErrorOf([&] { import_market_data(ImportFormat::kTrueFx, file, FixedOptions()); });
  EXPECT_NE(error.find("usdjpy.csv:3:2"), std::string::npos) << error;

  ImportOptions skip = FixedOptions();
  skip.on_bad_row = BadRowPolicy::kSkip;
  const ImportedData data = import_market_data(ImportFormat::kTrueFx, file, skip);
  EXPECT_EQ(data.stats.rows, 30u);
  EXPECT_EQ(data.stats.skipped, 15u);
  EXPECT_EQ(data.events.size(), 15u);
  ASSERT_EQ(data.stats.skipped_examples.size(), ImportStats::kMaxSkippedExamples);
  EXPECT_EQ(data.stats.skipped_examples[0], error);
  EXPECT_NE(data.stats.skipped_examples[9].find("usdjpy.csv:21:2"), std::string::npos)
      << data.stats.skipped_examples[9];
  ExpectReplayable(data, 400);
}

TEST(CsvMappingImport, AMissingHeaderColumnAndAMissingInstrumentAreNamed) {
  const test::TempDir dir;
  const fs::path file = dir.path() / "q.csv";
  std::ofstream(file) << "time,bid,offer\n1,1.0,1.1\n";
  const std::string error =
      DataErrorOf([&] { import_market_data(ImportFormat::kTrueFx, file, FixedOptions()); });
  EXPECT_NE(error.find("q.csv:1: no column 'timestamp'"), std::string::npos) << error;
  CsvMapping m;
  m.time = CsvColumn::named("time");
  m.bid_price = CsvColumn::named("bid");
  m.ask_price = CsvColumn::named("offer");
  EXPECT_THROW(import_market_data(ImportFormat::kCsv, file, ImportOptions{}, &m),
               std::invalid_argument);  // names no instrument, and none configured
  EXPECT_EQ(import_market_data(ImportFormat::kCsv, file, FixedOptions(), &m).events.size(), 1u);
}

TEST(CsvMapping, ValidateNamesTheBadField) {
  auto message = [](const CsvMapping& m) -> std::string {
    try {
      m.validate();
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "";
  };
  CsvMapping m;
  m.kind = CsvKind::kTrades;
  m.time = CsvColumn::at(0);
  m.price = CsvColumn::at(1);
  EXPECT_NE(message(m).find("columns.size"), std::string::npos) << message(m);
  m.size = CsvColumn::at(2);
  EXPECT_EQ(message(m), "");
  m.price_scale = 0;
  EXPECT_NE(message(m).find("price_scale"), std::string::npos);
  m.price_scale = 1;
  m.bid_price = CsvColumn::at(3);
  EXPECT_NE(message(m).find("columns.bid_price"), std::string::npos);  // not for trades
  m.bid_price = {};
  m.has_header = false;
  m.side = CsvColumn::named("side");
  EXPECT_NE(message(m).find("columns.side"), std::string::npos);  // a name without a header
  m.side = {};
  m.time_format = CsvTimeFormat::kEpochMs;
  m.utc_offset_minutes = 60;
  EXPECT_NE(message(m).find("time.utc_offset"), std::string::npos);
  m.utc_offset_minutes.reset();
  m.time = {};
  EXPECT_NE(message(m).find("time.column"), std::string::npos);
  m.time = CsvColumn::at(0);
  m.delimiter = '\n';
  EXPECT_NE(message(m).find("delimiter"), std::string::npos);

  EXPECT_EQ(message(truefx_mapping()), "");
  EXPECT_EQ(message(histdata_mapping()), "");
  EXPECT_EQ(histdata_mapping().utc_offset_minutes, -300);
}

TEST(CsvMapping, NamesParseBothWays) {
  EXPECT_EQ(CsvColumn::parse("3").index, 3u);
  EXPECT_EQ(CsvColumn::parse("bid").name, "bid");
  EXPECT_EQ(parse_utc_offset("+00:00"), 0);
  EXPECT_EQ(parse_utc_offset("-05:00"), -300);
  EXPECT_EQ(parse_utc_offset("+0530"), 330);
  EXPECT_EQ(parse_utc_offset("Z"), 0);
  EXPECT_EQ(parse_utc_offset("5"), std::nullopt);
  EXPECT_EQ(parse_utc_offset("+25:00"), std::nullopt);
  for (const char* k : {"trades", "quotes", "one_sided_quotes"}) {
    EXPECT_EQ(to_string(*parse_csv_kind(k)), k);
  }
  for (const char* f : {"epoch_ns", "epoch_us", "epoch_ms", "epoch_s", "ms_of_day", "iso8601",
                        "yyyymmdd_hhmmssmmm"}) {
    EXPECT_EQ(to_string(*parse_csv_time_format(f)), f);
  }
  EXPECT_FALSE(parse_csv_kind("bars"));
  EXPECT_FALSE(parse_csv_time_format("excel"));
}

TEST(MarketDataImport, FormatNamesRoundTripAndCsvNeedsAMapping) {
  for (const char* name : {"lean", "hftbacktest", "truefx", "histdata", "binance_depth", "csv"}) {
    const auto format = parse_import_format(name);
    ASSERT_TRUE(format) << name;
    EXPECT_EQ(to_string(*format), name);
  }
  EXPECT_FALSE(parse_import_format("nautilus"));
  EXPECT_THROW(import_market_data(ImportFormat::kCsv, "any.csv", FixedOptions()),
               std::invalid_argument);
  EXPECT_NE(DataErrorOf([] {
              import_market_data(ImportFormat::kTrueFx, "no-such-file.csv", FixedOptions());
            }).find("no-such-file.csv: cannot open"),
            std::string::npos);
}

}  // namespace
}  // namespace guiju
