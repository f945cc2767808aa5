// The FIX market-data mapping without sockets: W, X and Y messages of FIX 4.2 and 4.4, built with
// QuickFIX's own message classes (some also through their wire form and the dictionaries of
// configs/fix), fed to FixMarketDataMapper; the BookUpdate and Trade events it makes, its counters,
// its staleness, and the MarketDataRequests the adapter sends, validated by the dictionaries.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "adapters/fix/fix_market_data_book.hpp"
#include "adapters/fix/fix_market_data_mapper.hpp"
#include "adapters/fix/fix_market_data_request.hpp"
#include "adapters/fix/fix_market_data_time.hpp"
#include "adapters/fix/quickfix.hpp"

namespace guiju {
namespace {

Instrument MakeInstrument(const std::string& symbol) {
  Instrument i;
  i.symbol = symbol;
  i.venue = "SSE";
  i.tick_size = *Price::parse("0.01");
  i.lot_size = *Quantity::parse("100");
  i.board = Board::kMain;
  i.currency = "CNY";
  i.previous_close = *Price::parse("1700.00");
  return i;
}

Price P(const char* text) {
  return *Price::parse(text);
}
Quantity Q(const char* text) {
  return *Quantity::parse(text);
}

struct VectorSink final : MarketDataSink {
  std::vector<BookUpdate> books;
  std::vector<Trade> trades;
  bool publish(const BookUpdate& u) override {
    books.push_back(u);
    return true;
  }
  bool publish(const Trade& t) override {
    trades.push_back(t);
    return true;
  }
};

// 2026-11-27 01:30:00.123 UTC
constexpr const char* kSendingTime = "20261127-01:30:00.123";
const Timestamp kSent = *parse_fix_utc_timestamp(kSendingTime);
constexpr Timestamp kReceived = 1'800'000'000'000'000'000;

// An entry of NoMDEntries with text values as given (nullptr: not set), so that bad values can
// be written as they would arrive.
template <typename Group>
Group Entry(const char* type, const char* px, const char* size, const char* action = nullptr,
            const char* position = nullptr, const char* symbol = nullptr) {
  Group g;
  if (action) g.setField(279, action);
  if (type) g.setField(269, type);
  if (symbol) g.setField(55, symbol);
  if (px) g.setField(270, px);
  if (size) g.setField(271, size);
  if (position) g.setField(290, position);
  return g;
}

using W42 = FIX42::MarketDataSnapshotFullRefresh;
using W44 = FIX44::MarketDataSnapshotFullRefresh;
using X42 = FIX42::MarketDataIncrementalRefresh;
using X44 = FIX44::MarketDataIncrementalRefresh;

class FixMarketDataMappingTest : public ::testing::Test {
 protected:
  FixMarketDataMappingTest() {
    a_ = registry_.add(MakeInstrument("600519"));
    b_ = registry_.add(MakeInstrument("000001"));
    mapper_ = std::make_unique<FixMarketDataMapper>(registry_, std::vector<InstrumentId>{a_, b_},
                                                    sink_, counters_, 7);
    mapper_->subscribed(a_, "600519-1");
    mapper_->subscribed(b_, "000001-1");
  }

  // A 4.2 W for 600519: bids 1699.50x100 and 1700.00x300, offers 1701x50 and 1700.5x200 (out of
  // order on purpose), a trade.
  W42 Snapshot42(const char* md_req_id = "600519-1") {
    W42 m{FIX::Symbol("600519")};
    m.getHeader().setField(52, kSendingTime);
    if (md_req_id) m.setField(262, md_req_id);
    m.addGroup(Entry<W42::NoMDEntries>("0", "1699.50", "100"));
    m.addGroup(Entry<W42::NoMDEntries>("0", "1700.00", "300"));
    m.addGroup(Entry<W42::NoMDEntries>("1", "1701", "50"));
    m.addGroup(Entry<W42::NoMDEntries>("1", "1700.5", "200"));
    m.addGroup(Entry<W42::NoMDEntries>("2", "1700.20", "900"));
    return m;
  }

