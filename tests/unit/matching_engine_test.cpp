// The simulated exchange's order book (adapters/sim/matching_engine.hpp): price-time priority,
// every order type, cancel, replace with its priority rules, partial fills, self-match prevention
// under each policy, refusals, and a randomized run checking the book's invariants.

#include "adapters/sim/matching_engine.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

namespace guiju::sim {
namespace {

Price Px(const char* text) {
  return *Price::parse(text);
}
Quantity Qty(int64_t units) {
  return Quantity::from_units(units);
}

OrderSpec Limit(VenueOrderId id, Side side, const char* price, int64_t qty, AccountId account = 1,
                TimeInForce tif = TimeInForce::kDay) {
  OrderSpec o;
  o.id = id;
  o.account = account;
  o.side = side;
  o.type = OrderType::kLimit;
  o.tif = tif;
  o.price = Px(price);
  o.quantity = Qty(qty);
  return o;
}

OrderSpec Market(VenueOrderId id, Side side, int64_t qty, AccountId account = 9) {
  OrderSpec o;
  o.id = id;
  o.account = account;
  o.side = side;
  o.type = OrderType::kMarket;
  o.tif = TimeInForce::kIoc;
  o.quantity = Qty(qty);
  return o;
}

// The trades an order made, as "counterparty@price x qty".
std::vector<std::string> TradesOf(const std::vector<MatchEvent>& events, VenueOrderId id) {
  std::vector<std::string> out;
  for (const MatchEvent& e : events) {
    if (e.kind == MatchEventKind::kTrade && e.order == id) {
      out.push_back(std::to_string(e.counterparty) + "@" + e.price.to_string() + "x" +
                    e.quantity.to_string());
    }
  }
  return out;
}

const MatchEvent* Find(const std::vector<MatchEvent>& events, MatchEventKind kind,
                       VenueOrderId id) {
  for (const MatchEvent& e : events) {
    if (e.kind == kind && e.order == id) return &e;
  }
  return nullptr;
}

class BookTest : public ::testing::Test {
 protected:
  std::vector<MatchEvent> Submit(const OrderSpec& o) {
    std::vector<MatchEvent> out;
    book_.submit(o, out);
    return out;
  }
  OrderBook book_{64};
};

TEST_F(BookTest, BetterPriceFirstThenEarlierAtTheSamePrice) {
  Submit(Limit(1, Side::kSell, "10.02", 100));
  Submit(Limit(2, Side::kSell, "10.01", 100));
  Submit(Limit(3, Side::kSell, "10.01", 100));
  const auto events = Submit(Limit(4, Side::kBuy, "10.02", 250, 2));
  EXPECT_EQ(TradesOf(events, 4),
            (std::vector<std::string>{"2@10.01x100", "3@10.01x100", "1@10.02x50"}));
  EXPECT_EQ(book_.leaves(1), Qty(50));
  EXPECT_FALSE(book_.has_order(4));  // fully filled, nothing rests
}

TEST_F(BookTest, ALimitOrderTradesAtRestingPricesAndRestsTheRemainder) {
  Submit(Limit(1, Side::kSell, "10.00", 100));
  const auto events = Submit(Limit(2, Side::kBuy, "10.05", 300, 2));
  EXPECT_EQ(TradesOf(events, 2), (std::vector<std::string>{"1@10x100"}));
  const auto bids = book_.depth(Side::kBuy, 5);
  ASSERT_EQ(bids.size(), 1u);
  EXPECT_EQ(bids[0].price, Px("10.05"));
  EXPECT_EQ(bids[0].quantity, Qty(200));
  EXPECT_TRUE(book_.depth(Side::kSell, 5).empty());
  // The maker's trade event says it is done; the taker's says what is left.
  const MatchEvent* maker = Find(events, MatchEventKind::kTrade, 1);
  ASSERT_NE(maker, nullptr);
  EXPECT_EQ(maker->leaves, Qty(0));
  EXPECT_FALSE(maker->aggressor);
  EXPECT_EQ(Find(events, MatchEventKind::kTrade, 2)->leaves, Qty(200));
}

TEST_F(BookTest, AMarketOrderSweepsLevelsAndItsRestExpires) {
  Submit(Limit(1, Side::kSell, "10.00", 100));
  Submit(Limit(2, Side::kSell, "10.10", 100));
  const auto events = Submit(Market(3, Side::kBuy, 500));
  EXPECT_EQ(TradesOf(events, 3), (std::vector<std::string>{"1@10x100", "2@10.1x100"}));
  const MatchEvent* expired = Find(events, MatchEventKind::kExpired, 3);
  ASSERT_NE(expired, nullptr);
  EXPECT_EQ(expired->quantity, Qty(300));
  EXPECT_FALSE(book_.has_order(3));
}

TEST_F(BookTest, AnIocFillsWhatItCanAndNeverRests) {
  Submit(Limit(1, Side::kBuy, "9.99", 100));
  const auto events = Submit(Limit(2, Side::kSell, "9.99", 300, 2, TimeInForce::kIoc));
  EXPECT_EQ(TradesOf(events, 2), (std::vector<std::string>{"1@9.99x100"}));
  EXPECT_EQ(Find(events, MatchEventKind::kExpired, 2)->quantity, Qty(200));
  EXPECT_TRUE(book_.depth(Side::kSell, 5).empty());
}

TEST_F(BookTest, AnFokFillsCompletelyOrNotAtAll) {
  Submit(Limit(1, Side::kSell, "10.00", 100));
  Submit(Limit(2, Side::kSell, "10.01", 100));
  auto events = Submit(Limit(3, Side::kBuy, "10.01", 300, 2, TimeInForce::kFok));
  EXPECT_TRUE(TradesOf(events, 3).empty());
  EXPECT_NE(Find(events, MatchEventKind::kExpired, 3), nullptr);
  EXPECT_EQ(book_.depth(Side::kSell, 5).size(), 2u);  // untouched

  events = Submit(Limit(4, Side::kBuy, "10.01", 200, 2, TimeInForce::kFok));
  EXPECT_EQ(TradesOf(events, 4), (std::vector<std::string>{"1@10x100", "2@10.01x100"}));
  EXPECT_EQ(Find(events, MatchEventKind::kExpired, 4), nullptr);
}

TEST_F(BookTest, CancelRemovesAndAnUnknownIdIsRefused) {
  Submit(Limit(1, Side::kBuy, "9.99", 100));
  std::vector<MatchEvent> out;
  book_.cancel(1, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, MatchEventKind::kCanceled);
  EXPECT_EQ(out[0].quantity, Qty(100));
  EXPECT_TRUE(book_.depth(Side::kBuy, 5).empty());
  out.clear();
  book_.cancel(1, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, MatchEventKind::kRejected);
  EXPECT_NE(std::string(out[0].reason).find("unknown order"), std::string::npos);
}

TEST_F(BookTest, ReplaceKeepsPriorityOnlyWhenTheQuantityGoesDownAtTheSamePrice) {
  Submit(Limit(1, Side::kBuy, "9.99", 300));
  Submit(Limit(2, Side::kBuy, "9.99", 100));
  std::vector<MatchEvent> out;
  book_.replace(1, Px("9.99"), Qty(200), out);  // down: keeps its place
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0].kept_priority);
  EXPECT_EQ(book_.queue_ahead(2), Qty(200));
  EXPECT_EQ(book_.depth(Side::kBuy, 1)[0].quantity, Qty(300));

