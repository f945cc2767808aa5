// The config's `threads` section (each role's CPUs, checked against the CPUs this machine has
// online, errors naming file, line and key) and the placement helpers it drives: CPU lists, thread
// names and affinity read back from /proc as an operator would.

#include "core/service/thread_placement.hpp"

#include <gtest/gtest.h>
#include <pthread.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/config/config_error.hpp"
#include "core/config/config_loader.hpp"

namespace guiju {
namespace {

std::string ConfigWithThreads(const std::string& threads) {
  return "mode: replay\n"
         "trading_date: \"20261127\"\n"
         "instruments:\n"
         "  - { symbol: \"600519\", venue: SSE, tick_size: \"0.01\", lot_size: 100, board: main, "
         "currency: CNY, previous_close: \"1700.00\" }\n"
         "accounts:\n"
         "  - name: demo\n"
         "strategies:\n"
         "  - name: mr\n"
         "    plugin: mean_reversion.so\n"
         "    account: demo\n"
         "    instruments: [\"600519\"]\n"
         "plugins:\n"
         "  directories: [\".\"]\n" +
         threads;  // from line 14
}

ConfigError ThreadsError(const std::string& threads) {
  try {
    parse_engine_config(ConfigWithThreads(threads), "threads.yaml");
  } catch (const ConfigError& e) {
    return e;
  }
  ADD_FAILURE() << "accepted:\n" << threads;
  return {"", 0, 0, "", ""};
}

TEST(ThreadsConfig, AbsentMeansNothingPinned) {
  const EngineConfig c = parse_engine_config(ConfigWithThreads(""), "t.yaml");
  EXPECT_TRUE(c.threads.engine.cpus.empty());
  EXPECT_TRUE(c.threads.journal.cpus.empty());
  EXPECT_TRUE(c.threads.fix.cpus.empty());
  EXPECT_TRUE(c.threads.inference.cpus.empty());
}

TEST(ThreadsConfig, EachRoleTakesACpuOrAList) {
  const std::vector<int> online = online_cpus();
  ASSERT_FALSE(online.empty());
  const std::string first = std::to_string(online.front());
  const std::string last = std::to_string(online.back());
  const EngineConfig c = parse_engine_config(ConfigWithThreads("threads:\n"
                                                               "  engine: { cpu: " +
                                                               first +
                                                               " }\n"
                                                               "  journal: { cpu: [" +
                                                               last + ", " + first +
                                                               "] }\n"
                                                               "  inference:\n"
                                                               "    cpu: " +
                                                               last + "\n"),
                                             "t.yaml");
  EXPECT_EQ(c.threads.engine.cpus, std::vector<int>{online.front()});
  EXPECT_EQ(c.threads.engine.line, 15);
  const std::vector<int> both =
      online.size() > 1 ? std::vector<int>{online.front(), online.back()} : online;
  EXPECT_EQ(c.threads.journal.cpus, both);
  EXPECT_EQ(c.threads.inference.cpus, std::vector<int>{online.back()});
  EXPECT_EQ(c.threads.inference.line, 18);
  EXPECT_TRUE(c.threads.fix.cpus.empty());
}

TEST(ThreadsConfig, ACpuThisMachineLacksIsRefusedWithKeyAndLine) {
  const ConfigError e = ThreadsError("threads:\n  journal: { cpu: 1000 }\n");
  EXPECT_EQ(e.file(), "threads.yaml");
  EXPECT_EQ(e.line(), 15);
  EXPECT_EQ(e.key(), "threads.journal.cpu");
  EXPECT_NE(e.message().find("CPU 1000 is not online"), std::string::npos) << e.what();
  EXPECT_NE(e.message().find(cpu_list(online_cpus())), std::string::npos) << e.what();
}

TEST(ThreadsConfig, MistakesAreRefusedWithTheirKey) {
  EXPECT_EQ(ThreadsError("threads:\n  engnie: { cpu: 0 }\n").key(), "threads.engnie");
  EXPECT_EQ(ThreadsError("threads:\n  engine: { cpus: 0 }\n").key(), "threads.engine.cpus");
  EXPECT_EQ(ThreadsError("threads:\n  engine: {}\n").key(), "threads.engine.cpu");
  EXPECT_EQ(ThreadsError("threads:\n  engine: { cpu: -1 }\n").key(), "threads.engine.cpu");
  EXPECT_EQ(ThreadsError("threads:\n  engine: { cpu: two }\n").key(), "threads.engine.cpu");
  EXPECT_EQ(ThreadsError("threads:\n  engine: { cpu: [] }\n").key(), "threads.engine.cpu");
  EXPECT_EQ(ThreadsError("threads:\n  fix: { cpu: [0, 0] }\n").message(), "CPU 0 is listed twice");
}

TEST(CpuList, ParsesAndPrintsTheKernelsForm) {
  std::vector<int> cpus;
  ASSERT_TRUE(parse_cpu_list("0-3,6,8-9\n", cpus));
  EXPECT_EQ(cpus, (std::vector<int>{0, 1, 2, 3, 6, 8, 9}));
  EXPECT_EQ(cpu_list(cpus), "0-3,6,8-9");
  EXPECT_EQ(cpu_list({5}), "5");
  EXPECT_FALSE(parse_cpu_list("", cpus));
  EXPECT_FALSE(parse_cpu_list("3-1", cpus));
  EXPECT_FALSE(parse_cpu_list("a", cpus));
}

std::string TaskFile(pid_t tid, const std::string& name) {
  std::ifstream in("/proc/self/task/" + std::to_string(tid) + "/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Another thread of the process, named and pinned from outside by its thread id, as the engine
// places the threads QuickFIX and ZeroMQ start.
TEST(PlaceThread, NamesAndPinsAThreadStartedByOthers) {
  const std::vector<int> allowed = allowed_cpus();
  ASSERT_FALSE(allowed.empty());
  const std::vector<pid_t> before = thread_ids();
  std::atomic<pid_t> tid{0};
  std::atomic<bool> done{false};
  std::thread other([&] {
    tid = current_thread_id();
    while (!done) std::this_thread::yield();
  });
  while (tid == 0) std::this_thread::yield();
  const std::string error = place_new_threads(before, "guiju-test-placed-name", {allowed.back()});
  const std::string comm = TaskFile(tid, "comm");
  const std::string status = TaskFile(tid, "status");
  done = true;
  other.join();
  EXPECT_EQ(error, "");
  EXPECT_EQ(comm, "guiju-test-plac\n");  // the kernel keeps 15 characters
  EXPECT_NE(status.find("Cpus_allowed_list:\t" + std::to_string(allowed.back()) + "\n"),
            std::string::npos)
      << status;
}

TEST(PlaceThread, SaysWhyAPinFailed) {
  std::string error;
  std::thread t([&] { error = place_thread(current_thread_id(), "guiju-t", {CPU_SETSIZE - 1}); });
  t.join();
  EXPECT_NE(error.find("pinning thread guiju-t"), std::string::npos) << error;
  EXPECT_NE(error.find(std::to_string(CPU_SETSIZE - 1)), std::string::npos) << error;
}

}  // namespace
}  // namespace guiju
