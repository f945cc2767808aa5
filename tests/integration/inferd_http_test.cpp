// guiju-inferd's KServe v2 HTTP front end as an operator runs it: the real program started with
// --http on a loopback port the kernel picks, stopped by its pid. Health and metadata, outputs
// bit-identical with the model run in this process, the flow a Triton client follows, garbage
// answered 4xx while the service goes on, deadlines, too many connections, curl, and requests
// from the HTTP and ZeroMQ front ends batched together.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstring>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "inference/client/infer_client.hpp"
#include "inference/runtime/load_model.hpp"
#include "tests/support/background_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/inferd_repository.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju::inference {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using test::BackgroundProcess;
using test::HttpClient;

std::unique_ptr<Executor> reference_model(const std::filesystem::path& repo,
                                          const std::string& name = "mlp") {
  ModelSpec spec;
  spec.path = repo / name / "1" / "model.onnx";
  spec.name = name;
  spec.version = "1";
  spec.max_batch = 16;
  return load_model(spec);
}

std::vector<float> run_reference(Executor& model, const std::vector<float>& x) {
  const size_t rows = x.size() / 64;
  std::vector<float> y(rows);
  const float* in[] = {x.data()};
  float* out[] = {y.data()};
  model.run(Batch{rows, in, out});
  return y;
}

// An infer body of rows x 64 floats, each written as its double's shortest form (exact).
std::string infer_body(const std::vector<float>& x, const std::string& extra = "") {
  json data = json::array();
  for (const float v : x) data.push_back(static_cast<double>(v));
  json body{{"id", "req-1"},
            {"inputs", json::array({{{"name", "x"},
                                     {"shape", json::array({x.size() / 64, 64})},
                                     {"datatype", "FP32"},
                                     {"data", std::move(data)}}})}};
  std::string text = body.dump();
  if (!extra.empty()) text = text.substr(0, text.size() - 1) + "," + extra + "}";
  return text;
}

// The reply's outputs as floats, exactly (doubles narrowed).
std::vector<float> outputs_of(const json& reply) {
  std::vector<float> out;
  for (const json& v : reply["outputs"][0]["data"])
    out.push_back(static_cast<float>(v.get<double>()));
  return out;
}

int port_of(const std::string& output) {
  std::smatch m;
  if (!std::regex_search(output, m, std::regex(R"(http://127\.0\.0\.1:(\d+))"))) return -1;
  return std::stoi(m[1]);
}

class InferdHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test::write_mlp_version(repo(), "mlp", "1", 1, 16, 0);
    // A batch forms only when full (2 rows) or when its first request has waited 1 s: two
    // requests neither of which waited that long were answered together.
    test::write_mlp_version(repo(), "pair", "1", 5, 2, 1'000'000);
    // A lone request waits 300 ms for company: a shorter deadline expires first.
    test::write_mlp_version(repo(), "slow", "1", 7, 16, 300'000);
  }
  std::filesystem::path repo() const { return dir_.path() / "repo"; }

  // Starts guiju-inferd with --http on a port the kernel picks; port_ is what it chose.
  std::unique_ptr<BackgroundProcess> Start(std::vector<std::string> extra) {
    std::vector<std::string> argv{GUIJU_INFERD_BINARY, "--repository", repo().string(), "--http",
                                  "127.0.0.1:0"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto p = std::make_unique<BackgroundProcess>(
        argv, (dir_.path() / ("inferd-" + std::to_string(starts_++) + ".log")).string());
    if (p->wait_for_output(" ready: listening on ", 30s)) port_ = port_of(p->output());
    return p;
  }

  test::TempDir dir_{"guiju-inferd-http"};
  int starts_ = 0;
  int port_ = -1;
};

