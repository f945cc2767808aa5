// Hot swap under load, in process: the batcher and the ZeroMQ front end on their threads (the
// batcher on a thread of its own, as `--threads 1`), clients sending requests without a version
// over ipc:// while version 2 is loaded and version 1 unloaded through admin requests. No request
// may go unanswered or be answered other than ok, and every reply's outputs must be those of the
// version it names, bit for bit.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <map>
#include <memory>
#include <thread>
#include <vector>

#include "inference/client/infer_client.hpp"
#include "inference/runtime/load_model.hpp"
#include "inference/server/batcher.hpp"
#include "inference/server/zmq_front_end.hpp"
#include "tests/support/inferd_repository.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju::inference {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<Executor> load_version(const std::filesystem::path& repo, const std::string& v) {
  ModelSpec spec;
  spec.path = repo / "mlp" / v / "model.onnx";
  spec.name = "mlp";
  spec.version = v;
  spec.max_batch = 16;
  return load_model(spec);
}

// The admin reply to one request, waiting up to 30 s.
AdminReply admin(InferClient& client, AdminCommand command, const std::string& version) {
  EXPECT_TRUE(
      client.send_admin({99, command, command == AdminCommand::kList ? "" : "mlp", version}));
  AdminReply reply;
  reply.status = ReplyStatus::kUnavailable;
  reply.message = "no reply";
  const auto until = std::chrono::steady_clock::now() + 30s;
  bool got = false;
  while (!got && std::chrono::steady_clock::now() < until) {
    client.wait(100ms);
    client.poll_replies([&](const ClientReply& r) {
      if (r.admin != nullptr && !r.undecodable) {
        reply = *r.admin;
        got = true;
      }
    });
  }
  return reply;
}

TEST(InferdHotSwap, NoRequestIsDroppedAndEachReplyNamesTheVersionThatComputedIt) {
  test::TempDir dir("guiju-hot-swap");
  test::write_mlp_version(dir.path(), "mlp", "1", 1, 16, 50);
  test::write_mlp_version(dir.path(), "mlp", "2", 2, 16, 50);

  BatcherOptions bo;
  bo.repository = dir.path();
  Batcher batcher(bo);
  batcher.load_now("mlp", "1");
  FrontEndOptions fo;
  fo.endpoints = {"ipc://" + (dir.path() / "inferd.ipc").string()};
  fo.batcher_on_io_thread = false;
  ZmqFrontEnd front(batcher, fo);
  std::thread server([&] { front.run(); });

  constexpr int kClients = 4;
  constexpr int kMinimum = 300;  // each client sends at least this many
  std::atomic<int> from_v2{0};
  std::atomic<int> total{0};
  std::atomic<bool> failed{false};
  std::vector<std::thread> clients;
  std::vector<std::string> problems(kClients);
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      InferClient client(fo.endpoints[0]);
      // Each client computes the expected outputs with executors of its own (one caller each).
      std::map<std::string, std::unique_ptr<Executor>> reference;
      reference["1"] = load_version(dir.path(), "1");
      reference["2"] = load_version(dir.path(), "2");
      std::map<uint64_t, std::vector<float>> pending;
      uint64_t next = 1;
      int sent = 0;
      const auto until = std::chrono::steady_clock::now() + 60s;
      // Keep going until version 2 has answered a good number (the swap happened under load).
      while ((sent < kMinimum || from_v2.load() < 200 || !pending.empty()) &&
             std::chrono::steady_clock::now() < until) {
        while (pending.size() < 8 && (sent < kMinimum || from_v2.load() < 200)) {
          std::vector<float> x = test::random_floats(64, static_cast<unsigned>(c * 100000 + next));
          InferRequestFields f;
          f.request_id = next;
          f.name = "mlp";
          f.rows = 1;
          f.row_elements = 64;
          if (!client.send(f, x)) break;
          pending[next++] = std::move(x);
          ++sent;
        }
        client.wait(100ms);
        client.poll_replies([&](const ClientReply& r) {
          if (r.undecodable || r.kind != MessageKind::kInferReply) {
            problems[c] = "an undecodable or unexpected reply";
            failed = true;
            return;
          }
          const InferReplyFields& f = r.infer.fields;
          const auto it = pending.find(f.request_id);
          if (it == pending.end()) {
            problems[c] = "a reply to no pending request";
            failed = true;
            return;
          }
          if (f.status != ReplyStatus::kOk) {
            problems[c] = "status " + std::string(to_string(f.status));
            failed = true;
          } else {
            const std::string version(f.version);
            float expected = 0;
            const float* in[] = {it->second.data()};
            float* out[] = {&expected};
            const auto ref = reference.find(version);
            if (ref == reference.end()) {
              problems[c] = "a reply from version '" + version + "'";
              failed = true;
              return;
            }
            ref->second->run(Batch{1, in, out});
            float got = 0;
            r.infer.copy_data(&got);
            if (std::memcmp(&got, &expected, sizeof got) != 0) {
              problems[c] = "version " + version + " answered an output it does not compute";
              failed = true;
            }
            if (version == "2") ++from_v2;
          }
          pending.erase(it);
          ++total;
        });
      }
      if (!pending.empty() && problems[c].empty()) {
        problems[c] = std::to_string(pending.size()) + " requests never answered";
        failed = true;
      }
    });
  }
  InferClient operator_client(fo.endpoints[0]);
  while (total.load() < 200 && !failed.load()) std::this_thread::sleep_for(1ms);
  const AdminReply loaded = admin(operator_client, AdminCommand::kLoad, "2");
  EXPECT_EQ(loaded.status, ReplyStatus::kOk) << loaded.message;
  EXPECT_NE(loaded.message.find("loaded model mlp version 2 sha256 "), std::string::npos)
      << loaded.message;
  const AdminReply unloaded = admin(operator_client, AdminCommand::kUnload, "1");
  EXPECT_EQ(unloaded.status, ReplyStatus::kOk) << unloaded.message;
  for (std::thread& t : clients) t.join();
  const AdminReply list = admin(operator_client, AdminCommand::kList, "");
  front.request_stop();
  server.join();

  for (int c = 0; c < kClients; ++c) EXPECT_EQ(problems[c], "") << "client " << c;
  EXPECT_GE(from_v2.load(), 200);
  EXPECT_GT(total.load() - from_v2.load(), 0);  // version 1 answered some too
  ASSERT_EQ(list.models.size(), 1u);
  EXPECT_EQ(list.models[0].version, "2");
  EXPECT_EQ(list.models[0].errors, 0u);
  EXPECT_EQ(list.models[0].overloaded, 0u);
}

}  // namespace
}  // namespace guiju::inference
