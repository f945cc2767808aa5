#include "inference/runtime/model_repository.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <stdexcept>

#include "core/config/config_error.hpp"

namespace guiju::inference {

namespace {

namespace fs = std::filesystem;

// Limits that keep a hostile config from asking for absurd buffers.
constexpr int64_t kMaxDimension = 1 << 20;
constexpr size_t kMaxBatch = 1 << 20;
constexpr int64_t kMaxQueueDelayUs = 1'000'000;

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const YAML::Node& at, const std::string& key,
                         const std::string& message) const {
    const YAML::Mark m = at.Mark();
    throw ConfigError(file_, m.line >= 0 ? m.line + 1 : 0, m.column >= 0 ? m.column + 1 : 0, key,
                      message);
  }
  YAML::Node require(const YAML::Node& map, const std::string& key) const {
    const YAML::Node n = map[key];
    if (!n) fail(map, key, "missing");
    return n;
  }
  std::string text(const YAML::Node& n, const std::string& key) const {
    if (!n.IsScalar()) fail(n, key, "expected a value");
    return n.Scalar();
  }
  int64_t integer(const YAML::Node& n, const std::string& key, int64_t min, int64_t max) const {
    int64_t v = 0;
    if (!n.IsScalar() || !YAML::convert<int64_t>::decode(n, v) || v < min || v > max) {
      fail(n, key,
           "expected an integer in [" + std::to_string(min) + ", " + std::to_string(max) +
               "], got '" + (n.IsScalar() ? n.Scalar() : std::string("a list or map")) + "'");
    }
    return v;
  }
  std::vector<TensorInfo> tensors(const YAML::Node& list, const std::string& key) const {
    if (!list.IsSequence() || list.size() == 0) fail(list, key, "expected a non-empty list");
    std::vector<TensorInfo> out;
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string at = key + "[" + std::to_string(i) + "]";
      const YAML::Node t = list[i];
      if (!t.IsMap()) fail(t, at, "expected { name, shape }");
      for (const auto& kv : t) {
        const std::string k = kv.first.Scalar();
        if (k != "name" && k != "shape")
          fail(kv.first, std::string(at).append(".").append(k), "unknown key");
      }
      TensorInfo info;
      info.name = text(require(t, "name"), at + ".name");
      const YAML::Node shape = require(t, "shape");
      if (!shape.IsSequence() || shape.size() == 0) {
        fail(shape, at + ".shape", "expected a list of dimensions (without the batch)");
      }
      for (size_t d = 0; d < shape.size(); ++d) {
        info.shape.push_back(
            integer(shape[d], at + ".shape[" + std::to_string(d) + "]", 1, kMaxDimension));
      }
      out.push_back(std::move(info));
    }
    return out;
  }

 private:
  std::string file_;
};

bool numeric(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool version_before(const std::string& a, const std::string& b) {
  if (numeric(a) && numeric(b) && a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

ModelConfig read_model_config(const fs::path& repository, const std::string& name,
                              const std::string& version) {
  const fs::path dir = repository / name / version;
  ModelConfig c;
  c.config_file = dir / "config.yaml";
  c.model_file = dir / "model.onnx";
  if (!fs::is_directory(dir)) {
    throw std::invalid_argument("model repository " + repository.string() + ": no model " + name +
                                " version " + version + " (no directory " + dir.string() + ")");
  }
  if (!fs::is_regular_file(c.model_file)) {
    throw std::invalid_argument("model " + name + " version " + version + ": no " +
                                c.model_file.string());
  }
  const std::string file = c.config_file.string();
  YAML::Node root;
  try {
    root = YAML::LoadFile(file);
  } catch (const YAML::BadFile&) {
    throw ConfigError(file, 0, 0, "", "cannot read the model's config");
  } catch (const YAML::Exception& e) {
    throw ConfigError(file, e.mark.line + 1, e.mark.column + 1, "", e.msg);
  }
  const Reader r(file);
  if (!root.IsMap()) r.fail(root, "", "expected a map of settings");
  static const std::vector<std::string> kKeys = {"name",   "version",   "backend",
                                                 "device", "max_batch", "max_queue_delay_us",
                                                 "inputs", "outputs"};
  for (const auto& kv : root) {
    const std::string k = kv.first.Scalar();
    if (std::find(kKeys.begin(), kKeys.end(), k) == kKeys.end()) {
      r.fail(kv.first, k, "unknown key");
    }
  }
  c.name = r.text(r.require(root, "name"), "name");
  if (c.name != name) r.fail(root["name"], "name", "'" + c.name + "' in directory " + name);
  c.version = r.text(r.require(root, "version"), "version");
  if (c.version != version) {
    r.fail(root["version"], "version", "'" + c.version + "' in directory " + version);
  }
  if (root["backend"]) {
    c.backend = r.text(root["backend"], "backend");
    if (c.backend != "cpu" && c.backend != "cuda") {
      r.fail(root["backend"], "backend", "expected cpu or cuda, got '" + c.backend + "'");
    }
  }
  if (root["device"]) c.device = static_cast<int>(r.integer(root["device"], "device", 0, 255));
  if (root["max_batch"]) {
    c.max_batch = static_cast<size_t>(
        r.integer(root["max_batch"], "max_batch", 1, static_cast<int64_t>(kMaxBatch)));
  }
  if (root["max_queue_delay_us"]) {
    c.max_queue_delay_ns =
        r.integer(root["max_queue_delay_us"], "max_queue_delay_us", 0, kMaxQueueDelayUs) * 1000;
  }
  c.inputs = r.tensors(r.require(root, "inputs"), "inputs");
  c.outputs = r.tensors(r.require(root, "outputs"), "outputs");
  return c;
}

std::vector<std::string> model_versions(const fs::path& repository, const std::string& name) {
  std::vector<std::string> versions;
  const fs::path dir = repository / name;
  if (!fs::is_directory(dir)) return versions;
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
    if (e.is_directory() && fs::is_regular_file(e.path() / "model.onnx")) {
      versions.push_back(e.path().filename().string());
    }
  }
  std::sort(versions.begin(), versions.end(), version_before);
  return versions;
}

std::vector<ModelConfig> scan_repository(const fs::path& repository) {
  if (!fs::is_directory(repository)) {
    throw std::invalid_argument("model repository " + repository.string() + ": no such directory");
  }
  std::vector<std::string> names;
  for (const fs::directory_entry& e : fs::directory_iterator(repository)) {
    if (e.is_directory()) names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  std::vector<ModelConfig> models;
  for (const std::string& n : names) {
    for (const std::string& v : model_versions(repository, n)) {
      models.push_back(read_model_config(repository, n, v));
    }
  }
  return models;
}

}  // namespace guiju::inference
