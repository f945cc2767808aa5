#include "adapters/replay/synthetic_market.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/clock/calendar.hpp"

namespace guiju {

namespace {

constexpr Duration kBeijingOffset = 8 * kHour;
constexpr double kMorningSeconds = 7200;  // 09:30-11:30

double limit_fraction(Board b) {
  switch (b) {
    case Board::kMain:
      return 0.10;
    case Board::kChiNext:
    case Board::kStar:
      return 0.20;
    case Board::kRiskWarning:
      return 0.05;
    case Board::kOther:
      return 0.0;
  }
  return 0.0;
}

}  // namespace

SyntheticMarket::SyntheticMarket(const InstrumentRegistry& instruments,
                                 SyntheticMarketOptions options)
    : instruments_(instruments), options_(std::move(options)), random_(options_.seed) {
  if (instruments.size() == 0) throw std::invalid_argument("synthetic market: no instruments");
  if (options_.quotes_per_second <= 0) {
    throw std::invalid_argument("synthetic market: quotes_per_second must be positive");
  }
  const Timestamp midnight = utc_midnight(options_.trading_date);
  morning_open_ = midnight + 9 * kHour + 30 * kMinute - kBeijingOffset;
  afternoon_open_ = midnight + 13 * kHour - kBeijingOffset;

  for (const Instrument& i : instruments.all()) {
    State s{};
    s.id = i.id;
    s.tick = i.tick_size.raw();
    s.lot = i.lot_size.raw();
    const int64_t anchor = i.previous_close.raw() / s.tick;  // exact: the close is on tick
    s.anchor_ticks = static_cast<double>(anchor);
    s.mid_ticks = s.anchor_ticks;
    const double limit = limit_fraction(i.board);
    const double band = limit > 0 ? std::floor(s.anchor_ticks * limit) : s.anchor_ticks * 0.5;
    s.lower_ticks = static_cast<int64_t>(s.anchor_ticks - band);
    s.upper_ticks = static_cast<int64_t>(s.anchor_ticks + band);
    s.spread_bps = 1.0 + 4.0 * random_.uniform();
    states_.push_back(s);
  }
}

Timestamp SyntheticMarket::session_time(double trading_seconds) const {
  if (trading_seconds < kMorningSeconds) {
    return morning_open_ + static_cast<Timestamp>(trading_seconds * 1e9);
  }
  return afternoon_open_ + static_cast<Timestamp>((trading_seconds - kMorningSeconds) * 1e9);
}

bool SyntheticMarket::next(EventSlot& out) {
  while (pending_.empty()) {
    const double rate = options_.quotes_per_second * static_cast<double>(states_.size());
    elapsed_seconds_ += random_.exponential(rate);
    if (elapsed_seconds_ >= options_.session_seconds) return false;
    generate_update();
  }
  out = pending_.front();
  pending_.pop_front();
  return true;
}

void SyntheticMarket::generate_update() {
  State& s = states_[static_cast<size_t>(
      random_.uniform_int(0, static_cast<int64_t>(states_.size()) - 1))];
  const Timestamp t = session_time(elapsed_seconds_);
  ++updates_;

  const double before = s.mid_ticks;
  s.mid_ticks += options_.mean_reversion * (s.anchor_ticks - s.mid_ticks) +
                 options_.volatility_ticks * random_.normal();

  const double price = s.mid_ticks * static_cast<double>(s.tick) / 1e8;
  const auto spread_ticks =
      std::max<int64_t>(1, std::llround(price * s.spread_bps * (0.5 + random_.uniform()) / 1e4 /
                                        (static_cast<double>(s.tick) / 1e8)));
  auto bid_ticks =
      static_cast<int64_t>(std::floor(s.mid_ticks - static_cast<double>(spread_ticks) / 2.0));
  bid_ticks = std::clamp(bid_ticks, s.lower_ticks, s.upper_ticks - spread_ticks);
  const int64_t ask_ticks = bid_ticks + spread_ticks;
  s.mid_ticks = std::clamp(s.mid_ticks, static_cast<double>(s.lower_ticks),
                           static_cast<double>(s.upper_ticks));
  const int64_t gap = std::max<int64_t>(1, spread_ticks / 2);

  auto lots = [&](int level) {
    return Quantity::from_raw(s.lot * random_.uniform_int(1 + level, 8 + 6 * level));
  };
  auto stamp = [&](EventHeader& h) {
    h.event_time = t;
    h.receive_time = t;
    h.source = options_.source_id;
    h.sequence = ++sequence_;
  };

  if (random_.bernoulli(options_.trade_probability)) {
    Trade trade;
    stamp(trade.header);
    trade.instrument = s.id;
    // The side the mid moved toward is the one that was hit.
    trade.aggressor = s.mid_ticks >= before ? Side::kBuy : Side::kSell;
    trade.price = Price::from_raw((trade.aggressor == Side::kBuy ? ask_ticks : bid_ticks) * s.tick);
    trade.size = Quantity::from_raw(s.lot * random_.uniform_int(1, 10));
    trade.trade_id = ++trade_id_;
    pending_.emplace_back().store(trade);
  }

  BookUpdate book;
  stamp(book.header);
  book.instrument = s.id;
  // No order can rest outside the daily price limit: near the band the book is thinner.
  const int64_t lowest_bid = std::max<int64_t>(1, s.lower_ticks);
  for (int level = 0; level < kBookDepth; ++level) {
    const int64_t bid = bid_ticks - gap * level;
    const int64_t ask = ask_ticks + gap * level;
    const Quantity bid_size = lots(level);
    const Quantity ask_size = lots(level);
    if (bid >= lowest_bid) book.bids[book.bid_levels++] = {Price::from_raw(bid * s.tick), bid_size};
    if (ask <= s.upper_ticks)
      book.asks[book.ask_levels++] = {Price::from_raw(ask * s.tick), ask_size};
  }
  pending_.emplace_back().store(book);

  Quote quote;
  stamp(quote.header);
  quote.instrument = s.id;
  quote.bid_price = book.bids[0].price;
  quote.bid_size = book.bids[0].size;
  quote.ask_price = book.asks[0].price;
  quote.ask_size = book.asks[0].size;
  pending_.emplace_back().store(quote);
}

}  // namespace guiju
