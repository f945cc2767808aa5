#pragma once
// Positions per (account, strategy, instrument), marks, and PnL. Engine thread only.

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "core/model/fixed_point.hpp"
#include "core/model/ids.hpp"
#include "core/portfolio/fee_schedule.hpp"
#include "core/portfolio/position.hpp"

namespace guiju {

struct PnlSummary {
  Money realized;
  Money unrealized;
  Money fees;
  Money net() const { return realized + unrealized - fees; }
};

class Portfolio {
 public:
  // instrument_count sizes the mark table; reserve sizes the position map.
  explicit Portfolio(size_t instrument_count, size_t reserve = 1024);

  // Latest mark (mid, or last trade when one side is empty) for unrealised PnL.
  // Also revalues the accounts' exposures in the instrument (a few accounts hold any one name).
  void set_mark(InstrumentId instrument, Price mark);
  Price mark(InstrumentId instrument) const { return marks_[instrument]; }

  // Applies one fill with its fees; creates the position on first use.
  const Position& apply_fill(AccountId account, StrategyId strategy, InstrumentId instrument,
                             Side side, Price price, Quantity qty, const FillFees& fees);

  // nullptr when the position was never opened.
  const Position* find(AccountId account, StrategyId strategy, InstrumentId instrument) const;
  // Net quantity of an account in an instrument across its strategies (O(1)).
  Quantity account_quantity(AccountId account, InstrumentId instrument) const;
  // What the account sold of the instrument today, across its strategies (O(1)).
  Quantity account_sold(AccountId account, InstrumentId instrument) const;
  // Sum over the account's instruments of |position| x mark, and of position x mark (O(1): kept
  // as fills arrive and marks move).
  Money gross_exposure(AccountId account) const {
    return account < exposure_.size() ? exposure_[account].gross : Money::zero();
  }
  Money net_exposure(AccountId account) const {
    return account < exposure_.size() ? exposure_[account].net : Money::zero();
  }

  PnlSummary pnl() const;
  PnlSummary pnl_of_account(AccountId account) const;
  PnlSummary pnl_of_strategy(StrategyId strategy) const;
  const std::vector<Position>& positions() const { return positions_; }

 private:
  static uint64_t key(AccountId a, StrategyId s, InstrumentId i) {
    return (static_cast<uint64_t>(a) << 48) | (static_cast<uint64_t>(s) << 32) | i;
  }
  template <typename Pred>
  PnlSummary sum(Pred&& include) const;

  // An account's totals in an instrument over its strategies, kept as fills arrive, so that the
  // pre-trade checks read them in O(1).
  struct AccountHolding {
    Quantity quantity;  // bought - sold
    Quantity sold;
  };
  // The totals of (account, instrument); nullptr when the account never traded the instrument.
  const AccountHolding* holding(AccountId account, InstrumentId instrument) const {
    if (account < account_rows_ && instrument < instrument_count_) {
      const size_t cell = account * instrument_count_ + instrument;
      return traded_[cell] ? &by_account_[cell] : nullptr;
    }
    return beyond_.empty() ? nullptr : holding_beyond(account, instrument);
  }
  const AccountHolding* holding_beyond(AccountId account, InstrumentId instrument) const;
  static uint64_t account_key(AccountId a, InstrumentId i) {
    return (static_cast<uint64_t>(a) << 32) | i;
  }

  size_t instrument_count_;
  std::vector<Price> marks_;
  std::vector<Position> positions_;             // stable order: creation order
  std::unordered_map<uint64_t, size_t> index_;  // key -> positions_ index
  // Dense by account and instrument, by_account_[account * instrument_count_ + instrument]:
  // account ids and instrument ids are small and dense, so a pre-trade lookup is a bit and at
  // most one load rather than a hashed probe (a division and dependent loads). The price is
  // memory: 16 bytes a cell whether held or not, 20 accounts x 1,000 instruments = 320 KB, 100 x
  // 5,000 = 8 MB; rows are added when an account first trades, up to kMaxHoldingCells cells (32
  // MB); accounts beyond them are kept hashed in beyond_, as before. A bit a cell (2.5 KB for 20
  // x 1,000) says whether the account ever traded the instrument, so that the lookups of what it
  // never traded, most of them, stay in that bitmap and out of the table.
  static constexpr size_t kMaxHoldingCells = size_t{1} << 21;
  std::vector<AccountHolding> by_account_;
  std::vector<bool> traded_;  // same cells
  size_t account_rows_ = 0;
  size_t max_account_rows_;
  std::unordered_map<uint64_t, AccountHolding> beyond_;
  struct Exposure {
    Money gross;
    Money net;
  };
  // Adds (sign 1) or removes (sign -1) an account's holding's value at a mark.
  void value_holding(AccountId account, Quantity quantity, Price mark, int sign);
  std::vector<Exposure> exposure_;               // by account
  std::vector<std::vector<AccountId>> holders_;  // by instrument: accounts that traded it
};

}  // namespace guiju
