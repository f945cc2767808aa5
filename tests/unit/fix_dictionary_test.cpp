// The FIX data dictionaries Guiju ships (configs/fix/FIX42.xml, FIX44.xml): QuickFIX loads both;
// every message type each declares, built with QuickFIX's own FIX42::/FIX44:: classes with its
// required fields (and required repeating groups) set, goes through its wire form and validates;
// a message missing a required field or group, one with a value the dictionary does not list, one
// with a field the version does not define or the message does not carry, and a message type not
// declared are each refused with QuickFIX's exception for it; the fields the two versions treat
// differently (ExecTransType, ExecType, OrdStatus, a snapshot entry's MDEntryPx) follow each
// version's own specification; and what QuickFIX leaves unchecked inside repeating groups is
// pinned down.

#include "adapters/fix/quickfix.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace guiju {
namespace {

std::string DictionaryPath(const std::string& file) {
  return std::string(GUIJU_FIX_DICTIONARY_DIR) + "/" + file;
}

// The msgtype of every <message> a dictionary file declares, read from the XML text itself so that
// a message added to the file without a builder below fails the coverage test.
std::set<std::string> DeclaredMessageTypes(const std::string& file) {
  std::ifstream in(DictionaryPath(file));
  std::stringstream text;
  text << in.rdbuf();
  const std::string xml = text.str();
  const std::regex message(R"re(<message\s[^>]*msgtype="([^"]+)")re");
  std::set<std::string> types;
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), message);
       it != std::sregex_iterator(); ++it) {
    types.insert((*it)[1].str());
  }
  return types;
}

// A fixed time, so that every run builds the same bytes: 2026-11-27 01:30:00 UTC.
FIX::UtcTimeStamp At() {
  return {1, 30, 0, 27, 11, 2026};  // hour, minute, second, day, month, year
}

// What a session adds before sending: the header fields the dictionaries require.
void Stamp(FIX::Message& m) {
  FIX::Header& h = m.getHeader();
  h.setField(FIX::SenderCompID("GUIJU"));
  h.setField(FIX::TargetCompID("VENUE"));
  h.setField(FIX::MsgSeqNum(2));
  h.setField(FIX::SendingTime(At()));
}

// Serialises `m` (BodyLength and CheckSum filled in), parses the bytes back with the dictionary, as
// a session does on receipt, and validates the result.
void SendAndValidate(FIX::Message m, const FIX::DataDictionary& dd) {
  Stamp(m);
  const std::string wire = m.toString();
  const FIX::Message received(wire, dd, true);
  dd.validate(received);
}

using Builder = std::function<FIX::Message()>;

// ---------------------------------------------------------------------------------------------
// FIX 4.2

FIX42::NewOrderSingle Order42() {
  FIX42::NewOrderSingle m(FIX::ClOrdID("G-1"), FIX::HandlInst('1'), FIX::Symbol("600519"),
                          FIX::Side(FIX::Side_BUY), FIX::TransactTime(At()),
                          FIX::OrdType(FIX::OrdType_LIMIT));
  m.set(FIX::Account("demo"));
  m.set(FIX::OrderQty(100));
  m.set(FIX::Price(1700.5));
  m.set(FIX::TimeInForce(FIX::TimeInForce_DAY));
  return m;
}

FIX42::ExecutionReport Fill42() {
  FIX42::ExecutionReport m(
      FIX::OrderID("V-1"), FIX::ExecID("E-1"), FIX::ExecTransType(FIX::ExecTransType_NEW),
      FIX::ExecType(FIX::ExecType_PARTIAL_FILL), FIX::OrdStatus(FIX::OrdStatus_PARTIALLY_FILLED),
      FIX::Symbol("600519"), FIX::Side(FIX::Side_BUY), FIX::LeavesQty(60), FIX::CumQty(40),
      FIX::AvgPx(1700.5));
  m.set(FIX::ClOrdID("G-1"));
  m.set(FIX::LastShares(40));
  m.set(FIX::LastPx(1700.5));
  m.set(FIX::TransactTime(At()));
  return m;
}

