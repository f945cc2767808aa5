// `guiju venue` against a FIX engine that is not QuickFIX: the raw engine of
// tests/support/raw_fix.hpp, written from the specification, logs on as member firms in FIX 4.2
// and 4.4, trades, cancels, and leaves a sequence gap for the venue to ask about. Every frame
// the venue sends is checked by that engine's own decoder (BodyLength, CheckSum, sequence).
// Each test starts the venue itself and ends it by its pid.
//
// The background market is held still: paper.speed 0.01, the config's lowest, runs it at a
// hundredth of real time (with the shipped seed its book first changes some 16 s after the start,
// and a test takes about one), so the book a test reads at the start is the book it trades
// against, and every fill is one the test arranged.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "tests/support/raw_fix.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/venue_process.hpp"

namespace guiju::test {
namespace {

using raw_fix::Message;
using raw_fix::Millis;
using raw_fix::Session;

constexpr Millis kWait{5000};
constexpr const char* kInstrument = "600519";

using namespace raw_fix::app_tag;  // NOLINT(google-build-using-namespace)

bool is_fix42(const Session& s) {
  return s.ids().begin_string == "FIX.4.2";
}

// A limit day order as each version's NewOrderSingle requires it: 4.2 with HandlInst(21)
// (required there; 1 = automated, no broker intervention), 4.4 without (optional there).
Message NewOrderSingle(const Session& s, const std::string& cl_ord_id, char side, int qty,
                       const std::string& price) {
  Message d("D");
  d.add(kClOrdId, cl_ord_id);
  if (is_fix42(s)) d.add(kHandlInst, "1");
  d.add(kSymbol, kInstrument)
      .add(kSide, std::string(1, side))
      .add(kTransactTime, raw_fix::utc_now())
      .add(kOrderQty, std::to_string(qty))
      .add(kOrdType, "2")
      .add(kPrice, price)
      .add(kTimeInForce, "0");
  return d;
}

Message OrderCancelRequest(const std::string& orig, const std::string& cl_ord_id, char side,
                           int qty) {
  Message f("F");
  f.add(kOrigClOrdId, orig)
      .add(kClOrdId, cl_ord_id)
      .add(kSymbol, kInstrument)
      .add(kSide, std::string(1, side))
      .add(kTransactTime, raw_fix::utc_now())
      .add(kOrderQty, std::to_string(qty));
  return f;
}

// A snapshot request for the top of the book: bids and offers, one symbol.
Message MarketDataRequest(const std::string& id) {
  Message v("V");
  v.add(kMdReqId, id)
      .add(kSubscriptionRequestType, "0")
      .add(kMarketDepth, "1")
      .add(kNoMdEntryTypes, "2")
      .add(kMdEntryType, "0")
      .add(kMdEntryType, "1")
      .add(kNoRelatedSym, "1")
      .add(kSymbol, kInstrument);
  return v;
}

int64_t Cents(const std::string& price) {
  return std::llround(std::stod(price) * 100);
}

std::string PriceText(int64_t cents) {
  return std::to_string(cents / 100) + "." + (cents % 100 < 10 ? "0" : "") +
         std::to_string(cents % 100);
}

// A price both members can trade at without the background taking part: strictly inside the
// background's spread, or the previous close when the background has no book yet (the price
// cage then has only the previous close to go by). Empty when neither holds.
std::string CrossingPrice(Session& s) {
  s.send(MarketDataRequest("book"));
  const auto w = s.wait_for_type("W", kWait);
  if (!w) return "";
  int64_t bid = 0;
  int64_t ask = 0;
  int type = -1;
  for (const raw_fix::Field& f : w->fields()) {
    if (f.tag == kMdEntryType) type = f.value == "0" ? 0 : f.value == "1" ? 1 : -1;
    if (f.tag == kMdEntryPx && type == 0) bid = std::max(bid, Cents(f.value));
    if (f.tag == kMdEntryPx && type == 1)
      ask = ask == 0 ? Cents(f.value) : std::min(ask, Cents(f.value));
  }
  if (bid == 0 && ask == 0) return "1700.00";
  if (bid > 0 && ask - bid >= 2) return PriceText(bid + (ask - bid) / 2);
  return "";
}

Session::Match Report(const std::string& cl_ord_id, const std::string& exec_type) {
  return [=](const Message& m) {
    return m.type() == "8" && m.get(kClOrdId) == cl_ord_id && m.get(kExecType) == exec_type;
  };
}

class VenueInteropTest : public ::testing::Test {
 protected:
  void StartVenue() {
    VenueProcessOptions options;
    options.speed = 0.01;
    venue_ = std::make_unique<VenueProcess>(dir_, options);
    ASSERT_TRUE(venue_->WaitListening()) << venue_->output();
  }
  // A raw member logged on with `sender` (one of the venue's sessions).
  std::unique_ptr<Session> LogOn(const std::string& begin_string, const std::string& sender) {
    auto s = std::make_unique<Session>(raw_fix::SessionIds{begin_string, sender, "GUIJU-VENUE"},
                                       raw_fix::Connection::connect(venue_->port(), kWait));
    EXPECT_TRUE(s->logon(kWait)) << sender << "\n" << venue_->output();
    return s;
  }
  void TearDown() override {
    if (venue_) {
      EXPECT_EQ(venue_->Terminate(), 0) << venue_->output();
    }
  }
  static std::string Errors(const Session& s) {
    std::string out;
    for (const std::string& e : s.errors()) out += e + "\n";
    return out;
  }

