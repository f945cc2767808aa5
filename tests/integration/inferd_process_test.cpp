// guiju-inferd as an operator runs it: the real program on loopback (ipc:// under a temporary
// directory and tcp://127.0.0.1 on a port the kernel picked), several clients at once, outputs
// bit-identical with the same model run in this process, garbage frames answered with an error
// reply while the service keeps answering, corrupt model files refused with the reason (by an
// admin load and at start), and a clean stop by its pid.

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "inference/client/infer_client.hpp"
#include "inference/runtime/load_model.hpp"
#include "tests/support/background_process.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/inferd_repository.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju::inference {
namespace {

using namespace std::chrono_literals;
using test::BackgroundProcess;

std::unique_ptr<Executor> reference_model(const std::filesystem::path& repo) {
  ModelSpec spec;
  spec.path = repo / "mlp" / "1" / "model.onnx";
  spec.name = "mlp";
  spec.version = "1";
  spec.max_batch = 16;
  return load_model(spec);
}

struct Reply {
  bool arrived = false;
  ClientReply view;  // views are dead after the callback: copy what the test reads
  std::vector<float> outputs;
  std::string version;
  std::string error_field;
  uint32_t error_offset = 0;
  std::string error_message;
  AdminReply admin;
  bool undecodable = false;
};

Reply next_reply(InferClient& client, std::chrono::milliseconds timeout = 20s) {
  Reply reply;
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!reply.arrived && std::chrono::steady_clock::now() < until) {
    client.wait(50ms);
    client.poll_replies(
        [&](const ClientReply& r) {
          reply.arrived = true;
          reply.undecodable = static_cast<bool>(r.undecodable);
          reply.view.kind = r.kind;
          if (r.kind == MessageKind::kInferReply) {
            reply.view.infer.fields = r.infer.fields;
            reply.version = std::string(r.infer.fields.version);
            reply.outputs.resize(r.infer.data.size() / sizeof(float));
            r.infer.copy_data(reply.outputs.data());
          } else if (r.kind == MessageKind::kErrorReply) {
            reply.error_field = std::string(r.error.field);
            reply.error_offset = r.error.offset;
            reply.error_message = std::string(r.error.message);
          } else if (r.admin != nullptr) {
            reply.admin = *r.admin;
          }
        },
        1);
  }
  return reply;
}

class InferdProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test::write_mlp_version(dir_.path() / "repo", "mlp", "1", 1, 16, 100);
    test::write_corrupt_version(dir_.path() / "repo", "broken", "1");
  }
  std::unique_ptr<BackgroundProcess> Start(std::vector<std::string> extra) {
    std::vector<std::string> argv{GUIJU_INFERD_BINARY, "--repository",
                                  (dir_.path() / "repo").string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return std::make_unique<BackgroundProcess>(
        argv, (dir_.path() / ("inferd-" + std::to_string(starts_++) + ".log")).string());
  }
  test::TempDir dir_{"guiju-inferd"};
  int starts_ = 0;
};