  out.clear();
  book_.replace(1, Px("9.99"), Qty(400), out);  // up: to the back
  EXPECT_FALSE(out[0].kept_priority);
  EXPECT_EQ(book_.queue_ahead(1), Qty(100));
  EXPECT_EQ(book_.queue_ahead(2), Qty(0));

  out.clear();
  book_.replace(2, Px("9.98"), Qty(100), out);  // a new price: to the back of that level
  EXPECT_FALSE(out[0].kept_priority);
  const auto levels = book_.depth(Side::kBuy, 5);
  ASSERT_EQ(levels.size(), 2u);
  EXPECT_EQ(levels[0].price, Px("9.99"));
  EXPECT_EQ(levels[1].price, Px("9.98"));
}

TEST_F(BookTest, AReplaceThatCrossesTradesAtOnce) {
  Submit(Limit(1, Side::kSell, "10.01", 100));
  Submit(Limit(2, Side::kBuy, "9.99", 300, 2));
  std::vector<MatchEvent> out;
  book_.replace(2, Px("10.01"), Qty(300), out);
  EXPECT_EQ(TradesOf(out, 2), (std::vector<std::string>{"1@10.01x100"}));
  EXPECT_EQ(book_.leaves(2), Qty(200));
  EXPECT_EQ(book_.depth(Side::kBuy, 1)[0].price, Px("10.01"));
}

