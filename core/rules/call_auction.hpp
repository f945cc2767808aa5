#pragma once
// The price a call auction uncrosses at: the one price at which the most volume trades. Among
// prices with that volume, the one leaving the least unmatched volume; among those, per exchange:
// the Shanghai exchange takes the middle of them (rounded half up to the tick), the Shenzhen
// exchange the one nearest the reference price (the previous close; the lower when two are
// equally near).

#include <optional>
#include <span>

#include "core/model/fixed_point.hpp"

namespace guiju::rules {

struct AuctionLevel {
  Price price;
  Quantity quantity;
};

enum class AuctionTieBreak : uint8_t { kMidpoint = 1, kNearestReference = 2 };

struct Uncross {
  Price price;
  Quantity volume;     // what trades
  Quantity imbalance;  // bid volume at or above the price minus ask volume at or below (abs)
};

// bids best (highest price) first, asks best (lowest) first; nullopt when they do not cross.
std::optional<Uncross> uncross_price(std::span<const AuctionLevel> bids,
                                     std::span<const AuctionLevel> asks, Price tick,
                                     Price reference, AuctionTieBreak tie_break);

}  // namespace guiju::rules
