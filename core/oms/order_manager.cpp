#include "core/oms/order_manager.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace guiju {

std::string_view to_string(OrderState s) {
  switch (s) {
    case OrderState::kPendingNew:
      return "pending_new";
    case OrderState::kNew:
      return "new";
    case OrderState::kPartiallyFilled:
      return "partially_filled";
    case OrderState::kFilled:
      return "filled";
    case OrderState::kPendingCancel:
      return "pending_cancel";
    case OrderState::kPendingReplace:
      return "pending_replace";
    case OrderState::kCanceled:
      return "canceled";
    case OrderState::kReplaced:
      return "replaced";
    case OrderState::kRejected:
      return "rejected";
    case OrderState::kExpired:
      return "expired";
  }
  return "?";
}

namespace {

// A result that records no fill.
ApplyResult outcome_of(ApplyOutcome outcome, Order* order, bool state_changed) {
  ApplyResult r;
  r.outcome = outcome;
  r.order = order;
  r.state_changed = state_changed;
  return r;
}

}  // namespace

OrderManager::OrderManager(OrderId first_id, size_t capacity, size_t expected_exec_ids)
    : first_id_(first_id), capacity_(capacity), exec_ids_(expected_exec_ids) {
  if (first_id == kNoOrder) throw std::invalid_argument("order ids start at 1");
  // Every slot is constructed (and its pages touched) now, not on the hot path: a first write
  // to a fresh page is a page fault of a microsecond or more.
  orders_.resize(capacity);
  open_.reserve(capacity < 65536 ? capacity : 65536);
}

void OrderManager::prefetch_next_slot() const {
  // Slots are written in sequence, and a session's millions of them are long out of the cache:
  // asking for the next one now hides its memory latency behind the work until the next order.
  if (count_ >= capacity_) return;
  const auto* next = reinterpret_cast<const char*>(&orders_[count_]);
  for (size_t line = 0; line < sizeof(Order); line += 64) __builtin_prefetch(next + line, 1, 3);
}

Order* OrderManager::slot(OrderId id) {
  if (id < first_id_ || id - first_id_ >= count_) return nullptr;
  Order& o = orders_[id - first_id_];
  return o.in_use ? &o : nullptr;
}
Order* OrderManager::find(OrderId id) {
  return slot(id);
}
const Order* OrderManager::find(OrderId id) const {
  return const_cast<OrderManager*>(this)->slot(id);
}

void OrderManager::add_open(Order& o) {
  o.open_index = static_cast<uint32_t>(open_.size());
  open_.push_back(o.id);
  if (open_by_account_.size() <= o.account) open_by_account_.resize(o.account + 1, 0);
  if (o.strategy != kNoStrategy) {
    if (open_by_strategy_.size() <= o.strategy) open_by_strategy_.resize(o.strategy + 1, 0);
    ++open_by_strategy_[o.strategy];
  }
  ++open_by_account_[o.account];
  refresh_working(o);
}

void OrderManager::remove_open(Order& o) {
  if (o.open_index == UINT32_MAX) return;
  const OrderId last = open_.back();
  open_[o.open_index] = last;
  orders_[last - first_id_].open_index = o.open_index;
  open_.pop_back();
  o.open_index = UINT32_MAX;
  --open_by_account_[o.account];
  if (o.strategy != kNoStrategy) --open_by_strategy_[o.strategy];
  refresh_working(o);
}

bool OrderManager::grow_working(AccountId account, InstrumentId instrument) {
  // Rows as they are needed; columns at least doubled, so that a session naming ever larger
  // instrument ids lays the table out again a few times only.
  const size_t rows = std::max(working_rows_, size_t{account} + 1);
  size_t columns = working_columns_;
  if (instrument >= columns) columns = std::max(size_t{instrument} + 1, 2 * columns);
  if (columns > kMaxWorkingPairs || rows * columns > kMaxWorkingPairs) return false;
  std::vector<Quantity> grown(rows * columns * 2);
  std::vector<bool> grown_any(rows * columns);
  for (size_t a = 0; a < working_rows_; ++a) {
    std::copy_n(working_.begin() + static_cast<std::ptrdiff_t>(a * working_columns_ * 2),
                working_columns_ * 2, grown.begin() + static_cast<std::ptrdiff_t>(a * columns * 2));
    for (size_t i = 0; i < working_columns_; ++i) {
      grown_any[a * columns + i] = working_any_[a * working_columns_ + i];
    }
  }
  working_ = std::move(grown);
  working_any_ = std::move(grown_any);
  working_rows_ = rows;
  working_columns_ = columns;
  return true;
}

