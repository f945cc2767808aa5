// The engine's KServe v2 client (adapters/inference/kserve_signals.hpp) against guiju-inferd's
// HTTP front end, started as a real process on a loopback port: replies ok with the model's
// name, version and SHA-256 and the outputs of the model run in process; with the server down,
// send() never blocks and nothing is answered (the engine's own deadline expiry reports those);
// with the connection cut again and again, every request is answered exactly once.

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "adapters/inference/kserve_signals.hpp"
#include "core/clock/clock.hpp"
#include "inference/runtime/load_model.hpp"
#include "tests/support/background_process.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/inference_models.hpp"
#include "tests/support/onnx_builder.hpp"
#include "tests/support/tcp_cut_proxy.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju::inference {
namespace {

using namespace std::chrono_literals;
using test::BackgroundProcess;

constexpr int kInputs = 8;
constexpr int kOutputs = 3;

// x [batch, 8] -> Gemm -> Tanh -> y [batch, 3]: a signal model.
void write_signal_model(const std::filesystem::path& repo) {
  const std::filesystem::path dir = repo / "signal" / "1";
  std::filesystem::create_directories(dir);
  test::OnnxBuilder b;
  b.input("x", {test::kBatchDim, kInputs});
  b.weight("w", {kOutputs, kInputs}, test::random_floats(kOutputs * kInputs, 3, 0.5F));
  b.weight("b", {kOutputs}, test::random_floats(kOutputs, 4, 0.5F));
  test::OnnxBuilder::attr(b.node("Gemm", {"x", "w", "b"}, {"h"}, "fc"), "transB", int64_t{1});
  b.node("Tanh", {"h"}, {"y"});
  b.output("y", {test::kBatchDim, kOutputs});
  b.write(dir, "model.onnx");
  std::ofstream(dir / "config.yaml")
      << "name: signal\nversion: 1\nbackend: cpu\nmax_batch: 64\nmax_queue_delay_us: 0\n"
      << "inputs: [{ name: x, shape: [" << kInputs << "] }]\noutputs: [{ name: y, shape: ["
      << kOutputs << "] }]\n";
}

SignalRequest make_request(uint64_t id, Timestamp deadline, unsigned seed) {
  SignalRequest r;
  r.header = make_header<SignalRequest>(utc_now(), utc_now(), 7);
  r.request_id = id;
  r.model_id = 1;
  r.input_count = kInputs;
  r.deadline = deadline;
  const std::vector<float> x = test::random_floats(kInputs, seed);
  std::copy(x.begin(), x.end(), r.inputs.begin());
  return r;
}

InferenceConfig config_for(const std::filesystem::path& repo) {
  InferenceConfig c;
  c.repository = repo.string();
  c.models.push_back({1, "signal", ""});
  return c;
}

// Takes replies off the ring until `count` have come or the timeout passes.
std::vector<SignalReply> collect(SpscRing<EventSlot>& ring, size_t count,
                                 std::chrono::milliseconds timeout) {
  std::vector<SignalReply> out;
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (out.size() < count && std::chrono::steady_clock::now() < until) {
    EventSlot slot;
    if (ring.try_pop(slot)) {
      out.push_back(slot.as<SignalReply>());
    } else {
      std::this_thread::sleep_for(1ms);
    }
  }
  return out;
}

class KServeSignalsTest : public ::testing::Test {
 protected:
  void SetUp() override { write_signal_model(repo()); }
  std::filesystem::path repo() const { return dir_.path() / "repo"; }

  std::unique_ptr<BackgroundProcess> StartInferd() {
    auto p = std::make_unique<BackgroundProcess>(
        std::vector<std::string>{GUIJU_INFERD_BINARY, "--repository", repo().string(), "--http",
                                 "127.0.0.1:0"},
        (dir_.path() / "inferd.log").string());
    std::smatch m;
    const std::string out = p->wait_for_output(" ready: listening on ", 30s) ? p->output() : "";
    if (std::regex_search(out, m, std::regex(R"(http://127\.0\.0\.1:(\d+))"))) {
      port_ = std::stoi(m[1]);
    }
    return p;
  }

  std::unique_ptr<Executor> reference() const {
    ModelSpec spec;
    spec.path = repo() / "signal" / "1" / "model.onnx";
    spec.name = "signal";
    spec.version = "1";
    spec.max_batch = 64;
    return load_model(spec);
  }

