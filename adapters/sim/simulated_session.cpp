#include "adapters/sim/simulated_session.hpp"

namespace guiju {

SimulatedSession::SimulatedSession(Engine& engine, SimulatedClock& clock, SimulatedVenue& venue,
                                   SpscRing<EventSlot>& reports)
    : engine_(engine), clock_(clock), venue_(venue), reports_(reports) {}

void SimulatedSession::settle() {
  for (;;) {
    const size_t orders = venue_.drain(engine_.order_ring(), clock_.now());
    const size_t reports = reports_.pop_batch([&](const EventSlot& e) { engine_.process(e); });
    stats_.venue_reports += reports;
    if (orders == 0 && reports == 0) return;
  }
}

ReplayStats SimulatedSession::run(MarketDataSource& source) {
  EventSlot event;
  bool have_event = source.next(event);
  // Strategies start at the time of the first event, so their timers count from the session.
  if (have_event) clock_.advance_to(event.header().event_time);
  engine_.start();
  settle();
  for (; have_event && !engine_.stopping(); have_event = source.next(event)) {
    const Timestamp t = event.header().event_time;
    if (stats_.market_events == 0) stats_.first_event = t;
    stats_.last_event = t;
    ++stats_.market_events;
    engine_.advance_time_to(t);  // timers due before the event fire first
    settle();
    venue_.on_market_data(event, t);
    settle();  // fills caused by the market's move reach the engine before the event
    engine_.process(event);
    settle();
  }
  engine_.stop();
  settle();
  return stats_;
}

}  // namespace guiju