void OrderManager::refresh_working(Order& o) {
  const Quantity now = o.open_index != UINT32_MAX ? o.leaves() : Quantity::zero();
  if (now == o.counted_leaves) return;
  const Quantity change = now - o.counted_leaves;
  if ((o.account < working_rows_ && o.instrument < working_columns_) ||
      grow_working(o.account, o.instrument)) {
    const size_t pair = o.account * working_columns_ + o.instrument;
    working_[pair * 2 + side_index(o.side)] += change;
    working_any_[pair] = !working_[pair * 2].is_zero() || !working_[pair * 2 + 1].is_zero();
  } else {
    working_beyond_[beyond_key(o.account, o.instrument, o.side)] += change;
  }
  working_of_strategy_[beyond_key(o.strategy, o.instrument, o.side)] += change;
  o.counted_leaves = now;
}

Quantity OrderManager::working_quantity(AccountId account, InstrumentId instrument,
                                        Side side) const {
  Quantity total;
  if (account < working_rows_ && instrument < working_columns_) {
    const size_t pair = account * working_columns_ + instrument;
    if (working_any_[pair]) total = working_[pair * 2 + side_index(side)];
  }
  if (!working_beyond_.empty()) [[unlikely]] {
    const auto it = working_beyond_.find(beyond_key(account, instrument, side));
    if (it != working_beyond_.end()) total += it->second;
  }
  return total;
}

Quantity OrderManager::working_quantity_of_strategy(StrategyId strategy, InstrumentId instrument,
                                                    Side side) const {
  const auto it = working_of_strategy_.find(beyond_key(strategy, instrument, side));
  return it == working_of_strategy_.end() ? Quantity::zero() : it->second;
}

void OrderManager::set_state(Order& o, OrderState s, Timestamp now) {
  o.state = s;
  o.last_update = now;
  if (is_terminal(s)) remove_open(o);
}

Order& OrderManager::create(const NewOrder& order, Timestamp now) {
  if (!has_capacity()) throw std::length_error("order capacity exhausted");
  if (order.order_id != first_id_ + count_) {
    throw std::logic_error("order id " + std::to_string(order.order_id) +
                           " out of sequence, expected " + std::to_string(first_id_ + count_));
  }
  Order& o = orders_[count_++];
  prefetch_next_slot();
  o = Order{};
  o.id = order.order_id;
  o.client_order_id = order.client_order_id;
  o.instrument = order.instrument;
  o.account = order.account;
  o.strategy = order.strategy;
  o.side = order.side;
  o.type = order.type;
  o.tif = order.tif;
  o.price = order.price;
  o.quantity = order.quantity;
  o.state = OrderState::kPendingNew;
  o.in_use = true;
  o.created = now;
  o.last_update = now;
  add_open(o);
  ++counters_.orders;
  return o;
}

bool OrderManager::request_cancel(OrderId id, Timestamp now) {
  Order* o = slot(id);
  if (!o || !o->is_open() || is_pending_change(o->state)) return false;
  o->state_before_change = o->state;
  set_state(*o, OrderState::kPendingCancel, now);
  return true;
}

bool OrderManager::request_replace(const ReplaceOrder& request, Timestamp now) {
  Order* o = slot(request.order_id);
  if (!o || !o->is_open() || is_pending_change(o->state) || !has_capacity()) return false;
  if (request.new_order_id != first_id_ + count_) {
    throw std::logic_error("replacement id " + std::to_string(request.new_order_id) +
                           " out of sequence");
  }
  o->state_before_change = o->state;
  o->replaced_by = request.new_order_id;
  set_state(*o, OrderState::kPendingReplace, now);

  // The placeholder is not open until the venue confirms; it inherits what the old order did.
  Order& r = orders_[count_++];
  prefetch_next_slot();
  r = *o;
  r.counted_leaves = Quantity::zero();  // not working until the venue confirms it
  r.id = request.new_order_id;
  r.replaces = request.order_id;
  r.replaced_by = kNoOrder;
  r.client_order_id = request.new_client_order_id;
  r.price = request.new_price;
  r.quantity = request.new_quantity;
  r.state = OrderState::kPendingNew;
  r.open_index = UINT32_MAX;
  r.awaiting_replace_confirm = true;
  r.created = now;
  r.last_update = now;
  ++counters_.orders;
  return true;
}

ApplyResult OrderManager::apply(const ExecutionReport& r, Timestamp now) {
  if (Order* o = slot(r.order_id)) o->status_unknown = false;  // the venue has told us
  ApplyResult result = apply_report(r, now);
  // A fill, a replace or an end changes what the order (and what it replaced) leaves working.
  if (Order* o = slot(r.order_id)) {
    refresh_working(*o);
    if (o->replaces != kNoOrder) {
      if (Order* old_order = slot(o->replaces)) refresh_working(*old_order);
    }
  }
  return result;
}

