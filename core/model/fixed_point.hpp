#pragma once
// Fixed-point money types (DESIGN.md rule 4: no floating point for money).
//
// Price, Quantity and Rate are 64-bit integers with a fixed number of decimals; Money (notional,
// PnL, fees) is a 128-bit integer with 8 decimals, so price x quantity can never overflow before it
// is rounded. Every operation that could leave the representable range is checked: the operators
// throw FixedPointOverflow, the try_* functions return false. Nothing wraps silently.

#include <compare>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace guiju {

__extension__ using int128 = __int128;  // GCC/Clang builtin; notional math (rule 4).
__extension__ using uint128 = unsigned __int128;

class FixedPointOverflow : public std::overflow_error {
 public:
  using std::overflow_error::overflow_error;
};

namespace fixed_point {

constexpr int64_t pow10(int n) {
  int64_t v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

// num / den rounded half away from zero; den != 0.
constexpr int128 div_round(int128 num, int128 den) {
  if (den < 0) {
    num = -num;
    den = -den;
  }
  const int128 q = num / den;
  const int128 r = num % den;
  if (2 * (r < 0 ? -r : r) >= den) return num < 0 ? q - 1 : q + 1;
  return q;
}

[[noreturn]] void throw_overflow(const char* what);

// a x b, throwing FixedPointOverflow instead of wrapping.
constexpr int128 checked_mul(int128 a, int128 b) {
  int128 out = 0;
  if (__builtin_mul_overflow(a, b, &out)) throw_overflow("128-bit multiplication");
  return out;
}

// The reasons the parsers give for text that is a number but does not fit, as opposed to text
// that is not a number at all; callers with their own wording for the latter tell them apart.
inline constexpr const char* kTooManyDecimals = "too many decimal places";
inline constexpr const char* kOutOfRange = "value out of range";

// Decimal text as written: its value is mantissa / 10^fraction_digits.
struct DecimalDigits {
  int128 mantissa = 0;
  int fraction_digits = 0;
};

// Parses "[-]digits[.digits]" exactly, keeping at most max_fraction_digits decimals (zeros beyond
// them are dropped, other digits are kTooManyDecimals). For callers that scale or round the value
// themselves (the importers round vendors' floating-point noise to the tick). On failure returns
// nullopt and, when error is given, says what was wrong.
std::optional<DecimalDigits> parse_decimal_digits(std::string_view text, int max_fraction_digits,
                                                  std::string* error);

// Parses "[-]digits[.digits]" into a raw integer scaled by 10^decimals. On failure returns
// nullopt and, when error is given, says what was wrong.
std::optional<int128> parse_decimal(std::string_view text, int decimals, std::string* error);

// Exact decimal text of raw / 10^decimals, trailing zeros trimmed (at least one decimal kept
// when min_decimals > 0).
std::string format_decimal(int128 raw, int decimals, int min_decimals);

}  // namespace fixed_point

// A 64-bit fixed-point value with `Decimals` decimals. Tag keeps Price and Quantity apart.
template <typename Tag, int Decimals>
class Fixed64 {
 public:
  static constexpr int kDecimals = Decimals;
  static constexpr int64_t kScale = fixed_point::pow10(Decimals);

  constexpr Fixed64() = default;
  static constexpr Fixed64 from_raw(int64_t raw) { return Fixed64(raw); }
  static constexpr Fixed64 zero() { return Fixed64(0); }

  // Whole units (shares, yuan); throws when units * scale does not fit.
  static constexpr Fixed64 from_units(int64_t units) {
    int64_t raw = 0;
    if (__builtin_mul_overflow(units, kScale, &raw)) fixed_point::throw_overflow("from_units");
    return Fixed64(raw);
  }

  // Exact parse of decimal text; nullopt (with the reason in *error) on bad text or overflow.
  static std::optional<Fixed64> parse(std::string_view text, std::string* error = nullptr) {
    const auto raw = fixed_point::parse_decimal(text, Decimals, error);
    if (!raw) return std::nullopt;
    if (*raw > INT64_MAX || *raw < INT64_MIN) {
      if (error) *error = fixed_point::kOutOfRange;
      return std::nullopt;
    }
    return Fixed64(static_cast<int64_t>(*raw));
  }

  constexpr int64_t raw() const { return raw_; }
  constexpr bool is_zero() const { return raw_ == 0; }
  constexpr bool is_positive() const { return raw_ > 0; }
  constexpr bool is_negative() const { return raw_ < 0; }

  std::string to_string() const { return fixed_point::format_decimal(raw_, Decimals, 0); }
  // For statistics and reports only; never feed the result back into money math.
  constexpr double to_double() const {
    return static_cast<double>(raw_) / static_cast<double>(kScale);
  }

  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
  constexpr auto operator<=>(const Fixed64&) const = default;

  constexpr bool try_add(Fixed64 other, Fixed64& out) const {
    return !__builtin_add_overflow(raw_, other.raw_, &out.raw_);
  }
  constexpr bool try_sub(Fixed64 other, Fixed64& out) const {
    return !__builtin_sub_overflow(raw_, other.raw_, &out.raw_);
  }
  constexpr bool try_mul(int64_t factor, Fixed64& out) const {
    return !__builtin_mul_overflow(raw_, factor, &out.raw_);
  }

