#pragma once
// A simulated venue that fills against the touch of the market data it sees.
//
// The fill model, deliberately simple and conservative:
// - A marketable order (a buy at or above the best ask, a sell at or below the best bid, or a
//   market order) fills at once against the displayed top level, at the touch price, up to the
//   displayed size. Liquidity it takes is gone from the venue's view until the next quote.
// - The rest of a day limit order rests. IOC and market remainders expire; FOK fills completely
//   against the top level or expires without a fill.
// - A resting order fills only when the market goes through its price: a quote whose far side
//   crosses it (filled at the order's price, up to the displayed size), or a trade printed strictly
//   beyond it (filled at the order's price, up to the trade's size). A trade *at* the price is not
//   enough: without a queue model we assume we were behind the displayed size.
// - Cancels succeed while the order rests; replaces keep the order and change price and quantity,
//   and may make it marketable.
// The matching engine with price-time priority and queue position (the simulated-venue issue)
// replaces this model; the engine side does not change.

#include <cstdint>
#include <vector>

#include "core/bus/spsc_ring.hpp"
#include "core/events/event_slot.hpp"
#include "core/model/instrument.hpp"

namespace guiju {

class TouchFillVenue {
 public:
  // Reports go into `reports` (the venue's ring into the engine), which must use kBlock or be
  // drained often enough: a report is never dropped (push failure throws).
  TouchFillVenue(const InstrumentRegistry& instruments, SpscRing<EventSlot>& reports,
                 SourceId source_id = 200);

  // Market data: updates the venue's view and fills resting orders the market went through.
  void on_market_data(const EventSlot& event, Timestamp now);
  // Orders, cancels and replaces from the engine.
  void on_order_event(const EventSlot& event, Timestamp now);
  // Takes up to max_count events from the engine's order ring; returns how many.
  size_t drain(SpscRing<EventSlot>& orders, Timestamp now, size_t max_count = 1024);

  size_t resting_count() const;
  uint64_t fills() const { return fills_; }

 private:
  struct Resting {
    OrderId id;
    Side side;
    TimeInForce tif;
    Price price;
    Quantity leaves;
    Quantity cum;
    Quantity quantity;
  };
  struct Touch {
    Price bid_price, ask_price;
    Quantity bid_size, ask_size;
  };

  void on_new(const NewOrder& n, Timestamp now);
  void on_cancel(const CancelOrder& c, Timestamp now);
  void on_replace(const ReplaceOrder& r, Timestamp now);
  // Fills what it can of o against the venue's view of the touch.
  void match_against_touch(InstrumentId instrument, Resting& o, bool is_market, Timestamp now);
  void fill(InstrumentId instrument, Resting& o, Price price, Quantity qty, Timestamp now);
  // Fills the instrument's resting orders that crosses(o) lets through, each at its own price,
  // while the quantity available(o) returns (owned by the caller) lasts; drops completed ones.
  template <typename Crosses, typename Available>
  void fill_resting(InstrumentId instrument, Timestamp now, Crosses&& crosses,
                    Available&& available);
  void report(ExecutionReport& r, Timestamp now);
  void reject(OrderId id, OrderId orig, InstrumentId instrument, Side side, ExecType type,
              RejectCode code, const char* reason, Timestamp now);
  Resting* find(InstrumentId instrument, OrderId id, size_t* index = nullptr);

  const InstrumentRegistry& instruments_;
  SpscRing<EventSlot>& reports_;
  SourceId source_id_;
  std::vector<Touch> touch_;                   // by instrument
  std::vector<std::vector<Resting>> resting_;  // by instrument
  uint64_t next_exec_id_ = 1;
  uint64_t sequence_ = 0;
  uint64_t fills_ = 0;
};

}  // namespace guiju
