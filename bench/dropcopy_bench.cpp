// What the drop-copy feed costs the audit journal's writer thread, the thread it runs on (the
// engine thread pays nothing directly; it waits only if the writer falls a whole ring behind):
//   - BM_FeedRender: messages rendered (a new order and its fill), the work per published record;
//   - BM_RenderParts: the record's fields alone, and with their JSON;
//   - BM_WriterWithoutFeed, BM_WriterWithFeed: the writer thread's CPU time per record, and its
//     sustained rate, on a mix of nine quotes to each order and fill, without the feed (the
//     baseline) and with it, one subscriber on loopback TCP reading every message.
// Target (bench/README.md): the writer CPU the feed adds per published message <= 2.5 us, so
// that a busy session's 40,000 orders and reports a second cost the writer a tenth of a core.

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <zmq.hpp>

#include "bench/bench_support.hpp"
#include "core/dropcopy/dropcopy_publisher.hpp"
#include "core/journal/journal_service.hpp"
#include "core/journal/record_fields.hpp"
#include "core/journal/record_json.hpp"

namespace {

using namespace guiju;

InstrumentRegistry make_registry() {
  InstrumentRegistry r;
  Instrument i;
  i.symbol = "600519";
  i.venue = "SSE";
  i.tick_size = *Price::parse("0.01");
  i.lot_size = Quantity::from_units(100);
  i.currency = "CNY";
  i.previous_close = *Price::parse("1700.00");
  r.add(i);
  return r;
}

EventSlot order_slot(OrderId id) {
  NewOrder o;
  o.order_id = id;
  o.instrument = 0;
  o.account = 0;
  o.strategy = 0;
  o.price = *Price::parse("1700.05");
  o.quantity = Quantity::from_units(100);
  o.client_order_id.assign("GJ20261127" + std::to_string(id));
  EventSlot s;
  s.store(o);
  return s;
}

EventSlot fill_slot(OrderId id) {
  ExecutionReport r;
  r.order_id = id;
  r.exec_id = id;
  r.instrument = 0;
  r.exec_type = ExecType::kFill;
  r.last_price = *Price::parse("1700.05");
  r.last_qty = Quantity::from_units(100);
  r.cum_qty = r.last_qty;
  EventSlot s;
  s.store(r);
  return s;
}

EventSlot quote_slot(int64_t i) {
  Quote q;
  q.instrument = 0;
  q.bid_price = Price::from_raw(1'700'000'000'000 + i % 100);
  q.ask_price = Price::from_raw(1'700'010'000'000 + i % 100);
  q.bid_size = Quantity::from_units(1000);
  q.ask_size = Quantity::from_units(1000);
  EventSlot s;
  s.store(q);
  return s;
}

// A new order and its fill per iteration: the feed renders both (the fill's owner comes from the
// order), and forgets the order again, so the directory stays the size of a quiet book.
void BM_FeedRender(benchmark::State& state) {
  const InstrumentRegistry registry = make_registry();
  dropcopy::FeedRenderer renderer(registry, {"desk"});
  std::vector<EventSlot> orders;
  std::vector<EventSlot> fills;
  for (OrderId id = 1; id <= 1024; ++id) {
    orders.push_back(order_slot(id));
    fills.push_back(fill_slot(id));
  }
  uint64_t sequence = 0;
  for (auto _ : state) {
    const size_t i = sequence / 2 % orders.size();
    benchmark::DoNotOptimize(renderer.render(++sequence, 0, orders[i]));
    benchmark::DoNotOptimize(renderer.render(++sequence, 0, fills[i]));
  }
  state.SetItemsProcessed(static_cast<int64_t>(sequence));  // messages
}

// The parts of one message: the record's fields (shared with the audit tool), then those as
// JSON text.
void BM_RenderParts(benchmark::State& state) {
  const EventSlot order = order_slot(7);
  const bool json = state.range(0) == 1;
  for (auto _ : state) {
    journal::RecordFields f = journal::record_fields(7, 0, order);
    if (json) {
      benchmark::DoNotOptimize(journal::record_json(f));
    } else {
      benchmark::DoNotOptimize(f);
    }
  }
  state.SetLabel(json ? "record_fields + record_json" : "record_fields");
}

std::filesystem::path scratch() {
  auto p =
      std::filesystem::temp_directory_path() / ("guiju-dropcopy-bench-" + std::to_string(getpid()));
  std::filesystem::remove_all(p);
  return p;
}

// Reads the writer thread's own CPU clock at every commit, and passes everything on to the feed
// (when there is one): CPU time, unlike elapsed time, hardly moves with what else the host runs.
class WriterCpuClock final : public journal::JournalObserver {
 public:
  explicit WriterCpuClock(journal::JournalObserver* feed) : feed_(feed) {}
  void appended(uint64_t sequence, const EventSlot& event, Timestamp engine_time) override {
    if (feed_ != nullptr) feed_->appended(sequence, event, engine_time);
  }
  void committed(uint64_t sequence) override {
    if (feed_ != nullptr) feed_->committed(sequence);
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    const int64_t now = ts.tv_sec * 1'000'000'000 + ts.tv_nsec;
    if (first_ == 0) first_ = now;
    last_ = now;
  }
  int64_t cpu_ns() const { return last_ - first_; }