  TempDir dir_{"guiju-venue-interop"};
  std::unique_ptr<VenueProcess> venue_;
};

// The trader's version, and its counterparty in the other one.
struct Versions {
  const char* trader_begin;
  const char* trader;
  const char* other_begin;
  const char* other;
};

// Names the parameter in test listings (CTest shows it), instead of its bytes.
void PrintTo(const Versions& v, std::ostream* os) {
  *os << v.trader << " (" << v.trader_begin << ") with " << v.other << " (" << v.other_begin << ")";
}

class VenueInteropVersions : public VenueInteropTest,
                             public ::testing::WithParamInterface<Versions> {};

TEST_P(VenueInteropVersions, OrderIsAcceptedFilledAgainstAnotherMemberAndCanceled) {
  ASSERT_NO_FATAL_FAILURE(StartVenue());
  const Versions v = GetParam();
  auto trader = LogOn(v.trader_begin, v.trader);
  auto other = LogOn(v.other_begin, v.other);
  ASSERT_TRUE(trader->logged_on() && other->logged_on());
  const std::string price = CrossingPrice(*trader);
  ASSERT_FALSE(price.empty()) << "the background book leaves no price to trade at";

  // A buy of 300 rests: ExecutionReport New.
  trader->send(NewOrderSingle(*trader, "T-1", '1', 300, price));
  const auto ack = trader->wait_for(Report("T-1", "0"), kWait);
  ASSERT_TRUE(ack) << venue_->output();
  EXPECT_EQ(ack->get(kOrdStatus), "0");
  EXPECT_FALSE(ack->get(kOrderId).empty());
  EXPECT_FALSE(ack->get(kExecId).empty());
  EXPECT_EQ(ack->get(kLeavesQty), "300");
  EXPECT_EQ(ack->get(kExecTransType), is_fix42(*trader) ? "0" : "") << "4.2 only";

  // The other member sells 100 at the same price: both are filled, at the resting price. A fill
  // is ExecType 1 (partial) or 2 (fill) in 4.2, F (trade) in 4.4; OrdStatus says which.
  other->send(NewOrderSingle(*other, "C-1", '2', 100, price));
  const char* other_fill = is_fix42(*other) ? "2" : "F";
  const auto sold = other->wait_for(Report("C-1", other_fill), kWait);
  ASSERT_TRUE(sold) << venue_->output();
  EXPECT_EQ(sold->get(kOrdStatus), "2");
  EXPECT_EQ(sold->get(kLastQty), "100");
  EXPECT_EQ(Cents(sold->get(kLastPx)), Cents(price));
  const char* trader_fill = is_fix42(*trader) ? "1" : "F";
  const auto bought = trader->wait_for(Report("T-1", trader_fill), kWait);
  ASSERT_TRUE(bought) << venue_->output();
  EXPECT_EQ(bought->get(kOrdStatus), "1");
  EXPECT_EQ(bought->get(kLastQty), "100");
  EXPECT_EQ(Cents(bought->get(kLastPx)), Cents(price));
  EXPECT_EQ(bought->get(kCumQty), "100");
  EXPECT_EQ(bought->get(kLeavesQty), "200");
  EXPECT_EQ(Cents(bought->get(kAvgPx)), Cents(price));
  EXPECT_EQ(bought->get(kOrderId), ack->get(kOrderId));
  EXPECT_NE(bought->get(kExecId), ack->get(kExecId));

  // Cancel the rest: ExecutionReport Canceled under the cancel's ClOrdID, naming the order's.
  trader->send(OrderCancelRequest("T-1", "T-2", '1', 300));
  const auto canceled = trader->wait_for(Report("T-2", "4"), kWait);
  ASSERT_TRUE(canceled) << venue_->output();
  EXPECT_EQ(canceled->get(kOrigClOrdId), "T-1");
  EXPECT_EQ(canceled->get(kOrdStatus), "4");
  EXPECT_EQ(canceled->get(kLeavesQty), "0");
  EXPECT_EQ(canceled->get(kCumQty), "100");

  // Every frame the venue sent passed the raw engine's checks, in sequence, and nothing the
  // raw engine sent was refused.
  for (Session* s : {trader.get(), other.get()}) {
    EXPECT_TRUE(s->errors().empty()) << Errors(*s);
    for (const Message& m : s->received()) {
      EXPECT_NE(m.type(), "3") << m.to_string();
      EXPECT_NE(m.type(), "j") << m.to_string();
    }
    EXPECT_TRUE(s->logout(kWait));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Fix42AndFix44, VenueInteropVersions,
    ::testing::Values(Versions{"FIX.4.2", "GUIJU-ORD42", "FIX.4.4", "GUIJU-ORD2"},
                      Versions{"FIX.4.4", "GUIJU-ORD", "FIX.4.2", "GUIJU-ORD42"}),
    [](const ::testing::TestParamInfo<Versions>& p) {
      return std::string(p.param.trader_begin) == "FIX.4.2" ? "Fix42Trader" : "Fix44Trader";
    });

TEST_F(VenueInteropTest, ASkippedSequenceNumberIsAskedForAndAGapFillLetsTradingGoOn) {
  ASSERT_NO_FATAL_FAILURE(StartVenue());
  auto member = LogOn("FIX.4.4", "GUIJU-ORD");
  ASSERT_TRUE(member->logged_on());
  const std::string price = CrossingPrice(*member);
  ASSERT_FALSE(price.empty());

  // The order goes out one number too high: number `missing` was never sent.
  const int missing = member->next_outgoing();
  member->skip(1);
  const int order_seq = member->send(NewOrderSingle(*member, "G-1", '1', 100, price));
  ASSERT_EQ(order_seq, missing + 1);

  // The venue holds the order and asks for everything from the missing number on (EndSeqNo 0:
  // "all that follow", FIX 4.2 and later).
  const auto resend = member->wait_for_type("2", kWait);
  ASSERT_TRUE(resend) << venue_->output();
  EXPECT_EQ(resend->get(raw_fix::tag::kBeginSeqNo), std::to_string(missing));
  EXPECT_EQ(resend->get(raw_fix::tag::kEndSeqNo), "0");
  // The raw engine has answered it on arrival, as a conforming engine does: a
  // SequenceReset-GapFill over the number it never used (nothing to resend there), then the order
  // again with PossDupFlag=Y. The venue then takes the held order; the resent copy is a
  // duplicate it drops, so the order is accepted exactly once.
  const auto ack = member->wait_for(Report("G-1", "0"), kWait);
  ASSERT_TRUE(ack) << venue_->output();
  member->pump(Millis(300));
  for (const Message& m : member->received()) {
    if (m.type() == "8" && m.get(kClOrdId) == "G-1") {
      EXPECT_EQ(m.get(kExecId), ack->get(kExecId)) << "a second report: " << m.to_string();
    }
    EXPECT_NE(m.type(), "3") << m.to_string();
    EXPECT_NE(m.type(), "5") << m.to_string();
  }

  // The session carries on in sequence: the next order is accepted.
  member->send(NewOrderSingle(*member, "G-2", '1', 100, price));
  EXPECT_TRUE(member->wait_for(Report("G-2", "0"), kWait)) << venue_->output();
  EXPECT_TRUE(member->errors().empty()) << Errors(*member);
  EXPECT_TRUE(member->logout(kWait));
}

}  // namespace
}  // namespace guiju::test
