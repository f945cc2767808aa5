#include "apps/guiju/live_run.hpp"

#include <chrono>
#include <filesystem>
#include <thread>

#include "adapters/fix/fix_market_data_feed.hpp"
#include "adapters/fix/live_session.hpp"
#include "apps/guiju/thread_setup.hpp"
#include "core/logging/log.hpp"

namespace guiju {

namespace {

fix::OrderTags order_tags(const EngineConfig& config) {
  fix::OrderTags tags;
  tags.handl_inst = config.fix.handl_inst;
  tags.account_values.resize(config.accounts.size());
  for (const auto& [name, value] : config.fix.accounts) {
    for (size_t a = 0; a < config.accounts.size(); ++a) {
      if (config.accounts[a].name == name) tags.account_values[a] = value;
    }
  }
  tags.custom = config.fix.custom_tags;
  return tags;
}

}  // namespace

FixMarketDataOptions fix_market_data_options(const EngineConfig& config,
                                             const InstrumentRegistry& registry) {
  FixMarketDataOptions options;
  options.settings_file = config.fix.market_data;
  const std::filesystem::path state(config.engine.state_dir);
  options.store_directory = (state / "fix-market-data").string();
  options.log_directory = (state / "fix-market-data-log").string();
  for (const Instrument& i : registry.all()) options.instruments.push_back(i.id);
  return options;
}

bool run_live(const EngineConfig& config, const InstrumentRegistry& registry,
              const ClientOrderIdAllocator& ids, Engine& engine, const std::atomic<bool>& stop,
              EngineMetrics* metrics, const std::function<void()>& on_trading) {
  // One ring per producer: each FIX initiator is read by one thread (its own, or the engine's).
  SpscRing<EventSlot> reports(config.engine.inbound_ring_capacity, BackPressure::kFail,
                              "fix-orders-in");
  SpscRing<EventSlot> market(config.engine.inbound_ring_capacity, BackPressure::kFail,
                             "fix-market-data-in");
  engine.add_inbound(&reports);
  engine.add_inbound(&market);
  // Every producer rings it after each push (the FIX threads, and the inference worker when one
  // serves signals); the engine thread parks on it when idle, and on the market-data sockets when
  // it reads those itself.
  const bool engine_reads_market_data = config.fix.market_data_on_engine_thread;
  const bool engine_reads_orders = config.fix.orders_on_engine_thread;
  Doorbell doorbell(engine_reads_market_data || engine_reads_orders ? Doorbell::Kind::kPollable
                                                                    : Doorbell::Kind::kFutex);
  for (SpscRing<EventSlot>* ring : engine.inbound_rings()) ring->set_doorbell(&doorbell);

  fix::OrderGatewayOptions gateway_options;
  gateway_options.settings_file = config.fix.orders;
  gateway_options.cl_ord_id_stem = ids.prefix() + ids.trading_date() + "-";
  gateway_options.tags = order_tags(config);
  gateway_options.engine_thread = engine_reads_orders;
  fix::OrderGateway gateway(registry, reports, gateway_options);

  FixMarketDataOptions feed_options = fix_market_data_options(config, registry);
  feed_options.engine_thread = engine_reads_market_data;
  FixMarketDataFeed feed(registry, market, feed_options);

  // The collector runs on this thread (the engine's), and only while the sessions exist.
  size_t collector = 0;
  if (metrics != nullptr) {
    collector = metrics->add_collector([&gateway, &feed](MetricsSnapshot& s) {
      s.has_order_session = 1;
      s.order_session_up = gateway.logged_on() ? 1 : 0;
      s.has_market_data_session = 1;
      s.market_data_session_up = feed.logged_on() ? 1 : 0;
    });
  }
  const NewThreads fix_threads;
  feed.start();
  gateway.start();
  fix_threads.place("guiju-fix", "fix", config.threads.fix);
  fix::LiveOptions options;
  options.doorbell = &doorbell;
  if (engine_reads_market_data) options.feed = &feed;
  // paper.duration_seconds bounds a live session too (0: until stopped), for demos and tests.
  options.duration = static_cast<Duration>(config.paper.duration_seconds) * kSecond;
  // The session starts the engine as soon as the order session logs on; this thread watches for
  // that (an atomic flag of the gateway) rather than the engine thread, which must not wait on a
  // service manager's socket, and it is started before the engine thread is placed on its CPU.
  // A jthread: stopped and joined however run() ends, by a throw included.
  std::jthread watcher([&](const std::stop_token& over) {
    while (!over.stop_requested() && !stop.load()) {
      if (gateway.logged_on()) {
        if (on_trading) on_trading();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  fix::LiveSession session(engine, gateway, options);
  place_engine_thread(config);  // last: the threads started above keep their own CPUs
  const fix::LiveStats stats = session.run(stop);
  watcher.request_stop();
  watcher.join();
  if (metrics != nullptr) metrics->remove_collector(collector);
  gateway.stop();
  feed.stop();
  log().info("live session: order session {}, {} order messages sent, {} open at exit",
             stats.logged_on ? "logged on" : "never logged on", stats.orders_pumped,
             stats.open_at_exit);
  return stats.logged_on;
}

}  // namespace guiju