TEST_F(InferdHttpTest, HealthMetadataAndInferenceBitIdenticalWithTheModelInProcess) {
  auto inferd = Start({});
  ASSERT_GT(port_, 0) << inferd->output();
  HttpClient http(port_);

  test::HttpResponse r = http.get("/v2/health/live");
  EXPECT_EQ(r.status, 200u) << r.error;
  r = http.get("/v2/health/ready");
  EXPECT_EQ(r.status, 200u) << r.body;
  r = http.get("/v2");
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(json::parse(r.body)["name"], "guiju-inferd");
  EXPECT_TRUE(json::parse(r.body)["extensions"].is_array());
  EXPECT_EQ(r.header("Content-Type"), "application/json");

  for (const std::string target : {"/v2/models/mlp", "/v2/models/mlp/versions/1"}) {
    r = http.get(target);
    ASSERT_EQ(r.status, 200u) << target << ": " << r.body;
    const json meta = json::parse(r.body);
    EXPECT_EQ(meta["name"], "mlp");
    EXPECT_EQ(meta["versions"], json::array({"1"}));
    EXPECT_EQ(meta["platform"], "onnx");
    EXPECT_EQ(meta["inputs"][0], json({{"name", "x"}, {"datatype", "FP32"}, {"shape", {-1, 64}}}));
    EXPECT_EQ(meta["outputs"][0], json({{"name", "y"}, {"datatype", "FP32"}, {"shape", {-1, 1}}}));
  }
  EXPECT_EQ(http.get("/v2/models/mlp/ready").status, 200u);
  EXPECT_EQ(http.get("/v2/models/mlp/versions/1/ready").status, 200u);
  EXPECT_EQ(http.get("/v2/models/mlp/versions/9/ready").status, 404u);
  r = http.get("/v2/models/nope");
  EXPECT_EQ(r.status, 404u);
  EXPECT_NE(json::parse(r.body)["error"].get<std::string>().find("nope"), std::string::npos);

  const std::unique_ptr<Executor> model = reference_model(repo());
  const std::string sha = model->info().sha256;
  for (const uint32_t rows : {1u, 3u, 16u}) {
    const std::vector<float> x = test::random_floats(64 * rows, 100 + rows);
    for (const std::string target : {"/v2/models/mlp/infer", "/v2/models/mlp/versions/1/infer"}) {
      r = http.post(target, infer_body(x));
      ASSERT_EQ(r.status, 200u) << r.body;
      EXPECT_TRUE(r.keep_alive);
      const json reply = json::parse(r.body);
      EXPECT_EQ(reply["model_name"], "mlp");
      EXPECT_EQ(reply["model_version"], "1");
      EXPECT_EQ(reply["id"], "req-1");
      EXPECT_EQ(reply["parameters"]["sha256"], sha);
      EXPECT_GE(reply["parameters"]["queue_ns"].get<int64_t>(), 0);
      EXPECT_GT(reply["parameters"]["compute_ns"].get<int64_t>(), 0);
      EXPECT_EQ(reply["outputs"][0]["name"], "y");
      EXPECT_EQ(reply["outputs"][0]["datatype"], "FP32");
      EXPECT_EQ(reply["outputs"][0]["shape"], json::array({rows, 1}));
      const std::vector<float> got = outputs_of(reply);
      const std::vector<float> expected = run_reference(*model, x);
      ASSERT_EQ(got.size(), expected.size());
      EXPECT_EQ(std::memcmp(got.data(), expected.data(), got.size() * sizeof(float)), 0);
    }
  }
  // Nested data, as numpy's tolist() writes it.
  const std::vector<float> x = test::random_floats(128, 9);
  json nested = json::array({json::array(), json::array()});
  for (size_t i = 0; i < x.size(); ++i) nested[i / 64].push_back(static_cast<double>(x[i]));
  const json body{
      {"inputs",
       json::array({{{"name", "x"}, {"shape", {2, 64}}, {"datatype", "FP32"}, {"data", nested}}})},
      {"outputs", json::array({{{"name", "y"}}})}};
  r = http.post("/v2/models/mlp/infer", body.dump());
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_FALSE(json::parse(r.body).contains("id"));
  const std::vector<float> got = outputs_of(json::parse(r.body));
  const std::vector<float> expected = run_reference(*model, x);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(std::memcmp(got.data(), expected.data(), 2 * sizeof(float)), 0);

  EXPECT_EQ(inferd->stop(10s), 0) << inferd->output();
  EXPECT_NE(inferd->output().find("http stopped"), std::string::npos) << inferd->output();
}

