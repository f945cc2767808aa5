#pragma once
// The order management system: every order's state machine, on the engine thread.
//
// Storage is a vector of Order slots constructed at start and indexed by (order id - first id of
// this session): ids come from ClientOrderIdAllocator, which hands them out consecutively, so
// lookup is one subtraction and nothing allocates per order. The open-order list is a vector with
// swap-remove, so "cancel everything" walks only live orders.
//
// Venues are not trusted to be tidy. apply() accepts what real venues send: a fill before its ack
// (implicit ack), a duplicate execution id (ignored and counted), a report for an unknown order
// (reported, not crashed), a fill beyond the order quantity (applied, because it is a real
// execution, and flagged), late reports after a terminal state (counted, quantities still kept).

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "core/events/execution_report.hpp"
#include "core/events/order_events.hpp"
#include "core/oms/order.hpp"
#include "core/util/flat_u64_set.hpp"

namespace guiju {

struct OmsCounters {
  uint64_t orders = 0;
  uint64_t reports = 0;
  uint64_t fills = 0;
  uint64_t duplicate_exec_ids = 0;
  uint64_t unknown_order_reports = 0;
  uint64_t overfills = 0;
  uint64_t fills_before_ack = 0;
  uint64_t late_reports = 0;           // a report for an order already terminal
  uint64_t ignored_reports = 0;        // e.g. an ack after a fill: nothing to change
  uint64_t reconciled_fills = 0;       // quantity booked from a status answer (missed executions)
  uint64_t reconciled_duplicates = 0;  // executions already booked from a status answer
};

enum class ApplyOutcome : uint8_t {
  kApplied = 1,
  kDuplicate = 2,     // exec id seen before: ignored
  kUnknownOrder = 3,  // no such order: reported
  kIgnored = 4,       // valid but changes nothing (e.g. a late ack)
};

struct ApplyResult {
  ApplyOutcome outcome = ApplyOutcome::kApplied;
  Order* order = nullptr;  // the order the report concerns (the new one for kReplaced)
  bool is_fill = false;    // a quantity was executed: positions must change
  // For fills: what to book. The report's LastPx and LastQty, except for quantity reconciled
  // from a status answer (booked at the price that makes the order's average the venue's) and
  // an execution of which a status answer already booked part.
  Price fill_price;
  Quantity fill_qty;
  bool state_changed = false;
  bool overfill = false;  // this report pushed filled past quantity
  // For fills: what the order had filled and paid in commission before this fill (fees depend
  // on it: the minimum commission is per order).
  Money filled_notional_before;
  Money commission_before;
};

class OrderManager {
 public:
  // capacity: the most orders (including replacements) this session may create.
  OrderManager(OrderId first_id, size_t capacity, size_t expected_exec_ids = 1 << 16);

  // True when another order (or replacement) can be created.
  bool has_capacity(size_t n = 1) const { return count_ + n <= capacity_; }
  OrderId first_id() const { return first_id_; }
  // The most orders (including replacements) this session may create: ids run from first_id().
  size_t capacity() const { return capacity_; }

  // Records an order being sent (state PendingNew). The id must be the next one in sequence.
  Order& create(const NewOrder& order, Timestamp now);
  // Records a cancel request for an open order; returns false when the order is not open or
  // already has a cancel or replace in flight.
  bool request_cancel(OrderId id, Timestamp now);
  // Records a replace request: the old order goes PendingReplace and a placeholder for
  // request.new_order_id is created, live once the venue confirms. Same refusals as cancel.
  bool request_replace(const ReplaceOrder& request, Timestamp now);

  // Applies a venue report. Never throws on venue misbehaviour; counters say what happened.
  ApplyResult apply(const ExecutionReport& report, Timestamp now);

  // The order session dropped: every open order's status becomes unknown until a report for it
  // arrives. Returns how many.
  size_t mark_open_unknown();
  // Open orders whose status is unknown, oldest first: what a reconnected session asks about.
  std::vector<OrderId> unknown_orders() const;

