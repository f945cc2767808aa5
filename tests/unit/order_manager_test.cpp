// OrderManager (core/oms/order_manager.hpp) and Order (core/oms/order.hpp): the order state
// machine (ack, fills, cancel, replace, reject, expire), how it copes with venue misbehaviour
// (fill before ack, duplicate exec ids, unknown ids, overfills, late reports), the open-order list
// after every transition, capacity and id sequencing, leaves() and average_fill_price().

#include "core/oms/order_manager.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace guiju {

// Readable values in assertion messages (found by argument-dependent lookup).
template <typename Tag, int D>
void PrintTo(const Fixed64<Tag, D>& v, std::ostream* os) {
  *os << v.to_string();
}
void PrintTo(const Money& m, std::ostream* os) {
  *os << m.to_string();
}
void PrintTo(OrderState s, std::ostream* os) {
  *os << to_string(s);
}

namespace {

constexpr Timestamp kT0 = 1'000'000'000;

Quantity Qty(int64_t units) {
  return Quantity::from_units(units);
}
Price Px(std::string_view text) {
  return *Price::parse(text);
}
Money Cash(std::string_view text) {
  return *Money::parse(text);
}

NewOrder MakeNew(OrderId id, int64_t qty = 100, std::string_view price = "10.00",
                 Side side = Side::kBuy) {
  NewOrder n;
  n.order_id = id;
  n.instrument = 3;
  n.account = 2;
  n.strategy = 5;
  n.side = side;
  n.type = OrderType::kLimit;
  n.tif = TimeInForce::kDay;
  n.price = Px(price);
  n.quantity = Qty(qty);
  n.client_order_id.assign("T20261127-" + std::to_string(id));
  return n;
}

ReplaceOrder MakeReplace(OrderId old_id, OrderId new_id, std::string_view price, int64_t qty) {
  ReplaceOrder r;
  r.order_id = old_id;
  r.new_order_id = new_id;
  r.instrument = 3;
  r.account = 2;
  r.strategy = 5;
  r.new_price = Px(price);
  r.new_quantity = Qty(qty);
  r.client_order_id.assign("T20261127-" + std::to_string(old_id));
  r.new_client_order_id.assign("T20261127-" + std::to_string(new_id));
  return r;
}

// Builds venue reports with fresh execution ids.
class Venue {
 public:
  ExecutionReport Report(OrderId id, ExecType type, OrderId orig = kNoOrder) {
    ExecutionReport r;
    r.order_id = id;
    r.orig_order_id = orig;
    r.exec_id = next_exec_id_++;
    r.instrument = 3;
    r.exec_type = type;
    return r;
  }
  ExecutionReport Fill(OrderId id, int64_t qty, std::string_view price = "10.00",
                       ExecType type = ExecType::kPartialFill) {
    ExecutionReport r = Report(id, type);
    r.last_qty = Qty(qty);
    r.last_price = Px(price);
    return r;
  }

 private:
  ExecId next_exec_id_ = 1000;
};

// The open list holds exactly the orders that say is_open(), each once.
::testing::AssertionResult OpenListIsConsistent(const OrderManager& oms) {
  std::vector<OrderId> listed(oms.open_orders().begin(), oms.open_orders().end());
  std::sort(listed.begin(), listed.end());
  if (std::adjacent_find(listed.begin(), listed.end()) != listed.end()) {
    return ::testing::AssertionFailure() << "an id is listed twice";
  }
  std::vector<OrderId> expected;
  for (OrderId id = oms.first_id(); id < oms.first_id() + oms.size(); ++id) {
    const Order* o = oms.find(id);
    if (o && o->is_open()) expected.push_back(id);
  }
  if (listed != expected) {
    auto f = ::testing::AssertionFailure() << "open_orders() = {";
    for (OrderId id : listed) f << ' ' << id;
    f << " }, orders with is_open() = {";
    for (OrderId id : expected) f << ' ' << id;
    return f << " }";
  }
  return ::testing::AssertionSuccess();
}

std::vector<OrderId> OpenIds(const OrderManager& oms) {
  std::vector<OrderId> ids(oms.open_orders().begin(), oms.open_orders().end());
  std::sort(ids.begin(), ids.end());
  return ids;
}

class OrderManagerTest : public ::testing::Test {
 protected:
  // Creates order `id` and acknowledges it.
  Order& CreateAcked(OrderId id, int64_t qty = 100) {
    Order& o = oms_.create(MakeNew(id, qty), kT0);
    oms_.apply(venue_.Report(id, ExecType::kAck), kT0 + 1);
    return o;
  }