// What tritonclient.http does: is the server ready, what does the model take, then infer with
// the input and output names from the metadata, on one keep-alive connection.
TEST_F(InferdHttpTest, ATritonStyleClientFlow) {
  auto inferd = Start({"--model", "mlp"});
  ASSERT_GT(port_, 0) << inferd->output();
  HttpClient http(port_);
  ASSERT_EQ(http.get("/v2/health/ready").status, 200u);
  ASSERT_EQ(http.get("/v2/models/mlp/ready").status, 200u);
  test::HttpResponse r = http.get("/v2/models/mlp");
  ASSERT_EQ(r.status, 200u);
  const json meta = json::parse(r.body);
  const json& input = meta["inputs"][0];
  const size_t width = input["shape"][1].get<size_t>();
  ASSERT_EQ(width, 64u);
  const std::vector<float> x = test::random_floats(2 * width, 77);
  json data = json::array();
  for (const float v : x) data.push_back(static_cast<double>(v));
  const json body{{"id", "42"},
                  {"inputs", json::array({{{"name", input["name"]},
                                           {"shape", {2, width}},
                                           {"datatype", input["datatype"]},
                                           {"data", data}}})},
                  {"outputs", json::array({{{"name", meta["outputs"][0]["name"]},
                                            {"parameters", {{"binary_data", false}}}}})}};
  r = http.post("/v2/models/" + meta["name"].get<std::string>() + "/infer", body.dump());
  ASSERT_EQ(r.status, 200u) << r.body;
  const json reply = json::parse(r.body);
  EXPECT_EQ(reply["id"], "42");
  EXPECT_EQ(reply["outputs"][0]["name"], meta["outputs"][0]["name"]);
  const std::vector<float> expected = run_reference(*reference_model(repo()), x);
  const std::vector<float> got = outputs_of(reply);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(std::memcmp(got.data(), expected.data(), 2 * sizeof(float)), 0);
  EXPECT_EQ(inferd->stop(10s), 0);
}

TEST_F(InferdHttpTest, GarbageIsRefusedNamingTheFieldAndTheServiceGoesOn) {
  auto inferd = Start({"--model", "mlp"});
  ASSERT_GT(port_, 0) << inferd->output();
  HttpClient http(port_);
  const auto error_of = [](const test::HttpResponse& r) {
    const json j = json::parse(r.body, nullptr, false);
    return j.is_object() && j.contains("error") ? j["error"].get<std::string>()
                                                : "(" + r.body + ")";
  };
  const std::vector<float> x = test::random_floats(64, 5);
  struct Case {
    std::string target;
    std::string body;
    unsigned status;
    std::string starts;
  };
  const std::vector<Case> cases{
      {"/v2/models/mlp/infer", "{not json", 400, "body:"},
      {"/v2/models/mlp/infer", R"({"outputs":[]})", 400, "inputs:"},
      {"/v2/models/mlp/infer",
       R"({"inputs":[{"name":"x","shape":[1,64],"datatype":"INT32","data":[1]}]})", 400,
       "inputs[0].datatype:"},
      {"/v2/models/mlp/infer",
       R"({"inputs":[{"name":"x","shape":[1,64],"datatype":"FP32","data":[1,2]}]})", 400,
       "inputs[0].data:"},
      {"/v2/models/mlp/infer",
       R"({"inputs":[{"name":"x","shape":[1,3],"datatype":"FP32","data":[1,2,3]}]})", 400,
       "inputs[0].shape:"},
      {"/v2/models/mlp/infer",
       R"({"inputs":[{"name":"x","shape":[1,9223372036854775807,64],"datatype":"FP32",)"
       R"("data":[1]}]})",
       400, "inputs[0].shape:"},
      {"/v2/models/mlp/infer",
       R"({"inputs":[{"name":"features","shape":[1,3],"datatype":"FP32","data":[1,2,3]}]})", 400,
       "inputs[0].name:"},
      {"/v2/models/nope/infer", infer_body(x), 404, "model nope"},
      {"/v2/models/mlp/versions/7/infer", infer_body(x), 404, "model mlp version 7"},
      {"/v2/models/mlp/explain", infer_body(x), 404, "no endpoint"},
  };
  for (const Case& c : cases) {
    const test::HttpResponse r = http.post(c.target, c.body);
    EXPECT_EQ(r.status, c.status) << c.body << " -> " << r.body << r.error;
    EXPECT_EQ(error_of(r).rfind(c.starts, 0), 0u) << c.body << " -> " << r.body;
  }
  test::HttpResponse r = http.get("/v2/models/mlp/infer");
  EXPECT_EQ(r.status, 405u);
  EXPECT_EQ(r.header("Allow"), "POST");

  // Bytes that are not HTTP, and a body over the limit (refused from its Content-Length, before
  // it is sent): answered, and the connection closed.
  std::string raw = test::raw_exchange(port_, "HELLO THERE\r\n\r\n");
  EXPECT_EQ(raw.rfind("HTTP/1.1 400", 0), 0u) << raw;
  raw = test::raw_exchange(port_,
                           "POST /v2/models/mlp/infer HTTP/1.1\r\nHost: x\r\nContent-Length: "
                           "17000000\r\nContent-Type: application/json\r\n\r\n{");
  EXPECT_EQ(raw.rfind("HTTP/1.1 413", 0), 0u) << raw;
  EXPECT_NE(raw.find("16777216"), std::string::npos) << raw;

  // Still serving, and right.
  r = http.post("/v2/models/mlp/infer", infer_body(x));
  ASSERT_EQ(r.status, 200u) << r.body << r.error;
  const std::vector<float> expected = run_reference(*reference_model(repo()), x);
  EXPECT_EQ(outputs_of(json::parse(r.body)), expected);
  EXPECT_EQ(inferd->stop(10s), 0) << inferd->output();
}