  Order* find(OrderId id);
  const Order* find(OrderId id) const;
  std::span<const OrderId> open_orders() const { return open_; }
  // Running totals of the working orders, kept as orders open, fill and close, so the pre-trade
  // checks read them in O(1) rather than walking the open list.
  uint32_t open_count_of_account(AccountId account) const {
    return account < open_by_account_.size() ? open_by_account_[account] : 0;
  }
  uint32_t open_count_of_strategy(StrategyId strategy) const {
    return strategy < open_by_strategy_.size() ? open_by_strategy_[strategy] : 0;
  }
  // The quantity still to fill of the account's working orders in the instrument on one side.
  Quantity working_quantity(AccountId account, InstrumentId instrument, Side side) const;
  // The same for one strategy's working orders.
  Quantity working_quantity_of_strategy(StrategyId strategy, InstrumentId instrument,
                                        Side side) const;
  size_t size() const { return count_; }
  const OmsCounters& counters() const { return counters_; }

 private:
  // Brings the slot the next order will take into the cache.
  void prefetch_next_slot() const;
  Order* slot(OrderId id);
  void add_open(Order& o);
  void remove_open(Order& o);
  // Brings the working totals up to date with the order's leaves.
  void refresh_working(Order& o);
  ApplyResult apply_report(const ExecutionReport& report, Timestamp now);
  // Books what a status answer shows the order executed beyond what it has booked.
  ApplyResult reconcile(Order& o, const ExecutionReport& status, Timestamp now);
  void set_state(Order& o, OrderState s, Timestamp now);
  // Turns a confirmed replacement live: the old order is Replaced, the new one works.
  void complete_replace(Order& old_order, Order& replacement, Timestamp now);
  ApplyResult apply_fill(Order& o, const ExecutionReport& r, Timestamp now);

  OrderId first_id_;
  size_t capacity_;
  std::vector<Order> orders_;  // capacity_ slots, constructed up front; the first count_ in use
  size_t count_ = 0;
  std::vector<OrderId> open_;
  std::vector<uint32_t> open_by_account_;
  std::vector<uint32_t> open_by_strategy_;
  // The working totals, dense by account, instrument and side:
  // working_[(account * working_columns_ + instrument) * 2 + (sell ? 1 : 0)]. Account and
  // instrument ids are small and dense, so the pre-trade checks' lookup is a bit and at most one
  // load rather than a hashed probe (a division and dependent loads). The price is memory, 16
  // bytes an (account, instrument) pair whether working or not: 20 accounts x 1,000 instruments
  // = 320 KB. A bit a pair (2.5 KB) says whether anything works there, so that the lookups of
  // pairs with nothing working, most of them, stay in the bitmap and out of the table. Both grow
  // (and are laid out again) when an order names a larger account or instrument id than any
  // before it, up to kMaxWorkingPairs pairs (32 MB); what an order beyond that adds is kept in
  // working_beyond_, hashed as before, and a total is the sum of its two parts.
  static constexpr size_t kMaxWorkingPairs = size_t{1} << 21;
  static size_t side_index(Side s) { return s == Side::kSell ? 1 : 0; }
  static uint64_t beyond_key(AccountId a, InstrumentId i, Side s) {
    return (static_cast<uint64_t>(a) << 33) | (static_cast<uint64_t>(i) << 1) | side_index(s);
  }
  // Grows the table to hold (account, instrument); false when it would pass kMaxWorkingPairs.
  bool grow_working(AccountId account, InstrumentId instrument);
  std::vector<Quantity> working_;
  std::vector<bool> working_any_;  // by pair: either side's total is not zero
  size_t working_rows_ = 0;
  size_t working_columns_ = 0;
  std::unordered_map<uint64_t, Quantity> working_beyond_;
  // One strategy's working totals, keyed like working_beyond_ by strategy: read only when a
  // strategy has its own position limit.
  std::unordered_map<uint64_t, Quantity> working_of_strategy_;
  FlatU64Set exec_ids_;
  OmsCounters counters_;
};

}  // namespace guiju
