#pragma once
// Trading costs per fill. A-share defaults: broker commission with a per-order minimum on both
// sides, stamp duty on sells only, transfer fee on both sides. Rates are configurable per account.

#include "core/model/fixed_point.hpp"
#include "core/model/order_types.hpp"

namespace guiju {

struct FeeSchedule {
  Rate commission_rate = Rate::zero();    // fraction of notional, e.g. 0.00025
  Money min_commission = Money::zero();   // per order, e.g. 5 CNY
  Rate stamp_duty_rate = Rate::zero();    // sells only, e.g. 0.0005
  Rate transfer_fee_rate = Rate::zero();  // both sides, e.g. 0.00001
};

struct FillFees {
  Money commission;
  Money stamp_duty;
  Money transfer_fee;
  Money total() const { return commission + stamp_duty + transfer_fee; }
};

// Fees for one fill. The minimum commission applies per order: the commission due on the order's
// cumulative notional, at least the minimum, less what earlier fills of the order already paid.
// Every component is rounded to the fen/cent (2 decimals).
FillFees compute_fill_fees(const FeeSchedule& schedule, Side side, Money fill_notional,
                           Money order_notional_before, Money commission_paid_before);

}  // namespace guiju
