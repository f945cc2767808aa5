#pragma once
// Dense integer identifiers. Names live in registries and configs; the hot path uses these.

#include <cstdint>

namespace guiju {

using InstrumentId = uint32_t;  // index into InstrumentRegistry
using AccountId = uint16_t;     // index into the configured accounts
using StrategyId = uint16_t;    // index into the configured strategies
using OrderId = uint64_t;       // engine order id: the persisted client-order-id counter
using ExecId = uint64_t;        // venue execution id, unique per venue session
using TimerId = uint64_t;       // engine-owned timer handle
using SourceId = uint32_t;      // which producer stamped an event (adapter, venue, clock ...)

inline constexpr InstrumentId kNoInstrument = UINT32_MAX;
inline constexpr OrderId kNoOrder = 0;
inline constexpr StrategyId kNoStrategy = UINT16_MAX;

}  // namespace guiju