FIX42::MarketDataSnapshotFullRefresh Snapshot42() {
  FIX42::MarketDataSnapshotFullRefresh m(FIX::Symbol("600519"));
  m.set(FIX::MDReqID("MD-1"));
  FIX42::MarketDataSnapshotFullRefresh::NoMDEntries bid;
  bid.set(FIX::MDEntryType(FIX::MDEntryType_BID));
  bid.set(FIX::MDEntryPx(1700.0));
  bid.set(FIX::MDEntrySize(300));
  m.addGroup(bid);
  FIX42::MarketDataSnapshotFullRefresh::NoMDEntries offer;
  offer.set(FIX::MDEntryType(FIX::MDEntryType_OFFER));
  offer.set(FIX::MDEntryPx(1700.5));
  offer.set(FIX::MDEntrySize(200));
  m.addGroup(offer);
  return m;
}

std::map<std::string, Builder> Builders42() {
  std::map<std::string, Builder> b;
  b["0"] = [] { return FIX42::Heartbeat(); };
  b["1"] = [] { return FIX42::TestRequest(FIX::TestReqID("T-1")); };
  b["2"] = [] { return FIX42::ResendRequest(FIX::BeginSeqNo(1), FIX::EndSeqNo(0)); };
  b["3"] = [] {
    FIX42::Reject m(FIX::RefSeqNum(7));
    m.set(FIX::RefTagID(54));
    m.set(FIX::RefMsgType("D"));
    m.set(FIX::SessionRejectReason(FIX::SessionRejectReason_VALUE_IS_INCORRECT));
    m.set(FIX::Text("Side"));
    return m;
  };
  b["4"] = [] {
    FIX42::SequenceReset m(FIX::NewSeqNo(10));
    m.set(FIX::GapFillFlag(true));
    return m;
  };
  b["5"] = [] {
    FIX42::Logout m;
    m.set(FIX::Text("end of day"));
    return m;
  };
  b["A"] = [] {
    FIX42::Logon m(FIX::EncryptMethod(0), FIX::HeartBtInt(30));
    m.set(FIX::ResetSeqNumFlag(true));
    return m;
  };
  b["D"] = [] { return Order42(); };
  b["F"] = [] {
    FIX42::OrderCancelRequest m(FIX::OrigClOrdID("G-1"), FIX::ClOrdID("G-2"), FIX::Symbol("600519"),
                                FIX::Side(FIX::Side_BUY), FIX::TransactTime(At()));
    m.set(FIX::OrderQty(100));
    return m;
  };
  b["G"] = [] {
    FIX42::OrderCancelReplaceRequest m(
        FIX::OrigClOrdID("G-1"), FIX::ClOrdID("G-3"), FIX::HandlInst('1'), FIX::Symbol("600519"),
        FIX::Side(FIX::Side_BUY), FIX::TransactTime(At()), FIX::OrdType(FIX::OrdType_LIMIT));
    m.set(FIX::OrderQty(200));
    m.set(FIX::Price(1699.5));
    return m;
  };
  b["H"] = [] {
    return FIX42::OrderStatusRequest(FIX::ClOrdID("G-1"), FIX::Symbol("600519"),
                                     FIX::Side(FIX::Side_BUY));
  };
  b["8"] = [] { return Fill42(); };
  b["9"] = [] {
    FIX42::OrderCancelReject m(FIX::OrderID("V-1"), FIX::ClOrdID("G-2"), FIX::OrigClOrdID("G-1"),
                               FIX::OrdStatus(FIX::OrdStatus_FILLED),
                               FIX::CxlRejResponseTo(FIX::CxlRejResponseTo_ORDER_CANCEL_REQUEST));
    m.set(FIX::CxlRejReason(0));
    return m;
  };
  b["j"] = [] {
    FIX42::BusinessMessageReject m(
        FIX::RefMsgType("D"),
        FIX::BusinessRejectReason(FIX::BusinessRejectReason_UNKNOWN_SECURITY));
    m.set(FIX::RefSeqNum(3));
    return m;
  };
  b["V"] = [] {
    FIX42::MarketDataRequest m(
        FIX::MDReqID("MD-1"),
        FIX::SubscriptionRequestType(FIX::SubscriptionRequestType_SNAPSHOT_PLUS_UPDATES),
        FIX::MarketDepth(5));
    m.set(FIX::MDUpdateType(1));
    for (char type : {FIX::MDEntryType_BID, FIX::MDEntryType_OFFER, FIX::MDEntryType_TRADE}) {
      FIX42::MarketDataRequest::NoMDEntryTypes entry;
      entry.set(FIX::MDEntryType(type));
      m.addGroup(entry);
    }
    FIX42::MarketDataRequest::NoRelatedSym sym;
    sym.set(FIX::Symbol("600519"));
    sym.set(FIX::SecurityExchange("XSHG"));
    m.addGroup(sym);
    return m;
  };
  b["W"] = [] { return Snapshot42(); };
  b["X"] = [] {
    FIX42::MarketDataIncrementalRefresh m;
    FIX42::MarketDataIncrementalRefresh::NoMDEntries entry;
    entry.set(FIX::MDUpdateAction(FIX::MDUpdateAction_CHANGE));
    entry.set(FIX::MDEntryType(FIX::MDEntryType_BID));
    entry.set(FIX::Symbol("600519"));
    entry.set(FIX::MDEntryPx(1700.0));
    entry.set(FIX::MDEntrySize(500));
    m.addGroup(entry);
    return m;
  };
  b["Y"] = [] {
    FIX42::MarketDataRequestReject m(FIX::MDReqID("MD-1"));
    m.set(FIX::MDReqRejReason(FIX::MDReqRejReason_UNKNOWN_SYMBOL));
    return m;
  };
  return b;
}

