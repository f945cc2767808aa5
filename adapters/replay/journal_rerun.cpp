#include "adapters/replay/journal_rerun.hpp"

#include <algorithm>
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
    case EventType::kRiskLimitChange:
    case EventType::kSignalReply:
      return true;
    default:
      return false;
  }
}

// Outputs are what the engine decides. Timer firings are driven from the journal and session
// records cut it into runs; neither is compared.
bool is_output(EventType t) {
  return !is_input(t) && t != EventType::kTimer && t != EventType::kSession;
}

bool is_session(const EventSlot& e, SessionAction action) {
  return e.type() == EventType::kSession && e.as<SessionEvent>().action == action;
}

// Where a plugin or the config was loaded from may differ between the recording machine and the
// re-run's; what it is (its SHA-256) may not.
EventSlot without_paths(const EventSlot& e) {
  if (e.type() == EventType::kSession) {
    // The config's path, like a plugin's, may differ; its hash (compared) may not.
    EventSlot out = e;
    out.as<SessionEvent>().detail = {};
    return out;
  }
  if (e.type() != EventType::kStrategyLifecycle) return e;
  EventSlot out = e;
  out.as<StrategyEvent>().plugin_path = {};
  return out;
}

bool same_decision(const EventSlot& recorded, const EventSlot& rerun) {
  const EventSlot a = without_paths(recorded);
  const EventSlot b = without_paths(rerun);
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

namespace {

// The first order id of each run (kNoOrder for a run that sent none), by a pass over the journal
// before the re-run: a run's engine must be built knowing where its ids start.
std::vector<OrderId> first_order_ids(const std::filesystem::path& journal) {
  std::vector<OrderId> firsts;
  journal::for_each_record(
      journal, [&](const journal::RecordHeader& /*h*/, std::span<const std::byte> payload) {
        EventSlot e;
        if (!decode(payload, e).ok()) return;
        if (firsts.empty() || is_session(e, SessionAction::kEngineStarted)) {
          firsts.push_back(kNoOrder);
        }
        if (e.type() == EventType::kNewOrder && firsts.back() == kNoOrder) {
          firsts.back() = e.as<NewOrder>().order_id;
        }
      });
  return firsts;
}

RecordedSession recorded_session(const EventSlot& e, uint64_t sequence) {
  RecordedSession r;
  r.first_sequence = sequence;
  if (e.type() != EventType::kSession) return r;
  const auto& s = e.as<SessionEvent>();
  r.mode = s.mode.view();
  r.trading_date = s.trading_date.view();
  r.software = s.software.view();
  r.config_hash = s.config_hash;
  return r;
}

}  // namespace

RerunResult rerun_journal(const std::filesystem::path& journal, const RerunTargetFactory& make) {
  RerunResult result;
  const std::vector<OrderId> firsts = first_order_ids(journal);
  std::unique_ptr<RerunTarget> run;  // the engine of the run being re-run
  std::vector<Recorded> expected;    // recorded outputs since the last input
  bool stopping = false;
  bool done = false;

  auto drain_orders = [&] { run->engine().order_ring().pop_batch([](const EventSlot&) {}); };
  // Holds what the engine emitted against what was recorded since the last input.
  auto settle = [&]() {
    if (!run) return true;
    const std::vector<EventSlot> emitted = run->recorder().take();
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
  // A run begins: whatever the previous one still owed is settled, and a fresh engine starts.
  auto begin_run = [&](const EventSlot& e, const journal::RecordHeader& h) {
    if (!settle()) return false;
    const size_t index = result.sessions.size();
    const OrderId first = index < firsts.size() && firsts[index] != kNoOrder ? firsts[index] : 1;
    run.reset();
    run = make(first);
    result.sessions.push_back(recorded_session(e, h.sequence));
    stopping = false;
    run->clock().advance_to(h.engine_time);
    run->engine().start();
    return true;
  };

  result.damage = journal::for_each_record(
      journal, [&](const journal::RecordHeader& h, std::span<const std::byte> payload) {
        if (done) return;
        ++result.records;
        EventSlot e;
        if (!decode(payload, e).ok()) return;  // a layout this build cannot read: not comparable
        const EventType type = e.type();
        if (is_session(e, SessionAction::kEngineStarted) || !run) {
          if (!begin_run(e, h)) return;
          if (type == EventType::kSession) return;
        }
        if (is_session(e, SessionAction::kEngineStopping) && !stopping) {
          if (!settle()) return;
          stopping = true;
          run->clock().advance_to(h.engine_time);
          run->engine().stop();
          drain_orders();
          return;
        }
        if (is_input(type)) {
          if (!settle()) return;
          run->clock().advance_to(h.engine_time);
          run->engine().process(e);
          drain_orders();
          ++result.inputs;
        } else if (type == EventType::kTimer) {
          if (!settle()) return;
          run->clock().advance_to(h.engine_time);
          if (!run->engine().fire_recorded_timer(e.as<TimerFired>())) {
            result.divergence = RerunDivergence{h.sequence, describe(e, h.sequence),
                                                "(no such timer due: the re-run's timers differ)"};
            done = true;
            return;
          }
          drain_orders();
        } else if (is_output(type)) {
          expected.push_back({e, h.sequence});
        }
      });
  if (!done) settle();
  return result;
}

std::vector<DataSourceEvent> recorded_data_sources(const std::filesystem::path& journal) {
  std::vector<DataSourceEvent> sources;
  int runs = 0;
  journal::for_each_record(journal,
                           [&](const journal::RecordHeader&, std::span<const std::byte> payload) {
                             EventSlot e;
                             if (runs > 1 || !decode(payload, e).ok()) return;
                             if (is_session(e, SessionAction::kEngineStarted)) ++runs;
                             if (runs == 1 && e.type() == EventType::kDataSource) {
                               sources.push_back(e.as<DataSourceEvent>());
                             }
                           });
  return sources;
}

ReplayJournalMatcher::ReplayJournalMatcher(const std::filesystem::path& journal)
    : damage_(journal::for_each_record(
          journal, [&](const journal::RecordHeader& h, std::span<const std::byte> payload) {
            Recorded r{};
            if (!decode(payload, r.event).ok()) return;
            if (is_session(r.event, SessionAction::kEngineStarted)) ++runs_;
            if (runs_ > 1) return;
            r.engine_time = h.engine_time;
            r.sequence = h.sequence;
            recorded_.push_back(r);
          })) {}

bool ReplayJournalMatcher::record(const EventSlot& event, Timestamp engine_time) {
  if (divergence_) return true;
  if (next_ == recorded_.size()) {
    divergence_ = RerunDivergence{0, "(nothing)", describe(event, 0)};
    return true;
  }
  const Recorded& r = recorded_[next_];
  if (r.engine_time != engine_time || !same_decision(r.event, event)) {
    divergence_ = RerunDivergence{r.sequence, describe(r.event, r.sequence), describe(event, 0)};
    return true;
  }
  ++next_;
  return true;
}

std::optional<RerunDivergence> ReplayJournalMatcher::finish() {
  if (!divergence_ && next_ < recorded_.size()) {
    const Recorded& r = recorded_[next_];
    divergence_ = RerunDivergence{r.sequence, describe(r.event, r.sequence), "(nothing)"};
  }
  return divergence_;
}

}  // namespace guiju
