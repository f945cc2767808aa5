#pragma once
// The model versions the service has loaded, by name and version. A request that names no version
// goes to the latest ready version (the repository's order: numeric versions by value), so
// loading version N+1 makes it the target of such requests at once, while requests already
// queued on N stay in N's queue and are computed by N. Owned by the batcher's serving thread: no
// lock, one writer.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "inference/protocol/reply_status.hpp"
#include "inference/server/served_model.hpp"

namespace guiju::inference {

class ModelRegistry {
 public:
  // The version a request is for: the named one, or the latest ready one. nullptr with why =
  // kUnknownModel when there is none, kUnavailable when it (or every version) is draining.
  ServedModel* resolve(std::string_view name, std::string_view version, ReplyStatus& why) const;
  // The named version in any state; nullptr when it is not loaded.
  ServedModel* find(std::string_view name, std::string_view version) const;

  // Takes a loaded version; throws std::invalid_argument when that version is already here.
  ServedModel& install(std::unique_ptr<ServedModel> model);
  // Unloads a version (its queue must be empty: the batcher drains it first).
  void remove(const ServedModel& model);

  // By name, then version order.
  const std::vector<std::unique_ptr<ServedModel>>& models() const { return models_; }
  std::vector<ModelEntry> list() const;

 private:
  std::vector<std::unique_ptr<ServedModel>> models_;
};

}  // namespace guiju::inference
