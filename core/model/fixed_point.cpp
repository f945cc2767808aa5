#include "core/model/fixed_point.hpp"

#include <algorithm>

namespace guiju::fixed_point {

std::optional<DecimalDigits> parse_decimal_digits(std::string_view text, int max_fraction_digits,
                                                  std::string* error) {
  auto fail = [&](const char* why) -> std::optional<DecimalDigits> {
    if (error) *error = why;
    return std::nullopt;
  };
  if (text.empty()) return fail("empty number");
  bool negative = false;
  size_t i = 0;
  if (text[0] == '-') {
    negative = true;
    i = 1;
  }
  if (i == text.size()) return fail("no digits");

  // Digits are accumulated as a negative number so that the most negative value parses too.
  int128 acc = 0;
  int fraction_digits = -1;  // -1: no decimal point seen
  bool any_digit = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      if (fraction_digits >= 0) return fail("more than one decimal point");
      fraction_digits = 0;
      continue;
    }
    if (c < '0' || c > '9') return fail("unexpected character");
    any_digit = true;
    if (fraction_digits >= 0) {
      if (fraction_digits == max_fraction_digits) {
        if (c != '0') return fail(kTooManyDecimals);
        continue;  // trailing zeros beyond the precision are exact
      }
      ++fraction_digits;
    }
    if (__builtin_mul_overflow(acc, 10, &acc) || __builtin_sub_overflow(acc, c - '0', &acc)) {
      return fail(kOutOfRange);
    }
  }
  if (!any_digit) return fail("no digits");
  if (!negative && __builtin_sub_overflow(int128{0}, acc, &acc)) {
    return fail(kOutOfRange);  // the most negative value has no positive twin
  }
  return DecimalDigits{acc, std::max(fraction_digits, 0)};
}

std::optional<int128> parse_decimal(std::string_view text, int decimals, std::string* error) {
  const auto digits = parse_decimal_digits(text, decimals, error);
  if (!digits) return std::nullopt;
  int128 raw = digits->mantissa;
  for (int d = digits->fraction_digits; d < decimals; ++d) {
    if (__builtin_mul_overflow(raw, 10, &raw)) {
      if (error) *error = kOutOfRange;
      return std::nullopt;
    }
  }
  return raw;
}

std::string format_decimal(int128 raw, int decimals, int min_decimals) {
  const bool negative = raw < 0;
  // Work on the unsigned magnitude so that the minimum value formats too.
  uint128 mag =
      negative ? static_cast<uint128>(0) - static_cast<uint128>(raw) : static_cast<uint128>(raw);
  std::string digits;
  do {
    digits.push_back(static_cast<char>('0' + static_cast<int>(mag % 10)));
    mag /= 10;
  } while (mag != 0);
  while (static_cast<int>(digits.size()) <= decimals) digits.push_back('0');
  std::reverse(digits.begin(), digits.end());

  std::string out;
  if (negative) out.push_back('-');
  const size_t int_len = digits.size() - static_cast<size_t>(decimals);
  out.append(digits, 0, int_len);
  std::string frac = digits.substr(int_len);
  while (static_cast<int>(frac.size()) > min_decimals && !frac.empty() && frac.back() == '0') {
    frac.pop_back();
  }
  if (!frac.empty()) {
    out.push_back('.');
    out += frac;
  }
  return out;
}

void throw_overflow(const char* what) {
  throw FixedPointOverflow(std::string("fixed-point overflow in ") + what);
}

}  // namespace guiju::fixed_point
