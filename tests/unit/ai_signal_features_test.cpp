// The ai_signal plugin's feature code (strategies/ai_signal/features.hpp) against the training
// script's (strategies/ai_signal/train/features.py): the model was trained on what Python
// computes, so the plugin must compute the same numbers. parity_cases.py writes hand-made book and
// trade sequences with Python's features; this test replays them through the C++ code and
// compares every raw feature and every normalised input. Also: the shipped features.json loads
// and is refused when it describes other features, and the shipped model.onnx passes
// python3-onnx's checker with the shapes its config documents (check_model.py).
//
// Both Python steps run /usr/bin/python3 and skip, saying why, when it or the modules they need
// are missing.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "strategies/ai_signal/features.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using ai_signal::JsonValue;

constexpr const char* kPython = "/usr/bin/python3";

fs::path Source(const std::string& relative) {
  return fs::path(GUIJU_SOURCE_ROOT) / relative;
}
fs::path ModelDir() {
  return Source("strategies/ai_signal/model/ai_signal/1");
}
fs::path TrainDir() {
  return Source("strategies/ai_signal/train");
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

guiju_fixed Fixed(const JsonValue& v) {
  return static_cast<guiju_fixed>(std::llround(v.number));
}

guiju_book Book(const JsonValue& b) {
  guiju_book out{};
  const auto fill = [](const JsonValue& levels, guiju_level* dest, uint32_t& count) {
    for (const JsonValue& level : levels.array) {
      dest[count].price = Fixed(level.array.at(0));
      dest[count].size = Fixed(level.array.at(1));
      ++count;
    }
  };
  fill(*b.find("bids"), out.bids, out.bid_levels);
  fill(*b.find("asks"), out.asks, out.ask_levels);
  return out;
}

// Raw features agree to the last bits or so: the same operations on the same doubles, with only
// the C library's log in common. Relative 1e-12, absolute 1e-12 around zero.
void ExpectClose(double actual, double expected, const std::string& what) {
  EXPECT_NEAR(actual, expected, 1e-12 * std::max(1.0, std::fabs(expected))) << what;
}

TEST(AiSignalFeaturesTest, PluginFeaturesMatchTheTrainingScriptOnHandMadeBooks) {
  if (!fs::exists(kPython)) GTEST_SKIP() << "no " << kPython << " to run parity_cases.py";
  guiju::test::TempDir dir("ai-signal-parity");
  const fs::path cases_path = dir.path() / "cases.json";
  const auto r = guiju::test::run_command({kPython, "-B", (TrainDir() / "parity_cases.py").string(),
                                           "--features", (ModelDir() / "features.json").string(),
                                           "--out", cases_path.string()});
  ASSERT_EQ(r.exit_code, 0) << r.output;

  std::string error;
  const auto doc = ai_signal::JsonReader(ReadFile(cases_path)).document(&error);
  ASSERT_TRUE(doc) << error;
  const auto norm = ai_signal::load_normalizer((ModelDir() / "features.json").string(), &error);
  ASSERT_TRUE(norm) << error;

  // Python read the same constants the plugin reads.
  const JsonValue& names = *doc->find("feature_names");
  ASSERT_EQ(names.array.size(), static_cast<size_t>(ai_signal::kFeatureCount));
  for (size_t i = 0; i < names.array.size(); ++i) {
    EXPECT_EQ(names.array[i].string, ai_signal::kFeatureNames[i]);
    EXPECT_EQ(doc->find("mean")->array[i].number, norm->mean[i]) << names.array[i].string;
    EXPECT_EQ(doc->find("std")->array[i].number, norm->stddev[i]) << names.array[i].string;
  }
  EXPECT_EQ(doc->find("clip")->number, norm->clip);

  int books = 0, ready = 0, clipped = 0;
  for (const JsonValue& c : doc->find("cases")->array) {
    const std::string name = c.find("name")->string;
    SCOPED_TRACE(name);
    const double tick = ai_signal::to_double(Fixed(*c.find("tick")));
    const auto& expected = c.find("expected")->array;
    ai_signal::FeatureState state;
    size_t book_index = 0;
    for (const JsonValue& e : c.find("events")->array) {
      if (const JsonValue* t = e.find("trade")) {
        state.on_trade(static_cast<uint32_t>(t->find("aggressor")->number),
                       Fixed(*t->find("price")), Fixed(*t->find("size")));
        continue;
      }
      ASSERT_LT(book_index, expected.size());
      const JsonValue& want = expected[book_index];
      const std::string at = name + ", book " + std::to_string(book_index++);
      ai_signal::Features raw{};
      const bool valid = state.on_book(Book(*e.find("book")), tick, raw);
      ASSERT_EQ(valid, want.kind != JsonValue::Kind::kNull) << at;
      if (!valid) continue;
      ++books;
      EXPECT_EQ(state.ready(), want.find("ready")->boolean) << at;
      ready += state.ready() ? 1 : 0;
      std::array<float, ai_signal::kFeatureCount> inputs{};
      norm->apply(raw, inputs.data());
      for (size_t i = 0; i < raw.size(); ++i) {
        const std::string what = at + ", " + std::string(ai_signal::kFeatureNames[i]);
        ExpectClose(raw[i], want.find("raw")->array[i].number, what);
        const auto z = static_cast<float>(want.find("normalized")->array[i].number);
        EXPECT_NEAR(inputs[i], z, 1e-6f * std::max(1.0f, std::fabs(z))) << what;
        clipped += std::fabs(inputs[i]) == static_cast<float>(norm->clip) ? 1 : 0;
      }
    }
    EXPECT_EQ(book_index, expected.size());
  }
  // The cases reach every path: warm-up, ready books, and clipped inputs.
  EXPECT_GT(books, 500);
  EXPECT_GT(ready, 100);
  EXPECT_GT(clipped, 0);
}

TEST(AiSignalFeaturesTest, ShippedModelPassesTheOnnxCheckerWithItsDocumentedShapes) {
  if (!fs::exists(kPython)) GTEST_SKIP() << "no " << kPython << " to run check_model.py";
  const auto r = guiju::test::run_command(
      {kPython, "-B", (TrainDir() / "check_model.py").string(), ModelDir().string()});
  if (r.exit_code == 77) GTEST_SKIP() << r.output;
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("ok (ai_signal, opset 17, [16] -> [3]"), std::string::npos) << r.output;
}

