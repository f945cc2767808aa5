#pragma once
// A simulated venue that fills our orders against the market data it sees. The market's own
// orders are not in the data one by one, so our orders never trade with each other here; they
// trade with the market as the data shows it.
//
// Orders arriving:
// - A marketable order (a buy at or above the best ask, a sell at or below the best bid, or a
//   market order) fills at once against the displayed top level, at the touch price, up to the
//   displayed size. Liquidity it takes is gone from the venue's view until the next quote.
// - The rest of a day limit order rests. IOC and market remainders expire; FOK fills completely
//   against the top level or expires without a fill.
// - Cancels succeed while the order rests; replaces change price and quantity and may make the
//   order marketable.
//
// Resting orders fill when the market trades through them: a quote or book whose far side crosses
// the order (filled at the order's price, up to the displayed size), or a trade printed strictly
// beyond its price (filled at the order's price, up to the trade's size). A trade *at* the
// order's price depends on the fill model:
// - kTouch: never fills it. Conservative: we assume we are behind everything displayed.
// - kQueue: the order joins the back of the queue at its price: `ahead` is the size displayed
//   there when it arrives. A trade at its price against its side (a sell-initiated trade for a
//   bid) works through `ahead` first and fills the order with what is left. When the data shows
//   the level smaller than `ahead` without a trade (cancels), `ahead` shrinks to it: a queue
//   position only moves forward as far as the data forces it to. A replace that lowers only the
//   quantity keeps the position; a new price or a larger quantity joins the back again.
// docs/simulated-venue.md states the model and its assumptions.

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "core/bus/spsc_ring.hpp"
#include "core/events/event_slot.hpp"
#include "core/model/instrument.hpp"
#include "core/rules/price_cage.hpp"

namespace guiju {

enum class FillModel : uint8_t { kTouch = 1, kQueue = 2 };

struct VenueOptions {
  SourceId source_id = 200;  // stamped on its reports
  FillModel fill_model = FillModel::kTouch;
  // The exchange's A-share rules (core/rules/): trading phases (no orders in the lunch break or
  // when closed, no cancels from 09:20 to 09:30 and from 14:57), day limit orders only in call
  // auctions (which collect orders: nothing fills at once), the tick, the daily price limits and
  // whole-lot buys, and (with t_plus_one) T+1: an account sells only what it held overnight
  // (`holdings`), less what it has sold or offered today; shares bought today are not sellable.
  // Each refusal names its rule.
  bool ashare_rules = false;
  bool t_plus_one = true;
  struct Holding {
    AccountId account;
    InstrumentId instrument;
    Quantity quantity;  // held overnight
  };
  std::vector<Holding> holdings;
  // Margin accounts: their sells are not held to what they own (short sales allowed).
  std::vector<AccountId> short_allowed;
};

class SimulatedVenue {
 public:
  // Reports go into `reports` (the venue's ring into the engine), which must use kBlock or be
  // drained often enough: a report is never dropped (push failure throws).
  SimulatedVenue(const InstrumentRegistry& instruments, SpscRing<EventSlot>& reports,
                 const VenueOptions& options = {});

  // Market data: updates the venue's view and fills resting orders the market went through.
  void on_market_data(const EventSlot& event, Timestamp now);
  // Orders, cancels and replaces from the engine.
  void on_order_event(const EventSlot& event, Timestamp now);
  // Takes up to max_count events from the engine's order ring; returns how many.
  size_t drain(SpscRing<EventSlot>& orders, Timestamp now, size_t max_count = 1024);

  size_t resting_count() const;
  uint64_t fills() const { return fills_; }
  // kQueue: the displayed quantity ahead of a resting order at its price; nullopt when the order
  // is not resting.
  std::optional<Quantity> queue_ahead(InstrumentId instrument, OrderId id) const;

 private:
  struct Resting {
    OrderId id;
    Side side;
    TimeInForce tif;
    Price price;
    Quantity leaves;
    Quantity cum;
    Quantity quantity;
    Quantity ahead;  // kQueue: displayed size in front of it at its price
    AccountId account = 0;
  };
  // T+1 (ashare_rules): per account and instrument, what was held overnight and what of it is
  // sold or offered today.
  struct Sellable {
    Quantity overnight;
    Quantity used;  // sold, or offered by working sell orders
  };
  Sellable& sellable(AccountId account, InstrumentId instrument);
  // A sell order's working quantity leaves the offered total (cancel, expiry, replace).
  void release_offer(InstrumentId instrument, const Resting& o);
  // ashare_rules: at the close every resting day order expires, as on the exchange.
  void expire_at_close(Timestamp now);
  struct Touch {
    Price bid_price, ask_price;
    Quantity bid_size, ask_size;
  };

  // The market an arriving order meets, for the price cage.
  rules::CageMarket cage_market(InstrumentId instrument) const;
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
  // The size the market data shows at `price` on `side`: the touch, or the last depth snapshot.
  // nullopt when the price lies beyond the depth the data shows (the size there is unknown).
  std::optional<Quantity> displayed_at(InstrumentId instrument, Side side, Price price) const;
  // kQueue: a trade at a resting order's own price, against its side.
  void fill_from_queue(InstrumentId instrument, const Trade& trade, Quantity& remaining,
                       Timestamp now);
  // kQueue: the data shows a level smaller than the queue we assumed in front of an order.
  void shrink_queues(InstrumentId instrument);
  void report(ExecutionReport& r, Timestamp now);
  void reject(OrderId id, OrderId orig, InstrumentId instrument, Side side, ExecType type,
              RejectCode code, const char* reason, Timestamp now);
  Resting* find(InstrumentId instrument, OrderId id, size_t* index = nullptr);

  const InstrumentRegistry& instruments_;
  SpscRing<EventSlot>& reports_;
  SourceId source_id_;
  FillModel model_;
  bool ashare_rules_;
  bool t_plus_one_;                                  // ashare_rules_ and T+1
  std::vector<Touch> touch_;                         // by instrument
  std::vector<Price> last_trade_;                    // by instrument
  std::vector<BookUpdate> depth_;                    // by instrument: the last snapshot
  std::vector<std::vector<Resting>> resting_;        // by instrument
  std::unordered_map<uint64_t, Sellable> sellable_;  // by (account << 32 | instrument)
  std::vector<bool> short_allowed_;                  // by account
  bool held_to_holdings(AccountId account) const {
    return t_plus_one_ && !(account < short_allowed_.size() && short_allowed_[account]);
  }
  uint64_t next_exec_id_ = 1;
  uint64_t sequence_ = 0;
  uint64_t fills_ = 0;
};

}  // namespace guiju