TEST_F(InferdProcessTest, ServesClientsOnIpcAndTcpAndSurvivesGarbage) {
  const int port = test::free_loopback_port();
  ASSERT_GT(port, 0);
  const std::string ipc = "ipc://" + (dir_.path() / "inferd.ipc").string();
  const std::string tcp = "tcp://127.0.0.1:" + std::to_string(port);
  auto inferd = Start({"--listen", ipc, "--listen", tcp, "--model", "mlp"});
  ASSERT_TRUE(inferd->wait_for_output(" ready: listening on ", 30s)) << inferd->output();
  EXPECT_NE(inferd->output().find(tcp), std::string::npos) << inferd->output();

  // Four clients at once, two per transport, 150 requests each of 1 or 3 rows.
  constexpr int kClients = 4;
  constexpr int kRequests = 150;
  std::vector<std::string> problems(kClients);
  std::vector<int> answered(kClients, 0);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      const std::unique_ptr<Executor> model = reference_model(dir_.path() / "repo");
      InferClient client(c % 2 == 0 ? ipc : tcp);
      std::map<uint64_t, std::vector<float>> pending;
      for (int i = 0; i < kRequests; ++i) {
        const uint32_t rows = i % 5 == 0 ? 3 : 1;
        std::vector<float> x = test::random_floats(64 * rows, static_cast<unsigned>(c * 1000 + i));
        InferRequestFields f;
        f.request_id = static_cast<uint64_t>(i + 1);
        f.name = "mlp";
        f.rows = rows;
        f.row_elements = 64;
        if (!client.send(f, x)) {
          problems[c] = "send refused";
          return;
        }
        pending[f.request_id] = std::move(x);
      }
      const auto until = std::chrono::steady_clock::now() + 60s;
      while (!pending.empty() && std::chrono::steady_clock::now() < until) {
        client.wait(50ms);
        client.poll_replies([&](const ClientReply& r) {
          if (r.undecodable || r.kind != MessageKind::kInferReply) {
            problems[c] = "unexpected reply";
            return;
          }
          const auto it = pending.find(r.infer.fields.request_id);
          if (it == pending.end() || r.infer.fields.status != ReplyStatus::kOk) {
            problems[c] = "reply " + std::to_string(r.infer.fields.request_id) + " status " +
                          std::string(to_string(r.infer.fields.status));
            return;
          }
          const size_t rows = it->second.size() / 64;
          std::vector<float> expected(rows);
          const float* in[] = {it->second.data()};
          float* out[] = {expected.data()};
          model->run(Batch{rows, in, out});
          std::vector<float> got(rows);
          if (r.infer.data.size() != rows * sizeof(float)) {
            problems[c] = "wrong output size";
            return;
          }
          r.infer.copy_data(got.data());
          if (std::memcmp(got.data(), expected.data(), rows * sizeof(float)) != 0) {
            problems[c] = "outputs differ from the model run in process";
          }
          if (r.infer.fields.version != "1" || r.infer.fields.name != "mlp" ||
              r.infer.fields.sha256 == std::array<uint8_t, 32>{}) {
            problems[c] = "the reply does not name the model";
          }
          pending.erase(it);
          ++answered[c];
        });
      }
    });
  }
  for (std::thread& t : clients) t.join();
  for (int c = 0; c < kClients; ++c) {
    EXPECT_EQ(problems[c], "") << "client " << c;
    EXPECT_EQ(answered[c], kRequests) << "client " << c;
  }

  // Garbage: each frame gets an error reply naming the field and offset; the service goes on.
  InferClient client(tcp);
  const std::vector<std::byte> junk(37, std::byte{0x5a});
  ASSERT_TRUE(client.send_raw(junk));
  Reply r = next_reply(client);
  ASSERT_TRUE(r.arrived);
  ASSERT_EQ(r.view.kind, MessageKind::kErrorReply);
  EXPECT_EQ(r.error_field, "magic");
  EXPECT_EQ(r.error_offset, 0u);

  std::vector<std::byte> frame(infer_request_size({7, 0, "mlp", "", 1, 64}));
  const std::vector<float> x = test::random_floats(64, 3);
  ASSERT_GT(encode_infer_request(frame, {7, 0, "mlp", "", 1, 64}, x), 0u);
  std::vector<std::byte> lying = frame;
  const uint32_t rows = 4000;
  std::memcpy(lying.data() + 28, &rows, sizeof rows);
  ASSERT_TRUE(client.send_raw(lying));
  r = next_reply(client);
  ASSERT_EQ(r.view.kind, MessageKind::kErrorReply);
  EXPECT_EQ(r.error_field, "data");
  EXPECT_EQ(r.error_offset, 43u);
  EXPECT_NE(r.error_message.find("do not fit in the frame"), std::string::npos) << r.error_message;
  ASSERT_TRUE(client.send_raw(std::span(frame).first(30)));
  r = next_reply(client);
  ASSERT_EQ(r.view.kind, MessageKind::kErrorReply);
  EXPECT_EQ(r.error_field, "rows");

  // A request that decodes but does not fit the model: a reply with the status, not an error.
  ASSERT_TRUE(client.send({8, 0, "mlp", "", 1, 3}, std::vector<float>(3, 1.0F)));
  r = next_reply(client);
  ASSERT_EQ(r.view.kind, MessageKind::kInferReply);
  EXPECT_EQ(r.view.infer.fields.status, ReplyStatus::kBadRequest);
  ASSERT_TRUE(client.send({9, 0, "nope", "", 1, 64}, x));
  r = next_reply(client);
  EXPECT_EQ(r.view.infer.fields.status, ReplyStatus::kUnknownModel);

  // Still serving, and the answer is the model's.
  ASSERT_TRUE(client.send_raw(frame));
  r = next_reply(client);
  ASSERT_EQ(r.view.kind, MessageKind::kInferReply);
  ASSERT_EQ(r.view.infer.fields.status, ReplyStatus::kOk);
  float expected = 0;
  const float* in[] = {x.data()};
  float* out[] = {&expected};
  reference_model(dir_.path() / "repo")->run(Batch{1, in, out});
  ASSERT_EQ(r.outputs.size(), 1u);
  EXPECT_EQ(std::memcmp(&r.outputs[0], &expected, sizeof expected), 0);

  // A corrupt model file: the admin load is refused with the loader's reason.
  ASSERT_TRUE(client.send_admin({10, AdminCommand::kLoad, "broken", "1"}));
  r = next_reply(client);
  ASSERT_EQ(r.view.kind, MessageKind::kAdminReply);
  EXPECT_EQ(r.admin.status, ReplyStatus::kModelError);
  EXPECT_NE(r.admin.message.find("model broken version 1: "), std::string::npos) << r.admin.message;
  EXPECT_NE(r.admin.message.find("model.onnx"), std::string::npos) << r.admin.message;
  ASSERT_TRUE(client.send_admin({11, AdminCommand::kList, "", ""}));
  r = next_reply(client);
  ASSERT_EQ(r.admin.models.size(), 1u);
  EXPECT_EQ(r.admin.models[0].name, "mlp");
  EXPECT_EQ(r.admin.models[0].answered, static_cast<uint64_t>(kClients * kRequests + 1));
  EXPECT_EQ(r.admin.models[0].errors, 1u);  // the request of 3 elements
  EXPECT_EQ(r.admin.models[0].input_shape, (std::vector<uint32_t>{64}));

  EXPECT_EQ(inferd->stop(10s), 0) << inferd->output();
  EXPECT_NE(inferd->output().find("SIGTERM received: stopping"), std::string::npos);
  EXPECT_NE(inferd->output().find("undecodable"), std::string::npos);
}

