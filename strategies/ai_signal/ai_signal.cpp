// AI signal taker: asks a small model where the mid goes next, and crosses the spread when it is
// confident.
//
// Per instrument it keeps the order-book and trade-flow features of features.hpp (imbalance over
// the top 1/3/5/10 levels, spread, microprice deviation, mid returns over 1/5/20/100 books,
// signed trade flow), normalised with the constants the training script wrote next to the model
// (`features_file`). On a book update, once the features have their history, it sends them to
// the inference service (model `model_id`) with a deadline `deadline_us` ahead, at most one
// request per instrument in flight and at most one per `min_interval_us`.
//
// The model answers the probabilities of the mid falling, staying, or rising over the next ten
// book updates. With score = P(up) - P(down): at score >= `entry_threshold` it buys `order_lots`
// lots at the best offer, immediate-or-cancel, up to `max_position_lots`; at score <=
// -`entry_threshold` it sells at the best bid what it holds (or, with `allow_short`, down to
// -`max_position_lots`). One order per instrument is in flight at a time. A request that times
// out is only counted (and logged at the 1st, 10th, 100th... time).

#include <guiju/strategy.hpp>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "strategies/ai_signal/features.hpp"

namespace {

using guiju::sdk::Host;

// 1, 10, 100, ...: the counts at which a recurring condition is logged again.
bool worth_logging(uint64_t count) {
  while (count >= 10 && count % 10 == 0) count /= 10;
  return count == 1;
}

ai_signal::Normalizer load_features(Host& host) {
  const std::string path =
      host.param_string("features_file", "strategies/ai_signal/model/ai_signal/1/features.json");
  std::string error;
  auto n = ai_signal::load_normalizer(path, &error);
  if (!n) throw std::runtime_error("ai_signal: features_file: " + error);
  return *n;
}

class AiSignal final : public guiju::sdk::Strategy {
 public:
  explicit AiSignal(Host host)
      : Strategy(host),
        model_id_(static_cast<uint32_t>(host.param_int("model_id", 1, 1, 1'000'000))),
        deadline_(host.param_int("deadline_us", 2'000, 10, 1'000'000) * 1'000),
        min_interval_(host.param_int("min_interval_us", 1'000, 0, 60'000'000) * 1'000),
        entry_threshold_(host.param_double("entry_threshold", 0.2, 0.0, 1.0)),
        order_lots_(host.param_int("order_lots", 1, 1, 10'000)),
        max_position_lots_(host.param_int("max_position_lots", 5, 1, 1'000'000)),
        allow_short_(host.param_bool("allow_short", false)),
        normalizer_(load_features(host)) {}

  void on_trade(const guiju_trade& t) override {
    state(t.instrument).features.on_trade(t.aggressor, t.price, t.size);
  }

  void on_book(const guiju_book& b) override {
    State& s = state(b.instrument);
    if (s.tick <= 0) {
      const auto info = host().instrument(b.instrument);
      if (!info || info->tick_size <= 0 || info->lot_size <= 0) return;
      s.tick = ai_signal::to_double(info->tick_size);
      s.lot = info->lot_size;
    }
    ai_signal::Features raw{};
    if (!s.features.on_book(b, s.tick, raw) || !s.features.ready()) return;
    if (s.request != 0) return;  // one request in flight per instrument
    const guiju_time now = host().now();
    if (s.requested && now - s.last_request < min_interval_) return;

    guiju_signal_request r{};
    r.model_id = model_id_;
    r.instrument = b.instrument;
    r.deadline = now + deadline_;
    r.input_count = ai_signal::kFeatureCount;
    normalizer_.apply(raw, r.inputs);
    s.requested = true;
    s.last_request = now;
    s.request = host().request_signal(r);
    if (s.request != 0) {
      ++requests_;
    } else if (worth_logging(++unsent_)) {
      host().log(GUIJU_LOG_WARN, "ai_signal: no inference service took the request (" +
                                     std::to_string(unsent_) + " so far)");
    }
  }

  void on_signal(const guiju_signal& signal) override {
    const auto it = std::find_if(states_.begin(), states_.end(), [&](const State& s) {
      return s.request != 0 && s.request == signal.request_id;
    });
    if (it == states_.end()) return;
    it->request = 0;
    ++replies_;
    if (signal.status != 0 || signal.output_count < 3) {
      if (worth_logging(++errors_)) {
        host().log(GUIJU_LOG_WARN, "ai_signal: the model answered status " +
                                       std::to_string(signal.status) + " with " +
                                       std::to_string(signal.output_count) + " outputs (" +
                                       std::to_string(errors_) + " errors so far)");
      }
      return;
    }
    const double score = static_cast<double>(signal.outputs[2]) - signal.outputs[0];
    trade(static_cast<guiju_instrument>(it - states_.begin()), *it, score);
  }

  void on_signal_timeout(uint64_t request_id) override {
    for (State& s : states_) {
      if (s.request == request_id) s.request = 0;
    }
    if (worth_logging(++timeouts_)) {
      host().log(GUIJU_LOG_INFO,
                 "ai_signal: signal timed out (" + std::to_string(timeouts_) + " so far)");
    }
  }

  void on_stop() override {
    host().log(GUIJU_LOG_INFO, "ai_signal: " + std::to_string(requests_) + " requests, " +
                                   std::to_string(replies_) + " replies, " +
                                   std::to_string(timeouts_) + " timeouts, " +
                                   std::to_string(errors_) + " errors, " + std::to_string(unsent_) +
                                   " not sent, " + std::to_string(orders_) + " orders");
  }

 private:
  struct State {
    ai_signal::FeatureState features;
    double tick = 0;  // the instrument's tick and lot, asked for once
    guiju_fixed lot = 0;
    uint64_t request = 0;  // the signal request in flight, or 0
    bool requested = false;
    guiju_time last_request = 0;
    guiju_order_id working = 0;  // the IOC order not yet done

    bool order_in_flight(Host& h) {
      if (working == 0) return false;
      const auto o = h.order(working);
      if (o && (o->is_open || o->awaiting_confirm)) return true;
      working = 0;
      return false;
    }
  };

  State& state(guiju_instrument id) {
    if (id >= states_.size()) states_.resize(id + 1);
    return states_[id];
  }

  void trade(guiju_instrument id, State& s, double score) {
    if (score > -entry_threshold_ && score < entry_threshold_) return;
    if (s.lot <= 0 || s.order_in_flight(host())) return;
    const auto book = host().book(id);
    if (!book || book->bid_levels == 0 || book->ask_levels == 0) return;
    const guiju_fixed held = host().position(id).quantity;
    const guiju_fixed clip = s.lot * order_lots_;
    const guiju_fixed limit = s.lot * max_position_lots_;

    if (score >= entry_threshold_) {
      if (held + clip <= limit) submit(s, id, GUIJU_BUY, book->asks[0].price, clip);
    } else if (allow_short_) {
      if (held - clip >= -limit) submit(s, id, GUIJU_SELL, book->bids[0].price, clip);
    } else if (held > 0) {
      submit(s, id, GUIJU_SELL, book->bids[0].price, std::min(held, clip));
    }
  }

  void submit(State& s, guiju_instrument id, int side, guiju_fixed price, guiju_fixed quantity) {
    if (!backoff_.ready(host())) return;
    const guiju_result r =
        backoff_.note(host().submit_limit(id, side, price, quantity, GUIJU_IOC), host());
    if (r.reject_code == 0) {
      s.working = r.order_id;
      ++orders_;
    }
  }

  uint32_t model_id_;
  guiju_time deadline_;
  guiju_time min_interval_;
  double entry_threshold_;
  int64_t order_lots_;
  int64_t max_position_lots_;
  bool allow_short_;
  ai_signal::Normalizer normalizer_;
  std::vector<State> states_;
  guiju::sdk::ThrottleBackoff backoff_;
  uint64_t requests_ = 0;
  uint64_t replies_ = 0;
  uint64_t timeouts_ = 0;
  uint64_t errors_ = 0;
  uint64_t unsent_ = 0;
  uint64_t orders_ = 0;
};

}  // namespace

GUIJU_EXPORT_STRATEGY(AiSignal, "ai_signal", "1.0.0")
