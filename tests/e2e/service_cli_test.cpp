// `guiju run` as a long-running service, as systemd runs it (deploy/guiju.service): readiness and
// stopping told over $NOTIFY_SOCKET, a clean stop on SIGTERM (open orders cancelled, the journal
// sealed and verifying), and its threads named and placed on the CPUs the config's `threads`
// section gives. Each test starts the real binary and ends it by its pid.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/guiju_cli.hpp"
#include "tests/support/notify_socket.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using namespace std::chrono_literals;
using guiju::test::NotifySocket;
using guiju::test::read_file;
using guiju::test::run_guiju;
using guiju::test::TempDir;

// Starts guiju with args and extra environment entries (NAME=VALUE), stdout and stderr going to
// out_file; returns its pid, or -1.
pid_t spawn_guiju(const std::vector<std::string>& args, const std::string& out_file,
                  const std::vector<std::string>& extra_env = {}) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<std::string> owned = {GUIJU_BINARY};
  owned.insert(owned.end(), args.begin(), args.end());
  std::vector<char*> argv;
  argv.reserve(owned.size() + 1);
  for (auto& a : owned) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_owned = extra_env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string(*e).rfind("NOTIFY_SOCKET=", 0) != 0) env_owned.emplace_back(*e);
  }
  std::vector<char*> envp;
  envp.reserve(env_owned.size() + 1);
  for (auto& e : env_owned) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, GUIJU_BINARY, &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

// Waits up to `seconds` for the child; false (after ending it with SIGKILL, by its pid) when it
// did not exit in time.
bool WaitForExit(pid_t pid, int seconds, int& status) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  pid_t done = 0;
  while ((done = waitpid(pid, &status, WNOHANG)) == 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  if (done != 0) return true;
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return false;
}

std::string MarketMakerPaperConfig(const TempDir& dir, const std::string& extra = "") {
  return guiju::test::market_maker_paper_config(dir, extra);
}

size_t count_of(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

bool contains_message(const std::vector<std::string>& messages, const std::string& wanted) {
  return std::any_of(messages.begin(), messages.end(),
                     [&](const std::string& m) { return m.find(wanted) != std::string::npos; });
}

TEST(ServiceCli, PaperRunTellsTheNotifySocketReadyThenStopping) {
  TempDir dir;
  NotifySocket socket((dir.path() / "notify").string());
  const std::string config = MarketMakerPaperConfig(dir);
  const std::string out = (dir.path() / "out.txt").string();
  const pid_t pid =
      spawn_guiju({"run", "--config", config, "--quiet"}, out, {"NOTIFY_SOCKET=" + socket.name()});
  ASSERT_GT(pid, 0);
  const std::vector<std::string> before = socket.receive_until("READY=1", 30s);
  const bool ready = contains_message(before, "READY=1");
  if (ready) {
    EXPECT_TRUE(contains_message(before, "STATUS=trading (paper)")) << before.back();
  }
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  const std::vector<std::string> after = socket.receive_until("STOPPING=1", 20s);
  int status = 0;
  ASSERT_TRUE(WaitForExit(pid, 30, status)) << read_file(out);
  ASSERT_TRUE(ready) << "no READY=1 within 30 s\n" << read_file(out);
  EXPECT_TRUE(contains_message(after, "STOPPING=1")) << read_file(out);
  ASSERT_TRUE(WIFEXITED(status)) << read_file(out);
  EXPECT_EQ(WEXITSTATUS(status), 0) << read_file(out);
}

TEST(ServiceCli, AnAbstractNotifySocketWorksToo) {
  TempDir dir;
  NotifySocket socket("@guiju-service-cli-test-" + std::to_string(getpid()));
  const pid_t pid =
      spawn_guiju({"run", "--config", MarketMakerPaperConfig(dir), "--quiet"},
                  (dir.path() / "out.txt").string(), {"NOTIFY_SOCKET=" + socket.name()});
  ASSERT_GT(pid, 0);
  const bool ready = contains_message(socket.receive_until("READY=1", 30s), "READY=1");
  kill(pid, SIGTERM);
  int status = 0;
  ASSERT_TRUE(WaitForExit(pid, 30, status));
  EXPECT_TRUE(ready) << read_file((dir.path() / "out.txt").string());
}

// SIGTERM while quotes rest at the venue: the engine stops its strategies, cancels every open
// order and waits for the cancels to be acknowledged, seals the journal, and exits 0.
TEST(ServiceCli, SigtermCancelsOpenOrdersAndSealsAVerifyingJournal) {
  TempDir dir;
  NotifySocket socket((dir.path() / "notify").string());
  const std::string out = (dir.path() / "out.txt").string();
  const pid_t pid = spawn_guiju({"run", "--config", MarketMakerPaperConfig(dir)}, out,
                                {"NOTIFY_SOCKET=" + socket.name()});
  ASSERT_GT(pid, 0);
  const bool ready = contains_message(socket.receive_until("READY=1", 30s), "READY=1");
  std::this_thread::sleep_for(1500ms);  // quotes placed and resting
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  int status = 0;
  ASSERT_TRUE(WaitForExit(pid, 30, status)) << "no exit within 30 s of SIGTERM\n" << read_file(out);
  const std::string output = read_file(out);
  ASSERT_TRUE(ready) << output;
  ASSERT_TRUE(WIFEXITED(status)) << output;
  EXPECT_EQ(WEXITSTATUS(status), 0) << output;
  EXPECT_NE(output.find("open orders      0 at exit"), std::string::npos) << output;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(output, m, std::regex(R"(cancel sent for (\d+) open orders)")))
      << "the stop cancelled nothing: no quote was resting?\n"
      << output;
  const size_t cancelled_at_stop = std::stoul(m[1]);
  EXPECT_GT(cancelled_at_stop, 0u);

  const std::string journal = (dir.path() / "journal").string();
  const auto verify = run_guiju({"audit", "verify", journal});
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  EXPECT_NE(verify.output.find("result    OK"), std::string::npos) << verify.output;
  // The stop is journaled, and after it a cancel for each order that was open, each acknowledged.
  const auto session = run_guiju({"audit", "query", journal, "--type", "session"});
  EXPECT_NE(session.output.find("engine_stopping"), std::string::npos) << session.output;
  const auto cancels = run_guiju({"audit", "query", journal, "--type", "cancel_order"});
  EXPECT_GE(count_of(cancels.output, "\n"), cancelled_at_stop) << cancels.output;
}