TEST_F(InferdProcessTest, ACorruptModelIsRefusedAtStartWithTheReason) {
  auto inferd =
      Start({"--listen", "ipc://" + (dir_.path() / "x.ipc").string(), "--model", "broken:1"});
  ASSERT_TRUE(inferd->wait(30s));
  EXPECT_EQ(inferd->exit_code(), 1);
  const std::string out = inferd->output();
  EXPECT_NE(out.find("cannot load a model: model broken version 1: "), std::string::npos) << out;
  EXPECT_NE(out.find("broken/1/model.onnx"), std::string::npos) << out;
  EXPECT_EQ(out.find("ready"), std::string::npos) << out;
}

TEST_F(InferdProcessTest, BadCommandLinesSayWhatIsWrong) {
  auto a = Start({"--listen", "bogus://nowhere", "--model", "mlp"});
  ASSERT_TRUE(a->wait(30s));
  EXPECT_NE(a->exit_code(), 0);
  EXPECT_NE(a->output().find("cannot listen on bogus://nowhere"), std::string::npos) << a->output();
  auto b = Start({"--listen", "ipc://x", "--model", "../etc"});
  ASSERT_TRUE(b->wait(30s));
  EXPECT_NE(b->exit_code(), 0);
  EXPECT_NE(b->output().find("--model ../etc"), std::string::npos) << b->output();
}

}  // namespace
}  // namespace guiju::inference