  OrderManager oms_{1, 64};
  Venue venue_;
};

// ---- the normal life of an order ----

TEST_F(OrderManagerTest, CreateRecordsAPendingNewOpenOrderWithTheRequestedTerms) {
  const NewOrder n = MakeNew(1, 300, "12.34", Side::kSell);
  const Order& o = oms_.create(n, kT0);

  EXPECT_EQ(o.id, 1u);
  EXPECT_EQ(o.state, OrderState::kPendingNew);
  EXPECT_TRUE(o.is_open());
  EXPECT_EQ(o.client_order_id.view(), "T20261127-1");
  EXPECT_EQ(o.instrument, 3u);
  EXPECT_EQ(o.account, 2);
  EXPECT_EQ(o.strategy, 5);
  EXPECT_EQ(o.side, Side::kSell);
  EXPECT_EQ(o.price, Px("12.34"));
  EXPECT_EQ(o.quantity, Qty(300));
  EXPECT_EQ(o.filled, Quantity::zero());
  EXPECT_EQ(o.leaves(), Qty(300));
  EXPECT_EQ(o.created, kT0);
  EXPECT_EQ(oms_.find(1), &o);
  EXPECT_EQ(OpenIds(oms_), std::vector<OrderId>{1});
  EXPECT_EQ(oms_.counters().orders, 1u);
  EXPECT_EQ(oms_.size(), 1u);
}

TEST_F(OrderManagerTest, AckMovesPendingNewToNew) {
  oms_.create(MakeNew(1), kT0);
  const ApplyResult r = oms_.apply(venue_.Report(1, ExecType::kAck), kT0 + 5);

  EXPECT_EQ(r.outcome, ApplyOutcome::kApplied);
  EXPECT_TRUE(r.state_changed);
  EXPECT_FALSE(r.is_fill);
  ASSERT_EQ(r.order, oms_.find(1));
  EXPECT_EQ(r.order->state, OrderState::kNew);
  EXPECT_EQ(r.order->acked, kT0 + 5);
  EXPECT_TRUE(r.order->is_open());
  EXPECT_TRUE(OpenListIsConsistent(oms_));
}

TEST_F(OrderManagerTest, PartialFillThenFinalFillEndsFilledAndLeavesTheOpenList) {
  CreateAcked(1, 100);

  const ApplyResult partial = oms_.apply(venue_.Fill(1, 30, "10.00"), kT0 + 2);
  EXPECT_EQ(partial.outcome, ApplyOutcome::kApplied);
  EXPECT_TRUE(partial.is_fill);
  EXPECT_TRUE(partial.state_changed);
  const Order& o = *oms_.find(1);
  EXPECT_EQ(o.state, OrderState::kPartiallyFilled);
  EXPECT_EQ(o.filled, Qty(30));
  EXPECT_EQ(o.leaves(), Qty(70));
  EXPECT_TRUE(o.is_open());
  EXPECT_TRUE(OpenListIsConsistent(oms_));

  const ApplyResult rest = oms_.apply(venue_.Fill(1, 70, "11.00", ExecType::kFill), kT0 + 3);
  EXPECT_TRUE(rest.is_fill);
  EXPECT_TRUE(rest.state_changed);
  EXPECT_EQ(o.state, OrderState::kFilled);
  EXPECT_EQ(o.filled, Qty(100));
  EXPECT_EQ(o.leaves(), Quantity::zero());
  EXPECT_FALSE(o.is_open());
  EXPECT_TRUE(OpenIds(oms_).empty());
  EXPECT_EQ(o.filled_notional, Cash("1070"));
  EXPECT_EQ(o.average_fill_price(), Px("10.7"));
  EXPECT_EQ(oms_.counters().fills, 2u);
}

TEST_F(OrderManagerTest, SecondPartialFillAppliesWithoutAStateChange) {
  CreateAcked(1, 100);
  oms_.apply(venue_.Fill(1, 10), kT0 + 2);
  const ApplyResult second = oms_.apply(venue_.Fill(1, 10), kT0 + 3);
  EXPECT_EQ(second.outcome, ApplyOutcome::kApplied);
  EXPECT_TRUE(second.is_fill);
  EXPECT_FALSE(second.state_changed);
  EXPECT_EQ(oms_.find(1)->filled, Qty(20));
}

TEST_F(OrderManagerTest, AverageFillPriceIsExactToEightDecimalsAndZeroWhenUnfilled) {
  CreateAcked(1, 3);
  EXPECT_EQ(oms_.find(1)->average_fill_price(), Price::zero());
  oms_.apply(venue_.Fill(1, 1, "10.01"), kT0 + 2);
  oms_.apply(venue_.Fill(1, 2, "10.02"), kT0 + 3);
  // 30.05 / 3 = 10.0166666..., rounded half away from zero at the 8th decimal.
  EXPECT_EQ(oms_.find(1)->filled_notional, Cash("30.05"));
  EXPECT_EQ(oms_.find(1)->average_fill_price(), Px("10.01666667"));
}

TEST_F(OrderManagerTest, ZeroQuantityFillIsIgnored) {
  CreateAcked(1, 100);
  const ApplyResult r = oms_.apply(venue_.Fill(1, 0), kT0 + 2);
  EXPECT_EQ(r.outcome, ApplyOutcome::kIgnored);
  EXPECT_FALSE(r.is_fill);
  EXPECT_EQ(oms_.find(1)->state, OrderState::kNew);
  EXPECT_EQ(oms_.counters().ignored_reports, 1u);
  EXPECT_EQ(oms_.counters().fills, 0u);
}

// ---- cancel ----

TEST_F(OrderManagerTest, CancelRequestGoesPendingCancelThenCanceledOnConfirmation) {
  CreateAcked(1, 100);
  ASSERT_TRUE(oms_.request_cancel(1, kT0 + 2));
  const Order& o = *oms_.find(1);
  EXPECT_EQ(o.state, OrderState::kPendingCancel);
  EXPECT_EQ(o.state_before_change, OrderState::kNew);
  EXPECT_TRUE(o.is_open()) << "still working until the venue confirms";
  EXPECT_EQ(o.leaves(), Qty(100));
  EXPECT_TRUE(OpenListIsConsistent(oms_));

  const ApplyResult r = oms_.apply(venue_.Report(1, ExecType::kCanceled), kT0 + 3);
  EXPECT_EQ(r.outcome, ApplyOutcome::kApplied);
  EXPECT_TRUE(r.state_changed);
  EXPECT_EQ(o.state, OrderState::kCanceled);
  EXPECT_FALSE(o.is_open());
  EXPECT_EQ(o.leaves(), Quantity::zero());
  EXPECT_TRUE(OpenIds(oms_).empty());
}

TEST_F(OrderManagerTest, SecondCancelOrAReplaceWhileACancelIsPendingIsRefused) {
  CreateAcked(1, 100);
  ASSERT_TRUE(oms_.request_cancel(1, kT0 + 2));
  EXPECT_FALSE(oms_.request_cancel(1, kT0 + 3));
  EXPECT_FALSE(oms_.request_replace(MakeReplace(1, 2, "10.01", 100), kT0 + 3));
  EXPECT_EQ(oms_.size(), 1u) << "no placeholder for a refused replace";
  EXPECT_EQ(oms_.find(1)->state, OrderState::kPendingCancel);
}

TEST_F(OrderManagerTest, CancelRequestIsRefusedForUnknownAndFinishedOrders) {
  EXPECT_FALSE(oms_.request_cancel(1, kT0));
  EXPECT_FALSE(oms_.request_cancel(kNoOrder, kT0));
  CreateAcked(1, 100);
  oms_.apply(venue_.Fill(1, 100, "10.00", ExecType::kFill), kT0 + 2);
  EXPECT_FALSE(oms_.request_cancel(1, kT0 + 3));
  EXPECT_EQ(oms_.find(1)->state, OrderState::kFilled);
}

TEST_F(OrderManagerTest, CancelRejectedReturnsToNew) {
  CreateAcked(1, 100);
  oms_.request_cancel(1, kT0 + 2);
  const ApplyResult r = oms_.apply(venue_.Report(1, ExecType::kCancelRejected), kT0 + 3);
  EXPECT_EQ(r.outcome, ApplyOutcome::kApplied);
  EXPECT_TRUE(r.state_changed);
  EXPECT_EQ(r.order, oms_.find(1));
  EXPECT_EQ(oms_.find(1)->state, OrderState::kNew);
  EXPECT_TRUE(oms_.find(1)->is_open());
  EXPECT_TRUE(OpenListIsConsistent(oms_));
  EXPECT_TRUE(oms_.request_cancel(1, kT0 + 4)) << "a new cancel may be sent";
}

TEST_F(OrderManagerTest, CancelRejectedReturnsToPartiallyFilled) {
  CreateAcked(1, 100);
  oms_.apply(venue_.Fill(1, 40), kT0 + 2);
  oms_.request_cancel(1, kT0 + 3);
  oms_.apply(venue_.Report(1, ExecType::kCancelRejected), kT0 + 4);
  EXPECT_EQ(oms_.find(1)->state, OrderState::kPartiallyFilled);
  EXPECT_EQ(oms_.find(1)->leaves(), Qty(60));
}

TEST_F(OrderManagerTest, CancelRejectedWithNoCancelPendingIsIgnored) {
  CreateAcked(1, 100);
  const ApplyResult r = oms_.apply(venue_.Report(1, ExecType::kCancelRejected), kT0 + 2);
  EXPECT_EQ(r.outcome, ApplyOutcome::kIgnored);
  EXPECT_EQ(oms_.find(1)->state, OrderState::kNew);
  EXPECT_EQ(oms_.counters().ignored_reports, 1u);
}

TEST_F(OrderManagerTest, CancelOfAnUnackedOrderRemembersTheAckThatArrivesMeanwhile) {
  oms_.create(MakeNew(1), kT0);
  ASSERT_TRUE(oms_.request_cancel(1, kT0 + 1));
  EXPECT_EQ(oms_.find(1)->state_before_change, OrderState::kPendingNew);

  const ApplyResult ack = oms_.apply(venue_.Report(1, ExecType::kAck), kT0 + 2);
  EXPECT_EQ(ack.outcome, ApplyOutcome::kApplied);
  EXPECT_EQ(oms_.find(1)->state, OrderState::kPendingCancel);
  EXPECT_EQ(oms_.find(1)->acked, kT0 + 2);

  oms_.apply(venue_.Report(1, ExecType::kCancelRejected), kT0 + 3);
  EXPECT_EQ(oms_.find(1)->state, OrderState::kNew);
}

// ---- fills racing a cancel ----

TEST_F(OrderManagerTest, PartialFillDuringPendingCancelKeepsPendingCancel) {
  CreateAcked(1, 100);
  oms_.request_cancel(1, kT0 + 2);
  const ApplyResult r = oms_.apply(venue_.Fill(1, 30), kT0 + 3);
  EXPECT_TRUE(r.is_fill);
  EXPECT_FALSE(r.state_changed);
  const Order& o = *oms_.find(1);
  EXPECT_EQ(o.state, OrderState::kPendingCancel);
  EXPECT_EQ(o.state_before_change, OrderState::kPartiallyFilled);
  EXPECT_EQ(o.filled, Qty(30));
  EXPECT_EQ(o.leaves(), Qty(70));
  EXPECT_TRUE(o.is_open());

  // The venue refuses the cancel: the order goes back to what the fill made it.
  oms_.apply(venue_.Report(1, ExecType::kCancelRejected), kT0 + 4);
  EXPECT_EQ(o.state, OrderState::kPartiallyFilled);
  EXPECT_TRUE(OpenListIsConsistent(oms_));
}

TEST_F(OrderManagerTest, CompleteFillDuringPendingCancelEndsFilledAndTheCancelConfirmIsLate) {
  CreateAcked(1, 100);
  oms_.request_cancel(1, kT0 + 2);
  const ApplyResult r = oms_.apply(venue_.Fill(1, 100, "10.00", ExecType::kFill), kT0 + 3);
  EXPECT_TRUE(r.state_changed);
  EXPECT_EQ(oms_.find(1)->state, OrderState::kFilled);
  EXPECT_TRUE(OpenIds(oms_).empty());

  const ApplyResult late = oms_.apply(venue_.Report(1, ExecType::kCanceled), kT0 + 4);
  EXPECT_EQ(late.outcome, ApplyOutcome::kIgnored);
  EXPECT_EQ(oms_.find(1)->state, OrderState::kFilled);
  EXPECT_EQ(oms_.counters().late_reports, 1u);
}

// ---- replace ----

TEST_F(OrderManagerTest, ReplaceRequestCreatesAPlaceholderThatIsNotOpen) {
  CreateAcked(1, 100);
  oms_.apply(venue_.Fill(1, 30), kT0 + 2);
  ASSERT_TRUE(oms_.request_replace(MakeReplace(1, 2, "10.50", 150), kT0 + 3));

  const Order& old_order = *oms_.find(1);
  EXPECT_EQ(old_order.state, OrderState::kPendingReplace);
  EXPECT_EQ(old_order.state_before_change, OrderState::kPartiallyFilled);
  EXPECT_EQ(old_order.replaced_by, 2u);
  EXPECT_TRUE(old_order.is_open()) << "works on its old terms until confirmed";
  EXPECT_EQ(old_order.price, Px("10.00"));

  const Order* placeholder = oms_.find(2);
  ASSERT_NE(placeholder, nullptr);
  EXPECT_TRUE(placeholder->awaiting_replace_confirm);
  EXPECT_FALSE(placeholder->is_open());
  EXPECT_EQ(placeholder->leaves(), Quantity::zero());
  EXPECT_EQ(placeholder->state, OrderState::kPendingNew);
  EXPECT_EQ(placeholder->replaces, 1u);
  EXPECT_EQ(placeholder->replaced_by, kNoOrder);
  EXPECT_EQ(placeholder->price, Px("10.50"));
  EXPECT_EQ(placeholder->quantity, Qty(150));
  EXPECT_EQ(placeholder->client_order_id.view(), "T20261127-2");
  EXPECT_EQ(placeholder->side, old_order.side);
  EXPECT_EQ(placeholder->strategy, old_order.strategy);

  EXPECT_EQ(OpenIds(oms_), std::vector<OrderId>{1});
  EXPECT_EQ(oms_.size(), 2u);
  EXPECT_EQ(oms_.counters().orders, 2u);
  EXPECT_TRUE(OpenListIsConsistent(oms_));
}

TEST_F(OrderManagerTest, ReplacedReportRetiresTheOldOrderAndCarriesCumQtyToTheNewOne) {
  CreateAcked(1, 100);
  oms_.apply(venue_.Fill(1, 30, "10.00"), kT0 + 2);
  oms_.request_replace(MakeReplace(1, 2, "10.50", 150), kT0 + 3);

  const ApplyResult r = oms_.apply(venue_.Report(2, ExecType::kReplaced, 1), kT0 + 4);
  EXPECT_EQ(r.outcome, ApplyOutcome::kApplied);
  EXPECT_TRUE(r.state_changed);
  EXPECT_FALSE(r.is_fill);
  EXPECT_EQ(r.order, oms_.find(2));

  const Order& old_order = *oms_.find(1);
  const Order& new_order = *oms_.find(2);
  EXPECT_EQ(old_order.state, OrderState::kReplaced);
  EXPECT_FALSE(old_order.is_open());
  EXPECT_EQ(old_order.replaced_by, 2u);
  EXPECT_FALSE(new_order.awaiting_replace_confirm);
  EXPECT_TRUE(new_order.is_open());
  EXPECT_EQ(new_order.state, OrderState::kPartiallyFilled);
  EXPECT_EQ(new_order.filled, Qty(30));
  EXPECT_EQ(new_order.filled_notional, Cash("300"));
  EXPECT_EQ(new_order.leaves(), Qty(120));
  EXPECT_EQ(new_order.acked, kT0 + 4);
  EXPECT_EQ(OpenIds(oms_), std::vector<OrderId>{2});
  EXPECT_TRUE(OpenListIsConsistent(oms_));

  oms_.apply(venue_.Fill(2, 120, "10.50", ExecType::kFill), kT0 + 5);
  EXPECT_EQ(new_order.state, OrderState::kFilled);
  EXPECT_EQ(new_order.filled, Qty(150));
  // (30 x 10.00 + 120 x 10.50) / 150 = 10.40
  EXPECT_EQ(new_order.average_fill_price(), Px("10.40"));
  EXPECT_TRUE(OpenIds(oms_).empty());
}

TEST_F(OrderManagerTest, ReplaceOfAnUnfilledOrderConfirmsAsNew) {
  CreateAcked(1, 100);
  oms_.request_replace(MakeReplace(1, 2, "9.90", 100), kT0 + 2);
  oms_.apply(venue_.Report(2, ExecType::kReplaced, 1), kT0 + 3);
  EXPECT_EQ(oms_.find(2)->state, OrderState::kNew);
  EXPECT_EQ(oms_.find(2)->price, Px("9.90"));
  EXPECT_EQ(oms_.find(2)->leaves(), Qty(100));
}

TEST_F(OrderManagerTest, FillsRacingAReplaceCarryOverToTheReplacement) {
  CreateAcked(1, 100);
  oms_.apply(venue_.Fill(1, 30), kT0 + 2);
  oms_.request_replace(MakeReplace(1, 2, "10.50", 150), kT0 + 3);

  const ApplyResult race = oms_.apply(venue_.Fill(1, 20), kT0 + 4);
  EXPECT_TRUE(race.is_fill);
  EXPECT_EQ(oms_.find(1)->state, OrderState::kPendingReplace);
  EXPECT_EQ(oms_.find(1)->filled, Qty(50));

  oms_.apply(venue_.Report(2, ExecType::kReplaced, 1), kT0 + 5);
  EXPECT_EQ(oms_.find(2)->filled, Qty(50));
  EXPECT_EQ(oms_.find(2)->leaves(), Qty(100));
  EXPECT_EQ(oms_.find(2)->state, OrderState::kPartiallyFilled);
}

TEST_F(OrderManagerTest, ReplacementAlreadyFilledByRacingFillsConfirmsAsFilled) {
  CreateAcked(1, 100);
  oms_.apply(venue_.Fill(1, 30), kT0 + 2);
  oms_.request_replace(MakeReplace(1, 2, "10.00", 80), kT0 + 3);
  oms_.apply(venue_.Fill(1, 50), kT0 + 4);  // 80 of the new 80 are now done

  oms_.apply(venue_.Report(2, ExecType::kReplaced, 1), kT0 + 5);
  EXPECT_EQ(oms_.find(1)->state, OrderState::kReplaced);
  EXPECT_EQ(oms_.find(2)->state, OrderState::kFilled);
  EXPECT_FALSE(oms_.find(2)->is_open());
  EXPECT_TRUE(OpenIds(oms_).empty());
  EXPECT_TRUE(OpenListIsConsistent(oms_));
}

TEST_F(OrderManagerTest, CompleteFillDuringPendingReplaceEndsFilledAndTheReplaceGoesNowhere) {
  CreateAcked(1, 100);
  oms_.request_replace(MakeReplace(1, 2, "10.10", 100), kT0 + 2);
  oms_.apply(venue_.Fill(1, 100, "10.00", ExecType::kFill), kT0 + 3);
  EXPECT_EQ(oms_.find(1)->state, OrderState::kFilled);
  EXPECT_TRUE(OpenIds(oms_).empty());

  // A confirmation for the replacement can no longer apply.
  const ApplyResult r = oms_.apply(venue_.Report(2, ExecType::kReplaced, 1), kT0 + 4);
  EXPECT_EQ(r.outcome, ApplyOutcome::kIgnored);
  EXPECT_EQ(oms_.find(1)->state, OrderState::kFilled);
  EXPECT_FALSE(oms_.find(2)->is_open());
  EXPECT_TRUE(OpenListIsConsistent(oms_));
}

TEST_F(OrderManagerTest, RefusedReplaceRestoresTheOriginalAndRejectsThePlaceholder) {
  CreateAcked(1, 100);
  oms_.apply(venue_.Fill(1, 10), kT0 + 2);
  oms_.request_replace(MakeReplace(1, 2, "10.50", 150), kT0 + 3);

  ExecutionReport refusal = venue_.Report(2, ExecType::kCancelRejected, 1);
  refusal.reject_code = RejectCode::kTooLateToCancel;
  const ApplyResult r = oms_.apply(refusal, kT0 + 4);
  EXPECT_EQ(r.outcome, ApplyOutcome::kApplied);
  EXPECT_TRUE(r.state_changed);
  EXPECT_EQ(r.order, oms_.find(1)) << "the result names the order that keeps working";

  const Order& old_order = *oms_.find(1);
  const Order& placeholder = *oms_.find(2);
  EXPECT_EQ(old_order.state, OrderState::kPartiallyFilled);
  EXPECT_EQ(old_order.replaced_by, kNoOrder);
  EXPECT_TRUE(old_order.is_open());
  EXPECT_EQ(placeholder.state, OrderState::kRejected);
  EXPECT_FALSE(placeholder.awaiting_replace_confirm);
  EXPECT_FALSE(placeholder.is_open());
  EXPECT_EQ(placeholder.reject_code, RejectCode::kTooLateToCancel);
  EXPECT_EQ(OpenIds(oms_), std::vector<OrderId>{1});
  EXPECT_TRUE(OpenListIsConsistent(oms_));

  // The original can be changed again.
  EXPECT_TRUE(oms_.request_replace(MakeReplace(1, 3, "10.20", 100), kT0 + 5));
}

TEST_F(OrderManagerTest, RejectedReplacementRestoresTheOriginal) {
  CreateAcked(1, 100);
  oms_.request_replace(MakeReplace(1, 2, "10.50", 150), kT0 + 2);
  ExecutionReport reject = venue_.Report(2, ExecType::kRejected);
  reject.reject_code = RejectCode::kOffTick;
  const ApplyResult r = oms_.apply(reject, kT0 + 3);
  EXPECT_EQ(r.outcome, ApplyOutcome::kApplied);
  EXPECT_EQ(oms_.find(2)->state, OrderState::kRejected);
  EXPECT_EQ(oms_.find(2)->reject_code, RejectCode::kOffTick);
  EXPECT_FALSE(oms_.find(2)->awaiting_replace_confirm);
  EXPECT_EQ(oms_.find(1)->state, OrderState::kNew);
  EXPECT_EQ(oms_.find(1)->replaced_by, kNoOrder);
  EXPECT_EQ(OpenIds(oms_), std::vector<OrderId>{1});
}

TEST_F(OrderManagerTest, FillOnAnUnconfirmedReplacementConfirmsItImplicitly) {
  CreateAcked(1, 100);
  oms_.request_replace(MakeReplace(1, 2, "10.50", 150), kT0 + 2);

  const ApplyResult r = oms_.apply(venue_.Fill(2, 10, "10.50"), kT0 + 3);
  EXPECT_EQ(r.outcome, ApplyOutcome::kApplied);
  EXPECT_TRUE(r.is_fill);
  EXPECT_EQ(r.order, oms_.find(2));
  EXPECT_EQ(oms_.find(1)->state, OrderState::kReplaced);
  EXPECT_EQ(oms_.find(2)->state, OrderState::kPartiallyFilled);
  EXPECT_EQ(oms_.find(2)->filled, Qty(10));
  EXPECT_EQ(OpenIds(oms_), std::vector<OrderId>{2});

  // The real confirmation, arriving afterwards, changes nothing.
  const ApplyResult confirm = oms_.apply(venue_.Report(2, ExecType::kReplaced, 1), kT0 + 4);
  EXPECT_EQ(confirm.outcome, ApplyOutcome::kIgnored);
  EXPECT_EQ(oms_.find(2)->state, OrderState::kPartiallyFilled);
  EXPECT_TRUE(OpenListIsConsistent(oms_));
}

TEST_F(OrderManagerTest, ReplaceRequestIsRefusedForUnknownFinishedOrPendingOrders) {
  EXPECT_FALSE(oms_.request_replace(MakeReplace(1, 2, "10.00", 100), kT0));
  CreateAcked(1, 100);
  ASSERT_TRUE(oms_.request_replace(MakeReplace(1, 2, "10.10", 100), kT0 + 1));
  EXPECT_FALSE(oms_.request_replace(MakeReplace(1, 3, "10.20", 100), kT0 + 2));
  EXPECT_FALSE(oms_.request_cancel(1, kT0 + 2));
  EXPECT_FALSE(oms_.request_replace(MakeReplace(2, 3, "10.20", 100), kT0 + 2))
      << "an unconfirmed placeholder is not open";
  EXPECT_EQ(oms_.size(), 2u);
}

TEST_F(OrderManagerTest, ReplaceWithOutOfSequenceNewIdThrowsLogicError) {
  CreateAcked(1, 100);
  EXPECT_THROW(oms_.request_replace(MakeReplace(1, 5, "10.10", 100), kT0 + 1), std::logic_error);
}

// A replace the venue refuses by naming the original order (not the replacement) must not leave
// the placeholder waiting: a later confirmation for that stale placeholder would otherwise be
// matched against a newer replace of the same order and make the wrong terms live.
TEST_F(OrderManagerTest, StaleReplacementConfirmationDoesNotHijackANewerReplace) {
  CreateAcked(1, 100);
  ASSERT_TRUE(oms_.request_replace(MakeReplace(1, 2, "10.10", 100), kT0 + 1));
  oms_.apply(venue_.Report(1, ExecType::kCancelRejected), kT0 + 2);
  ASSERT_EQ(oms_.find(1)->state, OrderState::kNew);
  EXPECT_FALSE(oms_.find(2)->awaiting_replace_confirm)
      << "the refused replacement should be resolved, not left waiting";

  ASSERT_TRUE(oms_.request_replace(MakeReplace(1, 3, "10.20", 100), kT0 + 3));
  oms_.apply(venue_.Report(2, ExecType::kReplaced, 1), kT0 + 4);
  EXPECT_FALSE(oms_.find(2)->is_open()) << "order 2's replace was refused; it must not go live";
  EXPECT_EQ(oms_.find(1)->state, OrderState::kPendingReplace) << "it still waits for order 3";
}

// ---- reject and expire ----

TEST_F(OrderManagerTest, RejectMovesPendingNewToRejectedWithTheVenueCode) {
  oms_.create(MakeNew(1), kT0);
  ExecutionReport reject = venue_.Report(1, ExecType::kRejected);
  reject.reject_code = RejectCode::kVenueRejected;
  const ApplyResult r = oms_.apply(reject, kT0 + 1);
  EXPECT_EQ(r.outcome, ApplyOutcome::kApplied);
  EXPECT_TRUE(r.state_changed);
  EXPECT_EQ(oms_.find(1)->state, OrderState::kRejected);
  EXPECT_EQ(oms_.find(1)->reject_code, RejectCode::kVenueRejected);
  EXPECT_FALSE(oms_.find(1)->is_open());
  EXPECT_EQ(oms_.find(1)->leaves(), Quantity::zero());
  EXPECT_TRUE(OpenIds(oms_).empty());
}

TEST_F(OrderManagerTest, ExpireEndsAWorkingOrderAndKeepsWhatItFilled) {
  CreateAcked(1, 100);
  oms_.apply(venue_.Fill(1, 25), kT0 + 2);
  const ApplyResult r = oms_.apply(venue_.Report(1, ExecType::kExpired), kT0 + 3);
  EXPECT_EQ(r.outcome, ApplyOutcome::kApplied);
  EXPECT_EQ(oms_.find(1)->state, OrderState::kExpired);
  EXPECT_EQ(oms_.find(1)->filled, Qty(25));
  EXPECT_EQ(oms_.find(1)->leaves(), Quantity::zero());
  EXPECT_TRUE(OpenIds(oms_).empty());
}

// ---- venue misbehaviour ----

TEST_F(OrderManagerTest, FillBeforeAckImpliesTheAckAndTheLateAckIsIgnored) {
  oms_.create(MakeNew(1, 100), kT0);
  const ApplyResult fill = oms_.apply(venue_.Fill(1, 40), kT0 + 1);
  EXPECT_EQ(fill.outcome, ApplyOutcome::kApplied);
  EXPECT_TRUE(fill.is_fill);
  EXPECT_TRUE(fill.state_changed);
  EXPECT_EQ(oms_.find(1)->state, OrderState::kPartiallyFilled);
  EXPECT_EQ(oms_.find(1)->acked, kT0 + 1);
  EXPECT_EQ(oms_.counters().fills_before_ack, 1u);

  const ApplyResult ack = oms_.apply(venue_.Report(1, ExecType::kAck), kT0 + 2);
  EXPECT_EQ(ack.outcome, ApplyOutcome::kIgnored);
  EXPECT_EQ(oms_.find(1)->state, OrderState::kPartiallyFilled);
  EXPECT_EQ(oms_.find(1)->acked, kT0 + 1);
  EXPECT_EQ(oms_.counters().ignored_reports, 1u);
  EXPECT_TRUE(OpenListIsConsistent(oms_));
}

TEST_F(OrderManagerTest, CompleteFillBeforeAckEndsFilled) {
  oms_.create(MakeNew(1, 100), kT0);
  oms_.apply(venue_.Fill(1, 100, "10.00", ExecType::kFill), kT0 + 1);
  EXPECT_EQ(oms_.find(1)->state, OrderState::kFilled);
  EXPECT_EQ(oms_.counters().fills_before_ack, 1u);
  const ApplyResult ack = oms_.apply(venue_.Report(1, ExecType::kAck), kT0 + 2);
  EXPECT_EQ(ack.outcome, ApplyOutcome::kIgnored);
  EXPECT_EQ(oms_.counters().late_reports, 1u);
  EXPECT_TRUE(OpenIds(oms_).empty());
}

TEST_F(OrderManagerTest, DuplicateExecIdIsIgnoredAndCounted) {
  CreateAcked(1, 100);
  const ExecutionReport fill = venue_.Fill(1, 10);
  oms_.apply(fill, kT0 + 2);
  const ApplyResult dup = oms_.apply(fill, kT0 + 3);
  EXPECT_EQ(dup.outcome, ApplyOutcome::kDuplicate);
  EXPECT_FALSE(dup.is_fill);
  EXPECT_FALSE(dup.state_changed);
  EXPECT_EQ(dup.order, oms_.find(1));
  EXPECT_EQ(oms_.find(1)->filled, Qty(10));
  EXPECT_EQ(oms_.counters().duplicate_exec_ids, 1u);
  EXPECT_EQ(oms_.counters().fills, 1u);
  EXPECT_EQ(oms_.counters().reports, 3u);

  // The same exec id on a different report type is still a duplicate.
  ExecutionReport cancel = venue_.Report(1, ExecType::kCanceled);
  cancel.exec_id = fill.exec_id;
  EXPECT_EQ(oms_.apply(cancel, kT0 + 4).outcome, ApplyOutcome::kDuplicate);
  EXPECT_EQ(oms_.find(1)->state, OrderState::kPartiallyFilled);
  EXPECT_EQ(oms_.counters().duplicate_exec_ids, 2u);
}

TEST_F(OrderManagerTest, ExecIdZeroIsNeverTreatedAsADuplicate) {
  CreateAcked(1, 100);
  ExecutionReport fill = venue_.Fill(1, 10);
  fill.exec_id = 0;
  oms_.apply(fill, kT0 + 2);
  EXPECT_EQ(oms_.apply(fill, kT0 + 3).outcome, ApplyOutcome::kApplied);
  EXPECT_EQ(oms_.find(1)->filled, Qty(20));
  EXPECT_EQ(oms_.counters().duplicate_exec_ids, 0u);
}

// ---- reconciliation from status answers (after the order session was down) ----

// The venue's answer to a status request: what it executed in all, at what average price.
ExecutionReport StatusAnswer(OrderId id, int64_t cum, std::string_view average) {
  ExecutionReport r;
  r.order_id = id;
  r.instrument = 3;
  r.exec_type = ExecType::kStatus;
  r.cum_qty = Qty(cum);
  r.last_price = Px(average);
  return r;
}

TEST_F(OrderManagerTest, StatusAnswerBooksTheQuantityMissedAtThePriceThatMakesTheVenuesAverage) {
  CreateAcked(1, 500);
  oms_.apply(venue_.Fill(1, 100, "10.00"), kT0 + 2);
  // The venue filled 200 more at 10.30 while we were disconnected: average (1000 + 2060) / 300.
  const ApplyResult r = oms_.apply(StatusAnswer(1, 300, "10.20"), kT0 + 3);
  EXPECT_EQ(r.outcome, ApplyOutcome::kApplied);
  EXPECT_TRUE(r.is_fill);
  EXPECT_EQ(r.fill_qty, Qty(200));
  EXPECT_EQ(r.fill_price, Px("10.30"));
  EXPECT_EQ(oms_.find(1)->filled, Qty(300));
  EXPECT_EQ(oms_.find(1)->filled_notional, Cash("3060"));
  EXPECT_EQ(oms_.find(1)->state, OrderState::kPartiallyFilled);
  EXPECT_EQ(oms_.counters().reconciled_fills, 1u);
}

TEST_F(OrderManagerTest, StatusAnswerWithNothingMissedChangesNothingOrAcknowledges) {
  CreateAcked(1, 500);
  oms_.apply(venue_.Fill(1, 100), kT0 + 2);
  EXPECT_EQ(oms_.apply(StatusAnswer(1, 100, "10.00"), kT0 + 3).outcome, ApplyOutcome::kIgnored);
  EXPECT_EQ(oms_.find(1)->filled, Qty(100));
  oms_.create(MakeNew(2, 100), kT0);
  const ApplyResult ack = oms_.apply(StatusAnswer(2, 0, "0"), kT0 + 4);
  EXPECT_TRUE(ack.state_changed) << "the venue has it working";
  EXPECT_EQ(oms_.find(2)->state, OrderState::kNew);
  EXPECT_EQ(oms_.counters().reconciled_fills, 0u);
}

TEST_F(OrderManagerTest, ExecutionsResentAfterAStatusAnswerAreNotBookedTwice) {
  CreateAcked(1, 500);
  oms_.apply(StatusAnswer(1, 300, "10.00"), kT0 + 2);
  // The two executions behind that figure arrive after all (a resend): both already booked.
  ExecutionReport first = venue_.Fill(1, 100);
  first.cum_qty = Qty(100);
  ExecutionReport second = venue_.Fill(1, 200);
  second.cum_qty = Qty(300);
  EXPECT_EQ(oms_.apply(first, kT0 + 3).outcome, ApplyOutcome::kDuplicate);
  EXPECT_EQ(oms_.apply(second, kT0 + 4).outcome, ApplyOutcome::kDuplicate);
  // One that straddles the figure books only its new part; one beyond it books in full.
  ExecutionReport straddling = venue_.Fill(1, 150);
  straddling.cum_qty = Qty(400);
  const ApplyResult part = oms_.apply(straddling, kT0 + 5);
  EXPECT_EQ(part.fill_qty, Qty(100));
  ExecutionReport last = venue_.Fill(1, 100, "10.00", ExecType::kFill);
  last.cum_qty = Qty(500);
  EXPECT_EQ(oms_.apply(last, kT0 + 6).fill_qty, Qty(100));
  EXPECT_EQ(oms_.find(1)->filled, Qty(500));
  EXPECT_EQ(oms_.find(1)->state, OrderState::kFilled);
  EXPECT_EQ(oms_.counters().reconciled_duplicates, 2u);
}

TEST_F(OrderManagerTest, StatusAnswerOfAFilledOrderEndsItFilled) {
  CreateAcked(1, 300);
  oms_.apply(StatusAnswer(1, 300, "10.00"), kT0 + 2);
  EXPECT_EQ(oms_.find(1)->state, OrderState::kFilled);
  EXPECT_TRUE(OpenIds(oms_).empty());
  EXPECT_TRUE(OpenListIsConsistent(oms_));
}

TEST_F(OrderManagerTest, ReportForUnknownOrderIsReportedNotCrashed) {
  OrderManager oms(100, 8);
  oms.create(MakeNew(100), kT0);
  Venue venue;
  for (OrderId id : {OrderId{0}, OrderId{5}, OrderId{99}, OrderId{101}, OrderId{1'000'000}}) {
    const ApplyResult r = oms.apply(venue.Fill(id, 10), kT0 + 1);
    EXPECT_EQ(r.outcome, ApplyOutcome::kUnknownOrder) << "order id " << id;
    EXPECT_EQ(r.order, nullptr);
    EXPECT_FALSE(r.is_fill);
  }
  EXPECT_EQ(oms.counters().unknown_order_reports, 5u);
  EXPECT_EQ(oms.counters().reports, 5u);
  EXPECT_EQ(oms.counters().fills, 0u);
  EXPECT_EQ(oms.find(100)->state, OrderState::kPendingNew);
  EXPECT_EQ(oms.find(100)->filled, Quantity::zero());
}

TEST_F(OrderManagerTest, OverfillIsAppliedFlaggedAndCountedOnce) {
  CreateAcked(1, 100);
  oms_.apply(venue_.Fill(1, 80), kT0 + 2);
  const ApplyResult over = oms_.apply(venue_.Fill(1, 50, "10.00", ExecType::kFill), kT0 + 3);
  EXPECT_EQ(over.outcome, ApplyOutcome::kApplied);
  EXPECT_TRUE(over.is_fill);
  EXPECT_TRUE(over.overfill);
  const Order& o = *oms_.find(1);
  EXPECT_TRUE(o.overfilled);
  EXPECT_EQ(o.filled, Qty(130)) << "a real execution is kept";
  EXPECT_EQ(o.state, OrderState::kFilled);
  EXPECT_EQ(o.leaves(), Quantity::zero());
  EXPECT_EQ(oms_.counters().overfills, 1u);

  const ApplyResult more = oms_.apply(venue_.Fill(1, 10), kT0 + 4);
  EXPECT_TRUE(more.is_fill);
  EXPECT_FALSE(more.overfill);
  EXPECT_EQ(o.filled, Qty(140));
  EXPECT_EQ(oms_.counters().overfills, 1u);
  EXPECT_EQ(oms_.counters().late_reports, 1u);
}

TEST_F(OrderManagerTest, LateReportsAfterATerminalStateAreCountedAndKeepQuantities) {
  CreateAcked(1, 100);
  oms_.request_cancel(1, kT0 + 2);
  oms_.apply(venue_.Report(1, ExecType::kCanceled), kT0 + 3);
  ASSERT_EQ(oms_.find(1)->state, OrderState::kCanceled);

  const ApplyResult fill = oms_.apply(venue_.Fill(1, 10), kT0 + 4);
  EXPECT_EQ(fill.outcome, ApplyOutcome::kApplied);
  EXPECT_TRUE(fill.is_fill) << "positions must see a real execution";
  EXPECT_FALSE(fill.state_changed);
  EXPECT_EQ(oms_.find(1)->filled, Qty(10));

  for (ExecType type : {ExecType::kAck, ExecType::kCanceled, ExecType::kExpired,
                        ExecType::kRejected, ExecType::kCancelRejected, ExecType::kReplaced}) {
    const ApplyResult r = oms_.apply(venue_.Report(1, type), kT0 + 5);
    EXPECT_EQ(r.outcome, ApplyOutcome::kIgnored) << to_string(type);
    EXPECT_EQ(oms_.find(1)->state, OrderState::kCanceled) << to_string(type);
  }
  EXPECT_EQ(oms_.counters().late_reports, 7u);
  EXPECT_FALSE(oms_.find(1)->is_open());
  EXPECT_TRUE(OpenIds(oms_).empty());
}

TEST_F(OrderManagerTest, CountersAddUpOverAMixedSequence) {
  CreateAcked(1, 100);                  // report 1: applied
  oms_.apply(venue_.Fill(1, 10), kT0);  // 2: applied fill
  const ExecutionReport f = venue_.Fill(1, 10);
  oms_.apply(f, kT0);                                  // 3: applied fill
  oms_.apply(f, kT0);                                  // 4: duplicate
  oms_.apply(venue_.Report(77, ExecType::kAck), kT0);  // 5: unknown
  oms_.apply(venue_.Report(1, ExecType::kAck), kT0);   // 6: ignored
  const OmsCounters& c = oms_.counters();
  EXPECT_EQ(c.reports, 6u);
  EXPECT_EQ(c.fills, 2u);
  EXPECT_EQ(c.duplicate_exec_ids, 1u);
  EXPECT_EQ(c.unknown_order_reports, 1u);
  EXPECT_EQ(c.ignored_reports, 1u);
  EXPECT_EQ(c.late_reports, 0u);
}

// ---- storage: open list, capacity, ids ----

TEST_F(OrderManagerTest, OpenListStaysExactThroughTransitionsInAnyOrder) {
  for (OrderId id = 1; id <= 6; ++id) oms_.create(MakeNew(id), kT0);
  EXPECT_TRUE(OpenListIsConsistent(oms_));
  oms_.apply(venue_.Report(3, ExecType::kRejected), kT0 + 1);  // middle
  EXPECT_TRUE(OpenListIsConsistent(oms_));
  oms_.apply(venue_.Report(6, ExecType::kAck), kT0 + 1);
  oms_.apply(venue_.Fill(6, 100, "10.00", ExecType::kFill), kT0 + 1);  // last
  EXPECT_TRUE(OpenListIsConsistent(oms_));
  oms_.apply(venue_.Report(1, ExecType::kExpired), kT0 + 1);  // first
  EXPECT_TRUE(OpenListIsConsistent(oms_));
  oms_.request_replace(MakeReplace(2, 7, "10.10", 100), kT0 + 2);
  EXPECT_TRUE(OpenListIsConsistent(oms_));
  oms_.apply(venue_.Report(7, ExecType::kReplaced, 2), kT0 + 3);
  EXPECT_TRUE(OpenListIsConsistent(oms_));
  oms_.request_cancel(4, kT0 + 4);
  oms_.apply(venue_.Report(4, ExecType::kCanceled), kT0 + 5);
  EXPECT_TRUE(OpenListIsConsistent(oms_));
  EXPECT_EQ(OpenIds(oms_), (std::vector<OrderId>{5, 7}));
  oms_.apply(venue_.Report(5, ExecType::kCanceled), kT0 + 6);
  oms_.apply(venue_.Report(7, ExecType::kCanceled), kT0 + 6);
  EXPECT_TRUE(OpenIds(oms_).empty());
  EXPECT_TRUE(OpenListIsConsistent(oms_));
}

TEST(OrderManagerStorageTest, CreatingBeyondCapacityThrowsLengthError) {
  OrderManager oms(1, 2);
  EXPECT_TRUE(oms.has_capacity());
  EXPECT_TRUE(oms.has_capacity(2));
  EXPECT_FALSE(oms.has_capacity(3));
  oms.create(MakeNew(1), kT0);
  oms.create(MakeNew(2), kT0);
  EXPECT_FALSE(oms.has_capacity());
  EXPECT_THROW(oms.create(MakeNew(3), kT0), std::length_error);
  EXPECT_EQ(oms.size(), 2u);
  EXPECT_EQ(oms.find(3), nullptr);
}

TEST(OrderManagerStorageTest, ReplaceIsRefusedWhenNoCapacityIsLeftForThePlaceholder) {
  OrderManager oms(1, 1);
  oms.create(MakeNew(1), kT0);
  EXPECT_FALSE(oms.request_replace(MakeReplace(1, 2, "10.10", 100), kT0));
  EXPECT_EQ(oms.find(1)->state, OrderState::kPendingNew);
  EXPECT_EQ(oms.size(), 1u);
}

TEST(OrderManagerStorageTest, OutOfSequenceCreateThrowsLogicError) {
  OrderManager oms(10, 8);
  EXPECT_EQ(oms.first_id(), 10u);
  EXPECT_THROW(oms.create(MakeNew(11), kT0), std::logic_error);
  EXPECT_THROW(oms.create(MakeNew(9), kT0), std::logic_error);
  oms.create(MakeNew(10), kT0);
  EXPECT_THROW(oms.create(MakeNew(10), kT0), std::logic_error) << "an id is never reused";
  oms.create(MakeNew(11), kT0);
  EXPECT_EQ(oms.size(), 2u);
}

TEST(OrderManagerStorageTest, FirstIdZeroIsRejected) {
  EXPECT_THROW(OrderManager(kNoOrder, 8), std::invalid_argument);
}

TEST(OrderManagerStorageTest, FindReturnsNullForIdsOutsideTheSession) {
  OrderManager oms(5, 8);
  oms.create(MakeNew(5), kT0);
  EXPECT_NE(oms.find(5), nullptr);
  EXPECT_EQ(oms.find(4), nullptr);
  EXPECT_EQ(oms.find(6), nullptr);
  EXPECT_EQ(oms.find(kNoOrder), nullptr);
}

// The working totals are a table by account and instrument that grows as larger ids appear:
// what was counted before it grew is still there after, and the rest reads zero.
TEST(OrderManagerStorageTest, WorkingTotalsSurviveTheTableGrowing) {
  OrderManager oms(1, 8);
  auto order = [](OrderId id, AccountId account, InstrumentId instrument, Side side, int64_t qty) {
    NewOrder n = MakeNew(id, qty, "10.00", side);
    n.account = account;
    n.instrument = instrument;
    return n;
  };
  oms.create(order(1, 0, 0, Side::kBuy, 100), kT0);
  oms.create(order(2, 1, 2, Side::kSell, 200), kT0);
  oms.create(order(3, 4, 700, Side::kBuy, 300), kT0);  // more rows and columns
  oms.create(order(4, 1, 2, Side::kSell, 50), kT0);
  EXPECT_EQ(oms.working_quantity(0, 0, Side::kBuy), Qty(100));
  EXPECT_EQ(oms.working_quantity(1, 2, Side::kSell), Qty(250));
  EXPECT_EQ(oms.working_quantity(4, 700, Side::kBuy), Qty(300));
  EXPECT_EQ(oms.working_quantity(0, 0, Side::kSell), Quantity::zero());
  EXPECT_EQ(oms.working_quantity(1, 2, Side::kBuy), Quantity::zero());
  EXPECT_EQ(oms.working_quantity(4, 699, Side::kBuy), Quantity::zero());
  EXPECT_EQ(oms.working_quantity(9, 0, Side::kBuy), Quantity::zero());  // beyond the table
  EXPECT_EQ(oms.working_quantity(0, 100'000, Side::kBuy), Quantity::zero());
  ExecutionReport fill;
  fill.order_id = 2;
  fill.exec_id = 1;
  fill.exec_type = ExecType::kFill;
  fill.last_qty = Qty(200);
  fill.last_price = Px("10.00");
  oms.apply(fill, kT0);
  EXPECT_EQ(oms.working_quantity(1, 2, Side::kSell), Qty(50));
  ASSERT_TRUE(oms.request_cancel(4, kT0));
  ExecutionReport canceled;
  canceled.order_id = 4;
  canceled.exec_id = 2;
  canceled.exec_type = ExecType::kCanceled;
  oms.apply(canceled, kT0);
  EXPECT_EQ(oms.working_quantity(1, 2, Side::kSell), Quantity::zero());
  // Ids too large for the table (kNoInstrument here) are still counted.
  oms.create(order(5, 7, kNoInstrument, Side::kSell, 400), kT0);
  EXPECT_EQ(oms.working_quantity(7, kNoInstrument, Side::kSell), Qty(400));
  EXPECT_EQ(oms.working_quantity(7, kNoInstrument, Side::kBuy), Quantity::zero());
  EXPECT_EQ(oms.working_quantity(4, 700, Side::kBuy), Qty(300));
}

TEST(OrderStateTest, TerminalAndPendingChangeStatesAreClassified) {
  EXPECT_TRUE(is_terminal(OrderState::kFilled));
  EXPECT_TRUE(is_terminal(OrderState::kCanceled));
  EXPECT_TRUE(is_terminal(OrderState::kReplaced));
  EXPECT_TRUE(is_terminal(OrderState::kRejected));
  EXPECT_TRUE(is_terminal(OrderState::kExpired));
  EXPECT_FALSE(is_terminal(OrderState::kPendingNew));
  EXPECT_FALSE(is_terminal(OrderState::kNew));
  EXPECT_FALSE(is_terminal(OrderState::kPartiallyFilled));
  EXPECT_FALSE(is_terminal(OrderState::kPendingCancel));
  EXPECT_FALSE(is_terminal(OrderState::kPendingReplace));
  EXPECT_TRUE(is_pending_change(OrderState::kPendingCancel));
  EXPECT_TRUE(is_pending_change(OrderState::kPendingReplace));
  EXPECT_FALSE(is_pending_change(OrderState::kNew));
  EXPECT_EQ(to_string(OrderState::kPartiallyFilled), "partially_filled");
}

TEST(OrderTest, LeavesIsZeroForAnOrderNotInUseOrAlreadyFullyFilled) {
  Order o;
  o.quantity = Qty(100);
  EXPECT_EQ(o.leaves(), Quantity::zero()) << "not in use";
  o.in_use = true;
  o.state = OrderState::kNew;
  EXPECT_EQ(o.leaves(), Qty(100));
  o.filled = Qty(120);
  o.state = OrderState::kPartiallyFilled;
  EXPECT_EQ(o.leaves(), Quantity::zero()) << "overfilled but still open";
}

}  // namespace
}  // namespace guiju