 private:
  journal::JournalObserver* feed_;
  int64_t first_ = 0;
  int64_t last_ = 0;
};

// 1 M records: each cycle nine quotes, then an order, then its fill: two records in eleven
// published, far more than in a real session, where market data outnumbers orders many times.
void writer_run(benchmark::State& state, bool feed) {
  constexpr int64_t kCycles = 1'000'000 / 11;
  const InstrumentRegistry registry = make_registry();
  std::vector<EventSlot> quotes;
  for (int64_t i = 0; i < 9; ++i) quotes.push_back(quote_slot(i));
  uint64_t received = 0;
  int64_t writer_cpu_ns = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const auto dir = scratch();
    std::unique_ptr<dropcopy::Publisher> publisher;
    std::atomic<bool> done{false};
    std::thread reader;
    zmq::context_t context;
    if (feed) {
      dropcopy::PublisherOptions o;
      o.endpoint = "tcp://127.0.0.1:0";
      o.high_water_mark = 1'000'000;
      publisher = std::make_unique<dropcopy::Publisher>(o, dropcopy::FeedRenderer(registry, {"d"}));
      reader = std::thread([&, endpoint = publisher->endpoint()] {
        zmq::socket_t sub(context, zmq::socket_type::sub);
        sub.set(zmq::sockopt::subscribe, "");
        sub.set(zmq::sockopt::rcvtimeo, 100);
        sub.connect(endpoint);
        zmq::message_t m;
        while (!done.load()) {
          if (sub.recv(m)) ++received;
        }
      });
      std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let it subscribe
    }
    {
      journal::WriterOptions w;
      w.directory = dir;
      w.trading_date = "20261127";
      w.durability = journal::Durability::kOsBuffered;
      journal::JournalService service(w, 1 << 16);
      WriterCpuClock clock(publisher.get());
      service.set_observer(&clock);
      state.ResumeTiming();
      for (int64_t c = 0; c < kCycles; ++c) {
        for (const EventSlot& q : quotes) service.record(q, c);
        const auto id = static_cast<OrderId>(c + 1);
        service.record(order_slot(id), c);
        service.record(fill_slot(id), c);
      }
      service.stop();
      state.PauseTiming();
      writer_cpu_ns += clock.cpu_ns();
    }
    done = true;
    if (reader.joinable()) reader.join();
    publisher.reset();
    std::filesystem::remove_all(dir);
    state.ResumeTiming();
  }
  state.counters["records_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kCycles * 11), benchmark::Counter::kIsRate);
  state.counters["writer_cpu_ns_per_record"] =
      static_cast<double>(writer_cpu_ns) / static_cast<double>(state.iterations() * kCycles * 11);
  if (feed) {
    state.counters["frames_received"] =
        static_cast<double>(received) / static_cast<double>(state.iterations());
  }
  state.SetLabel(feed ? "with the feed, one subscriber" : "no feed (baseline)");
}

void BM_WriterWithoutFeed(benchmark::State& state) {
  writer_run(state, false);
}
void BM_WriterWithFeed(benchmark::State& state) {
  writer_run(state, true);
}

}  // namespace

BENCHMARK(BM_FeedRender);
BENCHMARK(BM_RenderParts)->Arg(0)->Arg(1);
// Five repetitions each, the median judged: the hosts here are shared and noisy.
BENCHMARK(BM_WriterWithoutFeed)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(2)
    ->Repetitions(5)
    ->UseRealTime();
BENCHMARK(BM_WriterWithFeed)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(2)
    ->Repetitions(5)
    ->UseRealTime();

int main(int argc, char** argv) {
  // Not pinned: the writer, ZeroMQ's thread and the subscriber would inherit the pin and share
  // one CPU, which no deployment does.
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  guiju::bench::CollectingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  const double without = reporter.get("BM_WriterWithoutFeed", "writer_cpu_ns_per_record");
  const double with = reporter.get("BM_WriterWithFeed", "writer_cpu_ns_per_record");
  std::printf("\ntargets:\n");
  // Two records in eleven are published: the writer's extra CPU per published message.
  const double per_message = without > 0 && with > 0 ? (with - without) * 11 / 2 : -1;
  guiju::bench::print_target("writer CPU added per published message", per_message / 1e3, 2.5,
                             false, "us");
  return 0;
}
