#include "core/metrics/metrics_snapshot.hpp"

namespace guiju {

// The names of the config's risk keys, so a dashboard reads the same words as the config.
std::string_view to_string(UtilisedLimit limit) {
  switch (limit) {
    case UtilisedLimit::kMaxOpenOrders:
      return "max_open_orders";
    case UtilisedLimit::kMaxGrossExposure:
      return "max_gross_exposure";
    case UtilisedLimit::kMaxNetExposure:
      return "max_net_exposure";
    case UtilisedLimit::kDailyLossLimit:
      return "daily_loss_limit";
  }
  return "unknown";
}

}  // namespace guiju
