// The engine with guiju-inferd as its inference service, as an operator runs them: `guiju run` in
// paper mode with the ai_signal sample pointed at a real guiju-inferd on ipc:// (answered, the
// journal verified, each reply naming the model file's SHA-256, and a re-run reproducing the run
// exactly); a service that is not there (requests time out, the strategy is told, trading goes
// on); a service killed mid-run and restarted (the outage's requests expire, answers resume);
// and a service whose batching delay outlasts the deadlines (it expires requests, and no answer
// reaches a strategy after its deadline). Every process is started and stopped by its pid.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/background_process.hpp"
#include "tests/support/guiju_cli.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const std::string kStrategyDir = std::string(GUIJU_SOURCE_ROOT) + "/strategies/ai_signal";

int64_t wall_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// strategies/ai_signal/config.yaml in paper mode for `seconds` at `speed`, its paths made
// absolute, its journal and state in `dir`, asking the service at `endpoint`. `extra_strategy`
// is appended to the strategies list.
std::string PaperConfig(const TempDir& dir, const std::string& endpoint, int seconds, int speed,
                        const std::string& extra_strategy = "",
                        const std::string& inference_extra = "") {
  std::string text = read_file(kStrategyDir + "/config.yaml");
  auto set = [&](const std::string& pattern, const std::string& value) {
    const std::string before = text;
    text = std::regex_replace(text, std::regex(pattern), value);
    EXPECT_NE(text, before) << "the sample config has no " << pattern;
  };
  set("directories: \\[build/strategies\\]", "directories: [" GUIJU_STRATEGY_DIR "]");
  set("features_file: strategies/ai_signal", "features_file: " + kStrategyDir);
  set("repository: strategies/ai_signal/model", "repository: " + kStrategyDir + "/model");
  set("mode: replay", "mode: paper");
  set("service: embedded", "service: " + endpoint + inference_extra);
  set("client_order_id_prefix: GJ",
      "client_order_id_prefix: GJ\n  state_dir: " + (dir.path() / "state").string());
  if (!extra_strategy.empty()) set("\nrisk:", extra_strategy + "\nrisk:");
  text += "\naudit:\n  directory: " + (dir.path() / "journal").string() +
          "\n  durability: os_buffered\n";
  text += "\npaper:\n  duration_seconds: " + std::to_string(seconds) +
          "\n  speed: " + std::to_string(speed) + "\n";
  return text;
}

// A strategy that trades without signals, to show that trading goes on without the service.
const std::string kTaker =
    "  - name: taker\n    plugin: taker.so\n    type: taker\n    account: demo\n"
    "    instruments: [\"000001\"]\n"
    "    parameters: { order_lots: 1, max_position_lots: 5, min_interval_ms: 200 }\n";

std::unique_ptr<BackgroundProcess> StartInferd(const TempDir& dir, const std::string& repository,
                                               const std::string& endpoint, int n) {
  auto inferd = std::make_unique<BackgroundProcess>(
      std::vector<std::string>{GUIJU_INFERD_BINARY, "--repository", repository, "--listen",
                               endpoint, "--model", "ai_signal"},
      (dir.path() / ("inferd-" + std::to_string(n) + ".log")).string());
  EXPECT_TRUE(inferd->wait_for_output(" ready: listening on ", 30s)) << inferd->output();
  return inferd;
}

// The run summary's signal counters.
struct Counters {
  bool found = false;
  int64_t sent = 0, answered = 0, expired = 0, overloaded = 0, unavailable = 0, errors = 0,
          late = 0, timed_out = 0;
};

Counters SummaryCounters(const std::string& output) {
  Counters c;
  std::smatch m;
  if (!std::regex_search(output, m,
                         std::regex(R"(signals\s+\S+: (\d+) sent, (\d+) answered, (\d+) expired, )"
                                    R"((\d+) overloaded, (\d+) unavailable, (\d+) errors, (\d+) )"
                                    R"(late replies dropped; (\d+) timed out)"))) {
    return c;
  }
  c.found = true;
  int64_t* fields[] = {&c.sent,        &c.answered, &c.expired, &c.overloaded,
                       &c.unavailable, &c.errors,   &c.late,    &c.timed_out};
  for (size_t i = 0; i < 8; ++i) *fields[i] = std::stoll(m[i + 1].str());
  return c;
}