TEST_F(BookTest, AReplaceBelowWhatHasFilledIsRefused) {
  Submit(Limit(1, Side::kSell, "10.00", 300));
  Submit(Limit(2, Side::kBuy, "10.00", 200, 2));  // fills 200 of order 1
  std::vector<MatchEvent> out;
  book_.replace(1, Px("10.00"), Qty(200), out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, MatchEventKind::kRejected);
  EXPECT_EQ(book_.leaves(1), Qty(100));
  out.clear();
  book_.replace(1, Px("10.00"), Qty(250), out);  // 50 left to fill
  EXPECT_EQ(book_.leaves(1), Qty(50));
}

TEST_F(BookTest, PartialFillsAccumulateOnTheRestingOrder) {
  Submit(Limit(1, Side::kSell, "10.00", 500));
  for (VenueOrderId id = 10; id < 14; ++id) Submit(Limit(id, Side::kBuy, "10.00", 100, 2));
  EXPECT_EQ(book_.leaves(1), Qty(100));
  EXPECT_EQ(book_.depth(Side::kSell, 1)[0].quantity, Qty(100));
  const auto last = Submit(Limit(14, Side::kBuy, "10.00", 100, 2));
  EXPECT_EQ(Find(last, MatchEventKind::kTrade, 1)->leaves, Qty(0));
  EXPECT_FALSE(book_.has_order(1));
}

TEST_F(BookTest, DuplicateIdsZeroQuantitiesAndZeroPricesAreRefused) {
  Submit(Limit(1, Side::kBuy, "9.99", 100));
  EXPECT_EQ(Submit(Limit(1, Side::kBuy, "9.98", 100))[0].kind, MatchEventKind::kRejected);
  EXPECT_EQ(Submit(Limit(2, Side::kBuy, "9.98", 0))[0].kind, MatchEventKind::kRejected);
  EXPECT_EQ(Submit(Limit(3, Side::kBuy, "0", 100))[0].kind, MatchEventKind::kRejected);
  EXPECT_EQ(book_.resting_orders(), 1u);
}

// ---- self-match prevention ----

TEST(SelfMatch, CancelNewLeavesTheRestingOrderAndReportsTheAttempt) {
  OrderBook book(16, StpPolicy::kCancelNew);
  std::vector<MatchEvent> out;
  book.submit(Limit(1, Side::kSell, "10.00", 100, 7), out);
  book.submit(Limit(2, Side::kSell, "10.01", 100, 8), out);
  out.clear();
  book.submit(Limit(3, Side::kBuy, "10.01", 200, 7), out);
  EXPECT_TRUE(TradesOf(out, 3).empty());
  const MatchEvent* stp = Find(out, MatchEventKind::kSelfTradePrevented, 3);
  ASSERT_NE(stp, nullptr);
  EXPECT_EQ(stp->counterparty, 1u);
  EXPECT_EQ(stp->quantity, Qty(200));
  EXPECT_EQ(book.leaves(1), Qty(100));
  EXPECT_FALSE(book.has_order(3));
}

TEST(SelfMatch, CancelRestingRemovesItAndMatchingGoesOn) {
  OrderBook book(16, StpPolicy::kCancelResting);
  std::vector<MatchEvent> out;
  book.submit(Limit(1, Side::kSell, "10.00", 100, 7), out);
  book.submit(Limit(2, Side::kSell, "10.01", 100, 8), out);
  out.clear();
  book.submit(Limit(3, Side::kBuy, "10.01", 200, 7), out);
  EXPECT_NE(Find(out, MatchEventKind::kSelfTradePrevented, 1), nullptr);
  EXPECT_EQ(TradesOf(out, 3), (std::vector<std::string>{"2@10.01x100"}));
  EXPECT_FALSE(book.has_order(1));
  EXPECT_EQ(book.leaves(3), Qty(100));  // rests with what did not fill
}

