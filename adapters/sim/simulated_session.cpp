#include "adapters/sim/simulated_session.hpp"

#include <functional>
#include <queue>
#include <thread>
#include <vector>

namespace guiju {

SimulatedSession::SimulatedSession(Engine& engine, SimulatedClock& clock, SimulatedVenue& venue,
                                   SpscRing<EventSlot>& reports, ReplayLatency latency)
    : engine_(engine), clock_(clock), venue_(venue), reports_(reports), latency_(latency) {}

void SimulatedSession::to_engine(const EventSlot& e) {
  if (tracker_ && e.type() == EventType::kExecutionReport) {
    tracker_->on_report(e.as<ExecutionReport>(), clock_.now());
  }
  engine_.process(e);
}

void SimulatedSession::settle() {
  for (;;) {
    const size_t orders = venue_.drain(engine_.order_ring(), clock_.now());
    const size_t reports = reports_.pop_batch([&](const EventSlot& e) { to_engine(e); });
    stats_.venue_reports += reports;
    // The engine's own inbound rings: signal replies answered in replay (at once, so this
    // instant's).
    const size_t inbound = engine_.drain_inbound();
    if (orders == 0 && reports == 0 && inbound == 0) return;
  }
}

void SimulatedSession::on_market_event(const MarketDataSource& source, Timestamp t) {
  if (stats_.market_events == 0) {
    stats_.first_event = t;
    wall_start_ = std::chrono::steady_clock::now();
  }
  stats_.last_event = t;
  ++stats_.market_events;
  if (speed_ > 0) {
    const auto market_elapsed = static_cast<double>(t - stats_.first_event);
    std::this_thread::sleep_until(
        wall_start_ + std::chrono::nanoseconds(static_cast<int64_t>(market_elapsed / speed_)));
  }
  // Unpaced, every few thousand events (a clock read each time would cost); paced, every event
  // (it has just slept anyway).
  constexpr uint64_t kProgressEvery = 1 << 12;
  if (progress_ && (speed_ > 0 || stats_.market_events % kProgressEvery == 0)) {
    progress_(source, stats_);
  }
}

ReplayStats SimulatedSession::run(MarketDataSource& source) {
  if (latency_.any()) return run_with_latency(source);
  EventSlot event;
  bool have_event = source.next(event);
  // Strategies start at the time of the first event, so their timers count from the session.
  if (have_event) clock_.advance_to(event.header().event_time);
  engine_.start();
  settle();
  for (; have_event && !engine_.stopping(); have_event = source.next(event)) {
    const Timestamp t = event.header().event_time;
    on_market_event(source, t);
    engine_.advance_time_to(t);  // timers due before the event fire first
    settle();
    venue_.on_market_data(event, t);
    settle();  // fills caused by the market's move reach the engine before the event
    engine_.process(event);
    settle();
    if (tracker_) tracker_->observe(t, engine_.portfolio());
  }
  engine_.stop();
  settle();
  if (tracker_) tracker_->finish(clock_.now(), engine_.portfolio());
  return stats_;
}

namespace {

// Something in flight between the market, the venue and the engine.
struct Delivery {
  enum class To : uint8_t { kEngine, kVenue };
  Timestamp at;
  uint64_t order;  // ties at one instant keep the order they were sent in
  To to;
  EventSlot event;
  bool operator>(const Delivery& other) const {
    return at != other.at ? at > other.at : order > other.order;
  }
};

}  // namespace

ReplayStats SimulatedSession::run_with_latency(MarketDataSource& source) {
  std::priority_queue<Delivery, std::vector<Delivery>, std::greater<>> in_flight;
  uint64_t sent = 0;
  auto send = [&](Delivery::To to, Timestamp at, const EventSlot& e) {
    in_flight.push(Delivery{at, sent++, to, e});
  };
  // What the engine sent and the venue answered, on their way after the given instant.
  auto collect = [&](Timestamp now) {
    // Signal replies answered in replay first: what the strategies send on them goes out now.
    while (engine_.drain_inbound() != 0) {
    }
    engine_.order_ring().pop_batch(
        [&](const EventSlot& e) { send(Delivery::To::kVenue, now + latency_.order_entry, e); });
    reports_.pop_batch([&](const EventSlot& e) {
      ++stats_.venue_reports;
      send(Delivery::To::kEngine, now + latency_.order_entry, e);
    });
  };
  auto deliver = [&](const Delivery& d) {
    engine_.advance_time_to(d.at);  // timers due before it fire first
    collect(d.at);
    if (d.to == Delivery::To::kVenue) {
      venue_.on_order_event(d.event, d.at);
    } else {
      to_engine(d.event);
    }
    collect(d.at);
  };

  EventSlot event;
  bool have_event = source.next(event);
  if (have_event) clock_.advance_to(event.header().event_time);
  engine_.start();
  collect(clock_.now());
  while (have_event && !engine_.stopping()) {
    const Timestamp t = event.header().event_time;
    // Everything due before the market's next move happens first.
    if (!in_flight.empty() && in_flight.top().at < t) {
      const Delivery d = in_flight.top();
      in_flight.pop();
      deliver(d);
      continue;
    }
    on_market_event(source, t);
    engine_.advance_time_to(t);
    collect(t);
    venue_.on_market_data(event, t);  // the venue sees the market at once
    collect(t);
    send(Delivery::To::kEngine, t + latency_.market_data, event);
    if (tracker_) tracker_->observe(t, engine_.portfolio());
    have_event = source.next(event);
  }
  // The market has ended: what is in flight lands, then the stop's cancels go out and settle.
  auto drain = [&] {
    while (!in_flight.empty()) {
      const Delivery d = in_flight.top();
      in_flight.pop();
      deliver(d);
    }
  };
  drain();
  engine_.stop();
  collect(clock_.now());
  drain();
  if (tracker_) tracker_->finish(clock_.now(), engine_.portfolio());
  return stats_;
}

}  // namespace guiju
