#include "adapters/fix/fix_market_data_source.hpp"

#include <chrono>
#include <thread>

#include "core/bus/cpu_relax.hpp"
#include "core/clock/clock.hpp"

namespace guiju {

FixMarketDataSource::FixMarketDataSource(const InstrumentRegistry& registry,
                                         FixMarketDataOptions options, size_t ring_capacity,
                                         const std::atomic<bool>& stop, Timestamp deadline)
    : ring_(ring_capacity, BackPressure::kFail, "fix-market-data-paper"),
      feed_(registry, ring_, std::move(options)),
      stop_(stop),
      deadline_(deadline) {}

FixMarketDataSource::~FixMarketDataSource() {
  feed_.stop();
}

bool FixMarketDataSource::next(EventSlot& out) {
  // Spin briefly (market data comes in bursts), then sleep in short steps: this thread only
  // moves data, and a quiet market must not cost a core.
  for (uint32_t idle = 0;; ++idle) {
    if (ring_.try_pop(out)) return true;
    if (stop_.load(std::memory_order_relaxed)) return false;
    if (idle < 1024) {
      cpu_relax();
    } else {
      if (deadline_ != 0 && utc_now() >= deadline_) return false;
      std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
  }
}

}  // namespace guiju
