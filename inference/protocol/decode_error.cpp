#include "inference/protocol/decode_error.hpp"

#include <algorithm>
#include <cstdio>

namespace guiju::inference {

std::string_view describe(const DecodeError& error, std::span<char> buffer) {
  if (buffer.empty()) return {};
  if (!error) return {};
  int n = 0;
  const auto value = static_cast<unsigned long long>(error.value);
  const auto limit = static_cast<unsigned long long>(error.limit);
  if (error.has_value && error.has_limit) {
    n = std::snprintf(buffer.data(), buffer.size(), "%s at byte %u: %s (got %llu, limit %llu)",
                      error.field, error.offset, error.problem, value, limit);
  } else if (error.has_value) {
    n = std::snprintf(buffer.data(), buffer.size(), "%s at byte %u: %s (got %llu)", error.field,
                      error.offset, error.problem, value);
  } else {
    n = std::snprintf(buffer.data(), buffer.size(), "%s at byte %u: %s", error.field, error.offset,
                      error.problem);
  }
  if (n < 0) return {};
  return {buffer.data(), std::min(static_cast<size_t>(n), buffer.size() - 1)};
}

std::string describe(const DecodeError& error) {
  char buffer[512];
  return std::string(describe(error, buffer));
}

}  // namespace guiju::inference
