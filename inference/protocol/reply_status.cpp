#include "inference/protocol/reply_status.hpp"

namespace guiju::inference {

std::string_view to_string(ReplyStatus status) {
  switch (status) {
    case ReplyStatus::kOk:
      return "ok";
    case ReplyStatus::kExpired:
      return "expired";
    case ReplyStatus::kOverloaded:
      return "overloaded";
    case ReplyStatus::kUnknownModel:
      return "unknown model";
    case ReplyStatus::kBadRequest:
      return "bad request";
    case ReplyStatus::kModelError:
      return "model error";
    case ReplyStatus::kUnavailable:
      return "unavailable";
  }
  return "unknown status";
}

}  // namespace guiju::inference