// Each thread of a process: its name (comm) -> Cpus_allowed_list, as an operator reads them.
std::multimap<std::string, std::string> ThreadsOf(pid_t pid) {
  std::multimap<std::string, std::string> threads;
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator(tasks, ec)) {
    std::string comm = read_file((task.path() / "comm").string());
    if (!comm.empty() && comm.back() == '\n') comm.pop_back();
    std::ifstream status(task.path() / "status");
    std::string line;
    std::string cpus;
    while (std::getline(status, line)) {
      if (line.rfind("Cpus_allowed_list:", 0) == 0) cpus = line.substr(line.find('\t') + 1);
    }
    threads.emplace(comm, cpus);
  }
  return threads;
}

std::string Describe(const std::multimap<std::string, std::string>& threads) {
  std::string text;
  for (const auto& [name, cpus] : threads) text.append(name).append(" on ").append(cpus) += '\n';
  return text;
}

// threads: the engine and the journal's writer pinned to one CPU, named so that top -H and
// /proc show them; the market-data feeder, started before the engine thread was pinned, keeps
// every CPU (a pin inherited by it would put it on the engine's core).
TEST(ServiceCli, ThreadsAreNamedAndPinnedAsConfigured) {
  cpu_set_t mask;
  CPU_ZERO(&mask);
  ASSERT_EQ(sched_getaffinity(0, sizeof(mask), &mask), 0);
  int cpu = -1;
  int allowed = 0;
  for (int c = CPU_SETSIZE - 1; c >= 0; --c) {
    if (CPU_ISSET(c, &mask)) {
      cpu = c;  // ends at the lowest: CPU 0 on an unrestricted machine
      ++allowed;
    }
  }
  ASSERT_GE(cpu, 0);
  const std::string c = std::to_string(cpu);
  TempDir dir;
  NotifySocket socket((dir.path() / "notify").string());
  const std::string config = MarketMakerPaperConfig(
      dir, "\nthreads:\n  engine: { cpu: " + c + " }\n  journal: { cpu: [" + c + "] }\n");
  const std::string out = (dir.path() / "out.txt").string();
  const pid_t pid =
      spawn_guiju({"run", "--config", config}, out, {"NOTIFY_SOCKET=" + socket.name()});
  ASSERT_GT(pid, 0);
  const bool ready = contains_message(socket.receive_until("READY=1", 30s), "READY=1");
  // Each thread names itself once it runs: READY=1 can come a moment before the feeder has.
  std::multimap<std::string, std::string> threads = ThreadsOf(pid);
  for (int i = 0;
       i < 250 && (threads.count("guiju-feeder") == 0 || threads.count("guiju-engine") == 0 ||
                   threads.count("guiju-journal") == 0);
       ++i) {
    std::this_thread::sleep_for(20ms);
    threads = ThreadsOf(pid);
  }
  kill(pid, SIGTERM);
  int status = 0;
  ASSERT_TRUE(WaitForExit(pid, 30, status)) << read_file(out);
  ASSERT_TRUE(ready) << read_file(out);
  EXPECT_EQ(WEXITSTATUS(status), 0) << read_file(out);

  ASSERT_EQ(threads.count("guiju-engine"), 1u) << Describe(threads);
  EXPECT_EQ(threads.find("guiju-engine")->second, c) << Describe(threads);
  ASSERT_EQ(threads.count("guiju-journal"), 1u) << Describe(threads);
  EXPECT_EQ(threads.find("guiju-journal")->second, c) << Describe(threads);
  ASSERT_EQ(threads.count("guiju-feeder"), 1u) << Describe(threads);
  if (allowed > 1) {
    EXPECT_NE(threads.find("guiju-feeder")->second, c) << Describe(threads);
  }
  EXPECT_NE(read_file(out).find("engine thread pinned to CPU " + c), std::string::npos)
      << read_file(out);
}

// A CPU outside the process's affinity (taskset, systemd's CPUAffinity=) is a config error that
// names the key and line, before anything trades.
TEST(ServiceCli, ACpuOutsideTheAffinityIsAConfigError) {
  cpu_set_t mask;
  CPU_ZERO(&mask);
  ASSERT_EQ(sched_getaffinity(0, sizeof(mask), &mask), 0);
  if (CPU_COUNT(&mask) < 2) GTEST_SKIP() << "needs two CPUs to leave one out";
  int first = 0;
  while (!CPU_ISSET(first, &mask)) ++first;
  int second = first + 1;
  while (!CPU_ISSET(second, &mask)) ++second;
  TempDir dir;
  const std::string config = MarketMakerPaperConfig(
      dir, "\nthreads:\n  engine: { cpu: " + std::to_string(second) + " }\n");
  const auto r = guiju::test::run_command(
      {"taskset", "-c", std::to_string(first), GUIJU_BINARY, "run", "--config", config, "--quiet"});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("threads.engine.cpu"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("paper.yaml:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("outside this process's CPU affinity"), std::string::npos) << r.output;
}

}  // namespace
