// Market maker: a bid and an offer around the mid on each subscribed instrument, skewed against
// inventory, re-quoted when the book moves.
//
// fair  = mid - skew_ticks_per_lot x inventory (in lots) x tick
// bid   = fair - half_spread_ticks x tick, rounded down to the tick, never above the best bid
// offer = fair + half_spread_ticks x tick, rounded up to the tick, never below the best offer
// A working quote is replaced only when its price is `requote_ticks` or more away from the new
// one, so a flickering book does not turn into a storm of replaces. A-shares cannot be sold
// short, so the offer is for shares held, and the bid stops at `max_inventory_lots`.

#include <guiju/strategy.hpp>

#include <vector>

namespace {

using guiju::sdk::Host;

bool is_pending_change(uint8_t state) {
  return state == GUIJU_PENDING_CANCEL || state == GUIJU_PENDING_REPLACE;
}

class MarketMaker final : public guiju::sdk::Strategy {
 public:
  explicit MarketMaker(Host host)
      : Strategy(host),
        half_spread_ticks_(host.param_int("half_spread_ticks", 2, 1, 1000)),
        order_lots_(host.param_int("order_lots", 1, 1, 10'000)),
        max_inventory_lots_(host.param_int("max_inventory_lots", 10, 1, 1'000'000)),
        skew_ticks_per_lot_(host.param_double("skew_ticks_per_lot", 0.5, 0.0, 100.0)),
        requote_ticks_(host.param_int("requote_ticks", 1, 1, 1000)) {}

  // The top of book arrives with the event: no need to ask the host for the whole book.
  void on_quote(const guiju_quote& q) override {
    if (q.bid_size > 0 && q.ask_size > 0) requote(q.instrument, q.bid_price, q.ask_price);
  }
  void on_book(const guiju_book& b) override {
    if (b.bid_levels > 0 && b.ask_levels > 0) {
      requote(b.instrument, b.bids[0].price, b.asks[0].price);
    }
  }

  void on_order_update(const guiju_order& o) override {
    if (o.is_open || o.awaiting_confirm || o.instrument >= quotes_.size()) return;
    Quotes& s = quotes_[o.instrument];
    const guiju_order_id successor = o.state == GUIJU_REPLACED ? o.replaced_by : 0;
    if (s.bid == o.id) s.bid = successor;
    if (s.ask == o.id) s.ask = successor;
  }

 private:
  struct Quotes {
    guiju_order_id bid = 0;
    guiju_order_id ask = 0;
    guiju_fixed tick = 0;  // the instrument's tick and lot, asked for once
    guiju_fixed lot = 0;
  };

  void requote(guiju_instrument id, guiju_fixed best_bid, guiju_fixed best_ask) {
    if (id >= quotes_.size()) quotes_.resize(id + 1);
    Quotes& s = quotes_[id];
    if (s.tick == 0) {
      const auto info = host().instrument(id);
      if (!info) return;
      s.tick = info->tick_size;
      s.lot = info->lot_size;
    }
    const guiju_fixed tick = s.tick;
    const guiju_fixed lot = s.lot;
    const guiju_fixed held = host().position(id).quantity;
    const double inventory_lots = static_cast<double>(held) / static_cast<double>(lot);
    const double mid = (static_cast<double>(best_bid) + static_cast<double>(best_ask)) / 2;
    const double fair = mid - skew_ticks_per_lot_ * inventory_lots * static_cast<double>(tick);
    const auto half = static_cast<double>(half_spread_ticks_ * tick);

    auto bid = static_cast<guiju_fixed>((fair - half) / static_cast<double>(tick)) * tick;
    guiju_fixed ask =
        (static_cast<guiju_fixed>((fair + half) / static_cast<double>(tick)) + 1) * tick;
    if (bid > best_bid) bid = best_bid;
    if (ask < best_ask) ask = best_ask;

    const guiju_fixed clip = lot * order_lots_;
    if (held + clip <= lot * max_inventory_lots_ && bid > 0) {
      s.bid = work(s.bid, id, GUIJU_BUY, bid, clip, tick);
    } else {
      s.bid = withdraw(s.bid);
    }
    if (held > 0) {
      s.ask = work(s.ask, id, GUIJU_SELL, ask, held < clip ? held : clip, tick);
    } else {
      s.ask = withdraw(s.ask);
    }
  }

  guiju_order_id work(guiju_order_id current, guiju_instrument id, int side, guiju_fixed price,
                      guiju_fixed quantity, guiju_fixed tick) {
    const auto o = current != 0 ? host().order(current) : std::nullopt;
    if (o && (o->awaiting_confirm || is_pending_change(o->state))) return current;
    if (o && o->is_open) {
      const guiju_fixed distance = o->price > price ? o->price - price : price - o->price;
      if (distance < requote_ticks_ * tick || !backoff_.ready(host())) return current;
      const guiju_result r =
          backoff_.note(host().replace(current, price, o->filled + quantity), host());
      return r.reject_code == 0 ? r.order_id : current;
    }
    if (!backoff_.ready(host())) return 0;
    const guiju_result r = backoff_.note(host().submit_limit(id, side, price, quantity), host());
    return r.reject_code == 0 ? r.order_id : 0;
  }

  guiju_order_id withdraw(guiju_order_id current) {
    if (current == 0) return 0;
    const auto o = host().order(current);
    if (o && o->is_open && !is_pending_change(o->state)) host().cancel(current);
    return current;  // forgotten once the cancel is confirmed (on_order_update)
  }

  int64_t half_spread_ticks_;
  int64_t order_lots_;
  int64_t max_inventory_lots_;
  double skew_ticks_per_lot_;
  int64_t requote_ticks_;
  std::vector<Quotes> quotes_;
  guiju::sdk::ThrottleBackoff backoff_;
};

}  // namespace

GUIJU_EXPORT_STRATEGY(MarketMaker, "market_maker", "1.0.0")
