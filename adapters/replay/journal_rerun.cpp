#include "adapters/replay/journal_rerun.hpp"

#include <cstring>

#include "core/events/codec.hpp"
#include "core/journal/query.hpp"
#include "core/journal/record_fields.hpp"

namespace guiju {

namespace {

bool is_input(EventType t) {
  switch (t) {
    case EventType::kQuote:
    case EventType::kBookUpdate:
    case EventType::kTrade:
    case EventType::kExecutionReport:
    case EventType::kControlCommand:
    case EventType::kSignalReply:
      return true;
    default:
      return false;
  }
}

// Outputs are what the engine decides; timer firings are driven from the journal, not compared.
bool is_output(EventType t) {
  return !is_input(t) && t != EventType::kTimer;
}

bool same_decision(const EventSlot& a, const EventSlot& b) {
  const EventHeader& ha = a.header();
  const EventHeader& hb = b.header();
  if (ha.type != hb.type || ha.version != hb.version || ha.size != hb.size ||
      ha.source != hb.source) {
    return false;
  }
  const size_t n = std::min<size_t>(ha.size, EventSlot::kCapacity);
  return std::memcmp(a.bytes + sizeof(EventHeader), b.bytes + sizeof(EventHeader),
                     n - sizeof(EventHeader)) == 0;
}

std::string describe(const EventSlot& e, uint64_t sequence) {
  journal::RecordHeader h;
  h.sequence = sequence;
  h.type = static_cast<uint16_t>(e.type());
  h.version = e.header().version;
  h.payload_size = e.header().size;
  const journal::RecordFields f =
      journal::record_fields(h, std::span<const std::byte>(e.bytes, e.header().size));
  std::string out = f.type;
  if (f.account >= 0) out += " account=" + std::to_string(f.account);
  if (f.strategy >= 0) out += " strategy=" + std::to_string(f.strategy);
  for (const auto& [k, v] : f.fields) {
    out += ' ';
    out += k;
    out += '=';
    out += v;
  }
  return out;
}

struct Recorded {
  EventSlot event;
  uint64_t sequence;
};

}  // namespace

bool RerunRecorder::record(const EventSlot& event, Timestamp /*engine_time*/) {
  if (is_output(event.type())) emitted_.push_back(event);
  return true;
}

std::vector<EventSlot> RerunRecorder::take() {
  std::vector<EventSlot> out;
  out.swap(emitted_);
  return out;
}

OrderId first_recorded_order_id(const std::filesystem::path& journal) {
  OrderId first = kNoOrder;
  journal::for_each_record(
      journal, [&](const journal::RecordHeader& h, std::span<const std::byte> payload) {
        if (first != kNoOrder || h.type != static_cast<uint16_t>(EventType::kNewOrder)) return;
        EventSlot e;
        if (decode(payload, e).ok()) first = e.as<NewOrder>().order_id;
      });
  return first == kNoOrder ? 1 : first;
}

RerunResult rerun_journal(const std::filesystem::path& journal, Engine& engine,
                          SimulatedClock& clock, RerunRecorder& recorder) {
  RerunResult result;
  std::vector<Recorded> expected;  // recorded outputs since the last input
  bool started = false;
  bool stopping = false;
  bool done = false;

  auto drain_orders = [&] { engine.order_ring().pop_batch([](const EventSlot&) {}); };
  // Holds what the engine emitted against what was recorded since the last input.
  auto settle = [&]() {
    const std::vector<EventSlot> emitted = recorder.take();
    const size_t n = std::max(emitted.size(), expected.size());
    for (size_t k = 0; k < n; ++k) {
      const bool have_expected = k < expected.size();
      const bool have_emitted = k < emitted.size();
      if (have_expected && have_emitted && same_decision(expected[k].event, emitted[k])) {
        ++result.outputs_compared;
        continue;
      }
      RerunDivergence d;
      d.sequence = have_expected ? expected[k].sequence : 0;
      d.expected = have_expected ? describe(expected[k].event, expected[k].sequence) : "(nothing)";
      d.actual = have_emitted ? describe(emitted[k], 0) : "(nothing)";
      result.divergence = d;
      done = true;
      break;
    }
    expected.clear();
    return !done;
  };

  result.damage = journal::for_each_record(
      journal, [&](const journal::RecordHeader& h, std::span<const std::byte> payload) {
        if (done) return;
        ++result.records;
        EventSlot e;
        if (!decode(payload, e).ok()) return;  // a layout this build cannot read: not comparable
        const EventType type = e.type();
        if (!started) {
          clock.advance_to(h.engine_time);
          engine.start();
          started = true;
        }
        if (type == EventType::kStrategyLifecycle) {
          const auto action = e.as<StrategyEvent>().action;
          if (action == StrategyAction::kStarted && stopping) {
            // The next session begins: a re-run covers one session.
            if (settle()) result.more_sessions = true;
            done = true;
            return;
          }
          if (action == StrategyAction::kStopped && !stopping) {
            if (!settle()) return;
            stopping = true;
            clock.advance_to(h.engine_time);
            engine.stop();
            drain_orders();
          }
        }
        if (is_input(type)) {
          if (!settle()) return;
          clock.advance_to(h.engine_time);
          engine.process(e);
          drain_orders();
          ++result.inputs;
        } else if (type == EventType::kTimer) {
          if (!settle()) return;
          clock.advance_to(h.engine_time);
          if (!engine.fire_recorded_timer(e.as<TimerFired>())) {
            result.divergence = RerunDivergence{h.sequence, describe(e, h.sequence),
                                                "(no such timer due: the re-run's timers differ)"};
            done = true;
            return;
          }
          drain_orders();
        } else {
          expected.push_back({e, h.sequence});
        }
      });
  if (!done) settle();
  return result;
}

}  // namespace guiju