// ---------------------------------------------------------------------------------------------
// FIX 4.4: the instrument and the quantity are components, and their fields are not required.

FIX44::NewOrderSingle Order44() {
  FIX44::NewOrderSingle m(FIX::ClOrdID("G-1"), FIX::Side(FIX::Side_BUY), FIX::TransactTime(At()),
                          FIX::OrdType(FIX::OrdType_LIMIT));
  m.set(FIX::Account("demo"));
  m.set(FIX::Symbol("600519"));
  m.set(FIX::SecurityID("CNE0000018R8"));
  m.set(FIX::SecurityIDSource(FIX::SecurityIDSource_ISIN_NUMBER));
  m.set(FIX::OrderQty(100));
  m.set(FIX::Price(1700.5));
  m.set(FIX::TimeInForce(FIX::TimeInForce_DAY));
  return m;
}

FIX44::ExecutionReport Fill44() {
  FIX44::ExecutionReport m(
      FIX::OrderID("V-1"), FIX::ExecID("E-1"), FIX::ExecType(FIX::ExecType_TRADE),
      FIX::OrdStatus(FIX::OrdStatus_PARTIALLY_FILLED), FIX::Side(FIX::Side_BUY), FIX::LeavesQty(60),
      FIX::CumQty(40), FIX::AvgPx(1700.5));
  m.set(FIX::ClOrdID("G-1"));
  m.set(FIX::Symbol("600519"));
  m.set(FIX::LastQty(40));
  m.set(FIX::LastPx(1700.5));
  m.set(FIX::TransactTime(At()));
  return m;
}