// The summary's line about signals, for the test's log.
std::string SignalsLine(const std::string& output) {
  std::smatch m;
  return std::regex_search(output, m, std::regex("signals [^\n]*")) ? m[0].str() : "";
}

std::vector<nlohmann::json> Records(const fs::path& journal, const std::string& type) {
  const CommandResult r =
      run_guiju({"audit", "export", journal.string(), "--type", type, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::vector<nlohmann::json> out;
  std::istringstream lines(r.output);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line[0] == '{') out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

int64_t Int(const nlohmann::json& j, const char* key) {
  const nlohmann::json& v = j.at(key);
  return v.is_string() ? std::stoll(v.get<std::string>()) : v.get<int64_t>();
}

size_t CountStatus(const std::vector<nlohmann::json>& replies, const std::string& status) {
  size_t n = 0;
  for (const nlohmann::json& r : replies) n += r.at("status") == status ? 1 : 0;
  return n;
}

std::string Sha256Of(const std::string& path) {
  const CommandResult r = run_command({"sha256sum", path});
  return r.exit_code == 0 ? r.output.substr(0, 64) : "";
}

TEST(InferenceServiceCliTest, PaperTradingAskedTheServiceAndAReRunReproducesIt) {
  TempDir dir("guiju-svc");
  const std::string endpoint = "ipc://" + (dir.path() / "inferd.ipc").string();
  auto inferd = StartInferd(dir, kStrategyDir + "/model", endpoint, 0);
  const std::string config = dir.file("ai.yaml", PaperConfig(dir, endpoint, 4, 100));
  const CommandResult run = run_guiju({"run", "--config", config});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(inferd->stop(5s), 0) << inferd->output();
  const Counters c = SummaryCounters(run.output);
  ASSERT_TRUE(c.found) << run.output;
  EXPECT_GT(c.sent, 0) << run.output;
  EXPECT_GT(c.answered, 0) << run.output;
  EXPECT_EQ(c.unavailable, 0) << run.output;
  EXPECT_EQ(c.errors, 0) << run.output;
  EXPECT_NE(run.output.find("inference service " + endpoint + ": serving ai_signal 1"),
            std::string::npos)
      << run.output;

  const fs::path journal = dir.path() / "journal";
  const CommandResult verify = run_guiju({"audit", "verify", journal.string()});
  EXPECT_EQ(verify.exit_code, 0) << verify.output;

  // Every answer names the model that gave it, by the file's hash, as the service loaded it.
  const std::string sha = Sha256Of(kStrategyDir + "/model/ai_signal/1/model.onnx");
  ASSERT_EQ(sha.size(), 64u);
  const std::vector<nlohmann::json> replies = Records(journal, "signal_reply");
  const size_t ok = CountStatus(replies, "ok");
  // The client delivered `answered` in time; the engine journals those it read before their
  // deadline and drops the rest (counted with the late ones).
  EXPECT_GT(ok, 0u);
  EXPECT_LE(static_cast<int64_t>(ok), c.answered);
  EXPECT_GE(static_cast<int64_t>(ok) + c.late, c.answered);
  for (const nlohmann::json& r : replies) {
    if (r.at("status") != "ok") continue;
    EXPECT_EQ(r.at("model"), "ai_signal") << r.dump();
    EXPECT_EQ(r.at("model_version"), "1") << r.dump();
    EXPECT_EQ(r.at("model_sha256"), sha) << r.dump();
    EXPECT_GT(Int(r, "latency_ns"), 0) << r.dump();
  }
  const size_t orders = Records(journal, "new_order").size();
  std::printf("service run: %zu replies (%zu ok), %zu orders; %s\n", replies.size(), ok, orders,
              SignalsLine(run.output).c_str());

  // The re-run answers from the journal: no service, the same decisions.
  const CommandResult rerun =
      run_guiju({"replay", "--rerun", journal.string(), "--config", config});
  EXPECT_EQ(rerun.exit_code, 0) << rerun.output;
  EXPECT_NE(rerun.output.find("zero divergence"), std::string::npos) << rerun.output;
}

TEST(InferenceServiceCliTest, WithNoServiceRequestsTimeOutAndTradingGoesOn) {
  TempDir dir("guiju-svc");
  const std::string endpoint = "ipc://" + (dir.path() / "nobody.ipc").string();
  const std::string config =
      dir.file("ai.yaml", PaperConfig(dir, endpoint, 3, 50, kTaker, "\n  connect_timeout_ms: 200"));
  const CommandResult run = run_guiju({"run", "--config", config});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("no answer within 200 ms"), std::string::npos) << run.output;
  const Counters c = SummaryCounters(run.output);
  ASSERT_TRUE(c.found) << run.output;
  EXPECT_EQ(c.sent, 0) << run.output;
  EXPECT_EQ(c.answered, 0) << run.output;
  EXPECT_GT(c.unavailable, 0) << run.output;
  // Each unsent request timed out, but for those the run's end caught before their deadline.
  EXPECT_GT(c.timed_out, 0) << run.output;
  EXPECT_LE(c.timed_out, c.unavailable) << run.output;
  EXPECT_GE(c.timed_out + 2, c.unavailable) << run.output;

  // The strategy was told: its timeouts are the engine's expiries (until it stopped).
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      run.output, m, std::regex(R"(ai_signal: (\d+) requests, 0 replies, (\d+) timeouts)")))
      << run.output;
  EXPECT_GT(std::stoll(m[2].str()), 0);
  EXPECT_LE(std::stoll(m[2].str()), c.timed_out) << run.output;

  const fs::path journal = dir.path() / "journal";
  EXPECT_EQ(run_guiju({"audit", "verify", journal.string()}).exit_code, 0);
  const std::vector<nlohmann::json> replies = Records(journal, "signal_reply");
  EXPECT_EQ(static_cast<int64_t>(CountStatus(replies, "deadline_missed")), c.timed_out);
  EXPECT_EQ(CountStatus(replies, "deadline_missed"), replies.size());
  // Trading went on: the strategy that needs no signal sent its orders.
  EXPECT_GT(Records(journal, "new_order").size(), 0u) << run.output;
}

