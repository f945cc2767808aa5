#pragma once
// A client order id as it goes on the wire (FIX tag 11): fixed 32 bytes, NUL-padded, so that
// events stay trivially copyable.

#include <array>
#include <cstring>
#include <string_view>

namespace guiju {

struct ClientOrderId {
  static constexpr size_t kCapacity = 32;
  std::array<char, kCapacity> bytes{};

  // Returns false (and leaves the id empty) when text does not fit.
  bool assign(std::string_view text) {
    bytes.fill('\0');
    if (text.size() > kCapacity) return false;
    std::memcpy(bytes.data(), text.data(), text.size());
    return true;
  }
  std::string_view view() const { return {bytes.data(), strnlen(bytes.data(), kCapacity)}; }
  bool empty() const { return bytes[0] == '\0'; }
  bool operator==(const ClientOrderId&) const = default;
};
static_assert(sizeof(ClientOrderId) == 32);

}  // namespace guiju
