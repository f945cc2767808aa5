// Guiju strategy SDK for C++: a base class over the C ABI in strategy.h, and one export macro.
//
//   class MyStrategy : public guiju::sdk::Strategy {
//    public:
//     explicit MyStrategy(guiju::sdk::Host host) : Strategy(host) {
//       lots_ = host.param_int("lots", 1, 1, 100);  // throws on a bad value: strategy refused
//     }
//     void on_quote(const guiju_quote& q) override { ... host().submit(...) ... }
//   };
//   GUIJU_EXPORT_STRATEGY(MyStrategy, "my_strategy", "1.0.0")
//
// Header-only, so nothing of the engine's C++ crosses the boundary: the engine and the plugin
// may be built by different compilers and standard libraries. An exception escaping a callback
// is caught here and reported through the C ABI; the engine quarantines the strategy.
#ifndef GUIJU_STRATEGY_HPP
#define GUIJU_STRATEGY_HPP

#include <cstdint>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "guiju/strategy.h"

namespace guiju::sdk {

// Fixed-point helpers (8 decimals).
constexpr guiju_fixed fixed(int64_t units) {
  return units * GUIJU_FIXED_SCALE;
}
inline double to_double(guiju_fixed v) {
  return static_cast<double>(v) / GUIJU_FIXED_SCALE;
}

// A parameter the engine refused (the engine already knows which and why).
class ParameterError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The engine, as one strategy sees it. Cheap to copy.
class Host {
 public:
  Host(guiju_host* host, const guiju_host_api* api) : host_(host), api_(api) {}

  guiju_result submit(const guiju_order_request& r) { return api_->submit(host_, &r); }
  guiju_result submit_limit(guiju_instrument instrument, int side, guiju_fixed price,
                            guiju_fixed quantity, int tif = GUIJU_DAY) {
    guiju_order_request r{};
    r.instrument = instrument;
    r.side = static_cast<uint8_t>(side);
    r.type = GUIJU_LIMIT;
    r.tif = static_cast<uint8_t>(tif);
    r.price = price;
    r.quantity = quantity;
    return submit(r);
  }
  guiju_result cancel(guiju_order_id order) { return api_->cancel(host_, order); }
  guiju_result replace(guiju_order_id order, guiju_fixed price, guiju_fixed quantity) {
    return api_->replace(host_, order, price, quantity);
  }
  guiju_timer_id set_timer(guiju_time delay, guiju_time period = 0) {
    return api_->set_timer(host_, delay, period);
  }
  bool cancel_timer(guiju_timer_id timer) { return api_->cancel_timer(host_, timer) != 0; }
  guiju_time now() const { return api_->now(host_); }

  std::optional<guiju_instrument_info> instrument(guiju_instrument id) const {
    guiju_instrument_info out{};
    if (api_->instrument(host_, id, &out) == 0) return std::nullopt;
    return out;
  }
  std::optional<guiju_instrument> find_instrument(const std::string& symbol) const {
    guiju_instrument out = 0;
    if (api_->find_instrument(host_, symbol.c_str(), &out) == 0) return std::nullopt;
    return out;
  }
  std::vector<guiju_instrument> subscriptions() const {
    std::vector<guiju_instrument> out(api_->subscriptions(host_, nullptr, 0));
    api_->subscriptions(host_, out.data(), static_cast<uint32_t>(out.size()));
    return out;
  }
  std::optional<guiju_book> book(guiju_instrument id) const {
    guiju_book out{};
    if (api_->book(host_, id, &out) == 0) return std::nullopt;
    return out;
  }
  std::optional<guiju_order> order(guiju_order_id id) const {
    guiju_order out{};
    if (api_->order(host_, id, &out) == 0) return std::nullopt;
    return out;
  }
  // A flat (all-zero) position when the strategy never traded the instrument.
  guiju_position position(guiju_instrument id) const {
    guiju_position out{};
    out.instrument = id;
    api_->position(host_, id, &out);
    return out;
  }
  std::vector<guiju_order> open_orders() const {
    std::vector<guiju_order> out(api_->open_orders(host_, nullptr, 0));
    const uint32_t n = api_->open_orders(host_, out.data(), static_cast<uint32_t>(out.size()));
    if (n < out.size()) out.resize(n);
    return out;
  }
  uint64_t request_signal(const guiju_signal_request& r) { return api_->request_signal(host_, &r); }
  void log(int level, const std::string& message) { api_->log(host_, level, message.c_str()); }

