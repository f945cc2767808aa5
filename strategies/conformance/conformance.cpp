// Conformance: walks an order through every life a venue can give it, one scenario after another,
// on the first instrument it is subscribed to. It is what a firm runs against a venue's test
// environment (or `guiju venue`) before an algorithm goes live (MiFID II RTS 6 Art. 6,
// docs/fix.md "Going live"), and what the live-mode tests run against the venue simulator.
//
// The scenarios, each started when the previous one has ended:
//   trade    buy (or sell) `lots` lots at the opposite best price: it trades;
//   partial  a bigger order at the same price than the opposite best level holds: part trades,
//            the rest rests, then it is cancelled;
//   replace  a passive order `passive_ticks` away from the market, replaced to a new price and
//            quantity once it works, then the replacement is cancelled;
//   reject   an order beyond the daily price limit: the venue refuses it.
// A cycle that starts flat buys, one that starts holding sells (no more than it holds), so
// repeated cycles (`cycles`, 0 = until stopped) keep its position small. A refused request (the
// order session down, a risk limit) is retried on the next tick of its timer; each scenario's start
// and end is logged.

#include <guiju/strategy.hpp>

#include <algorithm>
#include <string>

namespace {

using guiju::sdk::Host;

class Conformance final : public guiju::sdk::Strategy {
 public:
  explicit Conformance(Host host)
      : Strategy(host),
        lots_(host.param_int("lots", 1, 1, 10'000)),
        passive_ticks_(host.param_int("passive_ticks", 10, 1, 10'000)),
        cycles_(host.param_int("cycles", 1, 0, 1'000'000'000)),
        tick_ms_(host.param_int("tick_ms", 100, 1, 60'000)) {}

  void on_start() override {
    const auto subscribed = host().subscriptions();
    if (subscribed.empty()) return;
    instrument_ = subscribed.front();
    const auto info = host().instrument(instrument_);
    if (!info) return;
    info_ = *info;
    timer_ = host().set_timer(tick_ms_ * kMillisecond, tick_ms_ * kMillisecond);
  }

  void on_book(const guiju_book& /*book*/) override {
    fresh_book_ = true;
    advance();
  }
  void on_timer(guiju_timer_id /*timer*/, guiju_time /*scheduled*/) override { advance(); }
  void on_order_update(const guiju_order& order) override {
    if (order.id == working_ || order.id == replacement_) advance();
  }

 private:
  enum class Step { kTrade, kPartial, kReplace, kReject, kDone };
  static constexpr guiju_time kMillisecond = 1'000'000;

  // Drives the current scenario as far as the order's state allows, then starts the next.
  void advance() {
    if (info_.lot_size == 0 || step_ == Step::kDone) return;
    const auto book = host().book(instrument_);
    if (!book || book->bid_levels == 0 || book->ask_levels == 0) return;
    if (working_ == 0) {
      // Each scenario starts on a book that came after the last one ended, so that its sizes
      // already show what the last scenario traded.
      if (fresh_book_) start(*book);
      return;
    }
    const auto o = host().order(replacement_ != 0 ? replacement_ : working_);
    if (!o) return;
    if (o->awaiting_confirm) return;  // the replace is in flight
    const bool open = o->is_open != 0;
    if (!open && replacement_ != 0 && o->state == GUIJU_REJECTED) {
      // The replace was refused: the original works on; cancel that instead.
      replacement_ = 0;
      cancel_once(working_);
      return;
    }
    if (open) {
      switch (step_) {
        case Step::kTrade:
        case Step::kPartial:
          // Traded what the level held (or the market moved away): the rest is cancelled.
          if (o->state == GUIJU_PARTIALLY_FILLED || o->state == GUIJU_NEW) cancel_once(o->id);
          return;
        case Step::kReplace:
          if (replacement_ == 0 && o->state == GUIJU_NEW) {
            const guiju_fixed price = o->side == GUIJU_BUY ? o->price + tick() : o->price - tick();
            const guiju_result r = host().replace(o->id, price, o->quantity + info_.lot_size);
            if (r.reject_code == 0) replacement_ = r.order_id;
          } else if (replacement_ != 0) {
            cancel_once(replacement_);
          }
          return;
        case Step::kReject:  // the venue should refuse it; if it works, take it back
          cancel_once(o->id);
          return;
        case Step::kDone:
          return;
      }
    }
    finish(*o);
  }

  void start(const guiju_book& book) {
    const guiju_fixed held = host().position(instrument_).quantity;
    // A cycle buys when it starts flat and sells what it holds otherwise.
    if (step_ == Step::kTrade) selling_ = held > 0;
    const bool sell = selling_ && held > 0;
    const int side = sell ? GUIJU_SELL : GUIJU_BUY;
    const guiju_fixed lots = info_.lot_size * lots_;
    const guiju_level& opposite = sell ? book.bids[0] : book.asks[0];
    guiju_fixed price = opposite.price;
    guiju_fixed quantity = lots;
    switch (step_) {
      case Step::kTrade:
        break;
      case Step::kPartial:
        // One lot more than the level holds: part of it trades, the rest rests.
        quantity = (opposite.size / info_.lot_size + 1) * info_.lot_size;
        break;
      case Step::kReplace:
        price = sell ? book.asks[0].price + passive_ticks_ * tick()
                     : book.bids[0].price - passive_ticks_ * tick();
        break;
      case Step::kReject: {
        // Past the daily limit (10% of the previous close on the main boards), by ten ticks.
        const guiju_fixed limit = info_.previous_close / 10;
        price = sell ? info_.previous_close - limit - 10 * tick()
                     : info_.previous_close + limit + 10 * tick();
        break;
      }
      case Step::kDone:
        return;
    }
    if (sell) quantity = std::min(quantity, held);
    const guiju_result r = host().submit_limit(instrument_, side, price, quantity);
    if (r.reject_code != 0) return;  // refused before sending: tried again on the next tick
    working_ = r.order_id;
    replacement_ = 0;
    cancel_sent_ = 0;
    host().log(GUIJU_LOG_INFO,
               "conformance: " + name(step_) + " order " + std::to_string(working_) +
                   (sell ? " sell " : " buy ") + decimal(quantity) + " at " + decimal(price) +
                   ", book " + decimal(book.bids[0].size) + " " + decimal(book.bids[0].price) +
                   " / " + decimal(book.asks[0].price) + " " + decimal(book.asks[0].size));
  }

  void finish(const guiju_order& last) {
    host().log(GUIJU_LOG_INFO, "conformance: " + name(step_) + " done, order " +
                                   std::to_string(last.id) + " " + state_name(last.state));
    working_ = 0;
    replacement_ = 0;
    fresh_book_ = false;
    if (step_ == Step::kReject) {
      ++completed_;
      step_ = cycles_ != 0 && completed_ >= cycles_ ? Step::kDone : Step::kTrade;
      if (step_ == Step::kDone) {
        host().log(GUIJU_LOG_INFO, "conformance: all scenarios done");
        host().cancel_timer(timer_);
      }
    } else {
      step_ = static_cast<Step>(static_cast<int>(step_) + 1);
    }
  }

  void cancel_once(guiju_order_id id) {
    if (cancel_sent_ == id) return;
    if (host().cancel(id).reject_code == 0) cancel_sent_ = id;
  }

  guiju_fixed tick() const { return info_.tick_size; }
  static std::string decimal(guiju_fixed v) { return std::to_string(guiju::sdk::to_double(v)); }

  static std::string name(Step s) {
    switch (s) {
      case Step::kTrade:
        return "trade";
      case Step::kPartial:
        return "partial";
      case Step::kReplace:
        return "replace";
      case Step::kReject:
        return "reject";
      case Step::kDone:
        return "done";
    }
    return "?";
  }
  static std::string state_name(uint8_t state) {
    switch (state) {
      case GUIJU_FILLED:
        return "filled";
      case GUIJU_CANCELED:
        return "canceled";
      case GUIJU_REPLACED:
        return "replaced";
      case GUIJU_REJECTED:
        return "rejected";
      case GUIJU_EXPIRED:
        return "expired";
      default:
        return "state " + std::to_string(state);
    }
  }

  int64_t lots_;
  int64_t passive_ticks_;
  int64_t cycles_;
  int64_t tick_ms_;
  guiju_instrument instrument_ = 0;
  guiju_instrument_info info_{};
  guiju_timer_id timer_ = 0;
  Step step_ = Step::kTrade;
  bool selling_ = false;     // this cycle sells what is held
  bool fresh_book_ = false;  // a book arrived since the last scenario ended
  int64_t completed_ = 0;
  guiju_order_id working_ = 0;      // the scenario's order
  guiju_order_id replacement_ = 0;  // its replacement, once asked for
  guiju_order_id cancel_sent_ = 0;  // a cancel is in flight for this order
};

}  // namespace

GUIJU_EXPORT_STRATEGY(Conformance, "conformance", "1.0.0")
