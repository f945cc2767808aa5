#pragma once
// The outcome of a request, in every infer reply and admin reply.

#include <cstdint>
#include <string_view>

namespace guiju::inference {

enum class ReplyStatus : uint16_t {
  kOk = 0,
  kExpired = 1,       // its deadline passed before it was computed: never computed late
  kOverloaded = 2,    // the model's queue (or the service's) was full: refused at once
  kUnknownModel = 3,  // no such model, or no such version, is loaded
  kBadRequest = 4,    // decoded, but does not fit the model (row elements, rows)
  kModelError = 5,    // the model failed to run it, or refused to load (admin load)
  kUnavailable = 6,   // the service is stopping, or the version is being unloaded
};
inline constexpr uint16_t kLastReplyStatus = 6;

std::string_view to_string(ReplyStatus status);

}  // namespace guiju::inference
