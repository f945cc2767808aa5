#include "adapters/fix/fix_market_data_feed.hpp"

#include <filesystem>
#include <stdexcept>
#include <unordered_map>

#include "adapters/fix/fix_market_data_application.hpp"
#include "adapters/fix/fix_market_data_ring_sink.hpp"
#include "adapters/fix/quickfix.hpp"
#include "core/logging/log.hpp"

namespace guiju {

struct FixMarketDataFeed::QuickFix {
  FIX::SessionSettings settings;
  std::unique_ptr<FIX::FileStoreFactory> store;
  std::unique_ptr<FIX::FileLogFactory> log;
  std::unique_ptr<FIX::SocketInitiator> initiator;
};

namespace {

constexpr const char* kSymbolsKey = "MarketDataSymbols";

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
    : registry_(registry), options_(std::move(options)), quickfix_(std::make_unique<QuickFix>()) {
  for (const InstrumentId id : options_.instruments) {
    if (!registry_.contains(id)) {
      throw std::invalid_argument("FIX market data: instrument id " + std::to_string(id) +
                                  " is not in the registry");
    }
  }
  sink_ = std::make_unique<FixMarketDataRingSink>(ring, counters_);
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
  if (!options_.log_directory.empty()) {
    std::filesystem::create_directories(options_.log_directory);
    quickfix_->log = std::make_unique<FIX::FileLogFactory>(options_.log_directory);
    quickfix_->initiator = std::make_unique<FIX::SocketInitiator>(
        *application_, *quickfix_->store, quickfix_->settings, *quickfix_->log);
  } else {
    quickfix_->initiator = std::make_unique<FIX::SocketInitiator>(*application_, *quickfix_->store,
                                                                  quickfix_->settings);
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
  quickfix_->initiator->start();
  started_ = true;
}

void FixMarketDataFeed::stop() {
  if (!started_) return;
  // A publish waiting on a full ring would keep the QuickFIX thread from ever joining.
  sink_->cancel();
  quickfix_->initiator->stop();
  started_ = false;
  const FixMarketDataCounts c = counters_.snapshot();
  if (c.ring_closed != 0) {
    log().warn(
        "FIX market data: {} events not delivered: the engine's ring was closed or the "
        "feed stopping",
        c.ring_closed);
  }
}

bool FixMarketDataFeed::logged_on() const {
  return quickfix_->initiator->isLoggedOn();
}

bool FixMarketDataFeed::unsubscribe(InstrumentId id) {
  return application_->unsubscribe(id);
}

}  // namespace guiju
