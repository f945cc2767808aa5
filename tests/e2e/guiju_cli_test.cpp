// End-to-end tests of the guiju program: --version, --help, `run` on the shipped configs, bad
// configs (exit code 2 and an error naming file, line and key), and stopping a paper session with
// SIGTERM. Each test starts the real binary and waits for it (or ends it by its pid).

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/guiju_cli.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

extern char** environ;

namespace {

using Result = guiju::test::CommandResult;

using guiju::test::config_path;
using guiju::test::read_config;
using guiju::test::read_file;
using guiju::test::run_guiju;
using guiju::test::TempDir;

// A copy of a shipped config, ready to run from the build tree.
std::string ConfigCopyIn(const TempDir& dir, const std::string& name) {
  return dir.file(name, read_config(name));
}

// The summary without the lines that depend on the machine (wall time, throughput).
std::string deterministic_part(const std::string& output) {
  std::istringstream in(output);
  std::string line, kept;
  while (std::getline(in, line)) {
    if (line.rfind("throughput", 0) == 0) continue;
    if (line.find("over the time budget") != std::string::npos) continue;  // wall-clock
    if (line.find(" info ") != std::string::npos) continue;
    kept += line + "\n";
  }
  return kept;
}

uint64_t summary_number(const std::string& output, const std::string& label) {
  std::smatch m;
  const std::regex re(label + R"(\s+(\d+))");
  if (!std::regex_search(output, m, re)) return 0;
  return std::stoull(m[1]);
}

// A paper config whose state, logs and journal live in dir.

std::string PaperConfigIn(const TempDir& dir, int duration_seconds, const char* durability) {
  return dir.file("paper.yaml", guiju::test::paper_config_text(dir, duration_seconds, durability));
}

// Starts guiju with args, stdout and stderr going to out_file; returns its pid, or -1.
pid_t spawn_guiju(const std::vector<std::string>& args, const std::string& out_file) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<std::string> owned = {GUIJU_BINARY};
  owned.insert(owned.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : owned) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, GUIJU_BINARY, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

// Waits up to `seconds` until the session's journal holds at least `bytes`: the engine is
// running (its signal handlers are installed before it starts), however loaded the machine is.
bool WaitForJournal(const std::filesystem::path& dir, uintmax_t bytes, int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    uintmax_t total = 0;
    std::error_code ec;
    for (const auto& f : std::filesystem::directory_iterator(dir, ec)) {
      if (f.is_regular_file(ec)) total += f.file_size(ec);
    }
    if (total >= bytes) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

// Waits up to `seconds` for a child started by spawn_guiju; false (after ending it with SIGKILL,
// by its pid) when it did not exit in time.
bool WaitForExit(pid_t pid, int seconds, int& status) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  pid_t done = 0;
  while ((done = waitpid(pid, &status, WNOHANG)) == 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (done != 0) return true;
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return false;
}

TEST(GuijuCli, VersionPrintsTheVersion) {
  const Result r = run_guiju({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("guiju 0."), std::string::npos) << r.output;
}

TEST(GuijuCli, HelpListsOnlyWorkingSubcommands) {
  const Result r = run_guiju({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  const size_t section = r.output.find("Subcommands:");
  ASSERT_NE(section, std::string::npos) << r.output;
  // The first word of each line in the Subcommands section.
  std::vector<std::string> listed;
  std::istringstream lines(r.output.substr(section));
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string first;
    if (words >> first) listed.push_back(first);
  }
  EXPECT_EQ(listed,
            (std::vector<std::string>{"run", "audit", "replay", "venue", "ctl", "strategy-host"}))
      << r.output;
}

TEST(GuijuCli, NoSubcommandIsAnError) {
  const Result r = run_guiju({});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("subcommand"), std::string::npos) << r.output;
}

TEST(GuijuCli, RunWithoutConfigIsAnError) {
  const Result r = run_guiju({"run"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("--config"), std::string::npos) << r.output;
}

TEST(GuijuCli, RunWithMissingConfigFileNamesIt) {
  const Result r = run_guiju({"run", "--config", "/nonexistent/guiju.yaml"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("/nonexistent/guiju.yaml"), std::string::npos) << r.output;
}

TEST(GuijuCli, DemoReplayTradesAndPrintsASummary) {
  TempDir dir;
  const Result r = run_guiju({"run", "--config", ConfigCopyIn(dir, "demo.yaml"), "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_GT(summary_number(r.output, "events"), 100000u) << r.output;
  EXPECT_GT(summary_number(r.output, "orders"), 0u) << r.output;
  EXPECT_GT(summary_number(r.output, "fills"), 0u) << r.output;
  EXPECT_NE(r.output.find("pnl"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("open orders      0 at exit"), std::string::npos) << r.output;
}

// Each sample strategy's own config, as its README says to run it.
TEST(GuijuCli, EverySampleStrategyLoadsAsAPluginAndTrades) {
  for (const char* sample : {"mean_reversion", "market_maker", "momentum", "pairs"}) {
    SCOPED_TRACE(sample);
    TempDir dir;
    std::string text =
        read_file(std::string(GUIJU_SOURCE_ROOT) + "/strategies/" + sample + "/config.yaml");
    text = std::regex_replace(text, std::regex("directories: \\[build/strategies\\]"),
                              "directories: [" GUIJU_STRATEGY_DIR "]");
    const Result r = run_guiju({"run", "--config", dir.file("config.yaml", text), "--quiet"});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_GT(summary_number(r.output, "orders"), 0u) << r.output;
    EXPECT_GT(summary_number(r.output, "fills"), 0u) << r.output;
    EXPECT_NE(r.output.find("open orders      0 at exit"), std::string::npos) << r.output;
  }
}

// The config puts one strategy in its own process: the run's orders are the same as in process.
TEST(GuijuCli, AStrategyConfiguredOutOfProcessTradesLikeInProcess) {
  TempDir dir;
  std::string text = read_file(std::string(GUIJU_SOURCE_ROOT) + "/strategies/momentum/config.yaml");
  text = std::regex_replace(text, std::regex("directories: \\[build/strategies\\]"),
                            "directories: [" GUIJU_STRATEGY_DIR "]");
  text = std::regex_replace(text, std::regex("session_seconds: \\d+"), "session_seconds: 1800");
  const Result in = run_guiju({"run", "--config", dir.file("in.yaml", text), "--quiet"});
  // A generous timeout: a CI machine running tests in parallel can stall a process for a while,
  // and a host that misses its timeout is (rightly) quarantined.
  text = std::regex_replace(
      text, std::regex("    type: momentum"),
      "    type: momentum\n    host: out_of_process\n    host_timeout_ms: 30000");
  const Result out = run_guiju({"run", "--config", dir.file("out.yaml", text), "--quiet"});
  ASSERT_EQ(in.exit_code, 0) << in.output;
  ASSERT_EQ(out.exit_code, 0) << out.output;
  EXPECT_GT(summary_number(in.output, "orders"), 0u) << in.output;
  EXPECT_EQ(summary_number(in.output, "orders"), summary_number(out.output, "orders"))
      << out.output;
  EXPECT_EQ(summary_number(in.output, "fills"), summary_number(out.output, "fills")) << out.output;
}

// A real A-share day: the SSE Level-2 feed of 600519 rebuilt into the book and replayed, with
// two sample strategies trading against it. Deterministic like any replay.
TEST(GuijuCli, ARecordedSseDayReplaysWithStrategiesAndIsDeterministic) {
  const std::filesystem::path data = guiju::test::reference_data_dir();
  const std::filesystem::path archive =
      data / "dolphindb" / "dolphinscheduler_integration" / "20230201.zip";
  if (!std::filesystem::exists(archive)) {
    GTEST_SKIP() << "no reference data at " << archive;
  }
  TempDir dir;
  std::string text = read_config("sse-600519.yaml");
  text = std::regex_replace(text, std::regex("archive: \\S+"), "archive: " + archive.string());
  const std::string config = dir.file("sse.yaml", text);
  const Result a = run_guiju({"run", "--config", config, "--quiet"});
  const Result b = run_guiju({"run", "--config", config, "--quiet"});
  ASSERT_EQ(a.exit_code, 0) << a.output;
  EXPECT_NE(a.output.find("2023-02-01T01:15:00.020000000Z"), std::string::npos) << a.output;
  EXPECT_NE(a.output.find("27135 trades"), std::string::npos) << a.output;
  // Day orders still resting at 15:00 expire with the day; nothing is left open.
  EXPECT_NE(a.output.find("open orders      0 at exit"), std::string::npos) << a.output;
  EXPECT_GT(summary_number(a.output, "orders"), 0u) << a.output;
  EXPECT_GT(summary_number(a.output, "fills"), 0u) << a.output;
  EXPECT_EQ(deterministic_part(a.output), deterministic_part(b.output));

  // A missing archive is a config error naming the key.
  const std::string missing =
      dir.file("missing.yaml",
               std::regex_replace(text, std::regex("archive: \\S+"), "archive: nowhere.zip"));
  const Result m = run_guiju({"run", "--config", missing});
  EXPECT_EQ(m.exit_code, 2) << m.output;
  EXPECT_NE(m.output.find("endpoints.archive"), std::string::npos) << m.output;
}

// Two runs of one replay, each in a directory of its own, write the same journal, byte for byte:
// a replay writes no wall-clock time.
TEST(GuijuCli, TwoRunsOfAReplayWriteByteIdenticalJournals) {
  TempDir dir;
  std::string text = read_config("demo.yaml");
  text =
      std::regex_replace(text, std::regex("\nplugins:"),
                         "\naudit:\n  directory: journal\n  durability: os_buffered\n\nplugins:");
  std::vector<std::string> digests;
  for (const char* run : {"first", "second"}) {
    const std::filesystem::path where = dir.path() / run;
    std::filesystem::create_directories(where);
    std::ofstream(where / "demo.yaml") << text;
    const Result r = guiju::test::run_command({"/bin/sh", "-c",
                                               "cd " + guiju::test::shell_quote(where.string()) +
                                                   " && " + guiju::test::shell_quote(GUIJU_BINARY) +
                                                   " run --config demo.yaml --quiet"});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    std::string all;
    for (const auto& f : std::filesystem::directory_iterator(where / "journal")) {
      all += f.path().filename().string() + ":" + read_file(f.path().string()) + "\n";
    }
    ASSERT_GT(all.size(), 1'000'000u);
    digests.push_back(all);
  }
  EXPECT_TRUE(digests[0] == digests[1]) << "the two replays wrote different journals";
}

TEST(GuijuCli, DemoReplayIsDeterministic) {
  TempDir dir;
  const std::string demo = ConfigCopyIn(dir, "demo.yaml");
  const Result a = run_guiju({"run", "--config", demo, "--quiet"});
  const Result b = run_guiju({"run", "--config", demo, "--quiet"});
  ASSERT_EQ(a.exit_code, 0) << a.output;
  ASSERT_EQ(b.exit_code, 0) << b.output;
  EXPECT_EQ(deterministic_part(a.output), deterministic_part(b.output));
}

TEST(GuijuCli, BadConfigExitsWithTwoAndNamesFileLineAndKey) {
  TempDir dir;
  std::string text = read_config("demo.yaml");
  const std::string needle = "order_ring_capacity: 65536";
  const size_t at = text.find(needle);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, needle.size(), "order_ring_capacity: 1000");
  const int line =
      1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
  const std::string path = dir.file("bad.yaml", text);

  const Result r = run_guiju({"run", "--config", path});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find(path + ":" + std::to_string(line) + ":"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("engine.order_ring_capacity"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("power of two"), std::string::npos) << r.output;
}

TEST(GuijuCli, UnknownStrategyParameterIsRefused) {
  TempDir dir;
  std::string text = read_config("demo.yaml");
  const std::string needle = "lookback: 120";
  const size_t at = text.find(needle);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, needle.size(), "lookbak: 120");
  const std::string path = dir.file("typo.yaml", text);
  const Result r = run_guiju({"run", "--config", path});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("lookbak"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("mean-reversion"), std::string::npos) << r.output;
}

TEST(GuijuCli, PaperSessionRunsForItsDurationAndPersistsOrderIds) {
  TempDir dir;
  const std::string path = PaperConfigIn(dir, 2, "interval");
  const Result r = run_guiju({"run", "--config", path, "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("summary (paper)"), std::string::npos) << r.output;
  EXPECT_GT(summary_number(r.output, "events"), 0u) << r.output;
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "state" / "client_order_ids")) << r.output;
}

TEST(GuijuCli, PaperSessionStopsCleanlyOnSigterm) {
  TempDir dir;
  const std::string path = PaperConfigIn(dir, 0, "interval");
  const std::string out = (dir.path() / "out.txt").string();
  const pid_t pid = spawn_guiju({"run", "--config", path, "--quiet"}, out);
  ASSERT_GT(pid, 0);

  EXPECT_TRUE(WaitForJournal(dir.path() / "journal", 16 << 10, 20)) << read_file(out);
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  int status = 0;
  // Bounded wait: the engine must stop by itself after SIGTERM.
  if (!WaitForExit(pid, 20, status)) FAIL() << "guiju did not stop within 20 s of SIGTERM";
  const std::string output = read_file(out);
  ASSERT_TRUE(WIFEXITED(status)) << output;
  EXPECT_EQ(WEXITSTATUS(status), 0) << output;
  EXPECT_NE(output.find("open orders      0 at exit"), std::string::npos) << output;
}

// SIGUSR1 engages the global kill switch of a running session: every order is cancelled, new
// ones are refused, and the journal records the command as issued by the signal.
TEST(GuijuCli, SigusrOneEngagesTheKillSwitchAndTheJournalSaysWho) {
  TempDir dir;
  const std::string path = PaperConfigIn(dir, 3, "interval");
  const std::string out = (dir.path() / "out.txt").string();
  const pid_t pid = spawn_guiju({"run", "--config", path, "--quiet"}, out);
  ASSERT_GT(pid, 0);
  EXPECT_TRUE(WaitForJournal(dir.path() / "journal", 16 << 10, 20)) << read_file(out);
  ASSERT_EQ(kill(pid, SIGUSR1), 0);
  int status = 0;
  if (!WaitForExit(pid, 20, status)) FAIL() << "guiju did not finish its 3 s session";
  const std::string output = read_file(out);
  ASSERT_TRUE(WIFEXITED(status)) << output;
  EXPECT_EQ(WEXITSTATUS(status), 0) << output;
  EXPECT_NE(output.find("open orders      0 at exit"), std::string::npos) << output;
  const std::string journal = (dir.path() / "journal").string();
  const Result command = run_guiju({"audit", "query", journal, "--type", "control_command"});
  EXPECT_NE(command.output.find("SIGUSR1"), std::string::npos) << command.output;
  EXPECT_NE(command.output.find("kill"), std::string::npos) << command.output;
}

// A CSRC abnormal behaviour, the message flood: the market maker, on an account that is not
// filed as high-frequency, is stopped at 19,999 order messages in the day, and the journal
// shows every refusal with its limit and the count it would have reached.
TEST(GuijuCli, AFloodingStrategyIsStoppedByTheThrottleAndTheJournalShowsWhy) {
  TempDir dir;
  std::string text = read_config("demo.yaml");
  text = std::regex_replace(
      text, std::regex("    filed_peak_per_second: \\d+\n    filed_per_day: \\d+\n"), "");
  text =
      std::regex_replace(text, std::regex("\nplugins:"),
                         "\naudit:\n  directory: journal\n  durability: os_buffered\n\nplugins:");
  const std::string config = dir.file("unfiled.yaml", text);
  const Result r = guiju::test::run_command({"/bin/sh", "-c",
                                             "cd " + guiju::test::shell_quote(dir.path().string()) +
                                                 " && " + guiju::test::shell_quote(GUIJU_BINARY) +
                                                 " run --config unfiled.yaml --quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::smatch refused;
  ASSERT_TRUE(std::regex_search(r.output, refused, std::regex(R"((\d+) refused before sending)")))
      << r.output;
  EXPECT_GT(std::stoull(refused[1]), 0u) << r.output;
  const Result refusals =
      run_guiju({"audit", "query", (dir.path() / "journal").string(), "--type", "risk_decision"});
  EXPECT_NE(refusals.output.find("order messages per day"), std::string::npos)
      << refusals.output.substr(0, 3000);
  EXPECT_NE(refusals.output.find("limit=19999"), std::string::npos)
      << refusals.output.substr(0, 3000);
  const Result report = run_guiju({"audit", "report", (dir.path() / "journal").string()});
  EXPECT_NE(report.output.find("order-message throttle"), std::string::npos) << report.output;
  EXPECT_NE(report.output.find("19999"), std::string::npos)
      << "the report counts messages as the throttle does\n"
      << report.output;
}

// The sample strategies share one account and cross each other's resting orders: with
// self-trade prevention on, those orders are refused before sending, each refusal is journaled
// with check self_trade, and the report counts the attempts per strategy.
TEST(GuijuCli, SelfTradePreventionStopsTheSampleStrategiesCrossingEachOther) {
  TempDir dir;
  std::string text = read_config("demo.yaml");
  text = std::regex_replace(text, std::regex("\nrisk:\n"),
                            "\nrisk:\n  self_trade:\n    policy: reject_new\n");
  text =
      std::regex_replace(text, std::regex("\nplugins:"),
                         "\naudit:\n  directory: journal\n  durability: os_buffered\n\nplugins:");
  dir.file("stp.yaml", text);
  const Result r = guiju::test::run_command({"/bin/sh", "-c",
                                             "cd " + guiju::test::shell_quote(dir.path().string()) +
                                                 " && " + guiju::test::shell_quote(GUIJU_BINARY) +
                                                 " run --config stp.yaml --quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::smatch refused;
  ASSERT_TRUE(std::regex_search(r.output, refused, std::regex(R"((\d+) refused before sending)")))
      << r.output;
  EXPECT_GT(std::stoull(refused[1]), 0u) << r.output;
  const Result refusals =
      run_guiju({"audit", "query", (dir.path() / "journal").string(), "--type", "risk_decision"});
  EXPECT_NE(refusals.output.find("check=self_trade"), std::string::npos)
      << refusals.output.substr(0, 3000);
  const Result report = run_guiju({"audit", "report", (dir.path() / "journal").string()});
  EXPECT_NE(report.output.find("self-trade attempts: "), std::string::npos) << report.output;
}

}  // namespace

namespace {

TEST(GuijuCli, PaperSessionJournalVerifiesAndATamperedByteIsFound) {
  TempDir dir;
  const std::string config = PaperConfigIn(dir, 2, "every_commit");
  const Result run = run_guiju({"run", "--config", config, "--quiet"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("audit journal"), std::string::npos) << run.output;

  const std::string journal = (dir.path() / "journal").string();
  const Result ok = run_guiju({"audit", "verify", journal});
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_NE(ok.output.find("result    OK"), std::string::npos) << ok.output;
  EXPECT_GT(summary_number(ok.output, "records"), 1000u) << ok.output;

  std::filesystem::path segment;
  for (const auto& e : std::filesystem::directory_iterator(journal)) {
    if (e.path().extension() == ".gjl") segment = e.path();
  }
  ASSERT_FALSE(segment.empty());
  {
    std::fstream f(segment, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(5000);
    char c = 0;
    f.read(&c, 1);
    f.seekp(5000);
    c = static_cast<char>(c ^ 0x20);
    f.write(&c, 1);
  }
  const Result bad = run_guiju({"audit", "verify", journal});
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  EXPECT_NE(bad.output.find(segment.filename().string()), std::string::npos) << bad.output;
  EXPECT_NE(bad.output.find("sequence"), std::string::npos) << bad.output;
  EXPECT_NE(bad.output.find("FAILED"), std::string::npos) << bad.output;
}

// kill -9 during trading, 50 times: after every restart the journal verifies, its sequence
// continues, and every record the engine had reported durable (every_commit policy) is there.
TEST(GuijuCli, KillNineFiftyTimesLosesNothingReportedDurable) {
  TempDir dir;
  const std::string config = PaperConfigIn(dir, 0, "every_commit");
  const std::string journal = (dir.path() / "journal").string();
  uint64_t last_reported = 0;
  for (int round = 0; round < 50; ++round) {
    const std::string out = (dir.path() / "out.txt").string();
    const pid_t pid = spawn_guiju({"run", "--config", config}, out);
    ASSERT_GT(pid, 0);
    // From mid-start-up to well into trading; the service reports durability once a second.
    std::this_thread::sleep_for(std::chrono::milliseconds(300 + (round % 4) * 700));
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int status = 0;
    waitpid(pid, &status, 0);

    const std::string output = read_file(out);
    std::smatch m;
    std::string::const_iterator from = output.begin();
    while (
        std::regex_search(from, output.end(), m, std::regex(R"(durable through sequence (\d+))"))) {
      last_reported = std::max<uint64_t>(last_reported, std::stoull(m[1]));
      from = m.suffix().first;
    }
    ASSERT_EQ(output.find("refusing to append"), std::string::npos) << "round " << round << "\n"
                                                                    << output;
  }
  // A last, clean start recovers whatever the final kill left, then verify the whole journal.
  const std::string final_config = PaperConfigIn(dir, 1, "every_commit");
  const Result last = run_guiju({"run", "--config", final_config, "--quiet"});
  ASSERT_EQ(last.exit_code, 0) << last.output;
  const Result verify = run_guiju({"audit", "verify", journal});
  ASSERT_EQ(verify.exit_code, 0) << verify.output;
  EXPECT_GT(last_reported, 0u) << "no round reported durability";
  std::smatch m;
  ASSERT_TRUE(std::regex_search(verify.output, m, std::regex(R"(sequences 1\.\.(\d+))")));
  EXPECT_GE(std::stoull(m[1]), last_reported);
}

}  // namespace

namespace {

TEST(GuijuCli, AuditQueryExportAndAnOrdersStory) {
  TempDir dir;
  const Result run = run_guiju({"run", "--config", PaperConfigIn(dir, 2, "os_buffered"), "-q"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string journal = (dir.path() / "journal").string();

  const Result orders = run_guiju({"audit", "query", journal, "--type", "new_order"});
  ASSERT_EQ(orders.exit_code, 0) << orders.output;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(orders.output, m, std::regex(R"(new_order .* order_id=(\d+))")))
      << orders.output;
  const std::string id = m[1];

  // The story starts with the order and every record in it names the order or its replacement.
  const Result story = run_guiju({"audit", "query", journal, "--order", id});
  ASSERT_EQ(story.exit_code, 0) << story.output;
  std::istringstream lines(story.output);
  std::string first;
  std::getline(lines, first);
  EXPECT_NE(first.find("new_order"), std::string::npos) << story.output;
  EXPECT_NE(first.find("order_id=" + id + " "), std::string::npos) << story.output;
  EXPECT_NE(story.output.find("execution_report"), std::string::npos) << story.output;

  const std::string csv = (dir.path() / "reports.csv").string();
  const Result exported = run_guiju(
      {"audit", "export", journal, "--format", "csv", "--type", "execution_report", "-o", csv});
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  const std::string text = read_file(csv);
  EXPECT_EQ(text.rfind("sequence,type,engine_time,event_time,receive_time,", 0), 0u) << text;
  EXPECT_NE(text.find(",execution_report,"), std::string::npos);

  const Result jsonl =
      run_guiju({"audit", "export", journal, "--format", "jsonl", "--type", "new_order"});
  ASSERT_EQ(jsonl.exit_code, 0) << jsonl.output;
  EXPECT_NE(jsonl.output.find("{\"account\":0,\"client_order_id\":\"GP"), std::string::npos)
      << jsonl.output.substr(0, 500);

  const Result bad_time = run_guiju({"audit", "query", journal, "--from", "yesterday"});
  EXPECT_EQ(bad_time.exit_code, 2) << bad_time.output;
  EXPECT_NE(bad_time.output.find("--from"), std::string::npos) << bad_time.output;
}

}  // namespace

namespace {

TEST(GuijuCli, AuditReportCountsActivityAndFlagsFiledFigures) {
  TempDir dir;
  const Result run = run_guiju({"run", "--config", PaperConfigIn(dir, 2, "os_buffered"), "-q"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string journal = (dir.path() / "journal").string();
  const std::string html = (dir.path() / "report.html").string();
  const Result r =
      run_guiju({"audit", "report", journal, "--html", html, "--filed-peak-per-second", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("peak/s"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("above filed peak 1/s"), std::string::npos) << r.output;
  // The account total counts what the strategy rows count.
  std::smatch total;
  ASSERT_TRUE(std::regex_search(r.output, total, std::regex(R"(\s0\s+all\s+(\d+))"))) << r.output;
  EXPECT_GT(std::stoull(total[1]), 0u);
  const std::string page = read_file(html);
  EXPECT_NE(page.find("<table>"), std::string::npos);
  EXPECT_NE(page.find("CSRC high-frequency thresholds"), std::string::npos);
  EXPECT_EQ(page.find("http"), std::string::npos) << "the page must be self-contained";
}

}  // namespace

namespace {

// Two runs of the engine (a restart) in one journal: each is re-run on a fresh engine, its order
// ids where the recorded run's began.
// A control acting on its own (the daily loss limit putting the strategy in cancel-only mode
// after its first fill's fees) is journaled as the control's act, and a re-run of the session
// reproduces it at the same point.
TEST(GuijuCli, ARiskControlsActIsJournaledAndTheReRunReproducesIt) {
  TempDir dir;
  std::string text = guiju::test::paper_config_text(dir, 3, "os_buffered");
  text = std::regex_replace(text, std::regex("(order_timeout_ms: 20000 \\})"),
                            "$1\n    risk: { daily_loss_limit: 1 }");
  const std::string config = dir.file("loss.yaml", text);
  const Result run = run_guiju({"run", "--config", config, "-q"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string journal = (dir.path() / "journal").string();
  const Result risk = run_guiju({"audit", "query", journal, "--type", "risk_decision"});
  EXPECT_NE(risk.output.find("cancel_only"), std::string::npos) << risk.output;
  EXPECT_NE(risk.output.find("daily_loss"), std::string::npos) << risk.output;
  const Result rerun = run_guiju({"replay", "--rerun", journal, "--config", config});
  EXPECT_EQ(rerun.exit_code, 0) << rerun.output;
  EXPECT_NE(rerun.output.find("zero divergence"), std::string::npos) << rerun.output;
}

TEST(GuijuCli, ReRunOfARecordedSessionHasZeroDivergenceAndAChangeIsFound) {
  TempDir dir;
  const std::string config = PaperConfigIn(dir, 2, "os_buffered");
  for (int restart = 0; restart < 2; ++restart) {
    const Result run = run_guiju({"run", "--config", config, "-q"});
    ASSERT_EQ(run.exit_code, 0) << run.output;
  }
  const std::string journal = (dir.path() / "journal").string();

  const Result same = run_guiju({"replay", "--rerun", journal, "--config", config});
  EXPECT_EQ(same.exit_code, 0) << same.output;
  EXPECT_NE(same.output.find("zero divergence"), std::string::npos) << same.output;
  EXPECT_NE(same.output.find("2 run(s)"), std::string::npos) << same.output;
  EXPECT_NE(same.output.find("run 2"), std::string::npos) << same.output;
  EXPECT_NE(same.output.find("same config"), std::string::npos) << same.output;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(same.output, m, std::regex(R"((\d+) outputs compared)")));
  EXPECT_GT(std::stoull(m[1]), 20u) << same.output;

  // One strategy parameter changed: found at once, in the strategy's identity.
  std::string text = read_file(config);
  const std::string changed = dir.file(
      "changed.yaml", std::regex_replace(text, std::regex("entry_bps: 5"), "entry_bps: 7"));
  const Result param = run_guiju({"replay", "--rerun", journal, "--config", changed});
  EXPECT_EQ(param.exit_code, 1) << param.output;
  EXPECT_NE(param.output.find("DIVERGED"), std::string::npos) << param.output;
  EXPECT_NE(param.output.find("recorded  strategy_lifecycle"), std::string::npos) << param.output;
  EXPECT_NE(param.output.find("parameters_sha256"), std::string::npos) << param.output;
  EXPECT_NE(param.output.find("config differs"), std::string::npos) << param.output;

  // The same plugin file in another directory: where it lives does not matter.
  TempDir elsewhere;
  for (const auto& f : std::filesystem::directory_iterator(GUIJU_STRATEGY_DIR)) {
    if (f.is_regular_file() && f.path().extension() == ".so") {
      std::filesystem::copy_file(f.path(), elsewhere.path() / f.path().filename());
    }
  }
  const std::string moved = dir.file(
      "moved.yaml", std::regex_replace(text, std::regex("directories: \\[[^\\]]*\\]"),
                                       "directories: [" + elsewhere.path().string() + "]"));
  const Result same_file = run_guiju({"replay", "--rerun", journal, "--config", moved});
  EXPECT_EQ(same_file.exit_code, 0) << same_file.output;

  // A different file under the same name (one byte appended): found, by its SHA-256.
  std::ofstream(elsewhere.path() / "mean_reversion.so", std::ios::app | std::ios::binary) << '\0';
  const Result other_file = run_guiju({"replay", "--rerun", journal, "--config", moved});
  EXPECT_EQ(other_file.exit_code, 1) << other_file.output;
  EXPECT_NE(other_file.output.find("recorded  strategy_lifecycle"), std::string::npos)
      << other_file.output;
  EXPECT_NE(other_file.output.find("plugin_sha256"), std::string::npos) << other_file.output;

  // A risk limit changed: the first order the session sent is now refused.
  const std::string tighter = dir.file(
      "tighter.yaml",
      std::regex_replace(text, std::regex("max_order_quantity: \\d+"), "max_order_quantity: 50"));
  const Result risk = run_guiju({"replay", "--rerun", journal, "--config", tighter});
  EXPECT_EQ(risk.exit_code, 1) << risk.output;
  EXPECT_NE(risk.output.find("recorded  new_order"), std::string::npos) << risk.output;
  EXPECT_NE(risk.output.find("re-run    risk_decision"), std::string::npos) << risk.output;
}

}  // namespace
