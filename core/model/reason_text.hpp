#pragma once
// Short fixed-size, NUL-padded text for reasons and operator names inside events.

#include <array>
#include <cstring>
#include <string_view>

namespace guiju {

template <size_t N>
struct FixedText {
  std::array<char, N> bytes{};

  // Truncates text that does not fit; reasons are for people, the codes are for machines.
  void assign(std::string_view text) {
    bytes.fill('\0');
    std::memcpy(bytes.data(), text.data(), text.size() < N ? text.size() : N);
  }
  std::string_view view() const { return {bytes.data(), strnlen(bytes.data(), N)}; }
  bool operator==(const FixedText&) const = default;
};

using ReasonText = FixedText<48>;
using OperatorName = FixedText<24>;

}  // namespace guiju
