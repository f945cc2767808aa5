#include "core/portfolio/fee_schedule.hpp"

namespace guiju {

FillFees compute_fill_fees(const FeeSchedule& schedule, Side side, Money fill_notional,
                           Money order_notional_before, Money commission_paid_before) {
  FillFees fees;
  const Money cumulative = order_notional_before + fill_notional;
  Money due = cumulative.times(schedule.commission_rate).rounded_to(2);
  if (due < schedule.min_commission) due = schedule.min_commission;
  fees.commission = due > commission_paid_before ? due - commission_paid_before : Money::zero();
  if (side == Side::kSell) {
    fees.stamp_duty = fill_notional.times(schedule.stamp_duty_rate).rounded_to(2);
  }
  fees.transfer_fee = fill_notional.times(schedule.transfer_fee_rate).rounded_to(2);
  return fees;
}

}  // namespace guiju
