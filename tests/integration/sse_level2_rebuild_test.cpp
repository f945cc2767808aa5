// The reference A-share dataset (../shared/data/dolphindb: SSE Level-2, 600519, 2023-02-01):
// loaded from its ZIP, the order book rebuilt from the order-by-order entries, cancels and
// trades, and held against every exchange snapshot of the day. The match rate and the first
// mismatches are printed. Skips with the reason when the data directory is not there.

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "adapters/replay/csv_table.hpp"
#include "adapters/replay/l2_rebuild.hpp"
#include "adapters/replay/sse_level2.hpp"
#include "adapters/replay/sse_level2_source.hpp"
#include "adapters/replay/zip_reader.hpp"
#include "core/clock/calendar.hpp"
#include "tests/support/reference_data.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju::sse {
namespace {

namespace fs = std::filesystem;

fs::path DataDir() {
  return test::reference_data_dir();
}

fs::path Archive() {
  return DataDir() / "dolphindb" / "dolphinscheduler_integration" / "20230201.zip";
}

TEST(SseLevel2, TheRebuiltBookMatchesTheExchangesSnapshots) {
  if (!fs::exists(Archive())) {
    GTEST_SKIP() << "no reference data at " << Archive() << " (set GUIJU_DATA_DIR)";
  }
  const Level2Day day = load_level2_day(Archive(), "20230201");
  // The counts the data's README gives.
  EXPECT_EQ(day.orders.size(), 54'735u);
  EXPECT_EQ(day.trades.size(), 27'135u);
  EXPECT_EQ(day.snapshots.size(), 5'109u);
  int64_t volume = 0;
  for (const TradeRow& t : day.trades) volume += t.volume.raw() / Quantity::kScale;
  EXPECT_EQ(volume, 3'397'389);

  const RebuildReport r = rebuild_and_compare(day);
  std::printf(
      "SSE 600519 2023-02-01: %zu of %zu continuous-trading snapshots match the rebuilt "
      "book (%.2f%%); %zu auction, start or close snapshots not compared; %zu references "
      "to orders not in the book\n",
      r.matched, r.compared, 100.0 * r.match_rate(), r.other_phase, r.unknown_orders);
  for (const std::string& m : r.mismatches) std::printf("  mismatch %s\n", m.c_str());
  // Every continuous-trading snapshot of the day compared, every other one counted apart.
  size_t trading = 0;
  for (const SnapshotRow& s : day.snapshots) trading += s.phase == "TRADE" ? 1 : 0;
  EXPECT_EQ(trading, 4'847u);
  EXPECT_EQ(r.compared, trading);
  EXPECT_EQ(r.other_phase, day.snapshots.size() - trading);
  EXPECT_EQ(r.unknown_orders, 0u);
  // Measured when written: 4,834 of 4,847 (99.73%). The rest show a level larger in the rebuilt
  // book than in the exchange's; the test holds the line there.
  EXPECT_GE(r.match_rate(), 0.997);
}

TEST(SseLevel2, TheReplaySourcePublishesEveryTradeAndOnlyUncrossedBooks) {
  if (!fs::exists(Archive())) {
    GTEST_SKIP() << "no reference data at " << Archive() << " (set GUIJU_DATA_DIR)";
  }
  Level2Day day = load_level2_day(Archive(), "20230201");
  EXPECT_EQ(day.security, "600519");
  Level2Source source(std::move(day), "20230201", 0);
  EventSlot e;
  size_t trades = 0;
  size_t quotes = 0;
  size_t books = 0;
  Timestamp last = 0;
  const Timestamp open = utc_midnight("20230201") + (9 * 60 + 15) * kMinute - 8 * kHour;
  const Timestamp close = utc_midnight("20230201") + (15 * 60 + 1) * kMinute - 8 * kHour;
  while (source.next(e)) {
    const Timestamp t = e.header().event_time;
    ASSERT_GE(t, last) << "events out of time order";
    ASSERT_GE(t, open);
    ASSERT_LE(t, close);
    last = t;
    if (e.type() == EventType::kTrade) ++trades;
    if (e.type() == EventType::kQuote) {
      ++quotes;
      const Quote& q = e.as<Quote>();
      if (q.bid_size.is_positive() && q.ask_size.is_positive()) {
        ASSERT_LT(q.bid_price, q.ask_price) << "a crossed quote was published";
      }
    }
    if (e.type() == EventType::kBookUpdate) ++books;
  }
  EXPECT_EQ(trades, 27'135u);
  // What the rebuilt book published, measured when written: a changed top of book 45,440
  // times, a changed ten levels 63,934 times.
  EXPECT_EQ(quotes, 45'440u);
  EXPECT_EQ(books, 63'934u);
}

TEST(SseLevel2, DamagedInputIsReportedWithMemberLineAndColumn) {
  test::TempDir dir;
  // A CSV with a bad time in line 3.
  try {
    const CsvTable t("A,OrderTime\n1,09:15:00.020\n2,9:15\n", "x.zip:20230201/entrust.csv");
    t.integer(1, t.column("OrderTime"));
    ADD_FAILURE() << "a malformed integer was accepted";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("x.zip:20230201/entrust.csv:3: column 'OrderTime'"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(CsvTable("A,B\n1,2,3\n", "short.csv"), DataError);
  // Not a ZIP at all; a ZIP without the member.
  const std::string not_zip = dir.file("not.zip", "this is not an archive");
  EXPECT_THROW(ZipReader{not_zip}, ZipError);
  if (fs::exists(Archive())) {
    const ZipReader zip(Archive());
    try {
      zip.read("20230201/orders.csv");
      ADD_FAILURE() << "a missing member was read";
    } catch (const ZipError& e) {
      EXPECT_NE(std::string(e.what()).find("member 20230201/orders.csv: not in the archive"),
                std::string::npos)
          << e.what();
    }
    // One flipped byte in the compressed data: caught by inflate or the CRC, never returned.
    std::ifstream in(Archive(), std::ios::binary);
    std::string bytes(static_cast<size_t>(fs::file_size(Archive())), '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    bytes[bytes.size() / 3] = static_cast<char>(bytes[bytes.size() / 3] ^ 0x5a);
    const std::string damaged = dir.file("damaged.zip", bytes);
    // A third of the way in is inside entrust.csv's deflated bytes (1.03 MB of the 1.98 MB).
    const ZipReader bad(damaged);
    EXPECT_THROW(bad.read("20230201/entrust.csv"), ZipError);
    EXPECT_NO_THROW(bad.read("20230201/trade.csv"));
  }
}

}  // namespace
}  // namespace guiju::sse
