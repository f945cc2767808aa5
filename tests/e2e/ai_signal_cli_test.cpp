// AI signals end to end: the ai_signal sample asking its model (served in the engine's process)
// in replay and in paper trading, the audit trail of every request and reply with the model that
// answered, re-runs that use the recorded replies, and models that cannot be served.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "tests/support/guiju_cli.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju::test {
namespace {

namespace fs = std::filesystem;

const std::string kStrategyDir = std::string(GUIJU_SOURCE_ROOT) + "/strategies/ai_signal";

// strategies/ai_signal/config.yaml with its paths made absolute and its journal in `dir`.
std::string AiConfig(const TempDir& dir, const std::string& mode, const std::string& repository) {
  std::string text = read_file(kStrategyDir + "/config.yaml");
  auto set = [&](const std::string& pattern, const std::string& value) {
    text = std::regex_replace(text, std::regex(pattern), value);
  };
  set("directories: \\[build/strategies\\]", "directories: [" GUIJU_STRATEGY_DIR "]");
  set("features_file: strategies/ai_signal", "features_file: " + kStrategyDir);
  set("repository: strategies/ai_signal/model", "repository: " + repository);
  set("mode: replay", "mode: " + mode);
  set("client_order_id_prefix: GJ",
      "client_order_id_prefix: GJ\n  state_dir: " + (dir.path() / "state").string());
  text += "\naudit:\n  directory: " + (dir.path() / "journal").string() +
          "\n  durability: os_buffered\n";
  if (mode == "paper") text += "\npaper:\n  duration_seconds: 4\n  speed: 50\n";
  return text;
}

std::string Sha256Of(const std::string& output) {
  std::smatch m;
  std::regex_search(output, m, std::regex("sha256 ([0-9a-f]{64})"));
  return m.size() > 1 ? m[1].str() : "";
}

TEST(AiSignalCliTest, ReplayAsksTheModelForEverySignalAndAReRunMatchesItExactly) {
  TempDir dir;
  const std::string config = dir.file("ai.yaml", AiConfig(dir, "replay", kStrategyDir + "/model"));
  const CommandResult run = run_guiju({"replay", "--config", config});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      run.output, m, std::regex(R"((\d+) requests, (\d+) replies, 0 timeouts, 0 errors)")))
      << run.output;
  EXPECT_GT(std::stoi(m[1].str()), 1000);
  EXPECT_EQ(m[1].str(), m[2].str()) << "replay answers every request";
  EXPECT_TRUE(std::regex_search(run.output, std::regex(R"(orders\s+[1-9]\d* sent)"))) << run.output;

  // The audit trail: each reply names the model that gave it, by the file's hash.
  const std::string sha = Sha256Of(run.output);
  ASSERT_EQ(sha.size(), 64u) << run.output;
  const CommandResult replies = run_guiju({"audit", "export", (dir.path() / "journal").string(),
                                           "--type", "signal_reply", "--format", "jsonl"});
  ASSERT_EQ(replies.exit_code, 0) << replies.output;
  EXPECT_NE(replies.output.find("\"model\":\"ai_signal\",\"model_id\":\"1\",\"model_sha256\":\"" +
                                sha + "\",\"model_version\":\"1\""),
            std::string::npos)
      << replies.output.substr(0, 2000);
  const CommandResult requests = run_guiju({"audit", "export", (dir.path() / "journal").string(),
                                            "--type", "signal_request", "--format", "jsonl"});
  EXPECT_NE(requests.output.find("\"inputs\":\""), std::string::npos) << "the features it sent";

  const CommandResult rerun =
      run_guiju({"replay", "--rerun", (dir.path() / "journal").string(), "--config", config});
  EXPECT_EQ(rerun.exit_code, 0) << rerun.output;
  EXPECT_NE(rerun.output.find("zero divergence"), std::string::npos) << rerun.output;
}

TEST(AiSignalCliTest, PaperTradingOnAWorkerThreadIsReRunFromTheRecordedReplies) {
  TempDir dir;
  const std::string config = dir.file("ai.yaml", AiConfig(dir, "paper", kStrategyDir + "/model"));
  const CommandResult run = run_guiju({"run", "--config", config});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(run.output, m, std::regex(R"((\d+) requests, (\d+) replies)")))
      << run.output;
  EXPECT_GT(std::stoi(m[2].str()), 0) << "the worker answered";
  // Whatever the timing gave this run (replies, timeouts), the re-run takes it from the journal.
  const CommandResult rerun =
      run_guiju({"replay", "--rerun", (dir.path() / "journal").string(), "--config", config});
  EXPECT_EQ(rerun.exit_code, 0) << rerun.output;
  EXPECT_NE(rerun.output.find("zero divergence"), std::string::npos) << rerun.output;
}

TEST(AiSignalCliTest, AModelThatCannotBeServedStopsTheRunAndSaysWhy) {
  TempDir dir;
  // A copy of the repository whose model file is damaged.
  const fs::path repository = dir.path() / "models";
  fs::copy(kStrategyDir + "/model", repository, fs::copy_options::recursive);
  const fs::path model = repository / "ai_signal" / "1" / "model.onnx";
  fs::resize_file(model, fs::file_size(model) / 2);
  const CommandResult damaged =
      run_guiju({"replay", "--config",
                 dir.file("damaged.yaml", AiConfig(dir, "replay", repository.string()))});
  EXPECT_NE(damaged.exit_code, 0);
  EXPECT_NE(damaged.output.find(model.string()), std::string::npos) << damaged.output;

  // A model the config names but the repository does not hold: a config error at its key.
  std::string unknown = AiConfig(dir, "replay", kStrategyDir + "/model");
  unknown = std::regex_replace(unknown, std::regex("name: ai_signal, version: \"1\""),
                               "name: no_such_model");
  const CommandResult missing =
      run_guiju({"replay", "--config", dir.file("unknown.yaml", unknown)});
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  EXPECT_NE(missing.output.find("inference.models[0].name: no model 'no_such_model'"),
            std::string::npos)
      << missing.output;
}

}  // namespace
}  // namespace guiju::test
