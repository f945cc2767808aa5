#include "adapters/fix/fix_venue.hpp"

#include <chrono>
#include <set>
#include <stdexcept>
#include <thread>

#include "adapters/fix/fix_venue_application.hpp"
#include "adapters/fix/quickfix.hpp"
#include "core/logging/log.hpp"

namespace guiju {

namespace {

// The acceptor is polled between market-data events: this is how long the loop sleeps when
// neither has work, which bounds the venue's added latency.
constexpr auto kIdle = std::chrono::milliseconds(1);

FIX::SessionSettings read_settings(const std::string& path) {
  try {
    return FIX::SessionSettings(path);
  } catch (const FIX::ConfigError& e) {
    throw std::runtime_error("FIX settings " + path + ": " + e.what());
  }
}

}  // namespace

struct FixVenue::Impl {
  Impl(const InstrumentRegistry& instruments, const FixVenueOptions& o)
      : options(o),
        settings(read_settings(o.settings_path)),
        application(instruments, o.exchange),
        trade_log(o.trade_log_path.empty()
                      ? nullptr
                      : std::make_unique<fix_venue::TradeLog>(o.trade_log_path)),
        store(make_store()),
        logs(make_log()),
        acceptor(make_acceptor()) {
    application.set_trade_log(trade_log.get());
  }

  std::unique_ptr<FIX::MessageStoreFactory> make_store() {
    if (settings.get().has("FileStorePath"))
      return std::make_unique<FIX::FileStoreFactory>(settings);
    return std::make_unique<FIX::MemoryStoreFactory>();
  }
  std::unique_ptr<FIX::LogFactory> make_log() {
    if (settings.get().has("FileLogPath")) return std::make_unique<FIX::FileLogFactory>(settings);
    return nullptr;
  }
  std::unique_ptr<FIX::SocketAcceptor> make_acceptor() {
    try {
      if (logs) return std::make_unique<FIX::SocketAcceptor>(application, *store, settings, *logs);
      return std::make_unique<FIX::SocketAcceptor>(application, *store, settings);
    } catch (const FIX::ConfigError& e) {
      throw std::runtime_error("FIX settings " + options.settings_path + ": " + e.what());
    }
  }

  void log_out_everyone();

  FixVenueOptions options;
  FIX::SessionSettings settings;
  fix_venue::VenueApplication application;
  std::unique_ptr<fix_venue::TradeLog> trade_log;
  std::unique_ptr<FIX::MessageStoreFactory> store;
  std::unique_ptr<FIX::LogFactory> logs;
  std::unique_ptr<FIX::SocketAcceptor> acceptor;
};

FixVenue::FixVenue(const InstrumentRegistry& instruments, const FixVenueOptions& options)
    : impl_(std::make_unique<Impl>(instruments, options)) {}

FixVenue::~FixVenue() = default;

std::vector<std::string> FixVenue::describe() const {
  std::set<int> ports;
  std::vector<std::string> sessions;
  for (const FIX::SessionID& id : impl_->settings.getSessions()) {
    const FIX::Dictionary& d = impl_->settings.get(id);
    if (d.has("SocketAcceptPort")) ports.insert(d.getInt("SocketAcceptPort"));
    sessions.push_back("session " + id.toString());
  }
  std::vector<std::string> lines;
  for (const int port : ports) lines.push_back("listening on port " + std::to_string(port));
  lines.insert(lines.end(), sessions.begin(), sessions.end());
  return lines;
}

void FixVenue::Impl::log_out_everyone() {
  for (const FIX::SessionID& id : acceptor->getSessions()) {
    if (FIX::Session* s = acceptor->getSession(id); s && s->isLoggedOn()) {
      s->logout("venue closing");
    }
  }
  // The Logouts go out, and the answers come in, only while the acceptor is polled.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (acceptor->isLoggedOn() && std::chrono::steady_clock::now() < deadline) {
    acceptor->poll(0);
    std::this_thread::sleep_for(kIdle);
  }
  acceptor->stop(true);
}

void FixVenue::run(MarketDataSource& background, const std::atomic<bool>& stop) {
  Impl& v = *impl_;
  sim::Exchange& exchange = v.application.exchange();
  EventSlot pending;
  bool have = background.next(pending);
  const Timestamp first = have ? pending.header().event_time : 0;
  exchange.set_time(first);  // the venue's clock starts at the market's open
  const auto wall_start = std::chrono::steady_clock::now();
  const double speed = v.options.speed > 0 ? v.options.speed : 1.0;
  try {
    v.acceptor->poll(0);  // binds the ports
  } catch (const FIX::RuntimeError& e) {
    throw std::runtime_error(std::string("FIX acceptor: ") + e.what());
  }
  log().info("venue: accepting FIX sessions");
  while (!stop.load()) {
    const auto elapsed = std::chrono::steady_clock::now() - wall_start;
    const Duration wall = std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count();
    if (v.options.duration > 0 && wall >= v.options.duration) break;
    bool busy = false;
    while (have && static_cast<double>(pending.header().event_time - first) / speed <=
                       static_cast<double>(wall)) {
      exchange.on_market_data(pending);
      have = background.next(pending);
      busy = true;
    }
    busy = v.acceptor->poll(0) && busy;
    if (!busy) std::this_thread::sleep_for(kIdle);
  }
  log().info("venue: stopping, logging sessions out");
  v.log_out_everyone();
}

}  // namespace guiju
