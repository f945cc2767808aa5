// Self-trade prevention (core/risk/self_trade_check.hpp), one table of cases run under each
// policy: an order crossing a resting order of its own control group exactly at the resting
// price is handled, one tick away it passes; the same account, another account of the group, an
// account of another group, market orders, the same side, another instrument. Then replaces
// that move into a cross, resting orders that finished or are leaving, a replace in flight, a
// cancel that cannot be sent, and the index staying bounded.

#include "core/risk/self_trade_check.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "tests/support/risk_state.hpp"

namespace guiju {
namespace {

Price Px(const char* s) {
  return *Price::parse(s);
}

constexpr Timestamp kNow = 1'000 * kSecond;
constexpr std::string_view kCrosses = "self-trade: crosses a resting order of its group";
constexpr std::string_view kNotCancelled = "self-trade: resting order could not be cancelled";
constexpr std::string_view kBoth = "self-trade: refused, resting order cancelled";

// What the engine does for a check, recorded: each cancel is sent (the OMS marks the order
// pending cancel) unless `fail` says the cancel could not leave.
class FakeActions final : public RiskActions {
 public:
  explicit FakeActions(OrderManager& orders) : orders_(orders) {}
  struct Cancel {
    OrderId order;
    RiskCheckId check;
    std::string reason;
  };
  void cancel_order(OrderId order, RiskCheckId check, std::string_view reason) override {
    cancels.push_back({order, check, std::string(reason)});
    if (!fail) orders_.request_cancel(order, kNow);
  }
  void enter_cancel_only(StrategyId, RiskCheckId, std::string_view) override { ++other; }
  void engage_kill_switch(ControlScope, uint32_t, RiskCheckId, std::string_view) override {
    ++other;
  }
  std::vector<Cancel> cancels;
  int other = 0;
  bool fail = false;

 private:
  OrderManager& orders_;
};

// Accounts 0 and 1 are one control group; 2 and 3 are groups of their own.
SelfTradeRules Rules(SelfTradePolicy policy) {
  SelfTradeRules r;
  r.enabled = true;
  r.policy = policy;
  r.groups = {{0, 1}};
  return r;
}

class SelfTradeTest : public ::testing::Test, public test::RiskState {
 public:
  SelfTradeTest() : RiskState({"10.00", "20.00"}), actions(orders) {}

  void Use(SelfTradePolicy policy) {
    check.emplace(Rules(policy), 4, 2, orders.first_id(), orders.capacity());
  }
  RiskView View(bool with_actions = true) {
    return {registry, books.data(), portfolio, orders, kNow, with_actions ? &actions : nullptr};
  }
  static NewOrder Make(AccountId account, Side side, const char* price,
                       OrderType type = OrderType::kLimit, InstrumentId instrument = 0) {
    NewOrder n;
    n.account = account;
    n.strategy = account;  // one strategy per account, for the test
    n.instrument = instrument;
    n.side = side;
    n.type = type;
    n.price = type == OrderType::kMarket ? Price::zero() : Px(price);
    n.quantity = Quantity::from_units(100);
    return n;
  }
  // The order sent as the engine sends it: into the OMS, then told to the check.
  OrderId Send(NewOrder n) {
    n.order_id = next_id++;
    orders.create(n, kNow);
    check->on_sent({SentMessage::Kind::kNew, n.account, n.strategy, n.instrument, kNow, n.side,
                    n.price, n.quantity, n.order_id});
    return n.order_id;
  }
  // Sent and acknowledged: working at the venue.
  OrderId Rest(AccountId account, Side side, const char* price, OrderType type = OrderType::kLimit,
               InstrumentId instrument = 0) {
    const OrderId id = Send(Make(account, side, price, type, instrument));
    Report(id, ExecType::kAck);
    return id;
  }
  void Report(OrderId id, ExecType type, int64_t fill_qty = 0) {
    ExecutionReport r;
    r.order_id = id;
    r.exec_id = next_exec_id++;
    r.exec_type = type;
    if (fill_qty != 0) {
      r.last_qty = Quantity::from_units(fill_qty);
      r.last_price = orders.find(id)->price;
    }
    orders.apply(r, kNow);
  }
  // A replace of `id` to `price`, checked; sent when accepted. Returns the decision.
  RiskDecision Replace(OrderId id, const char* price) {
    const guiju::Order current = *orders.find(id);
    ReplaceOrder r;
    r.order_id = id;
    r.account = current.account;
    r.strategy = current.strategy;
    r.instrument = current.instrument;
    r.side = current.side;
    r.new_price = Px(price);
    r.new_quantity = current.quantity;
    const RiskDecision d = check->check_replace(r, current, View());
    if (d.accepted()) {
      r.new_order_id = next_id++;
      orders.request_replace(r, kNow);
      check->on_sent({SentMessage::Kind::kReplace, r.account, r.strategy, r.instrument, kNow,
                      r.side, r.new_price, r.new_quantity, r.new_order_id});
    }
    return d;
  }

