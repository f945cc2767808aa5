#pragma once
// What a producer does when its ring is full. There is no "drop" policy on purpose: a dropped
// order or audit record is a silent loss (DESIGN.md rule 6), so a full ring either waits for the
// consumer or fails the push in a way the caller must handle.

#include <cstdint>
#include <string_view>

namespace guiju {

enum class BackPressure : uint8_t {
  kBlock = 1,  // spin, then yield, until the consumer makes room or the ring is closed
  kFail = 2,   // return false at once; the caller rejects the work loudly (counted)
};

constexpr std::string_view to_string(BackPressure p) {
  return p == BackPressure::kBlock ? "block" : "fail";
}

}  // namespace guiju