TEST(SelfMatch, CancelBothAndControlGroups) {
  OrderBook book(16, StpPolicy::kCancelBoth);
  std::vector<MatchEvent> out;
  OrderSpec resting = Limit(1, Side::kSell, "10.00", 100, 7);
  resting.control_group = 3;
  book.submit(resting, out);
  OrderSpec incoming = Limit(2, Side::kBuy, "10.00", 100, 8);  // another account, same group
  incoming.control_group = 3;
  out.clear();
  book.submit(incoming, out);
  EXPECT_NE(Find(out, MatchEventKind::kSelfTradePrevented, 1), nullptr);
  EXPECT_NE(Find(out, MatchEventKind::kSelfTradePrevented, 2), nullptr);
  EXPECT_EQ(book.resting_orders(), 0u);
}

TEST(SelfMatch, AnFokNeverCountsTheAccountsOwnOrdersAsLiquidity) {
  OrderBook book(16, StpPolicy::kCancelResting);
  std::vector<MatchEvent> out;
  book.submit(Limit(1, Side::kSell, "10.00", 100, 7), out);
  book.submit(Limit(2, Side::kSell, "10.00", 100, 8), out);
  out.clear();
  book.submit(Limit(3, Side::kBuy, "10.00", 200, 7, TimeInForce::kFok), out);
  EXPECT_NE(Find(out, MatchEventKind::kExpired, 3), nullptr);
  EXPECT_TRUE(TradesOf(out, 3).empty());
  EXPECT_EQ(book.resting_orders(), 2u);
}

// ---- call auctions ----

TEST(CallAuctionBook, OrdersCollectCrossedThenUncrossAtOnePriceInPriceTimeOrder) {
  OrderBook book(32);
  book.set_call_auction(true);
  std::vector<MatchEvent> out;
  book.submit(Limit(1, Side::kBuy, "10.02", 300, 1), out);
  book.submit(Limit(2, Side::kBuy, "10.01", 200, 2), out);
  book.submit(Limit(3, Side::kSell, "9.99", 200, 3), out);
  book.submit(Limit(4, Side::kSell, "10.00", 300, 4), out);
  book.submit(Limit(5, Side::kSell, "10.01", 100, 5), out);
  for (const MatchEvent& e : out) EXPECT_NE(e.kind, MatchEventKind::kTrade);
  EXPECT_GT(book.depth(Side::kBuy, 1)[0].price, book.depth(Side::kSell, 1)[0].price);  // crossed
  out.clear();
  book.submit(Market(6, Side::kBuy, 100), out);
  EXPECT_EQ(out[0].kind, MatchEventKind::kRejected);

  out.clear();
  book.uncross(Px("10.01"), out);
  // Every trade at the one price; the best bid first, against the best (then earliest) asks.
  for (const MatchEvent& e : out) {
    if (e.kind == MatchEventKind::kTrade) {
      EXPECT_EQ(e.price, Px("10.01"));
    }
  }
  EXPECT_EQ(TradesOf(out, 1), (std::vector<std::string>{"3@10.01x200", "4@10.01x100"}));
  EXPECT_EQ(TradesOf(out, 2), (std::vector<std::string>{"4@10.01x200"}));
  EXPECT_EQ(book.leaves(5), Qty(100));  // 10.01 ask: no bid left at or above it
  EXPECT_FALSE(book.has_order(1));
  EXPECT_FALSE(book.has_order(2));

  // Continuous trading after the auction: an incoming order matches at once again.
  book.set_call_auction(false);
  out.clear();
  book.submit(Limit(7, Side::kBuy, "10.01", 100, 7), out);
  EXPECT_EQ(TradesOf(out, 7), (std::vector<std::string>{"5@10.01x100"}));
}

