#pragma once
// `guiju run` in live mode: the engine trading through the FIX sessions of the config's `fix`
// section (the order gateway and the market-data feed), until stopped.

#include <atomic>

#include "core/config/engine_config.hpp"
#include "core/engine/engine.hpp"
#include "core/oms/client_order_id_allocator.hpp"

namespace guiju {

// Returns false when the session never traded (the order session did not log on). Throws
// std::runtime_error naming a settings file that QuickFIX refuses.
bool run_live(const EngineConfig& config, const InstrumentRegistry& registry,
              const ClientOrderIdAllocator& ids, Engine& engine, const std::atomic<bool>& stop);

}  // namespace guiju