TEST(InferenceServiceCliTest, AServiceKilledMidRunIsMissedThenAnswersAgainOnceRestarted) {
  TempDir dir("guiju-svc");
  const std::string endpoint = "ipc://" + (dir.path() / "inferd.ipc").string();
  auto inferd = StartInferd(dir, kStrategyDir + "/model", endpoint, 0);
  const std::string config = dir.file("ai.yaml", PaperConfig(dir, endpoint, 6, 50));
  BackgroundProcess engine({GUIJU_BINARY, "run", "--config", config},
                           (dir.path() / "guiju.log").string());
  // The session starts after this line; the strategy asks once its features have their history
  // (half a second of this market at this speed).
  ASSERT_TRUE(engine.wait_for_output("guiju run: mode paper", 30s)) << engine.output();
  std::this_thread::sleep_for(1500ms);
  const int64_t killed = wall_ns();
  ASSERT_EQ(::kill(inferd->pid(), SIGKILL), 0);
  EXPECT_TRUE(inferd->wait(5s));
  std::this_thread::sleep_for(1500ms);
  const int64_t restarting = wall_ns();
  inferd = StartInferd(dir, kStrategyDir + "/model", endpoint, 1);
  const int64_t restarted = wall_ns();
  ASSERT_TRUE(engine.wait(30s)) << engine.output();
  ASSERT_EQ(engine.exit_code(), 0) << engine.output();
  EXPECT_EQ(inferd->stop(5s), 0) << inferd->output();

  const Counters c = SummaryCounters(engine.output());
  ASSERT_TRUE(c.found) << engine.output();
  EXPECT_GT(c.unavailable, 0) << engine.output();
  const fs::path journal = dir.path() / "journal";
  EXPECT_EQ(run_guiju({"audit", "verify", journal.string()}).exit_code, 0);
  size_t ok_before = 0;
  size_t missed_during = 0;
  size_t ok_during = 0;
  size_t ok_after = 0;
  for (const nlohmann::json& r : Records(journal, "signal_reply")) {
    const int64_t t = Int(r, "engine_time");
    const bool ok = r.at("status") == "ok";
    if (t < killed) {
      ok_before += ok ? 1 : 0;
    } else if (t > killed + 100'000'000 && t < restarting) {  // after in-flight answers
      ok_during += ok ? 1 : 0;
      missed_during += r.at("status") == "deadline_missed" ? 1 : 0;
    } else if (t > restarted) {
      ok_after += ok ? 1 : 0;
    }
  }
  EXPECT_GT(ok_before, 0u);
  EXPECT_GT(missed_during, 0u) << "requests in the outage expire";
  EXPECT_EQ(ok_during, 0u);
  EXPECT_GT(ok_after, 0u) << "answers resume once the service is back\n" << engine.output();
}

