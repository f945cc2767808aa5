#pragma once
// Order vocabulary shared by events, the OMS, risk and venues.

#include <cstdint>
#include <string_view>

namespace guiju {

enum class Side : uint8_t { kBuy = 1, kSell = 2 };
enum class OrderType : uint8_t { kLimit = 1, kMarket = 2 };
enum class TimeInForce : uint8_t { kDay = 1, kIoc = 2, kFok = 3 };

constexpr std::string_view to_string(Side s) {
  return s == Side::kBuy ? "buy" : "sell";
}
constexpr std::string_view to_string(OrderType t) {
  return t == OrderType::kLimit ? "limit" : "market";
}
constexpr std::string_view to_string(TimeInForce t) {
  switch (t) {
    case TimeInForce::kDay:
      return "day";
    case TimeInForce::kIoc:
      return "ioc";
    case TimeInForce::kFok:
      return "fok";
  }
  return "?";
}
constexpr Side opposite(Side s) {
  return s == Side::kBuy ? Side::kSell : Side::kBuy;
}
// +1 for a buy, -1 for a sell: the sign of the position change.
constexpr int sign_of(Side s) {
  return s == Side::kBuy ? 1 : -1;
}

}  // namespace guiju
