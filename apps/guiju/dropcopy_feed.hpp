#pragma once
// `guiju run`'s drop-copy feed (the config's `dropcopy` section, docs/operations.md): a ZeroMQ
// PUB socket of order and fill events that follows the audit journal.

#include <memory>

#include "core/config/engine_config.hpp"
#include "core/dropcopy/dropcopy_publisher.hpp"
#include "core/model/instrument.hpp"

namespace guiju {

// The bound publisher, or nullptr when the config has no `dropcopy` section. Throws
// std::runtime_error naming the address, the reason, the config key and its line when it cannot
// bind (an address in use): the session must stop before it trades. Attach it to the journal
// before the engine records anything, and keep it alive until the journal has stopped.
std::unique_ptr<dropcopy::Publisher> open_dropcopy(const EngineConfig& config,
                                                   const InstrumentRegistry& registry);

// Logs what the feed published; call it once the journal has stopped. Does nothing for nullptr.
void log_dropcopy_totals(const dropcopy::Publisher* publisher);

}  // namespace guiju
