#pragma once
// The FIX market-data mapping: MarketDataSnapshotFullRefresh (W), MarketDataIncrementalRefresh (X)
// and MarketDataRequestReject (Y), in FIX 4.2 or 4.4, applied to the adapter's own per-instrument
// books and turned into BookUpdate and Trade events. No sockets: the Application calls it on the
// QuickFIX thread, the tests call it directly. Everything here runs on that one thread.
//
// Why the adapter keeps books at all: the engine consumes full kBookDepth snapshots
// (market_data.hpp), so the deltas of an X are applied here and each instrument an X touches
// becomes one BookUpdate.
//
// Staleness: an instrument's book is live only from its snapshot (W) until the subscription ends
// (logout or disconnect, a reject, an unsubscribe, or an X that contradicts the book). Ending it
// empties the book and emits an empty BookUpdate with event_time 0; see mark_stale().
//
// QuickFIX 1.15 checks which fields a group entry has but not their values, so every value read
// here is checked: a bad entry is counted and logged (rate-limited) and skipped, and the message's
// other entries still apply. Fields are read as the text QuickFIX holds, through references (no
// copies); prices and sizes go through Price::parse / Quantity::parse, never through double.
// QuickFIX itself allocates for every message it parses; this code adds no allocation per
// message (its buffers are sized at construction), except for logging.

#include <string>
#include <unordered_map>
#include <vector>

#include "adapters/fix/fix_market_data_book.hpp"
#include "adapters/fix/fix_market_data_counters.hpp"
#include "adapters/fix/fix_market_data_sink.hpp"
#include "adapters/fix/quickfix.hpp"
#include "core/model/instrument.hpp"

namespace guiju {

class FixMarketDataMapper {
 public:
  // Handles the `instruments` of `registry` only; events carry `source` in their header.
  FixMarketDataMapper(const InstrumentRegistry& registry,
                      const std::vector<InstrumentId>& instruments, MarketDataSink& sink,
                      FixMarketDataCounters& counters, SourceId source);

  // ---- subscriptions (the Application's calls) ----
  // A V with `md_req_id` was sent for `id`: answers naming it apply; the book waits for its W.
  void subscribed(InstrumentId id, const std::string& md_req_id);
  // The subscription of `id` ended (logout, disconnect, unsubscribe): the book is emptied and an
  // empty BookUpdate emitted, so the engine's book empties and the risk layer treats the instrument
  // as stale until a fresh snapshot arrives.
  void mark_stale(InstrumentId id, Timestamp now);
  bool is_subscribed(InstrumentId id) const { return states_[id].subscribed; }
  // A snapshot has arrived since the subscription and nothing has made the book stale since.
  bool is_live(InstrumentId id) const { return states_[id].live; }
  const std::string& md_req_id(InstrumentId id) const { return states_[id].md_req_id; }
  bool handles(InstrumentId id) const { return id < states_.size() && states_[id].handled; }

  // ---- messages ----
  // Dispatches W, X and Y by MsgType; false for any other message type.
  bool on_message(const FIX::Message& message, Timestamp receive_time);
  void on_snapshot(const FIX::Message& message, Timestamp receive_time);
  void on_incremental(const FIX::Message& message, Timestamp receive_time);
  void on_reject(const FIX::Message& message, Timestamp receive_time);

  // Instruments whose book an X contradicted (a change or delete of a level the book does not
  // hold, a position out of order): each is now stale and needs a fresh snapshot, which the
  // Application asks for by subscribing again. Cleared by the caller.
  std::vector<InstrumentId>& resyncs() { return resyncs_; }

  // The local book (tests and diagnostics).
  const FixBookSide& bids(InstrumentId id) const { return states_[id].bids; }
  const FixBookSide& asks(InstrumentId id) const { return states_[id].asks; }

 private:
  struct State {
    FixBookSide bids{true};
    FixBookSide asks{false};
    std::string md_req_id;
    bool handled = false;
    bool subscribed = false;
    bool live = false;
    // Within one X: touched by it, and the latest event time of its entries.
    bool touched = false;
    bool resync = false;
    Timestamp touched_time = 0;
    // For the aggressor of a trade the book cannot place (the tick rule).
    Price last_trade_price;
    Side last_aggressor = Side::kBuy;
  };

  // Subscribed instrument named by MDReqID(262) or Symbol(55) of `map`, or kNoInstrument.
  InstrumentId by_request(const FIX::FieldMap& map) const;
  InstrumentId by_symbol(const FIX::FieldMap& map) const;
  // False when the entry was skipped (bad value) or contradicted the book (now resyncing).
  bool apply_level(InstrumentId id, State& s, char action, char type, const FIX::FieldMap& entry,
                   Timestamp now);
  void emit_trade(InstrumentId id, State& s, const FIX::FieldMap& entry, Timestamp event_time,
                  Timestamp receive_time);
  void emit_book(InstrumentId id, const State& s, Timestamp event_time, Timestamp receive_time);
  // Marks the book stale within an X (emitted once the message is done) and asks for a resync.
  void lose_sync(InstrumentId id, State& s, const char* why);
  void bad_entry(const char* message_type, const char* why, int tag, Timestamp now);
  void unknown(const char* message_type, Timestamp now);
  // Rate limit for per-entry warnings: at most kLogBurst a second, the rest counted and reported.
  bool may_log(Timestamp now);

  const InstrumentRegistry& registry_;
  MarketDataSink& sink_;
  FixMarketDataCounters& counters_;
  SourceId source_;
  std::vector<State> states_;  // by InstrumentId
  std::unordered_map<std::string, InstrumentId> by_symbol_;
  std::unordered_map<std::string, InstrumentId> by_request_;
  std::vector<InstrumentId> touched_;  // reserved for every instrument: no allocation per X
  std::vector<InstrumentId> resyncs_;
  BookUpdate update_;  // reused for every BookUpdate
  Timestamp log_window_ = 0;
  uint32_t logged_in_window_ = 0;
  uint64_t suppressed_ = 0;
};

}  // namespace guiju
