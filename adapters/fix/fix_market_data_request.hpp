#pragma once
// MarketDataRequest (V): what the market-data adapter sends to subscribe to an instrument and to
// unsubscribe from it, for FIX 4.2 and 4.4 (the session's BeginString decides which).

#include <optional>
#include <string>
#include <string_view>

#include "adapters/fix/quickfix.hpp"

namespace guiju {

enum class FixVersion : uint8_t { k42 = 42, k44 = 44 };

// FIX.4.2 and FIX.4.4; nullopt for any other BeginString.
std::optional<FixVersion> fix_version_of(std::string_view begin_string);

// SubscriptionRequestType(263) values the adapter sends.
inline constexpr char kSubscribe = '1';    // snapshot + updates
inline constexpr char kUnsubscribe = '2';  // disable previous snapshot + updates

// The MDReqID of the n-th subscription of a symbol: "<symbol>-<n>". Deterministic, so that an
// unsubscribe from another thread can name the request without sharing a string, and unique per
// session because n grows with every (re)subscription: a late answer to a request made before a
// reconnect names an id that is no longer mapped and is ignored.
std::string market_data_request_id(std::string_view symbol, uint32_t n);

// A V for one symbol: SubscriptionRequestType `type` (kSubscribe or kUnsubscribe), MarketDepth
// kBookDepth, MDUpdateType 1 (incremental refresh), NoMDEntryTypes bid, offer and trade,
// NoRelatedSym with Symbol(55) (4.4: in the Instrument component, the same tag on the wire).
FIX::Message build_market_data_request(FixVersion version, const std::string& md_req_id,
                                       const std::string& symbol, char type);

}  // namespace guiju