std::map<std::string, Builder> Builders44() {
  std::map<std::string, Builder> b;
  b["0"] = [] {
    FIX44::Heartbeat m;
    m.set(FIX::TestReqID("T-1"));
    return m;
  };
  b["1"] = [] { return FIX44::TestRequest(FIX::TestReqID("T-1")); };
  b["2"] = [] { return FIX44::ResendRequest(FIX::BeginSeqNo(1), FIX::EndSeqNo(0)); };
  b["3"] = [] {
    FIX44::Reject m(FIX::RefSeqNum(7));
    m.set(FIX::RefTagID(54));
    m.set(FIX::RefMsgType("D"));
    m.set(FIX::SessionRejectReason(FIX::SessionRejectReason_VALUE_IS_INCORRECT));
    return m;
  };
  b["4"] = [] {
    FIX44::SequenceReset m(FIX::NewSeqNo(10));
    m.set(FIX::GapFillFlag(true));
    return m;
  };
  b["5"] = [] { return FIX44::Logout(); };
  b["A"] = [] {
    FIX44::Logon m(FIX::EncryptMethod(0), FIX::HeartBtInt(30));
    m.set(FIX::ResetSeqNumFlag(true));
    m.set(FIX::Username("guiju"));
    m.set(FIX::Password("secret"));
    return m;
  };
  b["D"] = [] { return Order44(); };
  b["F"] = [] {
    FIX44::OrderCancelRequest m(FIX::OrigClOrdID("G-1"), FIX::ClOrdID("G-2"),
                                FIX::Side(FIX::Side_BUY), FIX::TransactTime(At()));
    m.set(FIX::Symbol("600519"));
    m.set(FIX::OrderQty(100));
    return m;
  };
  b["G"] = [] {
    FIX44::OrderCancelReplaceRequest m(FIX::OrigClOrdID("G-1"), FIX::ClOrdID("G-3"),
                                       FIX::Side(FIX::Side_BUY), FIX::TransactTime(At()),
                                       FIX::OrdType(FIX::OrdType_LIMIT));
    m.set(FIX::Symbol("600519"));
    m.set(FIX::OrderQty(200));
    m.set(FIX::Price(1699.5));
    return m;
  };
  b["H"] = [] {
    FIX44::OrderStatusRequest m(FIX::ClOrdID("G-1"), FIX::Side(FIX::Side_BUY));
    m.set(FIX::Symbol("600519"));
    return m;
  };
  b["8"] = [] { return Fill44(); };
  b["9"] = [] {
    return FIX44::OrderCancelReject(
        FIX::OrderID("V-1"), FIX::ClOrdID("G-2"), FIX::OrigClOrdID("G-1"),
        FIX::OrdStatus(FIX::OrdStatus_FILLED),
        FIX::CxlRejResponseTo(FIX::CxlRejResponseTo_ORDER_CANCEL_REPLACE_REQUEST));
  };
  b["j"] = [] {
    return FIX44::BusinessMessageReject(
        FIX::RefMsgType("V"),
        FIX::BusinessRejectReason(FIX::BusinessRejectReason_UNSUPPORTED_MESSAGE_TYPE));
  };
  b["V"] = [] {
    FIX44::MarketDataRequest m(FIX::MDReqID("MD-1"),
                               FIX::SubscriptionRequestType(FIX::SubscriptionRequestType_SNAPSHOT),
                               FIX::MarketDepth(0));
    for (char type : {FIX::MDEntryType_BID, FIX::MDEntryType_OFFER}) {
      FIX44::MarketDataRequest::NoMDEntryTypes entry;
      entry.set(FIX::MDEntryType(type));
      m.addGroup(entry);
    }
    FIX44::MarketDataRequest::NoRelatedSym sym;
    sym.set(FIX::Symbol("600519"));
    sym.set(FIX::SecurityID("600519"));
    sym.set(FIX::SecurityIDSource(FIX::SecurityIDSource_EXCHANGE_SYMBOL));
    sym.set(FIX::SecurityExchange("XSHG"));
    m.addGroup(sym);
    return m;
  };
  b["W"] = [] {
    FIX44::MarketDataSnapshotFullRefresh m;
    m.set(FIX::Symbol("600519"));
    FIX44::MarketDataSnapshotFullRefresh::NoMDEntries bid;
    bid.set(FIX::MDEntryType(FIX::MDEntryType_BID));
    bid.set(FIX::MDEntryPx(1700.0));
    bid.set(FIX::MDEntrySize(300));
    m.addGroup(bid);
    return m;
  };
  b["X"] = [] {
    FIX44::MarketDataIncrementalRefresh m;
    m.set(FIX::MDReqID("MD-1"));
    FIX44::MarketDataIncrementalRefresh::NoMDEntries entry;
    entry.set(FIX::MDUpdateAction(FIX::MDUpdateAction_DELETE));
    entry.set(FIX::MDEntryType(FIX::MDEntryType_OFFER));
    entry.set(FIX::Symbol("600519"));
    entry.set(FIX::MDEntryPx(1700.5));
    m.addGroup(entry);
    return m;
  };
  b["Y"] = [] {
    FIX44::MarketDataRequestReject m(FIX::MDReqID("MD-1"));
    m.set(FIX::MDReqRejReason(FIX::MDReqRejReason_INSUFFICIENT_PERMISSIONS));
    return m;
  };
  return b;
}

// ---------------------------------------------------------------------------------------------

struct Version {
  const char* file;
  const char* begin_string;
  std::map<std::string, Builder> (*builders)();
};

class FixDictionaryTest : public ::testing::TestWithParam<Version> {};

TEST_P(FixDictionaryTest, LoadsWithItsVersion) {
  const FIX::DataDictionary dd(DictionaryPath(GetParam().file));
  EXPECT_EQ(dd.getVersion(), GetParam().begin_string);
}

TEST_P(FixDictionaryTest, EveryDeclaredMessageTypeValidatesWithItsRequiredFields) {
  const FIX::DataDictionary dd(DictionaryPath(GetParam().file));
  const std::map<std::string, Builder> builders = GetParam().builders();

  std::set<std::string> built;
  for (const auto& entry : builders) built.insert(entry.first);
  EXPECT_EQ(DeclaredMessageTypes(GetParam().file), built)
      << "a message type the dictionary declares has no builder here, or the other way round";

  for (const auto& [type, build] : builders) {
    SCOPED_TRACE("MsgType " + type);
    EXPECT_TRUE(dd.isMsgType(type));
    const FIX::Message m = build();
    EXPECT_EQ(m.getHeader().getField(FIX::FIELD::BeginString), GetParam().begin_string);
    EXPECT_NO_THROW(SendAndValidate(m, dd));
  }
}

