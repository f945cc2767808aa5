#pragma once
// The venue simulator's QuickFIX Application: order entry and market data on any of its
// sessions, translated to and from the exchange (adapters/sim/venue_exchange.hpp). QuickFIX calls
// it on the acceptor's thread only, and the venue's run loop feeds market data on that same
// thread (Acceptor::poll), so nothing here is shared between threads.

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "adapters/fix/fix_venue_messages.hpp"
#include "adapters/fix/fix_venue_trade_log.hpp"
#include "adapters/fix/quickfix.hpp"
#include "adapters/sim/venue_exchange.hpp"

namespace guiju::fix_venue {

class VenueApplication final : public FIX::Application, public sim::ExchangeListener {
 public:
  VenueApplication(const InstrumentRegistry& instruments, sim::ExchangeOptions options);

  sim::Exchange& exchange() { return exchange_; }
  // Every member execution is also written here (may be null: no record kept).
  void set_trade_log(TradeLog* log) { trade_log_ = log; }
  // The session's orders still working at the exchange (logged when it logs out: a member that
  // left orders behind is seen at once).
  size_t working_orders(const FIX::SessionID& session) const;

  // FIX::Application
  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID& session) override;
  void onLogout(const FIX::SessionID& session) override;
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) override {}
  void fromAdmin(const FIX::Message&, const FIX::SessionID&) override {}
  void fromApp(const FIX::Message& message, const FIX::SessionID& session) override;

  // sim::ExchangeListener
  void on_order_event(const sim::OrderEvent& event) override;
  void on_public_trade(InstrumentId instrument, Price price, Quantity qty, Timestamp t) override;
  void on_book_changed(InstrumentId instrument) override;

 private:
  // The request being worked, for the reports the exchange gives while it works on it.
  struct Request {
    char kind = 0;  // 'D', 'F' or 'G'
    FIX::SessionID session;
    std::string cl_ord_id;
    std::string orig_cl_ord_id;
    sim::VenueOrderId order = 0;  // F and G: the order they are about
    OrderContext context;         // D: the new order's
  };
  struct Subscription {
    FIX::SessionID session;
    std::string md_req_id;
    InstrumentId instrument = kNoInstrument;
    size_t depth = 0;  // 0: the whole book
    bool bids = false, offers = false, trades = false;
  };

  void on_new_order(const FIX::Message& m, const FIX::SessionID& session);
  void on_cancel_or_replace(const FIX::Message& m, const FIX::SessionID& session, char kind);
  void on_status_request(const FIX::Message& m, const FIX::SessionID& session);
  void on_market_data_request(const FIX::Message& m, const FIX::SessionID& session);
  void send_snapshot(const Subscription& s);
  void send(FIX::Message& m, const FIX::SessionID& session);
  // The exchange account of an Account (1) name, or of the session when it names none.
  AccountId account_of(const std::string& name);
  std::string key(const FIX::SessionID& session, const std::string& cl_ord_id) const;
  std::string next_exec_id();
  static std::string order_id(sim::VenueOrderId id) { return std::to_string(id); }

  sim::Exchange exchange_;
  std::unordered_map<sim::VenueOrderId, OrderContext> orders_;
  std::unordered_map<std::string, sim::VenueOrderId> by_cl_ord_id_;  // session + ClOrdID
  std::map<std::string, AccountId> accounts_;
  std::vector<Subscription> subscriptions_;
  std::vector<std::pair<Price, Quantity>> last_trade_;  // by instrument, for snapshots
  Request request_;
  uint64_t exec_ids_ = 0;
  std::string exec_prefix_;  // unique per run, so ExecIDs do not repeat across restarts
  TradeLog* trade_log_ = nullptr;
  bool trade_log_failed_ = false;
};

}  // namespace guiju::fix_venue
