// One plugin, several purpose-built misbehaviours chosen by its `mode` parameter:
//   throw_on_quote  trades on its first quote, then throws on the third
//   slow_on_quote   spins for `spin_us` on every quote (over the engine's callback budget)
//   refuse_create   refuses to start, saying why
//   crash_on_quote  dereferences a null pointer on the third quote (for the out-of-process host)
//   hang_on_quote   stops answering on the third quote (sleeps `spin_us`)
//   bad_fields      submits an order with a side, a type and a tif that are not ABI values, and
//                   throws unless each is refused as a malformed request
//   quiet           does nothing: a well-behaved neighbour
#include <guiju/strategy.hpp>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

namespace {

class Misbehaving final : public guiju::sdk::Strategy {
 public:
  explicit Misbehaving(guiju::sdk::Host host)
      : Strategy(host),
        mode_(host.param_string("mode", "quiet")),
        spin_us_(host.param_int("spin_us", 2000, 0, 60'000'000)) {
    if (mode_ == "refuse_create") throw std::runtime_error("refusing on purpose: no market today");
  }

  void on_quote(const guiju_quote& q) override {
    ++quotes_;
    if (mode_ == "bad_fields") {
      for (int field = 0; field < 3; ++field) {
        guiju_order_request r{};
        r.instrument = q.instrument;
        r.side = field == 0 ? 7 : GUIJU_BUY;
        r.type = field == 1 ? 0 : GUIJU_LIMIT;
        r.tif = field == 2 ? 9 : GUIJU_DAY;
        r.price = q.bid_price;
        r.quantity = 100 * GUIJU_FIXED_SCALE;
        const guiju_result result = host().submit(r);
        if (result.reject_code == 0 || std::string(result.reason).find("order request") != 0) {
          throw std::logic_error("a malformed order request was not refused");
        }
      }
      return;
    }
    if (quotes_ == 1 && mode_ != "quiet" && mode_ != "slow_on_quote") {
      host().submit_limit(q.instrument, GUIJU_BUY, q.bid_price, 100 * GUIJU_FIXED_SCALE);
    }
    if (mode_ == "throw_on_quote" && quotes_ == 3) throw std::logic_error("model blew up");
    if (mode_ == "crash_on_quote" && quotes_ == 3) {
      volatile int* nowhere = nullptr;
      *nowhere = 1;  // cppcheck-suppress nullPointer ; the crash is the point
    }
    if (mode_ == "hang_on_quote" && quotes_ == 3) {
      std::this_thread::sleep_for(std::chrono::microseconds(spin_us_));
    }
    if (mode_ == "slow_on_quote") {
      const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(spin_us_);
      while (std::chrono::steady_clock::now() < until) {
      }
    }
  }

 private:
  std::string mode_;
  int64_t spin_us_;
  int quotes_ = 0;
};

}  // namespace

GUIJU_EXPORT_STRATEGY(Misbehaving, "misbehaving", "0.1.0")