TEST(AiSignalFeaturesTest, ShippedFeaturesFileLoads) {
  std::string error;
  const auto n = ai_signal::load_normalizer((ModelDir() / "features.json").string(), &error);
  ASSERT_TRUE(n) << error;
  EXPECT_GT(n->clip, 0);
  for (size_t i = 0; i < n->stddev.size(); ++i) EXPECT_GT(n->stddev[i], 0);
}

// A features file for this feature set, or one with the first feature renamed, its std changed or
// another feature-set number; a nested object the reader must skip over, too.
std::string FeaturesText(const std::string& first_name = "imbalance_l1", double first_std = 1.0,
                         const std::string& set = "1") {
  std::string features;
  for (size_t i = 0; i < ai_signal::kFeatureNames.size(); ++i) {
    const std::string name = i == 0 ? first_name : std::string(ai_signal::kFeatureNames[i]);
    const double stddev = i == 0 ? first_std : 1.0;
    features += std::string(i == 0 ? "" : ",") + "{\"name\": \"" + name +
                "\", \"mean\": 0.5, \"std\": " + std::to_string(stddev) + "}";
  }
  return "{\"feature_set\": " + set + ", \"clip\": 5.0, \"features\": [" + features +
         "], \"outputs\": [\"p_down\", \"p_flat\", \"p_up\"], \"nested\": {\"a\": [true, false, "
         "null, -1.5e-3, \"x\\\"y\"]}}";
}

TEST(AiSignalFeaturesTest, FeaturesFileForThisFeatureSetParses) {
  std::string error;
  const auto n = ai_signal::parse_normalizer(FeaturesText(), &error);
  ASSERT_TRUE(n) << error;
  EXPECT_EQ(n->mean[3], 0.5);
  EXPECT_EQ(n->stddev[15], 1.0);
  EXPECT_EQ(n->clip, 5.0);
  ai_signal::Features raw{};
  raw[0] = 100.0;
  raw[1] = -100.0;
  raw[2] = 1.5;
  std::array<float, ai_signal::kFeatureCount> z{};
  n->apply(raw, z.data());
  EXPECT_EQ(z[0], 5.0f);
  EXPECT_EQ(z[1], -5.0f);
  EXPECT_EQ(z[2], 1.0f);
  EXPECT_EQ(z[3], -0.5f);
}

TEST(AiSignalFeaturesTest, FeaturesFileDescribingOtherFeaturesIsRefusedWithTheReason) {
  struct Case {
    std::string text;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {FeaturesText("imbalance_top"), "feature 0 is not imbalance_l1"},
      {FeaturesText("imbalance_l1", 0.0), "needs a finite mean and a positive std"},
      {FeaturesText("imbalance_l1", 1.0, "2"), "feature_set is not 1"},
      {"{\"feature_set\": 1, \"clip\": 5, \"features\": []}", "must list 16 features"},
      {"{\"feature_set\": 1, \"features\": []}", "clip must be a positive number"},
      {"{\"feature_set\": 1, \"clip\": 5, ", "not JSON"},
      {"[1, 2] x", "not JSON: trailing characters"},
      {"{\"feature_set\": +1}", "not JSON: bad number"},
  };
  for (const Case& c : cases) {
    std::string error;
    EXPECT_FALSE(ai_signal::parse_normalizer(c.text, &error)) << c.text;
    EXPECT_NE(error.find(c.reason), std::string::npos) << error;
  }
  std::string error;
  EXPECT_FALSE(ai_signal::load_normalizer("/nonexistent/features.json", &error));
  EXPECT_NE(error.find("cannot read /nonexistent/features.json"), std::string::npos) << error;
}

}  // namespace