TEST(CallAuctionBook, SelfMatchInTheUncrossCancelsTheLaterOrderByDefault) {
  OrderBook book(16, StpPolicy::kCancelNew);
  book.set_call_auction(true);
  std::vector<MatchEvent> out;
  book.submit(Limit(1, Side::kSell, "10.00", 100, 7), out);
  book.submit(Limit(2, Side::kBuy, "10.00", 100, 7), out);  // same account, later
  book.submit(Limit(3, Side::kSell, "10.00", 100, 8), out);
  out.clear();
  book.uncross(Px("10.00"), out);
  EXPECT_NE(Find(out, MatchEventKind::kSelfTradePrevented, 2), nullptr);
  EXPECT_TRUE(TradesOf(out, 1).empty());
  EXPECT_EQ(book.resting_orders(), 2u);  // orders 1 and 3 wait for a buyer
}

// ---- a randomized run: the book's invariants after every step ----

TEST(OrderBookProperties, RandomFlowKeepsTheBookUncrossedAndTheQuantitiesConserved) {
  OrderBook book(4096, StpPolicy::kCancelNew);
  std::mt19937_64 rng(42);
  std::map<VenueOrderId, int64_t> submitted;  // units
  std::map<VenueOrderId, int64_t> traded;
  std::map<VenueOrderId, int64_t> removed;  // cancelled, expired or prevented
  std::vector<VenueOrderId> ids;
  std::vector<MatchEvent> out;
  for (VenueOrderId id = 1; id <= 20'000; ++id) {
    out.clear();
    const int action = static_cast<int>(rng() % 10);
    if (action < 7 || ids.empty()) {
      OrderSpec o;
      o.id = id;
      o.account = static_cast<AccountId>(rng() % 5);
      o.side = rng() % 2 ? Side::kBuy : Side::kSell;
      o.type = rng() % 20 == 0 ? OrderType::kMarket : OrderType::kLimit;
      o.tif = rng() % 5 == 0 ? TimeInForce::kIoc
                             : (rng() % 10 == 0 ? TimeInForce::kFok : TimeInForce::kDay);
      o.price = Price::from_raw(static_cast<int64_t>(990 + rng() % 21) * 1'000'000);
      o.quantity = Qty(100 * static_cast<int64_t>(1 + rng() % 5));
      submitted[id] = o.quantity.raw();
      ids.push_back(id);
      book.submit(o, out);
    } else if (action < 9) {
      const VenueOrderId victim = ids[rng() % ids.size()];
      book.cancel(victim, out);
    } else {
      const VenueOrderId victim = ids[rng() % ids.size()];
      book.replace(victim, Price::from_raw(static_cast<int64_t>(990 + rng() % 21) * 1'000'000),
                   Qty(100 * static_cast<int64_t>(1 + rng() % 6)), out);
    }
    int64_t taker_total = 0;
    int64_t maker_total = 0;
    for (const MatchEvent& e : out) {
      if (e.kind == MatchEventKind::kTrade) {
        traded[e.order] += e.quantity.raw();
        (e.aggressor ? taker_total : maker_total) += e.quantity.raw();
      }
      if (e.kind == MatchEventKind::kReplaced) submitted[e.order] = e.quantity.raw();
      if (e.kind == MatchEventKind::kCanceled || e.kind == MatchEventKind::kExpired ||
          e.kind == MatchEventKind::kSelfTradePrevented) {
        removed[e.order] += e.quantity.raw();
      }
    }
    ASSERT_EQ(taker_total, maker_total) << "step " << id;
    const auto bids = book.depth(Side::kBuy, 1);
    const auto asks = book.depth(Side::kSell, 1);
    if (!bids.empty() && !asks.empty()) {
      ASSERT_LT(bids[0].price, asks[0].price) << "crossed after step " << id;
    }
  }
  // Every order's quantity is accounted for: traded + removed + still resting = submitted.
  for (const auto& [id, quantity] : submitted) {
    const int64_t resting = book.leaves(id).raw();
    ASSERT_EQ(traded[id] + removed[id] + resting, quantity) << "order " << id;
  }
}

}  // namespace
}  // namespace guiju::sim