TEST_F(InferdHttpTest, AnExpiredDeadlineIsAnswered504AndNeverComputed) {
  auto inferd = Start({"--model", "mlp", "--model", "slow"});
  ASSERT_GT(port_, 0) << inferd->output();
  HttpClient http(port_);
  const std::vector<float> x = test::random_floats(64, 5);
  // Long past when it arrives.
  test::HttpResponse r =
      http.post("/v2/models/mlp/infer", infer_body(x, R"("parameters":{"deadline_ns":1})"));
  EXPECT_EQ(r.status, 504u) << r.body;
  json j = json::parse(r.body);
  EXPECT_NE(j["error"].get<std::string>().find("expired"), std::string::npos) << r.body;
  EXPECT_EQ(j["model_name"], "mlp");
  EXPECT_EQ(j["parameters"]["status"], "expired");
  EXPECT_EQ(j["parameters"]["sha256"].get<std::string>().size(), 64u);
  // In time when it arrives, but its batch waits 300 ms for company.
  r = http.post("/v2/models/slow/infer", infer_body(x, R"("parameters":{"timeout_us":20000})"));
  EXPECT_EQ(r.status, 504u) << r.body;
  // Triton's name for it, with time enough.
  r = http.post("/v2/models/slow/infer", infer_body(x, R"("parameters":{"timeout":5000000})"));
  EXPECT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(inferd->stop(10s), 0);
}

