// Pairs: trades the spread between two correlated instruments (the first two it subscribes to).
//
// spread = ln(price A) - beta x ln(price B), on mids. An exponentially weighted mean and
// variance of the spread (span `lookback` quotes) give a z-score. When A is cheap against B
// (z <= -entry_z) it buys A; when B is cheap against A (z >= entry_z) it buys B; each leg is
// `order_lots` lots, bid at the best bid, up to `max_position_lots`. Once the spread has come
// back (|z| <= exit_z) it offers what it holds of either leg at the best offer. Long only, as
// A-shares cannot be sold short: the short side of the pair is expressed by not holding it.

#include <guiju/strategy.hpp>

#include <cmath>
#include <stdexcept>
#include <vector>

namespace {

using guiju::sdk::Host;

class Pairs final : public guiju::sdk::Strategy {
 public:
  explicit Pairs(Host host)
      : Strategy(host),
        lookback_(host.param_int("lookback", 200, 2, 1'000'000)),
        entry_z_(host.param_double("entry_z", 2.0, 0.1, 100.0)),
        exit_z_(host.param_double("exit_z", 0.5, 0.0, 100.0)),
        beta_(host.param_double("beta", 1.0, -100.0, 100.0)),
        order_lots_(host.param_int("order_lots", 1, 1, 10'000)),
        max_position_lots_(host.param_int("max_position_lots", 5, 1, 1'000'000)) {}

  void on_start() override {
    const auto subscribed = host().subscriptions();
    if (subscribed.size() != 2) {
      throw std::invalid_argument("pairs trades exactly two instruments; this one has " +
                                  std::to_string(subscribed.size()));
    }
    a_ = subscribed[0];
    b_ = subscribed[1];
  }

  void on_quote(const guiju_quote& q) override {
    if (q.bid_size <= 0 || q.ask_size <= 0) return;
    const double mid =
        (guiju::sdk::to_double(q.bid_price) + guiju::sdk::to_double(q.ask_price)) / 2;
    if (q.instrument == a_) mid_a_ = mid;
    if (q.instrument == b_) mid_b_ = mid;
    if (mid_a_ <= 0 || mid_b_ <= 0) return;

    const double spread = std::log(mid_a_) - beta_ * std::log(mid_b_);
    const double alpha = 2.0 / static_cast<double>(lookback_ + 1);
    if (samples_++ == 0) {
      mean_ = spread;
      return;
    }
    const double deviation = spread - mean_;
    mean_ += alpha * deviation;
    variance_ = (1 - alpha) * (variance_ + alpha * deviation * deviation);
    if (samples_ < lookback_ || variance_ <= 0) return;
    const double z = (spread - mean_) / std::sqrt(variance_);

    if (z <= -entry_z_) {
      enter(a_, working_a_);
    } else if (z >= entry_z_) {
      enter(b_, working_b_);
    } else if (std::fabs(z) <= exit_z_) {
      leave(a_, working_a_);
      leave(b_, working_b_);
    }
  }

  void on_order_update(const guiju_order& o) override {
    if (o.is_open || o.awaiting_confirm) return;
    if (o.id == working_a_) working_a_ = 0;
    if (o.id == working_b_) working_b_ = 0;
  }

 private:
  void enter(guiju_instrument id, guiju_order_id& working) {
    if (working != 0) return;
    const auto info = host().instrument(id);
    const auto book = host().book(id);
    if (!info || !book || book->bid_levels == 0) return;
    const guiju_fixed clip = info->lot_size * order_lots_;
    if (host().position(id).quantity + clip > info->lot_size * max_position_lots_) return;
    send(id, GUIJU_BUY, book->bids[0].price, clip, working);
  }

  void leave(guiju_instrument id, guiju_order_id& working) {
    if (working != 0) return;
    const guiju_fixed held = host().position(id).quantity;
    const auto book = host().book(id);
    if (held <= 0 || !book || book->ask_levels == 0) return;
    send(id, GUIJU_SELL, book->asks[0].price, held, working);
  }

  void send(guiju_instrument id, int side, guiju_fixed price, guiju_fixed quantity,
            guiju_order_id& working) {
    if (!backoff_.ready(host())) return;
    const guiju_result r = backoff_.note(host().submit_limit(id, side, price, quantity), host());
    if (r.reject_code == 0) working = r.order_id;
  }

  int64_t lookback_;
  double entry_z_;
  double exit_z_;
  double beta_;
  int64_t order_lots_;
  int64_t max_position_lots_;
  guiju_instrument a_ = 0;
  guiju_instrument b_ = 0;
  double mid_a_ = 0;
  double mid_b_ = 0;
  int64_t samples_ = 0;
  double mean_ = 0;
  double variance_ = 0;
  guiju::sdk::ThrottleBackoff backoff_;
  guiju_order_id working_a_ = 0;
  guiju_order_id working_b_ = 0;
};

}  // namespace

GUIJU_EXPORT_STRATEGY(Pairs, "pairs", "1.0.0")
