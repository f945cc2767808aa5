#include "core/config/strategy_parameters.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "core/config/config_error.hpp"

namespace guiju {

const StrategyParameters::Entry* StrategyParameters::find(const std::string& key) const {
  for (const Entry& e : entries_) {
    if (e.key == key) {
      e.used = true;
      return &e;
    }
  }
  return nullptr;
}

void StrategyParameters::fail(const Entry& e, const std::string& expected) const {
  throw ConfigError(file_, e.line, e.column, "strategy '" + strategy_ + "' parameter " + e.key,
                    "expected " + expected + ", got '" + e.value + "'");
}

int64_t StrategyParameters::get_int(const std::string& key, int64_t fallback, int64_t min,
                                    int64_t max) const {
  const Entry* e = find(key);
  if (!e) return fallback;
  int64_t v = 0;
  const char* end = e->value.data() + e->value.size();
  const auto [p, ec] = std::from_chars(e->value.data(), end, v);
  if (ec != std::errc() || p != end || v < min || v > max) {
    fail(*e, "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  return v;
}

double StrategyParameters::get_double(const std::string& key, double fallback, double min,
                                      double max) const {
  const Entry* e = find(key);
  if (!e) return fallback;
  char* end = nullptr;
  const double v = std::strtod(e->value.c_str(), &end);
  if (e->value.empty() || end != e->value.c_str() + e->value.size() || !std::isfinite(v) ||
      v < min || v > max) {
    fail(*e, "a number in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  return v;
}

bool StrategyParameters::get_bool(const std::string& key, bool fallback) const {
  const Entry* e = find(key);
  if (!e) return fallback;
  if (e->value == "true") return true;
  if (e->value == "false") return false;
  fail(*e, "true or false");
}

std::string StrategyParameters::get_string(const std::string& key,
                                           const std::string& fallback) const {
  const Entry* e = find(key);
  return e ? e->value : fallback;
}

Quantity StrategyParameters::get_quantity(const std::string& key, Quantity fallback) const {
  const Entry* e = find(key);
  if (!e) return fallback;
  std::string why;
  const auto q = Quantity::parse(e->value, &why);
  if (!q || !q->is_positive())
    fail(*e, "a positive quantity" + (why.empty() ? "" : " (" + why + ")"));
  return *q;
}

Price StrategyParameters::get_price(const std::string& key, Price fallback) const {
  const Entry* e = find(key);
  if (!e) return fallback;
  std::string why;
  const auto p = Price::parse(e->value, &why);
  if (!p || p->is_negative())
    fail(*e, "a non-negative price" + (why.empty() ? "" : " (" + why + ")"));
  return *p;
}

void StrategyParameters::reject_unused() const {
  for (const Entry& e : entries_) {
    if (!e.used) {
      throw ConfigError(file_, e.line, e.column, "strategy '" + strategy_ + "' parameter " + e.key,
                        "unknown parameter for this strategy type");
    }
  }
}

}  // namespace guiju
