#include "adapters/fix/fix_market_data_feed.hpp"

#include <filesystem>
#include <stdexcept>
#include <unordered_map>

#include "adapters/fix/fix_market_data_application.hpp"
#include "adapters/fix/fix_market_data_ring_sink.hpp"
#include "adapters/fix/polled_initiator.hpp"
#include "adapters/fix/quickfix.hpp"
#include "adapters/fix/ring_read_budget.hpp"
#include "core/logging/log.hpp"

namespace guiju {

struct FixMarketDataFeed::QuickFix {
  FIX::SessionSettings settings;
  std::unique_ptr<FIX::FileStoreFactory> store;
  std::unique_ptr<FIX::FileLogFactory> log;
  std::unique_ptr<FIX::Initiator> initiator;  // a SocketInitiator, or `polled`
  fix::PolledInitiator* polled = nullptr;
};

namespace {

constexpr const char* kSymbolsKey = "MarketDataSymbols";
// engine_thread: the events a session makes without reading anything, beyond one per instrument
// (a logout marks each of its instruments stale): the session state, and a margin.
constexpr size_t kRingMargin = 16;
// How long stop() lets the sessions log out.
constexpr std::chrono::milliseconds kLogoutTimeout{2000};

template <typename Initiator, typename... Log>
std::unique_ptr<FIX::Initiator> make_initiator(FIX::Application& app, FIX::FileStoreFactory& store,
                                               const FIX::SessionSettings& settings, Log&... log) {
  return std::make_unique<Initiator>(app, store, settings, log...);
}

std::vector<std::string> split_symbols(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  for (const char c : text) {
    if (c == ',' || c == ' ' || c == '\t') {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

}  // namespace

FixMarketDataFeed::FixMarketDataFeed(const InstrumentRegistry& registry, SpscRing<EventSlot>& ring,
                                     FixMarketDataOptions options)
    : registry_(registry),
      ring_(ring),
      options_(std::move(options)),
      quickfix_(std::make_unique<QuickFix>()) {
  for (const InstrumentId id : options_.instruments) {
    if (!registry_.contains(id)) {
      throw std::invalid_argument("FIX market data: instrument id " + std::to_string(id) +
                                  " is not in the registry");
    }
  }
  const size_t least = fix::min_ring_for_engine_thread(options_.instruments.size() + kRingMargin);
  if (options_.engine_thread && ring.capacity() < least) {
    throw std::invalid_argument("FIX market data on the engine thread: the inbound ring holds " +
                                std::to_string(ring.capacity()) + " events; it needs at least " +
                                std::to_string(least) + " (engine.inbound_ring_capacity)");
  }
  sink_ = std::make_unique<FixMarketDataRingSink>(ring, counters_, !options_.engine_thread);
  application_ = std::make_unique<FixMarketDataApplication>(registry_, options_.instruments, *sink_,
                                                            counters_, options_.source);

  quickfix_->settings = FIX::SessionSettings(options_.settings_file);
  const std::set<FIX::SessionID> sessions = quickfix_->settings.getSessions();
  if (sessions.empty()) {
    throw std::invalid_argument("FIX market data: " + options_.settings_file + " has no [SESSION]");
  }
  std::unordered_map<std::string, InstrumentId> by_symbol;
  for (const InstrumentId id : options_.instruments) by_symbol[registry_.get(id).symbol] = id;
  size_t assigned = 0;
  for (const FIX::SessionID& session : sessions) {
    const FIX::Dictionary& d = quickfix_->settings.get(session);
    if (!d.has("ConnectionType") || d.getString("ConnectionType") != "initiator") {
      throw std::invalid_argument("FIX market data session " + session.toString() +
                                  ": ConnectionType must be initiator");
    }
    std::vector<InstrumentId> mine;
    if (d.has(kSymbolsKey)) {
      for (const std::string& symbol : split_symbols(d.getString(kSymbolsKey))) {
        const auto it = by_symbol.find(symbol);
        if (it == by_symbol.end()) {
          throw std::invalid_argument("FIX market data session " + session.toString() + ": " +
                                      kSymbolsKey + " names " + symbol +
                                      ", which is not a configured instrument");
        }
        mine.push_back(it->second);
      }
    } else if (sessions.size() == 1) {
      mine = options_.instruments;
    } else {
      throw std::invalid_argument("FIX market data session " + session.toString() +
                                  ": with several sessions each must list its " + kSymbolsKey);
    }
    assigned += mine.size();
    application_->assign(session, mine);  // throws for a symbol assigned twice
  }
  if (assigned != options_.instruments.size()) {
    throw std::invalid_argument(std::string("FIX market data: every instrument must be in one "
                                            "session's ") +
                                kSymbolsKey);
  }

  std::filesystem::create_directories(options_.store_directory);
  quickfix_->store = std::make_unique<FIX::FileStoreFactory>(options_.store_directory);
  const auto make = [&](auto* kind) {
    using Initiator = std::remove_pointer_t<decltype(kind)>;
    if (quickfix_->log) {
      return make_initiator<Initiator>(*application_, *quickfix_->store, quickfix_->settings,
                                       *quickfix_->log);
    }
    return make_initiator<Initiator>(*application_, *quickfix_->store, quickfix_->settings);
  };
  if (!options_.log_directory.empty()) {
    std::filesystem::create_directories(options_.log_directory);
    quickfix_->log = std::make_unique<FIX::FileLogFactory>(options_.log_directory);
  }
  if (options_.engine_thread) {
    quickfix_->initiator = make(static_cast<fix::PolledInitiator*>(nullptr));
    quickfix_->polled = static_cast<fix::PolledInitiator*>(quickfix_->initiator.get());
  } else {
    quickfix_->initiator = make(static_cast<FIX::SocketInitiator*>(nullptr));
  }
}

FixMarketDataFeed::~FixMarketDataFeed() {
  try {
    stop();
  } catch (const std::exception& e) {
    log().error("FIX market data: stopping: {}", e.what());
  }
}

void FixMarketDataFeed::start() {
  if (started_) return;
  sink_->reset();
  if (quickfix_->polled == nullptr) quickfix_->initiator->start();
  started_ = true;
}

void FixMarketDataFeed::stop() {
  if (!started_) return;
  // A publish waiting on a full ring would keep the QuickFIX thread from ever joining.
  sink_->cancel();
  if (quickfix_->polled != nullptr) {
    quickfix_->polled->shut_down(kLogoutTimeout);
  } else {
    quickfix_->initiator->stop();
  }
  started_ = false;
  const FixMarketDataCounts c = counters_.snapshot();
  if (c.ring_closed != 0) {
    log().warn(
        "FIX market data: {} events not delivered: the engine's ring was closed (or full while "
        "the engine thread read the feed), or the feed was stopping",
        c.ring_closed);
  }
}

size_t FixMarketDataFeed::poll() {
  fix::PolledInitiator* polled = quickfix_->polled;
  if (polled == nullptr || !started_) return 0;
  const size_t budget = fix::ring_read_budget(ring_, polled->unparsed_bytes(),
                                              options_.instruments.size() + kRingMargin);
  return budget == 0 ? 0 : polled->poll(budget);  // 0: the engine drains the ring first
}

void FixMarketDataFeed::wait_fds(std::vector<pollfd>& out) const {
  if (quickfix_->polled != nullptr && started_) quickfix_->polled->wait_fds(out);
}

bool FixMarketDataFeed::logged_on() const {
  return quickfix_->initiator->isLoggedOn();
}

bool FixMarketDataFeed::unsubscribe(InstrumentId id) {
  return application_->unsubscribe(id);
}

}  // namespace guiju
