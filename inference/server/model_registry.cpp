#include "inference/server/model_registry.hpp"

#include <algorithm>
#include <stdexcept>

namespace guiju::inference {
namespace {

bool before(const ServedModel& a, const ServedModel& b) {
  if (a.name() != b.name()) return a.name() < b.name();
  return version_before(a.version(), b.version());
}

}  // namespace

ServedModel* ModelRegistry::resolve(std::string_view name, std::string_view version,
                                    ReplyStatus& why) const {
  ServedModel* latest = nullptr;
  bool draining = false;
  for (const auto& m : models_) {
    if (m->name() != name) continue;
    if (!version.empty() && m->version() != version) continue;
    if (m->state != ModelState::kReady) {
      draining = true;
      continue;
    }
    latest = m.get();  // versions are kept in order: the last ready one is the latest
  }
  if (latest == nullptr) why = draining ? ReplyStatus::kUnavailable : ReplyStatus::kUnknownModel;
  return latest;
}

ServedModel* ModelRegistry::find(std::string_view name, std::string_view version) const {
  for (const auto& m : models_) {
    if (m->name() == name && m->version() == version) return m.get();
  }
  return nullptr;
}

ServedModel& ModelRegistry::install(std::unique_ptr<ServedModel> model) {
  if (find(model->name(), model->version()) != nullptr) {
    throw std::invalid_argument("model " + model->name() + " version " + model->version() +
                                " is already loaded");
  }
  const auto at = std::upper_bound(models_.begin(), models_.end(), model,
                                   [](const auto& a, const auto& b) { return before(*a, *b); });
  return **models_.insert(at, std::move(model));
}

void ModelRegistry::remove(const ServedModel& model) {
  std::erase_if(models_, [&](const auto& m) { return m.get() == &model; });
}

std::vector<ModelEntry> ModelRegistry::list() const {
  std::vector<ModelEntry> entries;
  entries.reserve(models_.size());
  for (const auto& m : models_) entries.push_back(m->entry());
  return entries;
}

}  // namespace guiju::inference