  test::TempDir dir_{"guiju-kserve"};
  int port_ = -1;
};

TEST_F(KServeSignalsTest, AnsweredThroughGuijuInferdWithTheModelsSha256) {
  auto inferd = StartInferd();
  ASSERT_GT(port_, 0) << inferd->output();
  SpscRing<EventSlot> replies(1024, BackPressure::kFail, "replies");
  KServeOptions options;
  options.host = "127.0.0.1";
  options.port = std::to_string(port_);
  KServeSignals sink(config_for(repo()), replies, options);

  constexpr int kRequests = 300;
  std::map<uint64_t, SignalRequest> sent;
  for (int i = 0; i < kRequests; ++i) {
    const SignalRequest r = make_request(static_cast<uint64_t>(i + 1), utc_now() + 10'000'000'000,
                                         static_cast<unsigned>(i));
    ASSERT_TRUE(sink.send(r));
    sent[r.request_id] = r;
    if (i % 50 == 0) std::this_thread::sleep_for(2ms);  // some alone, some together
  }
  // One request for a model id the config does not have: answered unknown, not sent.
  SignalRequest stray = make_request(9999, 0, 1);
  stray.model_id = 77;
  ASSERT_TRUE(sink.send(stray));

  const std::vector<SignalReply> got = collect(replies, kRequests + 1, 30s);
  ASSERT_EQ(got.size(), static_cast<size_t>(kRequests + 1)) << inferd->output();
  const std::unique_ptr<Executor> model = reference();
  std::array<uint8_t, 32> sha{};
  const std::string hex = model->info().sha256;
  for (size_t i = 0; i < 32; ++i)
    sha[i] = static_cast<uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  std::set<uint64_t> seen;
  for (const SignalReply& reply : got) {
    EXPECT_TRUE(seen.insert(reply.request_id).second) << "answered twice: " << reply.request_id;
    if (reply.request_id == 9999) {
      EXPECT_EQ(reply.status, SignalStatus::kUnknownModel);
      continue;
    }
    ASSERT_EQ(reply.status, SignalStatus::kOk) << reply.request_id;
    EXPECT_EQ(reply.model_id, 1u);
    EXPECT_EQ(reply.model_name.view(), "signal");
    EXPECT_EQ(reply.model_version.view(), "1");
    EXPECT_EQ(reply.model_sha256, sha);
    EXPECT_GT(reply.latency, 0);
    EXPECT_EQ(reply.header.source, 7u);
    ASSERT_EQ(reply.output_count, kOutputs);
    const SignalRequest& r = sent.at(reply.request_id);
    float expected[kOutputs];
    const float* in[] = {r.inputs.data()};
    float* out[] = {expected};
    model->run(Batch{1, in, out});
    EXPECT_EQ(std::memcmp(reply.outputs.data(), expected, sizeof expected), 0) << reply.request_id;
  }
  EXPECT_EQ(sink.counters().answered.load(), static_cast<uint64_t>(kRequests + 1));
  EXPECT_EQ(inferd->stop(10s), 0);
}

TEST_F(KServeSignalsTest, ServerDownSendNeverBlocksAndNothingIsAnswered) {
  const int port = test::free_loopback_port();  // nobody listens there
  ASSERT_GT(port, 0);
  SpscRing<EventSlot> replies(64, BackPressure::kFail, "replies");
  KServeOptions options;
  options.host = "127.0.0.1";
  options.port = std::to_string(port);
  options.queue_capacity = 16;
  KServeSignals sink(config_for(repo()), replies, options);

  // Deadlines 200 ms away: held for a reconnect, then dropped unanswered.
  const Timestamp deadline = utc_now() + 200'000'000;
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(sink.send(make_request(i + 1, deadline, i)));
  // Without deadlines they wait for ever: the queues fill and send() says no, at once.
  int accepted = 0;
  auto slowest = std::chrono::nanoseconds(0);
  for (int i = 0; i < 1000; ++i) {
    const auto before = std::chrono::steady_clock::now();
    const bool ok = sink.send(make_request(100 + i, 0, i));
    slowest = std::max(slowest, std::chrono::steady_clock::now() - before);
    if (!ok) break;
    ++accepted;
  }
  EXPECT_LT(accepted, 1000) << "send() never refused: the queue is not bounded";
  EXPECT_LE(accepted, 2 * 16 + 16);  // the ring, the client's queue, the first connection's try
  EXPECT_LT(slowest, 50ms) << "send() blocked";

  std::this_thread::sleep_for(600ms);
  EXPECT_TRUE(collect(replies, 1, 200ms).empty()) << "a reply came from a server that is not there";
  EXPECT_EQ(sink.counters().expired.load(), 10u);
  EXPECT_GT(sink.counters().connect_failures.load(), 0u);
  EXPECT_EQ(sink.counters().answered.load(), 0u);
}

TEST_F(KServeSignalsTest, ACutConnectionNeverAnswersARequestTwice) {
  auto inferd = StartInferd();
  ASSERT_GT(port_, 0) << inferd->output();
  test::TcpCutProxy proxy(port_);
  SpscRing<EventSlot> replies(1024, BackPressure::kFail, "replies");
  KServeOptions options;
  options.host = "127.0.0.1";
  options.port = std::to_string(proxy.port());
  options.connections = 2;
  options.reconnect_min = 5ms;
  options.reconnect_max = 20ms;
  KServeSignals sink(config_for(repo()), replies, options);

  constexpr int kRequests = 400;
  std::vector<SignalReply> got;
  for (int i = 0; i < kRequests; ++i) {
    ASSERT_TRUE(sink.send(make_request(static_cast<uint64_t>(i + 1), 0, static_cast<unsigned>(i))));
    if (i % 40 == 39) proxy.cut();
    if (i % 8 == 0) std::this_thread::sleep_for(1ms);
    for (const SignalReply& r : collect(replies, 1000, 0ms)) got.push_back(r);
  }
  for (const SignalReply& r : collect(replies, kRequests - got.size(), 30s)) got.push_back(r);
  for (const SignalReply& r : collect(replies, 1000, 300ms)) got.push_back(r);  // no extras
  std::set<uint64_t> seen;
  for (const SignalReply& r : got) {
    EXPECT_TRUE(seen.insert(r.request_id).second) << "answered twice: " << r.request_id;
    EXPECT_EQ(r.status, SignalStatus::kOk) << r.request_id;
  }
  EXPECT_EQ(seen.size(), static_cast<size_t>(kRequests));
  EXPECT_EQ(inferd->stop(10s), 0);
}

}  // namespace
}  // namespace guiju::inference