TEST_F(InferdHttpTest, ConnectionsOverTheLimitAreAnswered503) {
  auto inferd = Start({"--model", "mlp", "--http-max-connections", "2"});
  ASSERT_GT(port_, 0) << inferd->output();
  HttpClient a(port_);
  HttpClient b(port_);
  ASSERT_EQ(a.get("/v2/health/live").status, 200u);
  ASSERT_EQ(b.get("/v2/health/live").status, 200u);
  const std::string raw =
      test::raw_exchange(port_, "GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(raw.rfind("HTTP/1.1 503", 0), 0u) << raw;
  EXPECT_NE(raw.find("too many connections"), std::string::npos) << raw;
  EXPECT_EQ(a.get("/v2/health/live").status, 200u);  // the two in use still work
  EXPECT_EQ(inferd->stop(10s), 0);
}

// One ZeroMQ request and one HTTP request for a model whose batch runs only when it holds 2
// rows or its first request has waited 1 s. Neither waiting that long (queue_ns), with equal
// compute times, means they ran in one batch. (A loaded host may delay the second request past
// the second: then it is tried again, a few times.)
TEST_F(InferdHttpTest, RequestsFromHttpAndZeroMqAreBatchedTogether) {
  const std::string ipc = "ipc://" + (dir_.path() / "inferd.ipc").string();
  for (const std::string threads : {"0", "1"}) {
    SCOPED_TRACE("--threads " + threads);
    auto inferd = Start({"--listen", ipc, "--model", "pair", "--threads", threads});
    ASSERT_GT(port_, 0) << inferd->output();
    const std::unique_ptr<Executor> model = reference_model(repo(), "pair");
    InferClient zmq_client(ipc);
    HttpClient http(port_);
    ASSERT_EQ(http.get("/v2/health/ready").status, 200u);  // connected before the race
    bool together = false;
    for (int attempt = 0; attempt < 3 && !together; ++attempt) {
      const std::vector<float> xz = test::random_floats(64, 11 + attempt);
      const std::vector<float> xh = test::random_floats(64, 21 + attempt);
      InferRequestFields f;
      f.request_id = static_cast<uint64_t>(attempt + 1);
      f.name = "pair";
      f.rows = 1;
      f.row_elements = 64;
      ASSERT_TRUE(zmq_client.send(f, xz));
      test::HttpResponse r;
      std::thread http_thread([&] { r = http.post("/v2/models/pair/infer", infer_body(xh)); });
      bool zmq_answered = false;
      InferReplyFields zf;
      std::vector<float> zmq_out(1);
      const auto until = std::chrono::steady_clock::now() + 30s;
      while (!zmq_answered && std::chrono::steady_clock::now() < until) {
        zmq_client.wait(50ms);
        zmq_client.poll_replies([&](const ClientReply& reply) {
          if (reply.kind != MessageKind::kInferReply) return;
          zmq_answered = true;
          zf = reply.infer.fields;
          zf.name = {};
          zf.version = {};
          if (zf.status == ReplyStatus::kOk) reply.infer.copy_data(zmq_out.data());
        });
      }
      http_thread.join();
      ASSERT_TRUE(zmq_answered);
      ASSERT_EQ(zf.status, ReplyStatus::kOk);
      ASSERT_EQ(r.status, 200u) << r.body << r.error;
      const json reply = json::parse(r.body);
      EXPECT_EQ(outputs_of(reply), run_reference(*model, xh));
      EXPECT_EQ(zmq_out, run_reference(*model, xz));
      const int64_t http_queue = reply["parameters"]["queue_ns"].get<int64_t>();
      together = zf.queue_ns < 1'000'000'000 && http_queue < 1'000'000'000;
      if (together) {
        EXPECT_EQ(reply["parameters"]["compute_ns"].get<int64_t>(), zf.compute_ns);
      }
    }
    EXPECT_TRUE(together) << "no batch held requests from both front ends";
    EXPECT_EQ(inferd->stop(10s), 0) << inferd->output();
  }
}

// Many HTTP and ZeroMQ clients at once on a model that batches: every answer right.
TEST_F(InferdHttpTest, ConcurrentHttpAndZeroMqClients) {
  const std::string ipc = "ipc://" + (dir_.path() / "many.ipc").string();
  auto inferd = Start({"--listen", ipc, "--model", "mlp"});
  ASSERT_GT(port_, 0) << inferd->output();
  constexpr int kClients = 6;
  constexpr int kRequests = 40;
  std::vector<std::string> problems(kClients);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      const std::unique_ptr<Executor> model = reference_model(repo());
      if (c % 2 == 0) {
        HttpClient http(port_);
        for (int i = 0; i < kRequests; ++i) {
          const std::vector<float> x = test::random_floats(64 * (1 + i % 3), c * 1000 + i);
          const test::HttpResponse r = http.post("/v2/models/mlp/infer", infer_body(x));
          if (r.status != 200 || outputs_of(json::parse(r.body)) != run_reference(*model, x)) {
            problems[c] = "http request " + std::to_string(i) + ": " + r.body + r.error;
            return;
          }
        }
        return;
      }
      InferClient client(ipc);
      for (int i = 0; i < kRequests; ++i) {
        const std::vector<float> x = test::random_floats(64, c * 1000 + i);
        InferRequestFields f;
        f.request_id = static_cast<uint64_t>(i + 1);
        f.name = "mlp";
        f.rows = 1;
        f.row_elements = 64;
        if (!client.send(f, x)) {
          problems[c] = "zmq send refused";
          return;
        }
        bool done = false;
        const auto until = std::chrono::steady_clock::now() + 20s;
        while (!done && std::chrono::steady_clock::now() < until) {
          client.wait(50ms);
          client.poll_replies([&](const ClientReply& r) {
            std::vector<float> y(1);
            if (r.kind == MessageKind::kInferReply && r.infer.fields.status == ReplyStatus::kOk) {
              r.infer.copy_data(y.data());
              if (y != run_reference(*model, x)) problems[c] = "zmq output differs";
            } else {
              problems[c] = "zmq reply not ok";
            }
            done = true;
          });
        }
        if (!done) problems[c] = "zmq request unanswered";
        if (!problems[c].empty()) return;
      }
    });
  }
  for (std::thread& t : clients) t.join();
  for (int c = 0; c < kClients; ++c) EXPECT_EQ(problems[c], "") << "client " << c;
  EXPECT_EQ(inferd->stop(10s), 0) << inferd->output();
}