TEST(InferenceServiceCliTest, AnOverloadedServiceExpiresRequestsAndNoAnswerComesLate) {
  TempDir dir("guiju-svc");
  // The model as shipped, batched two rows at a time, a lone request waiting 50 ms for a second
  // one: far past the strategy's 2 ms deadline, so the service expires it (and computes it only
  // when another request fills the batch in time).
  const fs::path repository = dir.path() / "models";
  fs::copy(kStrategyDir + "/model", repository, fs::copy_options::recursive);
  const fs::path model_config = repository / "ai_signal" / "1" / "config.yaml";
  std::string text = read_file(model_config.string());
  text = std::regex_replace(text, std::regex("max_batch: \\d+"), "max_batch: 2");
  text =
      std::regex_replace(text, std::regex("max_queue_delay_us: \\d+"), "max_queue_delay_us: 50000");
  std::ofstream(model_config, std::ios::trunc) << text;

  const std::string endpoint = "ipc://" + (dir.path() / "inferd.ipc").string();
  auto inferd = StartInferd(dir, repository.string(), endpoint, 0);
  const std::string config = dir.file("ai.yaml", PaperConfig(dir, endpoint, 3, 50));
  const CommandResult run = run_guiju({"run", "--config", config});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(inferd->stop(5s), 0) << inferd->output();
  const Counters c = SummaryCounters(run.output);
  ASSERT_TRUE(c.found) << run.output;
  EXPECT_GT(c.expired, 0) << run.output;
  EXPECT_GE(c.late, c.expired) << "an expired answer is late by definition\n" << run.output;
  EXPECT_GT(c.timed_out, 0) << run.output;

  // No answer reached a strategy after its deadline: each reply that is not the engine's own
  // expiry was journaled, and measured by the client, before the request's deadline.
  const fs::path journal = dir.path() / "journal";
  EXPECT_EQ(run_guiju({"audit", "verify", journal.string()}).exit_code, 0);
  std::map<int64_t, nlohmann::json> requests;
  for (const nlohmann::json& r : Records(journal, "signal_request")) {
    requests.emplace(Int(r, "request_id"), r);
  }
  size_t answered_in_time = 0;
  for (const nlohmann::json& reply : Records(journal, "signal_reply")) {
    if (reply.at("status") == "deadline_missed") continue;
    const auto it = requests.find(Int(reply, "request_id"));
    ASSERT_NE(it, requests.end()) << reply.dump();
    const int64_t deadline = Int(it->second, "deadline");
    EXPECT_LE(Int(reply, "engine_time"), deadline) << reply.dump();
    EXPECT_LE(Int(it->second, "event_time") + Int(reply, "latency_ns"), deadline) << reply.dump();
    answered_in_time += reply.at("status") == "ok" ? 1 : 0;
  }
  std::printf("overloaded service: %zu answered in time, %lld expired by it, %lld timed out\n",
              answered_in_time, static_cast<long long>(c.expired),
              static_cast<long long>(c.timed_out));
}

}  // namespace
}  // namespace guiju::test