  friend constexpr Fixed64 operator+(Fixed64 a, Fixed64 b) {
    Fixed64 out;
    if (!a.try_add(b, out)) fixed_point::throw_overflow("addition");
    return out;
  }
  friend constexpr Fixed64 operator-(Fixed64 a, Fixed64 b) {
    Fixed64 out;
    if (!a.try_sub(b, out)) fixed_point::throw_overflow("subtraction");
    return out;
  }
  friend constexpr Fixed64 operator*(Fixed64 a, int64_t factor) {
    Fixed64 out;
    if (!a.try_mul(factor, out)) fixed_point::throw_overflow("multiplication");
    return out;
  }
  constexpr Fixed64 operator-() const {
    if (raw_ == INT64_MIN) fixed_point::throw_overflow("negation");
    return Fixed64(-raw_);
  }
  constexpr Fixed64& operator+=(Fixed64 b) { return *this = *this + b; }
  constexpr Fixed64& operator-=(Fixed64 b) { return *this = *this - b; }

  // True when this value is a whole multiple of `step` (tick size, lot size); step > 0.
  constexpr bool is_multiple_of(Fixed64 step) const {
    return step.raw_ > 0 && raw_ % step.raw_ == 0;
  }

 private:
  constexpr explicit Fixed64(int64_t raw) : raw_(raw) {}
  int64_t raw_ = 0;
};

struct PriceTag {};
struct QuantityTag {};
struct RateTag {};

// 8 decimals: covers sub-cent equity ticks and crypto; max about 9.2e10 per unit.
using Price = Fixed64<PriceTag, 8>;
// 8 decimals: whole shares and fractional crypto lots; max about 9.2e10 units.
using Quantity = Fixed64<QuantityTag, 8>;
// A fee or tax rate as a fraction (0.0005 = 5 bp); 10 decimals keep sub-basis-point rates exact.
using Rate = Fixed64<RateTag, 10>;

// Money: 128-bit, 8 decimals. Notional, cash, PnL and fees.
class Money {
 public:
  static constexpr int kDecimals = 8;
  static constexpr int64_t kScale = fixed_point::pow10(kDecimals);

  constexpr Money() = default;
  static constexpr Money from_raw(int128 raw) { return Money(raw); }
  static constexpr Money zero() { return Money(0); }
  static std::optional<Money> parse(std::string_view text, std::string* error = nullptr) {
    const auto raw = fixed_point::parse_decimal(text, kDecimals, error);
    if (!raw) return std::nullopt;
    return Money(*raw);
  }

  // price x quantity, rounded half away from zero to Money's 8 decimals. The product of two int64
  // always fits in 127 bits, so this cannot overflow.
  static constexpr Money notional(Price price, Quantity quantity) {
    const int128 product = static_cast<int128>(price.raw()) * quantity.raw();
    return Money(fixed_point::div_round(product, Quantity::kScale));
  }

  constexpr int128 raw() const { return raw_; }
  constexpr bool is_zero() const { return raw_ == 0; }
  constexpr bool is_negative() const { return raw_ < 0; }
  std::string to_string() const { return fixed_point::format_decimal(raw_, kDecimals, 2); }
  constexpr double to_double() const {
    return static_cast<double>(raw_) / static_cast<double>(kScale);
  }

  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
  constexpr auto operator<=>(const Money&) const = default;

  friend constexpr Money operator+(Money a, Money b) {
    int128 out = 0;
    if (__builtin_add_overflow(a.raw_, b.raw_, &out)) fixed_point::throw_overflow("money addition");
    return Money(out);
  }
  friend constexpr Money operator-(Money a, Money b) {
    int128 out = 0;
    if (__builtin_sub_overflow(a.raw_, b.raw_, &out)) {
      fixed_point::throw_overflow("money subtraction");
    }
    return Money(out);
  }
  constexpr Money operator-() const { return Money(0) - *this; }
  constexpr Money& operator+=(Money b) { return *this = *this + b; }
  constexpr Money& operator-=(Money b) { return *this = *this - b; }

  // this x rate, rounded half away from zero; throws on overflow.
  constexpr Money times(Rate rate) const {
    int128 product = 0;
    if (__builtin_mul_overflow(raw_, static_cast<int128>(rate.raw()), &product)) {
      fixed_point::throw_overflow("money x rate");
    }
    return Money(fixed_point::div_round(product, Rate::kScale));
  }

  // Rounds to `decimals` (2 for fen/cents), half away from zero.
  constexpr Money rounded_to(int decimals) const {
    const int128 step = fixed_point::pow10(kDecimals - decimals);
    return Money(fixed_point::checked_mul(fixed_point::div_round(raw_, step), step));
  }

  // this / quantity as a Price (average cost), rounded; quantity must be non-zero.
  constexpr Price per_unit(Quantity quantity) const {
    int128 scaled = 0;
    if (__builtin_mul_overflow(raw_, static_cast<int128>(Quantity::kScale), &scaled)) {
      fixed_point::throw_overflow("per_unit");
    }
    const int128 v = fixed_point::div_round(scaled, quantity.raw());
    if (v > INT64_MAX || v < INT64_MIN) fixed_point::throw_overflow("per_unit");
    return Price::from_raw(static_cast<int64_t>(v));
  }

 private:
  constexpr explicit Money(int128 raw) : raw_(raw) {}
  int128 raw_ = 0;
};

}  // namespace guiju
