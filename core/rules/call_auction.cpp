#include "core/rules/call_auction.hpp"

#include <algorithm>
#include <vector>

namespace guiju::rules {

std::optional<Uncross> uncross_price(std::span<const AuctionLevel> bids,
                                     std::span<const AuctionLevel> asks, Price tick,
                                     Price reference, AuctionTieBreak tie_break) {
  if (bids.empty() || asks.empty() || bids.front().price < asks.front().price) return std::nullopt;
  // Candidates: every order price inside the crossed range [best ask, best bid].
  std::vector<Price> candidates;
  for (const AuctionLevel& b : bids) {
    if (b.price >= asks.front().price) candidates.push_back(b.price);
  }
  for (const AuctionLevel& a : asks) {
    if (a.price <= bids.front().price) candidates.push_back(a.price);
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

  Quantity best_volume;
  Quantity best_imbalance;
  std::vector<Price> tied;
  for (const Price p : candidates) {
    Quantity buy;
    for (const AuctionLevel& b : bids) {
      if (b.price >= p) buy = buy + b.quantity;
    }
    Quantity sell;
    for (const AuctionLevel& a : asks) {
      if (a.price <= p) sell = sell + a.quantity;
    }
    const Quantity volume = buy < sell ? buy : sell;
    const Quantity imbalance = buy > sell ? buy - sell : sell - buy;
    if (volume > best_volume || (volume == best_volume && imbalance < best_imbalance) ||
        tied.empty()) {
      best_volume = volume;
      best_imbalance = imbalance;
      tied.assign(1, p);
    } else if (volume == best_volume && imbalance == best_imbalance) {
      tied.push_back(p);
    }
  }
  if (!best_volume.is_positive()) return std::nullopt;

  Price chosen = tied.front();
  if (tied.size() > 1) {
    if (tie_break == AuctionTieBreak::kMidpoint) {
      const int64_t t = tick.raw() > 0 ? tick.raw() : 1;
      const int64_t sum = tied.front().raw() + tied.back().raw();
      const int64_t ticks = (sum / t + 1) / 2;  // half up, in ticks (prices are positive)
      chosen = Price::from_raw(ticks * t);
    } else {
      auto distance = [&](Price p) {
        return p > reference ? p.raw() - reference.raw() : reference.raw() - p.raw();
      };
      for (const Price p : tied) {
        if (distance(p) < distance(chosen)) chosen = p;  // the lower wins ties: tied is sorted
      }
    }
  }
  return Uncross{chosen, best_volume, best_imbalance};
}

}  // namespace guiju::rules