// The checks below expect one exception and the tag it names.
template <typename E>
void ExpectRefused(const FIX::Message& m, const FIX::DataDictionary& dd, int tag) {
  try {
    SendAndValidate(m, dd);
    ADD_FAILURE() << "accepted; expected a refusal naming tag " << tag;
  } catch (const E& e) {
    EXPECT_EQ(e.field, tag) << e.what();
  } catch (const FIX::Exception& e) {
    ADD_FAILURE() << "refused for another reason: " << e.what();
  }
}

TEST_P(FixDictionaryTest, AnOrderWithoutSideIsMissingARequiredTag) {
  const FIX::DataDictionary dd(DictionaryPath(GetParam().file));
  FIX::Message order = GetParam().builders().at("D")();
  order.removeField(FIX::FIELD::Side);
  ExpectRefused<FIX::RequiredTagMissing>(order, dd, FIX::FIELD::Side);
}

TEST_P(FixDictionaryTest, AnOrderWithSideZHasAnIncorrectValue) {
  const FIX::DataDictionary dd(DictionaryPath(GetParam().file));
  FIX::Message order = GetParam().builders().at("D")();
  order.setField(FIX::Side('Z'));
  ExpectRefused<FIX::IncorrectTagValue>(order, dd, FIX::FIELD::Side);
}

TEST_P(FixDictionaryTest, AMarketDataRequestWithoutSymbolsIsMissingItsRequiredGroup) {
  const FIX::DataDictionary dd(DictionaryPath(GetParam().file));
  FIX::Message request = GetParam().builders().at("V")();
  request.removeGroup(FIX::Group(FIX::FIELD::NoRelatedSym, FIX::FIELD::Symbol));
  request.removeField(FIX::FIELD::NoRelatedSym);
  ExpectRefused<FIX::RequiredTagMissing>(request, dd, FIX::FIELD::NoRelatedSym);
}

TEST_P(FixDictionaryTest, AFieldOfAnotherMessageIsNotDefinedForAnOrder) {
  const FIX::DataDictionary dd(DictionaryPath(GetParam().file));
  FIX::Message order = GetParam().builders().at("D")();
  order.setField(FIX::MDReqID("MD-1"));
  ExpectRefused<FIX::TagNotDefinedForMessage>(order, dd, FIX::FIELD::MDReqID);
}

TEST_P(FixDictionaryTest, AMessageTypeItDoesNotDeclareIsRefused) {
  const FIX::DataDictionary dd(DictionaryPath(GetParam().file));
  EXPECT_FALSE(dd.isMsgType("E"));  // NewOrderList: standard, but not one Guiju uses
  FIX::Message list;
  list.getHeader().setField(FIX::BeginString(GetParam().begin_string));
  list.getHeader().setField(FIX::MsgType("E"));
  EXPECT_THROW(SendAndValidate(list, dd), FIX::InvalidMessageType);
}

std::string VersionName(const ::testing::TestParamInfo<Version>& param) {
  return std::string(param.param.file).substr(0, 5);  // "FIX42", "FIX44"
}

INSTANTIATE_TEST_SUITE_P(Versions, FixDictionaryTest,
                         ::testing::Values(Version{"FIX42.xml", "FIX.4.2", &Builders42},
                                           Version{"FIX44.xml", "FIX.4.4", &Builders44}),
                         VersionName);

// ---------------------------------------------------------------------------------------------
// Where FIX 4.2 and 4.4 differ, each dictionary follows its own version.

TEST(FixDictionaryVersions, ExecTransTypeIsRequiredIn42AndUndefinedIn44) {
  const FIX::DataDictionary fix42(DictionaryPath("FIX42.xml"));
  const FIX::DataDictionary fix44(DictionaryPath("FIX44.xml"));

  FIX42::ExecutionReport without = Fill42();
  without.removeField(FIX::FIELD::ExecTransType);
  ExpectRefused<FIX::RequiredTagMissing>(without, fix42, FIX::FIELD::ExecTransType);

  FIX44::ExecutionReport with = Fill44();
  with.setField(FIX::ExecTransType(FIX::ExecTransType_NEW));
  ExpectRefused<FIX::InvalidTagNumber>(with, fix44, FIX::FIELD::ExecTransType);
}