TEST_F(InferdHttpTest, Curl) {
  if (!std::filesystem::exists("/usr/bin/curl")) {
    GTEST_SKIP() << "no /usr/bin/curl: the curl check is skipped";
  }
  auto inferd = Start({"--model", "mlp"});
  ASSERT_GT(port_, 0) << inferd->output();
  const std::string base = "http://127.0.0.1:" + std::to_string(port_);
  test::CommandResult c = test::run_command(
      {"/usr/bin/curl", "-sS", "-w", "\n%{http_code}", base + "/v2/health/ready"});
  EXPECT_EQ(c.exit_code, 0) << c.output;
  EXPECT_NE(c.output.find("\n200"), std::string::npos) << c.output;
  // A body large enough that curl asks for 100-continue first.
  const std::vector<float> x = test::random_floats(64 * 4, 3);
  const std::string file = dir_.file("body.json", infer_body(x));
  c = test::run_command({"/usr/bin/curl", "-sS", "-w", "\n%{http_code}", "-H",
                         "Content-Type: application/json", "--data-binary", "@" + file,
                         base + "/v2/models/mlp/infer"});
  EXPECT_EQ(c.exit_code, 0) << c.output;
  const size_t newline = c.output.rfind('\n');
  ASSERT_NE(newline, std::string::npos) << c.output;
  EXPECT_EQ(c.output.substr(newline + 1), "200") << c.output;
  const json reply = json::parse(c.output.substr(0, newline));
  EXPECT_EQ(outputs_of(reply), run_reference(*reference_model(repo()), x));
  EXPECT_EQ(inferd->stop(10s), 0);
}

TEST_F(InferdHttpTest, BadHttpEndpointsAreRefusedAtStart) {
  std::vector<std::string> argv{GUIJU_INFERD_BINARY, "--repository", repo().string(), "--http",
                                "127.0.0.1"};
  BackgroundProcess a(argv, (dir_.path() / "bad-a.log").string());
  ASSERT_TRUE(a.wait(30s));
  EXPECT_EQ(a.exit_code(), 1);
  EXPECT_NE(a.output().find("cannot listen on http 127.0.0.1: expected HOST:PORT"),
            std::string::npos)
      << a.output();
  argv = {GUIJU_INFERD_BINARY, "--repository", repo().string()};
  BackgroundProcess b(argv, (dir_.path() / "bad-b.log").string());
  ASSERT_TRUE(b.wait(30s));
  EXPECT_EQ(b.exit_code(), 1);
  EXPECT_NE(b.output().find("--listen"), std::string::npos) << b.output();
}

}  // namespace
}  // namespace guiju::inference