  InstrumentRegistry registry_;
  InstrumentId a_ = 0;
  InstrumentId b_ = 0;
  VectorSink sink_;
  FixMarketDataCounters counters_;
  std::unique_ptr<FixMarketDataMapper> mapper_;
};

TEST_F(FixMarketDataMappingTest, Snapshot42ReplacesTheBookWithExactSortedLevels) {
  mapper_->on_message(Snapshot42(), kReceived);
  ASSERT_EQ(sink_.books.size(), 1u);
  const BookUpdate& u = sink_.books[0];
  EXPECT_EQ(u.instrument, a_);
  EXPECT_EQ(u.header.event_time, kSent);
  EXPECT_EQ(u.header.receive_time, kReceived);
  EXPECT_EQ(u.header.source, 7u);
  ASSERT_EQ(u.bid_levels, 2);
  ASSERT_EQ(u.ask_levels, 2);
  EXPECT_EQ(u.bids[0].price, P("1700.00"));
  EXPECT_EQ(u.bids[0].size, Q("300"));
  EXPECT_EQ(u.bids[1].price, P("1699.5"));
  EXPECT_EQ(u.bids[1].size, Q("100"));
  EXPECT_EQ(u.asks[0].price, P("1700.5"));
  EXPECT_EQ(u.asks[1].price, P("1701"));
  EXPECT_EQ(u.asks[1].size, Q("50"));
  EXPECT_EQ(u.bids[2].price, Price::zero());
  EXPECT_TRUE(sink_.trades.empty());  // trades in a snapshot are not events
  EXPECT_TRUE(mapper_->is_live(a_));
  EXPECT_EQ(counters_.get(FixMarketDataCounters::kSnapshots), 1u);

  // A second snapshot replaces, not merges.
  W42 again{FIX::Symbol("600519")};
  again.setField(262, "600519-1");
  again.addGroup(Entry<W42::NoMDEntries>("0", "1690", "1"));
  mapper_->on_message(again, kReceived);
  ASSERT_EQ(sink_.books.size(), 2u);
  EXPECT_EQ(sink_.books[1].bid_levels, 1);
  EXPECT_EQ(sink_.books[1].ask_levels, 0);
  EXPECT_EQ(sink_.books[1].header.event_time, kReceived);  // no SendingTime: the receive time
}

TEST_F(FixMarketDataMappingTest, Snapshot44ByInstrumentKeepsTheBestLevelsOnly) {
  W44 m;
  m.set(FIX::Symbol("000001"));  // the Instrument component; no MDReqID
  for (int i = 0; i < kBookDepth + 3; ++i) {
    const std::string px = std::to_string(10 + i) + ".01";
    m.addGroup(Entry<W44::NoMDEntries>("0", px.c_str(), "1000"));
  }
  mapper_->on_message(m, kReceived);
  ASSERT_EQ(sink_.books.size(), 1u);
  const BookUpdate& u = sink_.books[0];
  EXPECT_EQ(u.instrument, b_);
  ASSERT_EQ(u.bid_levels, kBookDepth);
  EXPECT_EQ(u.bids[0].price, P("22.01"));
  EXPECT_EQ(u.bids[kBookDepth - 1].price, P("13.01"));
}

TEST_F(FixMarketDataMappingTest, Incremental44NewChangeDeleteAtPositionsOneUpdatePerInstrument) {
  mapper_->on_message(Snapshot42(), kReceived);
  W42 w{FIX::Symbol("000001")};
  w.setField(262, "000001-1");
  w.addGroup(Entry<W42::NoMDEntries>("1", "10.50", "100"));
  mapper_->on_message(w, kReceived);
  sink_.books.clear();

  X44 x;
  x.getHeader().setField(52, kSendingTime);
  using E = X44::NoMDEntries;
  x.addGroup(Entry<E>("0", "1700.20", "10", "0", "1", "600519"));      // new best bid at position 1
  x.addGroup(Entry<E>("0", nullptr, "350", "1", "2", "600519"));       // change size of 1700.00
  x.addGroup(Entry<E>("1", "1701", nullptr, "2", nullptr, "600519"));  // delete by price
  x.addGroup(Entry<E>("1", "10.40", "5", "0", nullptr, "000001"));     // new by price
  mapper_->on_message(x, kReceived);
  ASSERT_EQ(sink_.books.size(), 2u);
  const BookUpdate& a = sink_.books[0];
  EXPECT_EQ(a.instrument, a_);
  EXPECT_EQ(a.header.event_time, kSent);
  ASSERT_EQ(a.bid_levels, 3);
  EXPECT_EQ(a.bids[0].price, P("1700.2"));
  EXPECT_EQ(a.bids[0].size, Q("10"));
  EXPECT_EQ(a.bids[1].price, P("1700"));
  EXPECT_EQ(a.bids[1].size, Q("350"));
  EXPECT_EQ(a.bids[2].price, P("1699.5"));
  ASSERT_EQ(a.ask_levels, 1);
  EXPECT_EQ(a.asks[0].price, P("1700.5"));
  const BookUpdate& b = sink_.books[1];
  EXPECT_EQ(b.instrument, b_);
  ASSERT_EQ(b.ask_levels, 2);
  EXPECT_EQ(b.asks[0].price, P("10.4"));
  EXPECT_EQ(b.asks[1].price, P("10.5"));

  // Delete by position.
  X44 del;
  del.addGroup(Entry<E>("0", nullptr, nullptr, "2", "1", "600519"));
  mapper_->on_message(del, kReceived);
  ASSERT_EQ(sink_.books.size(), 3u);
  EXPECT_EQ(sink_.books[2].bid_levels, 2);
  EXPECT_EQ(sink_.books[2].bids[0].price, P("1700"));
  EXPECT_EQ(counters_.get(FixMarketDataCounters::kBadEntries), 0u);
}

TEST_F(FixMarketDataMappingTest, Incremental42EntriesNamedByTheMessagesMDReqID) {
  mapper_->on_message(Snapshot42(), kReceived);
  sink_.books.clear();
  X42 x;
  x.setField(262, "600519-1");
  using E = X42::NoMDEntries;
  E entry = Entry<E>("1", "1700.40", "70", "0");
  entry.setField(273, "01:29:59.5");  // MDEntryTime, dated by SendingTime
  x.getHeader().setField(52, kSendingTime);
  x.addGroup(entry);
  mapper_->on_message(x, kReceived);
  ASSERT_EQ(sink_.books.size(), 1u);
  EXPECT_EQ(sink_.books[0].asks[0].price, P("1700.4"));
  EXPECT_EQ(sink_.books[0].header.event_time, kSent - 623 * kMillisecond);
}

TEST_F(FixMarketDataMappingTest, TradeEntriesBecomeTradesWithAnAggressorFromTheBook) {
  mapper_->on_message(Snapshot42(), kReceived);  // bid 1700.00, ask 1700.5
  X44 x;
  using E = X44::NoMDEntries;
  E lift = Entry<E>("2", "1700.5", "200", "0", nullptr, "600519");
  lift.setField(278, "123456");
  x.addGroup(lift);
  x.addGroup(Entry<E>("2", "1700.00", "100", "0", nullptr, "600519"));  // hits the bid
  x.addGroup(Entry<E>("2", "1700.40", "1", "0", nullptr, "600519"));    // nearer the ask
  mapper_->on_message(x, kReceived);
  ASSERT_EQ(sink_.trades.size(), 3u);
  EXPECT_EQ(sink_.trades[0].instrument, a_);
  EXPECT_EQ(sink_.trades[0].price, P("1700.5"));
  EXPECT_EQ(sink_.trades[0].size, Q("200"));
  EXPECT_EQ(sink_.trades[0].aggressor, Side::kBuy);
  EXPECT_EQ(sink_.trades[0].trade_id, 123456u);
  EXPECT_EQ(sink_.trades[1].aggressor, Side::kSell);
  EXPECT_EQ(sink_.trades[2].aggressor, Side::kBuy);
  EXPECT_EQ(sink_.books.size(), 1u);  // trades alone touch no book
  EXPECT_EQ(counters_.get(FixMarketDataCounters::kTrades), 3u);
}

TEST_F(FixMarketDataMappingTest, BadEntriesAreCountedAndSkippedTheRestApplies) {
  mapper_->on_message(Snapshot42(), kReceived);
  sink_.books.clear();
  X44 x;
  using E = X44::NoMDEntries;
  x.addGroup(Entry<E>("Z", "1700.1", "1", "0", nullptr, "600519"));          // MDEntryType
  x.addGroup(Entry<E>("0", "1700.1", "1", "7", nullptr, "600519"));          // MDUpdateAction
  x.addGroup(Entry<E>("0", "abc", "1", "0", nullptr, "600519"));             // price
  x.addGroup(Entry<E>("0", "1700.1", "-5", "0", nullptr, "600519"));         // size
  x.addGroup(Entry<E>("0", "1700.1", "0", "0", nullptr, "600519"));          // zero size
  x.addGroup(Entry<E>("0", "1700.1", "1", "0", "x", "600519"));              // position
  x.addGroup(Entry<E>("0", nullptr, "1", "0", nullptr, "600519"));           // new without price
  x.addGroup(Entry<E>("2", "1e3", "1", "0", nullptr, "600519"));             // trade price
  x.addGroup(Entry<E>("0", "1700.123456789", "1", "0", nullptr, "600519"));  // > 8 decimals
  x.addGroup(Entry<E>("0", "1700.10", "5", "0", nullptr, "600519"));         // good
  x.addGroup(Entry<E>("0", "1.00", "5", "0", nullptr, "999999"));            // unknown symbol
  mapper_->on_message(x, kReceived);
  EXPECT_EQ(counters_.get(FixMarketDataCounters::kBadEntries), 9u);
  EXPECT_EQ(counters_.get(FixMarketDataCounters::kUnknownInstrument), 1u);
  ASSERT_EQ(sink_.books.size(), 1u);
  EXPECT_EQ(sink_.books[0].bid_levels, 3);
  EXPECT_EQ(sink_.books[0].bids[0].price, P("1700.1"));
  EXPECT_TRUE(sink_.trades.empty());
  EXPECT_TRUE(mapper_->is_live(a_));

  // A snapshot with a bad entry keeps its good ones.
  W42 w{FIX::Symbol("600519")};
  w.setField(262, "600519-1");
  w.addGroup(Entry<W42::NoMDEntries>("0", "1700", "nan"));
  w.addGroup(Entry<W42::NoMDEntries>("1", "1701", "1"));
  mapper_->on_message(w, kReceived);
  EXPECT_EQ(counters_.get(FixMarketDataCounters::kBadEntries), 10u);
  EXPECT_EQ(sink_.books.back().bid_levels, 0);
  EXPECT_EQ(sink_.books.back().ask_levels, 1);
}

TEST_F(FixMarketDataMappingTest, AnIncrementalThatContradictsTheBookMakesItStaleAndAsksForResync) {
  mapper_->on_message(Snapshot42(), kReceived);
  sink_.books.clear();
  X44 x;
  using E = X44::NoMDEntries;
  x.addGroup(Entry<E>("0", "1600", nullptr, "2", nullptr, "600519"));  // no such level
  x.addGroup(Entry<E>("1", "1702", "1", "0", nullptr, "600519"));      // ignored: no book now
  mapper_->on_message(x, kReceived);
  ASSERT_EQ(sink_.books.size(), 1u);
  EXPECT_EQ(sink_.books[0].bid_levels, 0);
  EXPECT_EQ(sink_.books[0].ask_levels, 0);
  EXPECT_EQ(sink_.books[0].header.event_time, 0);
  EXPECT_FALSE(mapper_->is_live(a_));
  ASSERT_EQ(mapper_->resyncs().size(), 1u);
  EXPECT_EQ(mapper_->resyncs()[0], a_);
  EXPECT_EQ(counters_.get(FixMarketDataCounters::kResyncs), 1u);
}

TEST_F(FixMarketDataMappingTest, StaleUntilTheFreshSnapshot) {
  mapper_->on_message(Snapshot42(), kReceived);
  mapper_->mark_stale(a_, kReceived + 1);  // a logout
  ASSERT_EQ(sink_.books.size(), 2u);
  EXPECT_EQ(sink_.books[1].bid_levels, 0);
  EXPECT_EQ(sink_.books[1].ask_levels, 0);
  EXPECT_EQ(sink_.books[1].header.event_time, 0);  // Book::updated() 0: the risk layer refuses
  EXPECT_EQ(sink_.books[1].header.receive_time, kReceived + 1);
  EXPECT_FALSE(mapper_->is_subscribed(a_));

  // Late answers to the old request and updates are ignored until the new subscription's W.
  mapper_->on_message(Snapshot42("600519-1"), kReceived);
  X44 x;
  x.addGroup(Entry<X44::NoMDEntries>("0", "1700.1", "1", "0", nullptr, "600519"));
  mapper_->on_message(x, kReceived);
  EXPECT_EQ(sink_.books.size(), 2u);
  mapper_->subscribed(a_, "600519-2");
  mapper_->on_message(x, kReceived);  // subscribed, but no snapshot yet
  EXPECT_EQ(sink_.books.size(), 2u);
  mapper_->on_message(Snapshot42("600519-2"), kReceived);
  ASSERT_EQ(sink_.books.size(), 3u);
  EXPECT_EQ(sink_.books[2].bid_levels, 2);
  EXPECT_TRUE(mapper_->is_live(a_));
}

TEST_F(FixMarketDataMappingTest, RejectLeavesTheInstrumentStale) {
  mapper_->on_message(Snapshot42(), kReceived);
  FIX44::MarketDataRequestReject y{FIX::MDReqID("600519-1")};
  y.set(FIX::MDReqRejReason(FIX::MDReqRejReason_INSUFFICIENT_PERMISSIONS));
  y.set(FIX::Text("not entitled"));
  mapper_->on_message(y, kReceived);
  EXPECT_EQ(counters_.get(FixMarketDataCounters::kRejects), 1u);
  EXPECT_FALSE(mapper_->is_subscribed(a_));
  ASSERT_EQ(sink_.books.size(), 2u);
  EXPECT_EQ(sink_.books[1].bid_levels, 0);
  EXPECT_EQ(sink_.books[1].header.event_time, 0);
  // A reject of an unknown request changes nothing.
  mapper_->on_message(FIX42::MarketDataRequestReject(FIX::MDReqID("nope")), kReceived);
  EXPECT_EQ(counters_.get(FixMarketDataCounters::kRejects), 2u);
  EXPECT_EQ(sink_.books.size(), 2u);
  EXPECT_TRUE(mapper_->is_subscribed(b_));
}

// Through the wire and the dictionary, as a session delivers it: the groups (and 4.4's Instrument
// component inside X entries) are parsed by the dictionary, and the mapping sees the same thing.
TEST_F(FixMarketDataMappingTest, MessagesParsedFromTheWireWithEitherDictionary) {
  for (const char* file : {"FIX42.xml", "FIX44.xml"}) {
    SCOPED_TRACE(file);
    const bool v44 = std::string(file) == "FIX44.xml";
    FIX::DataDictionary dd(std::string(GUIJU_FIX_DICTIONARY_DIR) + "/" + file);
    auto stamp = [](FIX::Message& m) {
      m.getHeader().setField(FIX::SenderCompID("GUIJU-VENUE"));
      m.getHeader().setField(FIX::TargetCompID("GUIJU-MD"));
      m.getHeader().setField(FIX::MsgSeqNum(5));
      m.getHeader().setField(52, kSendingTime);
    };
    FIX::Message w = v44 ? FIX::Message(W44()) : FIX::Message(W42());
    w.setField(55, "600519");
    w.setField(262, "600519-1");
    FIX::Group bid(268, 269);
    bid.setField(269, "0");
    bid.setField(270, "1700.00");
    bid.setField(271, "300");
    w.addGroup(bid);
    stamp(w);
    const FIX::Message w_in(w.toString(), dd, true);
    dd.validate(w_in);
    FIX::Message x = v44 ? FIX::Message(X44()) : FIX::Message(X42());
    x.setField(262, "600519-1");
    FIX::Group e(268, 279);
    e.setField(279, "1");
    e.setField(269, "0");
    e.setField(55, "600519");
    e.setField(270, "1700.00");
    e.setField(271, "120");
    e.setField(290, "1");
    x.addGroup(e);
    stamp(x);
    const FIX::Message x_in(x.toString(), dd, true);
    dd.validate(x_in);

    sink_.books.clear();
    mapper_->on_message(w_in, kReceived);
    mapper_->on_message(x_in, kReceived);
    ASSERT_EQ(sink_.books.size(), 2u);
    EXPECT_EQ(sink_.books[1].bid_levels, 1);
    EXPECT_EQ(sink_.books[1].bids[0].size, Q("120"));
    EXPECT_EQ(sink_.books[1].header.event_time, kSent);
  }
}

TEST(FixMarketDataRequestTest, SubscribeAndUnsubscribeValidateInBothVersions) {
  for (const auto& [file, version, begin] : {std::tuple{"FIX42.xml", FixVersion::k42, "FIX.4.2"},
                                             std::tuple{"FIX44.xml", FixVersion::k44, "FIX.4.4"}}) {
    SCOPED_TRACE(file);
    EXPECT_EQ(fix_version_of(begin), version);
    FIX::DataDictionary dd(std::string(GUIJU_FIX_DICTIONARY_DIR) + "/" + file);
    for (const char type : {kSubscribe, kUnsubscribe}) {
      FIX::Message v =
          build_market_data_request(version, market_data_request_id("600519", 3), "600519", type);
      v.getHeader().setField(FIX::SenderCompID("GUIJU-MD"));
      v.getHeader().setField(FIX::TargetCompID("GUIJU-VENUE"));
      v.getHeader().setField(FIX::MsgSeqNum(2));
      v.getHeader().setField(52, kSendingTime);
      const FIX::Message in(v.toString(), dd, true);
      EXPECT_NO_THROW(dd.validate(in));
      EXPECT_EQ(in.getHeader().getField(8), begin);
      EXPECT_EQ(in.getHeader().getField(35), "V");
      EXPECT_EQ(in.getField(262), "600519-3");
      EXPECT_EQ(in.getField(263), std::string(1, type));
      EXPECT_EQ(in.getField(264), std::to_string(kBookDepth));
      EXPECT_EQ(in.getField(265), "1");
      ASSERT_EQ(in.groupCount(267), 3u);
      EXPECT_EQ(in.getGroupRef(1, 267).getField(269), "0");
      EXPECT_EQ(in.getGroupRef(2, 267).getField(269), "1");
      EXPECT_EQ(in.getGroupRef(3, 267).getField(269), "2");
      ASSERT_EQ(in.groupCount(146), 1u);
      EXPECT_EQ(in.getGroupRef(1, 146).getField(55), "600519");
    }
  }
  EXPECT_FALSE(fix_version_of("FIX.4.3"));
}

TEST(FixBookSideTest, PositionsMustAgreeWithThePriceOrdering) {
  FixBookSide bids(true);
  EXPECT_EQ(bids.insert(P("10"), Q("1"), 1), FixBookResult::kApplied);
  EXPECT_EQ(bids.insert(P("9"), Q("1"), 2), FixBookResult::kApplied);
  EXPECT_EQ(bids.insert(P("11"), Q("1"), 2), FixBookResult::kOutOfOrder);  // belongs at 1
  EXPECT_EQ(bids.insert(P("8"), Q("1"), 4), FixBookResult::kOutOfOrder);   // a hole at 3
  EXPECT_EQ(bids.insert(P("8"), Q("1"), kBookDepth + 1), FixBookResult::kOutsideDepth);
  const Price nine = P("9");
  const Price ten = P("10");
  EXPECT_EQ(bids.change(&ten, Q("2"), 2), FixBookResult::kOutOfOrder);  // 9 is at 2
  EXPECT_EQ(bids.change(&nine, Q("2"), 2), FixBookResult::kApplied);
  EXPECT_EQ(bids.erase(nullptr, 3), FixBookResult::kNotFound);
  for (int i = 0; i < kBookDepth; ++i) {
    bids.insert(Price::from_units(100 + i), Q("1"), 0);  // fills the side from the top
  }
  EXPECT_EQ(bids.size(), kBookDepth);
  EXPECT_EQ(bids.level(0).price, Price::from_units(109));
  EXPECT_EQ(bids.insert(P("1"), Q("1"), 0), FixBookResult::kOutsideDepth);
  EXPECT_EQ(bids.erase(&nine, 0), FixBookResult::kOutsideDepth);  // fell off the bottom
}

TEST(FixMarketDataTimeTest, ParsesFixTimesAsUtcNanoseconds) {
  EXPECT_EQ(parse_fix_utc_timestamp("19700101-00:00:00"), 0);
  EXPECT_EQ(parse_fix_utc_timestamp("20261127-01:30:00.123"), Timestamp{1'795'743'000'123'000'000});
  EXPECT_EQ(parse_fix_utc_timestamp("20261127-01:30:00.000000001"),
            Timestamp{1'795'743'000'000'000'001});
  EXPECT_FALSE(parse_fix_utc_timestamp("20261127 01:30:00"));
  EXPECT_FALSE(parse_fix_utc_timestamp("20261327-01:30:00"));
  EXPECT_FALSE(parse_fix_utc_timestamp("20261127-01:30:00."));
  EXPECT_FALSE(parse_fix_utc_time_only("25:00:00"));
  EXPECT_EQ(parse_fix_utc_time_only("00:00:01.5"), Duration{1'500'000'000});
}

}  // namespace
}  // namespace guiju
