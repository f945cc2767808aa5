// The order adapter's mapping (adapters/fix/fix_order_mapping.hpp), in FIX 4.2 and 4.4: the D, F,
// G and H built from engine events carry the right tags and pass the project's dictionaries;
// execution reports and cancel rejects become the engine's reports with the right order ids
// (ClOrdID / OrigClOrdID chains), exec types, quantities and prices; a report about another
// system's order, or one missing what it needs, is named and never reaches the engine.

#include "adapters/fix/fix_order_mapping.hpp"

#include <gtest/gtest.h>

#include <string>

namespace guiju::fix {
namespace {

constexpr Timestamp kT = 1'764'300'000'000'000'000;  // 2025-11-28T03:20:00Z

InstrumentRegistry Registry() {
  InstrumentRegistry r;
  Instrument i;
  i.symbol = "600519";
  i.venue = "SSE";
  i.tick_size = *Price::parse("0.01");
  i.lot_size = Quantity::from_units(100);
  i.board = Board::kMain;
  i.currency = "CNY";
  i.previous_close = *Price::parse("1700.00");
  r.add(i);
  return r;
}

const ClOrdIdCodec kIds("GT20261127-");

ClientOrderId Cl(const char* text) {
  ClientOrderId c;
  c.assign(text);
  return c;
}

class FixOrderMappingTest : public ::testing::TestWithParam<std::string> {
 protected:
  void Validate(const FIX::Message& m) {
    const std::string file = std::string(GUIJU_FIX_DICTIONARY_DIR) +
                             (GetParam() == "FIX.4.2" ? "/FIX42.xml" : "/FIX44.xml");
    FIX::DataDictionary dictionary(file);
    FIX::Message parsed(m.toString(), dictionary, false);
    EXPECT_NO_THROW(FIX::DataDictionary::validate(parsed, &dictionary, &dictionary))
        << m.toString();
  }
  // An execution report as a venue would send it.
  FIX::Message Report(const char* exec_type, const char* ord_status, const char* cl_ord_id) {
    FIX::Message m;
    m.getHeader().setField(FIX::BeginString(GetParam()));
    m.getHeader().setField(FIX::MsgType("8"));
    m.setField(37, "V1");
    m.setField(17, std::string("E-") + exec_type + cl_ord_id);
    if (GetParam() == "FIX.4.2") m.setField(20, "0");
    m.setField(150, exec_type);
    m.setField(39, ord_status);
    m.setField(11, cl_ord_id);
    m.setField(55, "600519");
    m.setField(54, "1");
    m.setField(38, "300");
    m.setField(44, "1700.50");
    m.setField(151, "200");
    m.setField(14, "100");
    m.setField(6, "1700.50");
    return m;
  }
  const InstrumentRegistry registry_ = Registry();
  OrderTags tags_;
};

TEST_P(FixOrderMappingTest, OrderMessagesCarryTheTermsAndPassTheDictionary) {
  tags_.account_values = {"ACC-1"};
  tags_.custom = {{5001, "GUIJU"}};
  NewOrder n;
  n.header.event_time = kT;
  n.order_id = 42;
  n.side = Side::kSell;
  n.type = OrderType::kLimit;
  n.tif = TimeInForce::kIoc;
  n.price = *Price::parse("1700.5");
  n.quantity = Quantity::from_units(300);
  n.client_order_id = Cl("GT20261127-42");
  const FIX::Message d = new_order_single(GetParam(), n, registry_.get(0), tags_);
  EXPECT_EQ(d.getField(11), "GT20261127-42");
  EXPECT_EQ(d.getField(54), "2");
  EXPECT_EQ(d.getField(40), "2");
  EXPECT_EQ(d.getField(44), "1700.5");
  EXPECT_EQ(d.getField(38), "300");
  EXPECT_EQ(d.getField(59), "3");
  EXPECT_EQ(d.getField(60), "20251128-03:20:00.000");
  EXPECT_EQ(d.getField(1), "ACC-1");
  EXPECT_EQ(d.getField(5001), "GUIJU");
  EXPECT_EQ(d.isSetField(21), GetParam() == "FIX.4.2");
  tags_.custom.clear();  // the dictionaries do not know the venue's custom tag
  Validate(new_order_single(GetParam(), n, registry_.get(0), tags_));

  CancelOrder c;
  c.header.event_time = kT;
  c.order_id = 42;
  c.side = Side::kSell;
  c.client_order_id = n.client_order_id;
  const FIX::Message f =
      cancel_request(GetParam(), c, registry_.get(0), kIds.cancel_id(c.client_order_id, 7), tags_);
  EXPECT_EQ(f.getField(41), "GT20261127-42");
  EXPECT_EQ(f.getField(11), "GT20261127-42C7");
  Validate(f);

  ReplaceOrder r;
  r.header.event_time = kT;
  r.order_id = 42;
  r.new_order_id = 43;
  r.side = Side::kSell;
  r.new_price = *Price::parse("1701");
  r.new_quantity = Quantity::from_units(400);
  r.client_order_id = n.client_order_id;
  r.new_client_order_id = Cl("GT20261127-43");
  const FIX::Message g = cancel_replace_request(GetParam(), r, registry_.get(0), OrderType::kLimit,
                                                TimeInForce::kDay, tags_);
  EXPECT_EQ(g.getField(41), "GT20261127-42");
  EXPECT_EQ(g.getField(11), "GT20261127-43");
  EXPECT_EQ(g.getField(44), "1701");
  EXPECT_EQ(g.getField(38), "400");
  Validate(g);

  OrderStatusRequest q;
  q.order_id = 42;
  q.side = Side::kSell;
  q.client_order_id = n.client_order_id;
  const FIX::Message h = status_request(GetParam(), q, registry_.get(0));
  EXPECT_EQ(h.getField(11), "GT20261127-42");
  Validate(h);
}

TEST_P(FixOrderMappingTest, ReportsBecomeTheEnginesReports) {
  const Inbound ack = from_execution_report(Report("0", "0", "GT20261127-42"), kIds, registry_, kT);
  ASSERT_EQ(ack.kind, Inbound::Kind::kReport) << ack.why;
  EXPECT_EQ(ack.report.exec_type, ExecType::kAck);
  EXPECT_EQ(ack.report.order_id, 42u);
  EXPECT_EQ(ack.report.instrument, 0u);
  EXPECT_EQ(ack.report.order_price, *Price::parse("1700.5"));

  // A partial fill: 4.2 says ExecType 1, 4.4 says F with OrdStatus 1.
  FIX::Message part = Report(GetParam() == "FIX.4.2" ? "1" : "F", "1", "GT20261127-42");
  part.setField(31, "1700.50");
  part.setField(32, "100");
  const Inbound fill = from_execution_report(part, kIds, registry_, kT);
  ASSERT_EQ(fill.kind, Inbound::Kind::kReport) << fill.why;
  EXPECT_EQ(fill.report.exec_type, ExecType::kPartialFill);
  EXPECT_EQ(fill.report.last_qty, Quantity::from_units(100));
  EXPECT_EQ(fill.report.last_price, *Price::parse("1700.5"));
  EXPECT_EQ(fill.report.leaves_qty, Quantity::from_units(200));
  EXPECT_EQ(fill.report.exec_id, exec_id_of(part.getField(17)));

  // A cancel: the venue names the cancel request's id and the order's in OrigClOrdID.
  FIX::Message canceled = Report("4", "4", "GT20261127-42C7");
  canceled.setField(41, "GT20261127-42");
  EXPECT_EQ(from_execution_report(canceled, kIds, registry_, kT).report.order_id, 42u);

  FIX::Message replaced = Report("5", "0", "GT20261127-43");
  replaced.setField(41, "GT20261127-42");
  const Inbound rep = from_execution_report(replaced, kIds, registry_, kT);
  EXPECT_EQ(rep.report.exec_type, ExecType::kReplaced);
  EXPECT_EQ(rep.report.order_id, 43u);
  EXPECT_EQ(rep.report.orig_order_id, 42u);

  FIX::Message rejected = Report("8", "8", "GT20261127-44");
  rejected.setField(58, "price outside the daily limit");
  const Inbound rej = from_execution_report(rejected, kIds, registry_, kT);
  EXPECT_EQ(rej.report.exec_type, ExecType::kRejected);
  EXPECT_EQ(rej.report.reason.view(), "price outside the daily limit");

  FIX::Message pending = Report("6", "6", "GT20261127-42");
  EXPECT_EQ(from_execution_report(pending, kIds, registry_, kT).kind, Inbound::Kind::kIgnored);

  FIX::Message cxl_rej;
  cxl_rej.getHeader().setField(FIX::MsgType("9"));
  cxl_rej.setField(11, "GT20261127-43");
  cxl_rej.setField(41, "GT20261127-42");
  cxl_rej.setField(434, "2");
  cxl_rej.setField(58, "too late");
  const Inbound cr = from_cancel_reject(cxl_rej, kIds, registry_, kT);
  ASSERT_EQ(cr.kind, Inbound::Kind::kReport);
  EXPECT_EQ(cr.report.exec_type, ExecType::kCancelRejected);
  EXPECT_EQ(cr.report.order_id, 43u) << "a refused replace names the replacement";
  EXPECT_EQ(cr.report.orig_order_id, 42u);
}

TEST_P(FixOrderMappingTest, StatusAnswersCarryWhatTheVenueExecutedAndHowTheOrderEnded) {
  const bool v42 = GetParam() == "FIX.4.2";
  FIX::Message working = Report(v42 ? "1" : "I", "1", "GT20261127-42");
  if (v42) working.setField(20, "3");
  const Inbound w = from_execution_report(working, kIds, registry_, kT);
  ASSERT_EQ(w.kind, Inbound::Kind::kReport);
  EXPECT_EQ(w.report.exec_type, ExecType::kStatus);
  EXPECT_EQ(w.report.exec_id, 0u) << "an answer, not an execution";
  EXPECT_EQ(w.report.cum_qty, Quantity::from_units(100));
  EXPECT_EQ(w.report.last_price, *Price::parse("1700.50")) << "AvgPx";
  EXPECT_FALSE(w.then.has_value()) << "still working";

  FIX::Message gone = Report(v42 ? "4" : "I", "4", "GT20261127-42");
  if (v42) gone.setField(20, "3");
  const Inbound g = from_execution_report(gone, kIds, registry_, kT);
  EXPECT_EQ(g.report.exec_type, ExecType::kStatus) << "what it executed before it ended";
  ASSERT_TRUE(g.then.has_value());
  EXPECT_EQ(g.then->exec_type, ExecType::kCanceled);
  EXPECT_EQ(g.then->order_id, 42u);

  FIX::Message unknown = Report(v42 ? "8" : "I", "8", "GT20261127-42");
  if (v42) unknown.setField(20, "3");
  unknown.setField(14, "0");
  EXPECT_EQ(from_execution_report(unknown, kIds, registry_, kT).report.exec_type,
            ExecType::kRejected);

  FIX::Message no_average = Report(v42 ? "1" : "I", "1", "GT20261127-42");
  if (v42) no_average.setField(20, "3");
  no_average.removeField(6);
  const Inbound bad = from_execution_report(no_average, kIds, registry_, kT);
  EXPECT_EQ(bad.kind, Inbound::Kind::kMalformed);
  EXPECT_NE(bad.why.find("AvgPx"), std::string::npos);
}

TEST_P(FixOrderMappingTest, ForeignOrMalformedReportsAreNamed) {
  const Inbound other = from_execution_report(Report("0", "0", "XX-1"), kIds, registry_, kT);
  EXPECT_EQ(other.kind, Inbound::Kind::kUnknown);
  EXPECT_NE(other.why.find("XX-1"), std::string::npos);
  FIX::Message fill = Report(GetParam() == "FIX.4.2" ? "2" : "F", "2", "GT20261127-42");
  const Inbound no_qty = from_execution_report(fill, kIds, registry_, kT);
  EXPECT_EQ(no_qty.kind, Inbound::Kind::kMalformed);
  EXPECT_NE(no_qty.why.find("LastQty"), std::string::npos);
  fill.setField(31, "abc");
  fill.setField(32, "100");
  EXPECT_EQ(from_execution_report(fill, kIds, registry_, kT).kind, Inbound::Kind::kMalformed);
  FIX::Message symbol = Report("0", "0", "GT20261127-42");
  symbol.setField(55, "999999");
  EXPECT_EQ(from_execution_report(symbol, kIds, registry_, kT).kind, Inbound::Kind::kUnknown);
}

TEST(ClOrdIdCodec, DecodesOnlyThisEnginesIds) {
  EXPECT_EQ(kIds.decode("GT20261127-42"), 42u);
  EXPECT_EQ(kIds.decode("GT20261127-42C3"), 42u);
  EXPECT_EQ(kIds.decode("GT20261126-42"), kNoOrder) << "another trading date";
  EXPECT_EQ(kIds.decode("GT20261127-"), kNoOrder);
  EXPECT_EQ(kIds.decode("GT20261127-4x2"), kNoOrder);
  EXPECT_EQ(kIds.decode(""), kNoOrder);
}

INSTANTIATE_TEST_SUITE_P(Versions, FixOrderMappingTest,
                         ::testing::Values(std::string("FIX.4.2"), std::string("FIX.4.4")),
                         [](const ::testing::TestParamInfo<std::string>& p) {
                           return p.param == "FIX.4.2" ? std::string("Fix42")
                                                       : std::string("Fix44");
                         });

}  // namespace
}  // namespace guiju::fix