  FakeActions actions;
  std::optional<SelfTradeCheck> check;
  ExecId next_exec_id = 1;
};

struct Case {
  const char* name;
  NewOrder resting;
  NewOrder incoming;
  bool handled;  // it would trade against the resting order
};

std::vector<Case> Cases() {
  using T = SelfTradeTest;
  constexpr Side kBuy = Side::kBuy;
  constexpr Side kSell = Side::kSell;
  constexpr OrderType kMarket = OrderType::kMarket;
  return {
      {"BuyAtTheRestingSellPrice", T::Make(0, kSell, "10.00"), T::Make(0, kBuy, "10.00"), true},
      {"BuyOneTickBelowTheRestingSell", T::Make(0, kSell, "10.00"), T::Make(0, kBuy, "9.99"),
       false},
      {"BuyThroughTheRestingSell", T::Make(0, kSell, "10.00"), T::Make(0, kBuy, "10.20"), true},
      {"SellAtTheRestingBuyPrice", T::Make(0, kBuy, "10.00"), T::Make(0, kSell, "10.00"), true},
      {"SellOneTickAboveTheRestingBuy", T::Make(0, kBuy, "10.00"), T::Make(0, kSell, "10.01"),
       false},
      {"OtherAccountOfTheGroup", T::Make(1, kSell, "10.00"), T::Make(0, kBuy, "10.00"), true},
      {"AccountOfAnotherGroup", T::Make(2, kSell, "10.00"), T::Make(0, kBuy, "10.00"), false},
      {"TwoAccountsEachItsOwnGroup", T::Make(3, kSell, "10.00"), T::Make(2, kBuy, "10.00"), false},
      {"AccountAloneTradesWithItself", T::Make(2, kSell, "10.00"), T::Make(2, kBuy, "10.00"), true},
      {"MarketBuy", T::Make(0, kSell, "10.50"), T::Make(1, kBuy, "", kMarket), true},
      {"MarketSell", T::Make(1, kBuy, "9.50"), T::Make(0, kSell, "", kMarket), true},
      {"LimitAgainstARestingMarketOrder", T::Make(0, kSell, "", kMarket), T::Make(0, kBuy, "9.00"),
       true},
      {"SameSide", T::Make(0, kBuy, "10.00"), T::Make(0, kBuy, "10.00"), false},
      {"OtherInstrument", T::Make(0, kSell, "10.00", OrderType::kLimit, 1),
       T::Make(0, kBuy, "10.00"), false},
  };
}

class SelfTradeCases : public SelfTradeTest,
                       public ::testing::WithParamInterface<std::tuple<SelfTradePolicy, int>> {};

TEST_P(SelfTradeCases, HandledPerPolicyOnlyWhenItWouldTrade) {
  const auto [policy, index] = GetParam();
  const Case c = Cases()[static_cast<size_t>(index)];
  Use(policy);
  const OrderId resting =
      Rest(c.resting.account, c.resting.side, c.resting.price.to_string().c_str(), c.resting.type,
           c.resting.instrument);
  const RiskDecision d = check->check_new(c.incoming, View());
  if (!c.handled) {
    EXPECT_TRUE(d.accepted()) << d.reason;
    EXPECT_TRUE(actions.cancels.empty());
    return;
  }
  const bool cancels = policy != SelfTradePolicy::kRejectNew;
  if (policy == SelfTradePolicy::kCancelResting) {
    EXPECT_TRUE(d.accepted()) << d.reason;
  } else {
    EXPECT_EQ(d.code, RejectCode::kSelfTrade);
    EXPECT_EQ(d.check, RiskCheckId::kSelfTrade);
    EXPECT_EQ(d.reason, policy == SelfTradePolicy::kRejectNew ? kCrosses : kBoth);
    EXPECT_EQ(d.limit, c.resting.price.raw());
    EXPECT_EQ(d.observed, c.incoming.price.raw());
  }
  ASSERT_EQ(actions.cancels.size(), cancels ? 1u : 0u);
  EXPECT_EQ(orders.find(resting)->state, cancels ? OrderState::kPendingCancel : OrderState::kNew);
  if (cancels) {
    EXPECT_EQ(actions.cancels[0].order, resting);
    EXPECT_EQ(actions.cancels[0].check, RiskCheckId::kSelfTrade);
    const std::string side = c.incoming.side == Side::kBuy ? "buy" : "sell";
    const std::string by =
        c.incoming.type == OrderType::kMarket
            ? "market " + side
            : side + " at " +
                  fixed_point::format_decimal(c.incoming.price.raw(), Price::kDecimals, 2);
    EXPECT_EQ(actions.cancels[0].reason, "self-trade: crossed by a " + by);
  }
}

INSTANTIATE_TEST_SUITE_P(Each, SelfTradeCases,
                         ::testing::Combine(::testing::Values(SelfTradePolicy::kRejectNew,
                                                              SelfTradePolicy::kCancelResting,
                                                              SelfTradePolicy::kCancelBoth),
                                            ::testing::Range(0, static_cast<int>(Cases().size()))),
                         [](const ::testing::TestParamInfo<std::tuple<SelfTradePolicy, int>>& p) {
                           std::string policy(to_string(std::get<0>(p.param)));
                           std::erase(policy, '_');
                           return policy + "_" +
                                  Cases()[static_cast<size_t>(std::get<1>(p.param))].name;
                         });

TEST_F(SelfTradeTest, PoliciesAreNamedAsTheConfigWritesThem) {
  for (auto p : {SelfTradePolicy::kRejectNew, SelfTradePolicy::kCancelResting,
                 SelfTradePolicy::kCancelBoth}) {
    EXPECT_EQ(parse_self_trade_policy(to_string(p)), p);
  }
  EXPECT_FALSE(parse_self_trade_policy("cancel_oldest").has_value());
}

TEST_F(SelfTradeTest, AnOrderNotYetAcknowledgedIsResting) {
  Use(SelfTradePolicy::kRejectNew);
  Send(Make(1, Side::kSell, "10.00"));  // it may reach the venue first
  EXPECT_EQ(check->check_new(Make(0, Side::kBuy, "10.00"), View()).code, RejectCode::kSelfTrade);
}

TEST_F(SelfTradeTest, AReplaceThatMovesIntoACrossIsHandled) {
  Use(SelfTradePolicy::kRejectNew);
  Rest(1, Side::kSell, "10.00");
  const OrderId buy = Rest(0, Side::kBuy, "9.90");
  EXPECT_TRUE(Replace(buy, "9.99").accepted());
  const OrderId replacement = next_id - 1;
  Report(replacement, ExecType::kReplaced);  // confirmed: it works at 9.99
  const RiskDecision d = Replace(replacement, "10.00");
  EXPECT_EQ(d.code, RejectCode::kSelfTrade);
  EXPECT_EQ(d.limit, Px("10.00").raw());
  EXPECT_EQ(d.observed, Px("10.00").raw());
}

TEST_F(SelfTradeTest, UnderCancelRestingAReplaceIntoACrossCancelsTheRestingOrder) {
  Use(SelfTradePolicy::kCancelResting);
  const OrderId sell = Rest(1, Side::kSell, "10.00");
  const OrderId buy = Rest(0, Side::kBuy, "9.90");
  EXPECT_TRUE(Replace(buy, "10.00").accepted());
  ASSERT_EQ(actions.cancels.size(), 1u);
  EXPECT_EQ(actions.cancels[0].order, sell);
  EXPECT_EQ(actions.cancels[0].reason, "self-trade: crossed by a buy at 10.00");
}

TEST_F(SelfTradeTest, AReplaceOfARestingOrderAwayFromTheCrossPasses) {
  Use(SelfTradePolicy::kRejectNew);
  Rest(0, Side::kSell, "10.05");
  const OrderId buy = Rest(0, Side::kBuy, "10.00");
  EXPECT_TRUE(Replace(buy, "10.04").accepted()) << "its own original is never in the way";
}

TEST_F(SelfTradeTest, ACounterpartThatFilledOrWasCancelledIsNotInTheWay) {
  Use(SelfTradePolicy::kRejectNew);
  const OrderId filled = Rest(1, Side::kSell, "10.00");
  const OrderId cancelled = Rest(0, Side::kSell, "9.99");
  Report(filled, ExecType::kFill, 100);
  orders.request_cancel(cancelled, kNow);
  Report(cancelled, ExecType::kCanceled);
  EXPECT_TRUE(check->check_new(Make(0, Side::kBuy, "10.00"), View()).accepted());
  EXPECT_EQ(check->indexed(check->group_of(0), 0, Side::kSell), 0u) << "finished: pruned";
}

TEST_F(SelfTradeTest, AnOrderWithItsCancelPendingIsLeavingUntilTheVenueRefusesTheCancel) {
  Use(SelfTradePolicy::kRejectNew);
  const OrderId sell = Rest(0, Side::kSell, "10.00");
  orders.request_cancel(sell, kNow);
  EXPECT_TRUE(check->check_new(Make(0, Side::kBuy, "10.00"), View()).accepted());
  Report(sell, ExecType::kCancelRejected);  // too late to cancel: it works again
  EXPECT_EQ(check->check_new(Make(0, Side::kBuy, "10.00"), View()).code, RejectCode::kSelfTrade);
}

// While a replace is in flight, the original works on its old terms and the replacement may
// start working on its new ones at any moment: either may trade. Neither can be cancelled now.
TEST_F(SelfTradeTest, ASellWithAReplaceInFlightCrossesAtBothPrices) {
  Use(SelfTradePolicy::kCancelResting);
  const OrderId sell = Rest(0, Side::kSell, "10.00");
  EXPECT_TRUE(Replace(sell, "10.10").accepted());
  const RiskDecision old_terms = check->check_new(Make(0, Side::kBuy, "10.00"), View());
  EXPECT_EQ(old_terms.reason, kNotCancelled);
  const RiskDecision new_terms = check->check_new(Make(0, Side::kBuy, "10.10"), View());
  EXPECT_EQ(new_terms.reason, kNotCancelled);
  EXPECT_EQ(new_terms.limit, Px("10.00").raw()) << "the best it would trade against";
  EXPECT_TRUE(actions.cancels.empty()) << "no cancel can overtake the replace";

  // The venue refuses the replace: the replacement will never work; the original still does.
  ExecutionReport refused;
  refused.order_id = sell + 1;
  refused.exec_id = next_exec_id++;
  refused.exec_type = ExecType::kCancelRejected;
  orders.apply(refused, kNow);
  EXPECT_TRUE(check->check_new(Make(0, Side::kBuy, "10.10"), View()).accepted())
      << "the original can be cancelled now";
  ASSERT_EQ(actions.cancels.size(), 1u);
  EXPECT_EQ(actions.cancels[0].order, sell);
  EXPECT_EQ(check->indexed(check->group_of(0), 0, Side::kSell), 1u)
      << "the refused replacement is dropped";
}

TEST_F(SelfTradeTest, EveryCrossingOrderIsCancelledOldestFirstAndTheBestPriceReported) {
  Use(SelfTradePolicy::kCancelBoth);
  const OrderId a = Rest(0, Side::kSell, "10.00");
  const OrderId b = Rest(1, Side::kSell, "9.98");
  Rest(1, Side::kSell, "10.05");  // above the buy: not in the way
  const RiskDecision d = check->check_new(Make(0, Side::kBuy, "10.00"), View());
  EXPECT_EQ(d.reason, kBoth);
  EXPECT_EQ(d.limit, Px("9.98").raw());
  ASSERT_EQ(actions.cancels.size(), 2u);
  EXPECT_EQ(actions.cancels[0].order, a);
  EXPECT_EQ(actions.cancels[1].order, b);
}

TEST_F(SelfTradeTest, CancelRestingRefusesTheNewOrderWhenTheCancelCannotBeSent) {
  Use(SelfTradePolicy::kCancelResting);
  Rest(0, Side::kSell, "10.00");
  actions.fail = true;  // the order ring is full
  EXPECT_EQ(check->check_new(Make(0, Side::kBuy, "10.00"), View()).reason, kNotCancelled);
  actions.fail = false;
  EXPECT_EQ(check->check_new(Make(0, Side::kBuy, "10.00"), View(false)).reason, kNotCancelled)
      << "with no engine to act, nothing can be cancelled";
}

TEST_F(SelfTradeTest, TheIndexDropsFinishedOrdersEveryInterval) {
  Use(SelfTradePolicy::kRejectNew);
  for (int i = 0; i < 20; ++i) Report(Rest(0, Side::kBuy, "9.90"), ExecType::kFill, 100);
  const OrderId working = Rest(0, Side::kBuy, "9.80");
  EXPECT_EQ(check->indexed(check->group_of(0), 0, Side::kBuy), 21u);
  check->on_interval(View());
  EXPECT_EQ(check->indexed(check->group_of(0), 0, Side::kBuy), 1u);
  EXPECT_EQ(check->check_new(Make(1, Side::kSell, "9.80"), View()).limit,
            orders.find(working)->price.raw());
}

TEST_F(SelfTradeTest, AnIdTheOmsCannotHaveSentIsAnError) {
  Use(SelfTradePolicy::kRejectNew);
  const OrderId id = Rest(0, Side::kBuy, "9.90");
  SentMessage again{SentMessage::Kind::kNew,   0, 0, 0, kNow, Side::kBuy, Px("9.90"),
                    Quantity::from_units(100), id};
  EXPECT_THROW(check->on_sent(again), std::logic_error) << "listed twice, its lane would loop";
  again.order_id = orders.first_id() + orders.capacity();
  EXPECT_THROW(check->on_sent(again), std::logic_error);
}

TEST_F(SelfTradeTest, AnAccountTheCheckWasNotToldAboutIsItsOwnGroup) {
  Use(SelfTradePolicy::kRejectNew);
  EXPECT_TRUE(check->check_new(Make(7, Side::kBuy, "10.00"), View()).accepted());
  Rest(7, Side::kSell, "10.00");
  EXPECT_EQ(check->check_new(Make(7, Side::kBuy, "10.00"), View()).code, RejectCode::kSelfTrade);
  EXPECT_TRUE(check->check_new(Make(0, Side::kBuy, "10.00"), View()).accepted());
}

}  // namespace
}  // namespace guiju