  // Typed parameters: the value, or the fallback when absent. A malformed or out-of-range
  // value throws ParameterError (constructors only).
  int64_t param_int(const char* key, int64_t fallback, int64_t min, int64_t max) {
    int64_t v = 0;
    if (api_->param_int(host_, key, fallback, min, max, &v) == 0) throw ParameterError(key);
    return v;
  }
  double param_double(const char* key, double fallback, double min, double max) {
    double v = 0;
    if (api_->param_double(host_, key, fallback, min, max, &v) == 0) throw ParameterError(key);
    return v;
  }
  bool param_bool(const char* key, bool fallback) {
    int v = 0;
    if (api_->param_bool(host_, key, fallback ? 1 : 0, &v) == 0) throw ParameterError(key);
    return v != 0;
  }
  guiju_fixed param_fixed(const char* key, guiju_fixed fallback) {
    guiju_fixed v = 0;
    if (api_->param_fixed(host_, key, fallback, &v) == 0) throw ParameterError(key);
    return v;
  }
  std::string param_string(const char* key, const char* fallback) {
    char buffer[256];
    if (api_->param_string(host_, key, fallback, buffer, sizeof buffer) == 0) {
      throw ParameterError(key);
    }
    return buffer;
  }

  void fail(const char* reason) { api_->fail(host_, reason); }

 private:
  guiju_host* host_;
  const guiju_host_api* api_;
};

// Holds new orders and replaces back after the engine refused one for the order-message rate
// (GUIJU_REJECT_THROTTLED): for 100 ms, doubling while the refusals go on, up to a second; an
// accepted order starts it again at 100 ms. Every refusal is an audit record and a risk check: a
// strategy that keeps sending into the throttle fills the journal with refusals and spends the
// engine's time on them. Cancels are not held back: pulling an order stays possible.
//
//   if (!backoff_.ready(host())) return;
//   const guiju_result r = backoff_.note(host().submit_limit(...), host());
//
// The Host forms read the clock only while holding back or after a refusal, not on every order.
class ThrottleBackoff {
 public:
  static constexpr guiju_time kFirstWait = 100'000'000;  // ns
  static constexpr guiju_time kLongestWait = 1'000'000'000;

  bool ready(guiju_time now) const { return now >= until_; }
  bool ready(const Host& host) const { return until_ == 0 || ready(host.now()); }
  // Notes what the engine answered a submit or a replace; returns the answer.
  guiju_result note(const guiju_result& r, guiju_time now) {
    if (r.reject_code == GUIJU_REJECT_THROTTLED) {
      until_ = now + wait_;
      wait_ = wait_ * 2 < kLongestWait ? wait_ * 2 : kLongestWait;
    } else if (r.reject_code == 0) {
      until_ = 0;
      wait_ = kFirstWait;
    }
    return r;
  }
  guiju_result note(const guiju_result& r, const Host& host) {
    return note(r, r.reject_code == GUIJU_REJECT_THROTTLED ? host.now() : 0);
  }

 private:
  guiju_time until_ = 0;
  guiju_time wait_ = kFirstWait;
};

// Derive from this; override what the strategy needs.
class Strategy {
 public:
  explicit Strategy(Host host) : host_(host) {}
  virtual ~Strategy() = default;
  Strategy(const Strategy&) = delete;
  Strategy& operator=(const Strategy&) = delete;

  virtual void on_start() {}
  virtual void on_stop() {}
  virtual void on_quote(const guiju_quote& /*quote*/) {}
  virtual void on_book(const guiju_book& /*book*/) {}
  virtual void on_trade(const guiju_trade& /*trade*/) {}
  virtual void on_order_update(const guiju_order& /*order*/) {}
  virtual void on_fill(const guiju_order& /*order*/, const guiju_fill& /*fill*/) {}
  virtual void on_timer(guiju_timer_id /*timer*/, guiju_time /*scheduled*/) {}
  virtual void on_signal(const guiju_signal& /*signal*/) {}
  virtual void on_signal_timeout(uint64_t /*request_id*/) {}

  Host& host() { return host_; }
  const Host& host() const { return host_; }

