#include "core/model/instrument.hpp"

#include <stdexcept>

namespace guiju {

std::string_view to_string(Board b) {
  switch (b) {
    case Board::kMain:
      return "main";
    case Board::kChiNext:
      return "chinext";
    case Board::kStar:
      return "star";
    case Board::kRiskWarning:
      return "st";
    case Board::kOther:
      return "other";
  }
  return "?";
}

std::optional<Board> parse_board(std::string_view text) {
  if (text == "main") return Board::kMain;
  if (text == "chinext") return Board::kChiNext;
  if (text == "star") return Board::kStar;
  if (text == "st") return Board::kRiskWarning;
  if (text == "other") return Board::kOther;
  return std::nullopt;
}

InstrumentId InstrumentRegistry::add(Instrument spec) {
  auto bad = [&](const std::string& field, const std::string& why) {
    return std::invalid_argument("instrument '" + spec.symbol + "': " + field + " " + why);
  };
  if (spec.symbol.empty()) throw std::invalid_argument("instrument: symbol is empty");
  if (by_symbol_.contains(spec.symbol)) throw bad("symbol", "is already registered");
  if (spec.venue.empty()) throw bad("venue", "is empty");
  if (!spec.tick_size.is_positive()) throw bad("tick_size", "must be positive");
  if (!spec.lot_size.is_positive()) throw bad("lot_size", "must be positive");
  if (spec.currency.size() != 3) throw bad("currency", "must be a 3-letter ISO 4217 code");
  if (spec.previous_close.is_negative()) throw bad("previous_close", "must not be negative");
  if (!spec.previous_close.is_zero() && !spec.previous_close.is_multiple_of(spec.tick_size)) {
    throw bad("previous_close", "is not a multiple of tick_size");
  }
  if (instruments_.size() >= kNoInstrument) throw bad("symbol", "does not fit: registry is full");

  spec.id = static_cast<InstrumentId>(instruments_.size());
  by_symbol_.emplace(spec.symbol, spec.id);
  instruments_.push_back(std::move(spec));
  return instruments_.back().id;
}

const Instrument* InstrumentRegistry::find(std::string_view symbol) const {
  const auto it = by_symbol_.find(std::string(symbol));
  return it == by_symbol_.end() ? nullptr : &instruments_[it->second];
}

std::optional<InstrumentId> InstrumentRegistry::id_of(std::string_view symbol) const {
  const Instrument* i = find(symbol);
  if (!i) return std::nullopt;
  return i->id;
}

}  // namespace guiju