TEST(FixDictionaryVersions, FillsAreExecTypePartialFillIn42AndTradeIn44) {
  const FIX::DataDictionary fix42(DictionaryPath("FIX42.xml"));
  const FIX::DataDictionary fix44(DictionaryPath("FIX44.xml"));

  FIX42::ExecutionReport trade42 = Fill42();
  trade42.set(FIX::ExecType(FIX::ExecType_TRADE));
  ExpectRefused<FIX::IncorrectTagValue>(trade42, fix42, FIX::FIELD::ExecType);

  FIX44::ExecutionReport partial44 = Fill44();
  partial44.set(FIX::ExecType(FIX::ExecType_PARTIAL_FILL));
  ExpectRefused<FIX::IncorrectTagValue>(partial44, fix44, FIX::FIELD::ExecType);
}

TEST(FixDictionaryVersions, OrdStatusReplacedExistsIn42Only) {
  const FIX::DataDictionary fix42(DictionaryPath("FIX42.xml"));
  const FIX::DataDictionary fix44(DictionaryPath("FIX44.xml"));

  FIX42::ExecutionReport replaced42 = Fill42();
  replaced42.set(FIX::ExecType(FIX::ExecType_REPLACE));
  replaced42.set(FIX::OrdStatus(FIX::OrdStatus_REPLACED));
  EXPECT_NO_THROW(SendAndValidate(replaced42, fix42));

  FIX44::ExecutionReport replaced44 = Fill44();
  replaced44.set(FIX::ExecType(FIX::ExecType_REPLACED));
  replaced44.set(FIX::OrdStatus(FIX::OrdStatus_REPLACED));
  ExpectRefused<FIX::IncorrectTagValue>(replaced44, fix44, FIX::FIELD::OrdStatus);
}

TEST(FixDictionaryVersions, ASnapshotEntryNeedsAPriceIn42Only) {
  const FIX::DataDictionary fix42(DictionaryPath("FIX42.xml"));
  const FIX::DataDictionary fix44(DictionaryPath("FIX44.xml"));

  FIX42::MarketDataSnapshotFullRefresh snapshot42 = Snapshot42();
  FIX42::MarketDataSnapshotFullRefresh::NoMDEntries no_price;
  no_price.set(FIX::MDEntryType(FIX::MDEntryType_TRADE));
  no_price.set(FIX::MDEntrySize(100));
  snapshot42.addGroup(no_price);
  ExpectRefused<FIX::RequiredTagMissing>(snapshot42, fix42, FIX::FIELD::MDEntryPx);

  // FIX 4.4's trade volume entry (MDEntryType B, which 4.2 does not have) carries no price.
  FIX44::MarketDataSnapshotFullRefresh snapshot44;
  snapshot44.set(FIX::Symbol("600519"));
  FIX44::MarketDataSnapshotFullRefresh::NoMDEntries volume;
  volume.set(FIX::MDEntryType(FIX::MDEntryType_TRADE_VOLUME));
  volume.set(FIX::MDEntrySize(123400));
  snapshot44.addGroup(volume);
  EXPECT_NO_THROW(SendAndValidate(snapshot44, fix44));
}

// QuickFIX 1.15 checks that a repeating group's entries have their required fields, but not the
// values or formats of the fields in them: an MDEntryType 4.2 does not define, in a 4.2 snapshot,
// passes. The adapters check the values they act on in groups (MDEntryType, MDUpdateAction)
// themselves; this test fails, as a reminder to drop those checks, if QuickFIX starts doing it.
TEST(FixDictionaryGroups, QuickFixDoesNotCheckTheValuesInsideGroupEntries) {
  const FIX::DataDictionary fix42(DictionaryPath("FIX42.xml"));

  FIX42::MarketDataSnapshotFullRefresh volume42 = Snapshot42();
  FIX42::MarketDataSnapshotFullRefresh::NoMDEntries volume_entry;
  volume_entry.set(FIX::MDEntryType(FIX::MDEntryType_TRADE_VOLUME));
  volume_entry.set(FIX::MDEntryPx(0));
  volume42.addGroup(volume_entry);
  EXPECT_FALSE(fix42.isFieldValue(FIX::FIELD::MDEntryType, "B"));
  EXPECT_NO_THROW(SendAndValidate(volume42, fix42));
}

}  // namespace
}  // namespace guiju
