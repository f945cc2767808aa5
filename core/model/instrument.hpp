#pragma once
// Instruments and the registry that maps symbols to dense ids (the hot path uses the ids).

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/model/fixed_point.hpp"
#include "core/model/ids.hpp"

namespace guiju {

// Board decides the daily price-limit class on Chinese exchanges (main ±10%, ChiNext and STAR
// ±20%, risk-warning "ST" ±5%); kOther has no exchange price limit.
enum class Board : uint8_t { kMain = 1, kChiNext = 2, kStar = 3, kRiskWarning = 4, kOther = 5 };

std::string_view to_string(Board b);
std::optional<Board> parse_board(std::string_view text);  // main|chinext|star|st|other

struct Instrument {
  InstrumentId id = kNoInstrument;
  std::string symbol;  // e.g. "600519"
  std::string venue;   // e.g. "SSE"
  Price tick_size;     // minimum price increment
  Quantity lot_size;   // board lot for buys
  Board board = Board::kOther;
  std::string currency;  // ISO 4217, e.g. "CNY"
  Price previous_close;  // reference for price limits and marks before the first quote
};

class InstrumentRegistry {
 public:
  // Adds an instrument and returns its dense id. Throws std::invalid_argument naming the symbol
  // and the field when the symbol is a duplicate or a field is invalid.
  InstrumentId add(Instrument spec);

  const Instrument* find(std::string_view symbol) const;
  std::optional<InstrumentId> id_of(std::string_view symbol) const;
  bool contains(InstrumentId id) const { return id < instruments_.size(); }
  const Instrument& get(InstrumentId id) const { return instruments_[id]; }
  size_t size() const { return instruments_.size(); }
  std::span<const Instrument> all() const { return instruments_; }

 private:
  std::vector<Instrument> instruments_;
  std::unordered_map<std::string, InstrumentId> by_symbol_;
};

}  // namespace guiju