size_t OrderManager::mark_open_unknown() {
  for (OrderId id : open_) slot(id)->status_unknown = true;
  return open_.size();
}

std::vector<OrderId> OrderManager::unknown_orders() const {
  std::vector<OrderId> ids;
  for (OrderId id : open_) {
    if (find(id)->status_unknown) ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

void OrderManager::complete_replace(Order& old_order, Order& replacement, Timestamp now) {
  // Whatever the old order filled (including fills that raced the replace) carries over.
  replacement.filled = old_order.filled;
  replacement.filled_notional = old_order.filled_notional;
  replacement.commission_charged = old_order.commission_charged;
  replacement.reconciled = old_order.reconciled;
  replacement.acked = now;
  replacement.awaiting_replace_confirm = false;
  set_state(old_order, OrderState::kReplaced, now);
  if (replacement.filled >= replacement.quantity) {
    replacement.state = OrderState::kFilled;
    replacement.last_update = now;
    return;
  }
  replacement.state =
      replacement.filled.is_zero() ? OrderState::kNew : OrderState::kPartiallyFilled;
  replacement.last_update = now;
  add_open(replacement);
}

ApplyResult OrderManager::apply_fill(Order& o, const ExecutionReport& r, Timestamp now) {
  ApplyResult result = outcome_of(ApplyOutcome::kApplied, &o, false);
  result.is_fill = true;
  result.fill_price = r.last_price;
  result.fill_qty = r.last_qty;
  ++counters_.fills;
  if (o.state == OrderState::kPendingNew) {
    ++counters_.fills_before_ack;  // the ack is implied; a late ack is then ignored
    o.acked = now;
    o.state = OrderState::kNew;
  }
  if (o.first_fill == 0) o.first_fill = now;
  const bool was_terminal = is_terminal(o.state);
  result.filled_notional_before = o.filled_notional;
  result.commission_before = o.commission_charged;
  o.filled += r.last_qty;
  o.filled_notional += Money::notional(r.last_price, r.last_qty);
  o.last_update = now;
  if (o.filled > o.quantity && !o.overfilled) {
    o.overfilled = true;
    result.overfill = true;
    ++counters_.overfills;
  }
  if (was_terminal) {
    ++counters_.late_reports;  // a real execution: quantities kept, state stays terminal
    return result;
  }
  const bool complete = o.filled >= o.quantity;
  if (is_pending_change(o.state)) {
    if (complete) {
      set_state(o, OrderState::kFilled, now);  // nothing left to cancel or replace
      result.state_changed = true;
    } else {
      o.state_before_change = OrderState::kPartiallyFilled;
    }
    return result;
  }
  const OrderState next = complete ? OrderState::kFilled : OrderState::kPartiallyFilled;
  result.state_changed = next != o.state;
  set_state(o, next, now);
  return result;
}

ApplyResult OrderManager::reconcile(Order& o, const ExecutionReport& status, Timestamp now) {
  if (status.cum_qty <= o.filled) {
    // Nothing missed. An answer about an order still pending says the venue has it working.
    if (o.state == OrderState::kPendingNew) {
      o.acked = now;
      set_state(o, OrderState::kNew, now);
      return outcome_of(ApplyOutcome::kApplied, &o, true);
    }
    if (is_pending_change(o.state) && o.state_before_change == OrderState::kPendingNew) {
      o.acked = now;
      o.state_before_change = OrderState::kNew;
      return outcome_of(ApplyOutcome::kApplied, &o, false);
    }
    ++counters_.ignored_reports;
    return outcome_of(ApplyOutcome::kIgnored, &o, false);
  }
  // The venue executed more than was booked: the executions were lost (a sequence reset, a
  // store that did not survive). The venue's average price over everything, less what is booked,
  // is what the missing quantity traded at.
  const Quantity missed = status.cum_qty - o.filled;
  const Money missed_notional =
      Money::notional(status.last_price, status.cum_qty) - o.filled_notional;
  ExecutionReport fill = status;
  fill.last_qty = missed;
  fill.last_price =
      missed_notional > Money::zero() ? missed_notional.per_unit(missed) : status.last_price;
  o.reconciled = true;
  ++counters_.reconciled_fills;
  return apply_fill(o, fill, now);
}

ApplyResult OrderManager::apply_report(const ExecutionReport& r, Timestamp now) {
  ++counters_.reports;
  if (r.exec_id != 0 && !exec_ids_.insert(r.exec_id)) {
    ++counters_.duplicate_exec_ids;
    return outcome_of(ApplyOutcome::kDuplicate, slot(r.order_id), false);
  }
  Order* o = slot(r.order_id);
  if (!o) {
    ++counters_.unknown_order_reports;
    return outcome_of(ApplyOutcome::kUnknownOrder, nullptr, false);
  }
  auto ignored = [&]() {
    ++counters_.ignored_reports;
    return outcome_of(ApplyOutcome::kIgnored, o, false);
  };
  auto changed = [&](OrderState s) {
    set_state(*o, s, now);
    return outcome_of(ApplyOutcome::kApplied, o, true);
  };
  auto late = [&]() {
    ++counters_.late_reports;
    return outcome_of(ApplyOutcome::kIgnored, o, false);
  };

  // A report on a replacement that the venue has not confirmed yet confirms it implicitly.
  if (o->awaiting_replace_confirm && r.exec_type != ExecType::kCancelRejected &&
      r.exec_type != ExecType::kRejected) {
    Order* old_order = slot(o->replaces);
    if (!old_order || old_order->state != OrderState::kPendingReplace ||
        old_order->replaced_by != o->id) {
      // The original finished first, or this is a stale confirmation of an earlier replace
      // that was already refused: it must not take the place of the replace now in flight.
      return ignored();
    }
    complete_replace(*old_order, *o, now);
    if (r.exec_type == ExecType::kReplaced) return outcome_of(ApplyOutcome::kApplied, o, true);
  }

  switch (r.exec_type) {
    case ExecType::kAck:
      if (o->state == OrderState::kPendingNew) {
        o->acked = now;
        return changed(OrderState::kNew);
      }
      if (is_pending_change(o->state) && o->state_before_change == OrderState::kPendingNew) {
        o->acked = now;
        o->state_before_change = OrderState::kNew;
        return outcome_of(ApplyOutcome::kApplied, o, false);
      }
      return is_terminal(o->state) ? late() : ignored();

    case ExecType::kPartialFill:
    case ExecType::kFill:
      if (!r.last_qty.is_positive()) return ignored();
      if (o->reconciled && r.cum_qty.is_positive()) {
        // A status answer booked executions this report may be one of: CumQty says how much of
        // it is new.
        if (r.cum_qty <= o->filled) {
          ++counters_.reconciled_duplicates;
          return outcome_of(ApplyOutcome::kDuplicate, o, false);
        }
        const Quantity unbooked = r.cum_qty - o->filled;
        if (unbooked < r.last_qty) {
          ExecutionReport rest = r;
          rest.last_qty = unbooked;
          return apply_fill(*o, rest, now);
        }
      }
      return apply_fill(*o, r, now);

    case ExecType::kStatus:
      return reconcile(*o, r, now);

    case ExecType::kCanceled:
      if (is_terminal(o->state)) return late();
      return changed(OrderState::kCanceled);

    case ExecType::kExpired:
      if (is_terminal(o->state)) return late();
      return changed(OrderState::kExpired);

    case ExecType::kRejected:
      if (is_terminal(o->state)) return late();
      o->reject_code = r.reject_code;
      if (o->awaiting_replace_confirm) {
        o->awaiting_replace_confirm = false;
        // The replacement was refused outright: the old order keeps working.
        Order* old_order = slot(o->replaces);
        if (old_order && old_order->state == OrderState::kPendingReplace &&
            old_order->replaced_by == o->id) {
          set_state(*old_order, old_order->state_before_change, now);
          old_order->replaced_by = kNoOrder;
        }
      }
      return changed(OrderState::kRejected);

    case ExecType::kReplaced: {
      // order_id is the replacement. Reaching here means it was already confirmed (duplicate
      // confirmation under a new exec id) or its original is gone.
      return is_terminal(o->state) ? late() : ignored();
    }

    case ExecType::kCancelRejected: {
      // For a refused replace the venue names the replacement id (orig_order_id: the order that
      // keeps working), or the original itself; for a refused cancel it names the order.
      Order* target = o;
      Order* placeholder = nullptr;
      if (o->awaiting_replace_confirm) {
        placeholder = o;
        target = slot(o->replaces);
      } else if (o->state == OrderState::kPendingReplace && o->replaced_by != kNoOrder) {
        placeholder = slot(o->replaced_by);
      }
      if (placeholder && placeholder->awaiting_replace_confirm) {
        placeholder->awaiting_replace_confirm = false;
        placeholder->reject_code = r.reject_code;
        set_state(*placeholder, OrderState::kRejected, now);
      }
      // Only the replace in flight is undone: a stale refusal of an earlier one changes nothing.
      const bool current = !placeholder || (target && target->replaced_by == placeholder->id);
      if (!target || !current) return outcome_of(ApplyOutcome::kApplied, placeholder, true);
      if (placeholder) target->replaced_by = kNoOrder;
      if (!is_pending_change(target->state)) return is_terminal(target->state) ? late() : ignored();
      set_state(*target, target->state_before_change, now);
      return outcome_of(ApplyOutcome::kApplied, target, true);
    }
  }
  return ignored();
}

}  // namespace guiju