 private:
  Host host_;
};

namespace detail {

// Runs f, turning anything it throws into a failure the engine is told about.
template <typename F>
int guarded(Strategy* s, F&& f) noexcept {
  try {
    f();
    return 0;
  } catch (const std::exception& e) {
    s->host().fail(e.what());
  } catch (...) {
    s->host().fail("unknown exception");
  }
  return 1;
}

template <typename T>
struct Trampolines {
  static T* self(void* p) { return static_cast<T*>(p); }

  static void* create(guiju_host* host, const guiju_host_api* api) noexcept {
    Host h(host, api);
    try {
      return new T(h);
    } catch (const ParameterError&) {
      return nullptr;  // the engine recorded which parameter and why
    } catch (const std::exception& e) {
      h.fail(e.what());
    } catch (...) {
      h.fail("unknown exception in the constructor");
    }
    return nullptr;
  }
  static void destroy(void* p) noexcept { delete self(p); }
  static int on_start(void* p) noexcept {
    return guarded(self(p), [&] { self(p)->on_start(); });
  }
  static int on_stop(void* p) noexcept {
    return guarded(self(p), [&] { self(p)->on_stop(); });
  }
  static int on_quote(void* p, const guiju_quote* q) noexcept {
    return guarded(self(p), [&] { self(p)->on_quote(*q); });
  }
  static int on_book(void* p, const guiju_book* b) noexcept {
    return guarded(self(p), [&] { self(p)->on_book(*b); });
  }
  static int on_trade(void* p, const guiju_trade* t) noexcept {
    return guarded(self(p), [&] { self(p)->on_trade(*t); });
  }
  static int on_order_update(void* p, const guiju_order* o) noexcept {
    return guarded(self(p), [&] { self(p)->on_order_update(*o); });
  }
  static int on_fill(void* p, const guiju_order* o, const guiju_fill* f) noexcept {
    return guarded(self(p), [&] { self(p)->on_fill(*o, *f); });
  }
  static int on_timer(void* p, guiju_timer_id id, guiju_time scheduled) noexcept {
    return guarded(self(p), [&] { self(p)->on_timer(id, scheduled); });
  }
  static int on_signal(void* p, const guiju_signal* s) noexcept {
    return guarded(self(p), [&] { self(p)->on_signal(*s); });
  }
  static int on_signal_timeout(void* p, uint64_t request) noexcept {
    return guarded(self(p), [&] { self(p)->on_signal_timeout(request); });
  }
};

template <typename T>
const guiju_plugin* plugin_of(const char* type, const char* version) {
  static const guiju_plugin plugin = [&] {
    guiju_plugin p{};
    p.abi_major = GUIJU_ABI_MAJOR;
    p.abi_minor = GUIJU_ABI_MINOR;
    p.type = type;
    p.version = version;
    p.callbacks.struct_size = sizeof(guiju_strategy_callbacks);
    p.callbacks.create = &Trampolines<T>::create;
    p.callbacks.destroy = &Trampolines<T>::destroy;
    p.callbacks.on_start = &Trampolines<T>::on_start;
    p.callbacks.on_stop = &Trampolines<T>::on_stop;
    p.callbacks.on_quote = &Trampolines<T>::on_quote;
    p.callbacks.on_book = &Trampolines<T>::on_book;
    p.callbacks.on_trade = &Trampolines<T>::on_trade;
    p.callbacks.on_order_update = &Trampolines<T>::on_order_update;
    p.callbacks.on_fill = &Trampolines<T>::on_fill;
    p.callbacks.on_timer = &Trampolines<T>::on_timer;
    p.callbacks.on_signal = &Trampolines<T>::on_signal;
    p.callbacks.on_signal_timeout = &Trampolines<T>::on_signal_timeout;
    return p;
  }();
  return &plugin;
}

}  // namespace detail
}  // namespace guiju::sdk

// Exports Class as the plugin's strategy type `type_name`, at plugin version `version_text`.
#define GUIJU_EXPORT_STRATEGY(Class, type_name, version_text)                                  \
  extern "C" __attribute__((visibility("default"))) const guiju_plugin* guiju_strategy_plugin( \
      void) {                                                                                  \
    return ::guiju::sdk::detail::plugin_of<Class>(type_name, version_text);                    \
  }

#endif  // GUIJU_STRATEGY_HPP
