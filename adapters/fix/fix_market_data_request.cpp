#include "adapters/fix/fix_market_data_request.hpp"

#include "core/events/market_data.hpp"

namespace guiju {
namespace {

// The body is the same in both versions apart from the message class and the group classes;
// QuickFIX's classes set BeginString and MsgType and give each group its delimiter and order.
template <typename Request>
FIX::Message build(const std::string& md_req_id, const std::string& symbol, char type) {
  Request m{FIX::MDReqID(md_req_id), FIX::SubscriptionRequestType(type),
            FIX::MarketDepth(kBookDepth)};
  m.set(FIX::MDUpdateType(FIX::MDUpdateType_INCREMENTAL_REFRESH));
  for (const char entry_type :
       {FIX::MDEntryType_BID, FIX::MDEntryType_OFFER, FIX::MDEntryType_TRADE}) {
    typename Request::NoMDEntryTypes g;
    g.set(FIX::MDEntryType(entry_type));
    m.addGroup(g);
  }
  typename Request::NoRelatedSym related;
  related.set(FIX::Symbol(symbol));
  m.addGroup(related);
  return m;
}

}  // namespace

std::optional<FixVersion> fix_version_of(std::string_view begin_string) {
  if (begin_string == "FIX.4.2") return FixVersion::k42;
  if (begin_string == "FIX.4.4") return FixVersion::k44;
  return std::nullopt;
}

std::string market_data_request_id(std::string_view symbol, uint32_t n) {
  std::string id(symbol);
  id += '-';
  id += std::to_string(n);
  return id;
}

FIX::Message build_market_data_request(FixVersion version, const std::string& md_req_id,
                                       const std::string& symbol, char type) {
  if (version == FixVersion::k42) return build<FIX42::MarketDataRequest>(md_req_id, symbol, type);
  return build<FIX44::MarketDataRequest>(md_req_id, symbol, type);
}

}  // namespace guiju
