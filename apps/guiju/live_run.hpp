#pragma once
// `guiju run` in live mode: the engine trading through the FIX sessions of the config's `fix`
// section (the order gateway and the market-data feed), until stopped.

#include <atomic>
#include <functional>

#include "adapters/fix/fix_market_data_feed.hpp"
#include "core/config/engine_config.hpp"
#include "core/engine/engine.hpp"
#include "core/metrics/engine_metrics.hpp"
#include "core/oms/client_order_id_allocator.hpp"

namespace guiju {

// The FIX market-data feed of the config's fix.market_data session, subscribing to every
// instrument, its store and log under the engine's state directory. Live and paper mode share it.
FixMarketDataOptions fix_market_data_options(const EngineConfig& config,
                                             const InstrumentRegistry& registry);

// Returns false when the session never traded (the order session did not log on). Throws
// std::runtime_error naming a settings file that QuickFIX refuses. `metrics` (may be null) is
// told the sessions' states while they exist. `on_trading` is called once, from a thread of its
// own, when the order session has logged on (the engine starts then).
bool run_live(const EngineConfig& config, const InstrumentRegistry& registry,
              const ClientOrderIdAllocator& ids, Engine& engine, const std::atomic<bool>& stop,
              EngineMetrics* metrics = nullptr, const std::function<void()>& on_trading = {});

}  // namespace guiju
