// The KServe v2 pieces of guiju-inferd's HTTP front end that need no socket: the routes, the JSON
// tensor codec (every malformed body answered with its status and an error naming the field),
// the checks against a model, the reply's encoding (floats read back bit for bit) and the
// metadata bodies.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "inference/server/http_metadata.hpp"
#include "inference/server/http_route.hpp"
#include "inference/server/http_tensor_codec.hpp"

namespace guiju::inference {
namespace {

using nlohmann::json;

constexpr int64_t kNow = 1'700'000'000'000'000'000;

ModelEntry mlp_entry() {
  ModelEntry m;
  m.name = "mlp";
  m.version = "1";
  m.max_batch = 16;
  m.input_name = "x";
  m.input_shape = {4};
  m.output_name = "y";
  m.output_shape = {1};
  m.sha256[0] = 0xab;
  return m;
}

struct Decoded {
  HttpError error;
  JsonInferRequest request;
  std::vector<float> data;
};

Decoded decode(const std::string& body) {
  Decoded d;
  d.error = decode_infer_request(body, kNow, d.request, d.data);
  return d;
}

// The error's status and that its message starts with the field.
void expect_refused(const std::string& body, unsigned status, const std::string& field,
                    const std::string& also = "") {
  const Decoded d = decode(body);
  ASSERT_TRUE(d.error) << body;
  EXPECT_EQ(d.error.status, status) << body << " -> " << d.error.message;
  EXPECT_EQ(d.error.message.rfind(field + ":", 0), 0u)
      << body << " -> " << d.error.message << " (expected it to start with " << field << ")";
  if (!also.empty()) {
    EXPECT_NE(d.error.message.find(also), std::string::npos) << d.error.message;
  }
}

const std::string kGood = R"({"id":"r1","inputs":[{"name":"x","shape":[2,4],"datatype":"FP32",)"
                          R"("data":[1,2,3,4,5,6,7,8.5]}]})";

TEST(HttpRoute, EveryEndpointAndItsRefusals) {
  EXPECT_EQ(route_request("GET", "/v2").kind, RouteKind::kServerMetadata);
  EXPECT_EQ(route_request("GET", "/v2/").kind, RouteKind::kServerMetadata);
  EXPECT_EQ(route_request("GET", "/v2/health/live").kind, RouteKind::kLive);
  EXPECT_EQ(route_request("GET", "/v2/health/ready?verbose=1").kind, RouteKind::kReady);
  Route r = route_request("GET", "/v2/models/mlp");
  EXPECT_EQ(r.kind, RouteKind::kModelMetadata);
  EXPECT_EQ(r.name, "mlp");
  EXPECT_EQ(r.version, "");
  r = route_request("GET", "/v2/models/mlp/versions/12/ready");
  EXPECT_EQ(r.kind, RouteKind::kModelReady);
  EXPECT_EQ(r.version, "12");
  r = route_request("POST", "/v2/models/mlp/versions/3/infer");
  EXPECT_EQ(r.kind, RouteKind::kInfer);
  EXPECT_EQ(r.name, "mlp");
  EXPECT_EQ(r.version, "3");
  EXPECT_EQ(route_request("POST", "/v2/models/mlp/infer").kind, RouteKind::kInfer);

  r = route_request("GET", "/v2/models/mlp/infer");
  EXPECT_EQ(r.status, 405u);
  EXPECT_STREQ(r.allow, "POST");
  r = route_request("POST", "/v2/health/live");
  EXPECT_EQ(r.status, 405u);
  for (const char* unknown :
       {"/", "/v1/models/mlp", "/v2/nothing", "/v2/models", "/v2/models/mlp/versions",
        "/v2/models/mlp/explain", "/v2/models/mlp/versions/1/infer/more", "relative"}) {
    r = route_request("GET", unknown);
    EXPECT_EQ(r.kind, RouteKind::kNone) << unknown;
    EXPECT_EQ(r.status, 404u) << unknown;
  }
  r = route_request("GET", "/v2/models/..%2fetc");
  EXPECT_EQ(r.status, 400u);
  EXPECT_NE(r.error.find("model name"), std::string::npos) << r.error;
  r = route_request("GET", "/v2/models/.hidden");
  EXPECT_EQ(r.status, 400u);
  r = route_request("GET", "/v2/models/" + std::string(65, 'a'));
  EXPECT_EQ(r.status, 400u);
  EXPECT_NE(r.error.find("too long"), std::string::npos) << r.error;
}

TEST(HttpTensorCodec, DecodesFlatAndNestedData) {
  Decoded d = decode(kGood);
  ASSERT_FALSE(d.error) << d.error.message;
  EXPECT_TRUE(d.request.has_id);
  EXPECT_EQ(d.request.id, "r1");
  EXPECT_EQ(d.request.input_name, "x");
  EXPECT_EQ(d.request.rows, 2u);
  EXPECT_EQ(d.request.row_elements, 4u);
  EXPECT_EQ(d.data, (std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8.5F}));
  EXPECT_EQ(d.request.deadline_ns, 0);

  d = decode(R"({"inputs":[{"name":"x","shape":[2,2,2],"datatype":"FP32",)"
             R"("data":[[[1,2],[3,4]],[[5,6],[7,8]]]}],"outputs":[{"name":"y"}]})");
  ASSERT_FALSE(d.error) << d.error.message;
  EXPECT_FALSE(d.request.has_id);
  EXPECT_EQ(d.request.rows, 2u);
  EXPECT_EQ(d.request.row_elements, 4u);
  EXPECT_EQ(d.data, (std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(d.request.outputs, (std::vector<std::string>{"y"}));

  // A float written as its double's shortest form reads back bit for bit.
  const float odd = std::nextafter(0.1F, 1.0F);
  char text[64];
  std::snprintf(text, sizeof text, "%.17g", static_cast<double>(odd));
  d = decode(std::string(R"({"inputs":[{"name":"x","shape":[1,1],"datatype":"FP32","data":[)") +
             text + "]}]}");
  ASSERT_FALSE(d.error) << d.error.message;
  EXPECT_EQ(std::memcmp(&d.data[0], &odd, sizeof odd), 0);
}

TEST(HttpTensorCodec, DeadlinesFromTheParameters) {
  const std::string input = R"("inputs":[{"name":"x","shape":[1,1],"datatype":"FP32","data":[1]}])";
  Decoded d = decode("{" + input + R"(,"parameters":{"timeout_us":250}})");
  ASSERT_FALSE(d.error) << d.error.message;
  EXPECT_EQ(d.request.deadline_ns, kNow + 250'000);
  d = decode("{" + input + R"(,"parameters":{"timeout":1000,"deadline_ns":5}})");
  EXPECT_EQ(d.request.deadline_ns, 5);  // the earliest wins
  d = decode("{" + input + R"(,"parameters":{"timeout":0,"other":"kept quiet"}})");
  ASSERT_FALSE(d.error) << d.error.message;
  EXPECT_EQ(d.request.deadline_ns, 0);  // 0: none
  expect_refused("{" + input + R"(,"parameters":{"timeout_us":-5}})", 400, "parameters.timeout_us",
                 "negative");
  expect_refused("{" + input + R"(,"parameters":{"timeout_us":"soon"}})", 400,
                 "parameters.timeout_us");
  expect_refused("{" + input + R"(,"parameters":{"timeout":1e30}})", 400, "parameters.timeout");
  expect_refused("{" + input + R"(,"parameters":{"timeout_us":86400000001}})", 400,
                 "parameters.timeout_us", "more than");
  expect_refused("{" + input + R"(,"parameters":[1]})", 400, "parameters");
  expect_refused("{" + input + R"(,"parameters":{"deadline_ns":18446744073709551615}})", 400,
                 "parameters.deadline_ns");
}

TEST(HttpTensorCodec, EveryMalformedBodyNamesTheField) {
  expect_refused("", 400, "body", "not JSON");
  expect_refused("{\"inputs\": [", 400, "body", "not JSON");
  expect_refused("not json at all", 400, "body");
  expect_refused("[1,2,3]", 400, "body", "object");
  expect_refused(std::string(40, '[') + std::string(40, ']'), 400, "body", "nested");
  expect_refused("{}", 400, "inputs", "missing");
  expect_refused(R"({"inputs":{}})", 400, "inputs", "array");
  expect_refused(R"({"inputs":[]})", 400, "inputs", "0 tensors");
  expect_refused(R"({"inputs":[{"name":"a","shape":[1,1],"datatype":"FP32","data":[1]},)"
                 R"({"name":"b","shape":[1,1],"datatype":"FP32","data":[1]}]})",
                 400, "inputs", "2 tensors");
  expect_refused(R"({"id":7,"inputs":[]})", 400, "id", "string");
  expect_refused(R"({"inputs":[5]})", 400, "inputs[0]", "object");
  expect_refused(R"({"inputs":[{"shape":[1,1],"datatype":"FP32","data":[1]}]})", 400,
                 "inputs[0].name", "missing");
  expect_refused(R"({"inputs":[{"name":3,"shape":[1,1],"datatype":"FP32","data":[1]}]})", 400,
                 "inputs[0].name");
  expect_refused(R"({"inputs":[{"name":"x","shape":[1,1],"data":[1]}]})", 400, "inputs[0].datatype",
                 "missing");
  expect_refused(R"({"inputs":[{"name":"x","shape":[1,1],"datatype":"INT64","data":[1]}]})", 400,
                 "inputs[0].datatype", "INT64");
  expect_refused(R"({"inputs":[{"name":"x","shape":[1,1],"datatype":"FP64","data":[1]}]})", 400,
                 "inputs[0].datatype", "FP32");
  expect_refused(R"({"inputs":[{"name":"x","datatype":"FP32","data":[1]}]})", 400,
                 "inputs[0].shape", "missing");
  expect_refused(R"({"inputs":[{"name":"x","shape":"1,1","datatype":"FP32","data":[1]}]})", 400,
                 "inputs[0].shape", "array");
  expect_refused(R"({"inputs":[{"name":"x","shape":[],"datatype":"FP32","data":[1]}]})", 400,
                 "inputs[0].shape", "0 dimensions");
  expect_refused(R"({"inputs":[{"name":"x","shape":[1,1,1,1,1,1,1,1,1,1],"datatype":"FP32",)"
                 R"("data":[1]}]})",
                 400, "inputs[0].shape", "10 dimensions");
  expect_refused(R"({"inputs":[{"name":"x","shape":[1,-1],"datatype":"FP32","data":[1]}]})", 400,
                 "inputs[0].shape[1]", "negative");
  expect_refused(R"({"inputs":[{"name":"x","shape":[1,1.5],"datatype":"FP32","data":[1]}]})", 400,
                 "inputs[0].shape[1]", "integer");
  expect_refused(R"({"inputs":[{"name":"x","shape":[0,4],"datatype":"FP32","data":[]}]})", 400,
                 "inputs[0].shape[0]", "0 rows");
  expect_refused(R"({"inputs":[{"name":"x","shape":[5000,1],"datatype":"FP32","data":[1]}]})", 400,
                 "inputs[0].shape[0]", "5000 rows");
  expect_refused(R"({"inputs":[{"name":"x","shape":[1,0],"datatype":"FP32","data":[]}]})", 400,
                 "inputs[0].shape[1]", "is 0");
  // Huge dimensions whose product would wrap in 64 bits are refused, not multiplied.
  expect_refused(R"({"inputs":[{"name":"x","shape":[1,4294967296,4294967296,16],)"
                 R"("datatype":"FP32","data":[1]}]})",
                 400, "inputs[0].shape", "more than 16777216");
  expect_refused(R"({"inputs":[{"name":"x","shape":[4096,4096,4097],"datatype":"FP32",)"
                 R"("data":[1]}]})",
                 400, "inputs[0].shape", "more than");
  expect_refused(R"({"inputs":[{"name":"x","shape":[1,18446744073709551615],)"
                 R"("datatype":"FP32","data":[1]}]})",
                 400, "inputs[0].shape", "more than");
  expect_refused(R"({"inputs":[{"name":"x","shape":[2,4],"datatype":"FP32"}]})", 400,
                 "inputs[0].data", "missing");
  expect_refused(R"({"inputs":[{"name":"x","shape":[1,1],"datatype":"FP32",)"
                 R"("parameters":{"binary_data_size":4}}]})",
                 400, "inputs[0].parameters.binary_data_size", "binary tensor extension");
  expect_refused(R"({"inputs":[{"name":"x","shape":[2,4],"datatype":"FP32","data":{"a":1}}]})", 400,
                 "inputs[0].data", "array");
  expect_refused(R"({"inputs":[{"name":"x","shape":[2,4],"datatype":"FP32","data":[1,2,3]}]})", 400,
                 "inputs[0].data", "has 3 values; shape [2, 4] needs 8");
  expect_refused(R"({"inputs":[{"name":"x","shape":[1,2],"datatype":"FP32","data":[1,"2"]}]})", 400,
                 "inputs[0].data[1]", "got string");
  expect_refused(R"({"inputs":[{"name":"x","shape":[1,2],"datatype":"FP32","data":[1,null]}]})",
                 400, "inputs[0].data[1]", "got null");
  expect_refused(R"({"inputs":[{"name":"x","shape":[1,2],"datatype":"FP32","data":[1,[2]]}]})", 400,
                 "inputs[0].data[1]", "got array");
  expect_refused(R"({"inputs":[{"name":"x","shape":[1,2],"datatype":"FP32","data":[1,1e39]}]})",
                 400, "inputs[0].data[1]", "FP32 range");
  // Nested data must follow the shape at every level.
  expect_refused(R"({"inputs":[{"name":"x","shape":[2,2],"datatype":"FP32",)"
                 R"("data":[[1,2],[3,4,5]]}]})",
                 400, "inputs[0].data[1]", "has 3 elements");
  expect_refused(R"({"inputs":[{"name":"x","shape":[2,2],"datatype":"FP32",)"
                 R"("data":[[1,2],[3,4],[5,6]]}]})",
                 400, "inputs[0].data", "has 3 elements");
  expect_refused(R"({"inputs":[{"name":"x","shape":[2,2],"datatype":"FP32","data":[[1,2],3]}]})",
                 400, "inputs[0].data[1]", "expected an array");
  expect_refused(R"({"inputs":[{"name":"x","shape":[1,2,2],"datatype":"FP32",)"
                 R"("data":[[[1,2],[3,true]]]}]})",
                 400, "inputs[0].data[0][1][1]", "got boolean");
  expect_refused(R"({"inputs":[{"name":"x","shape":[2],"datatype":"FP32","data":[[1],[2]]}]})", 400,
                 "inputs[0].data[0]", "got array");
  expect_refused(kGood.substr(0, kGood.size() - 1) + R"(,"outputs":{}})", 400, "outputs", "array");
  expect_refused(kGood.substr(0, kGood.size() - 1) + R"(,"outputs":[{"nam":"y"}]})", 400,
                 "outputs[0].name", "missing");
  expect_refused(kGood.substr(0, kGood.size() - 1) +
                     R"(,"outputs":[{"name":"y","parameters":{"binary_data":true}}]})",
                 400, "outputs[0].parameters.binary_data", "binary tensor extension");
}

TEST(HttpTensorCodec, ChecksTheRequestAgainstTheModel) {
  const ModelEntry m = mlp_entry();
  Decoded d = decode(kGood);
  ASSERT_FALSE(d.error);
  EXPECT_FALSE(check_against_model(d.request, m));

  d = decode(
      R"({"inputs":[{"name":"features","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]})");
  HttpError e = check_against_model(d.request, m);
  ASSERT_TRUE(e);
  EXPECT_EQ(e.status, 400u);
  EXPECT_EQ(e.message.rfind("inputs[0].name:", 0), 0u) << e.message;
  EXPECT_NE(e.message.find("input 'x' [-1, 4]"), std::string::npos) << e.message;

  d = decode(R"({"inputs":[{"name":"x","shape":[1,5],"datatype":"FP32","data":[1,2,3,4,5]}]})");
  e = check_against_model(d.request, m);
  ASSERT_TRUE(e);
  EXPECT_EQ(e.message.rfind("inputs[0].shape:", 0), 0u) << e.message;
  EXPECT_NE(e.message.find("[1, 5] does not fit model mlp version 1"), std::string::npos)
      << e.message;
  d = decode(R"({"inputs":[{"name":"x","shape":[4],"datatype":"FP32","data":[1,2,3,4]}]})");
  e = check_against_model(d.request, m);
  ASSERT_TRUE(e);
  EXPECT_NE(e.message.find("the first dimension is the batch"), std::string::npos) << e.message;
  d = decode(
      R"({"inputs":[{"name":"x","shape":[2,2,2],"datatype":"FP32","data":[1,2,3,4,5,6,7,8]}]})");
  EXPECT_TRUE(check_against_model(d.request, m));  // 4 per row, but not [4]

  std::string many = R"({"inputs":[{"name":"x","shape":[17,4],"datatype":"FP32","data":[)";
  for (int i = 0; i < 68; ++i) many += (i ? ",1" : "1");
  d = decode(many + "]}]}");
  ASSERT_FALSE(d.error) << d.error.message;
  e = check_against_model(d.request, m);
  ASSERT_TRUE(e);
  EXPECT_EQ(e.message.rfind("inputs[0].shape[0]:", 0), 0u) << e.message;
  EXPECT_NE(e.message.find("max_batch 16"), std::string::npos) << e.message;

  d = decode(kGood.substr(0, kGood.size() - 1) + R"(,"outputs":[{"name":"z"}]})");
  e = check_against_model(d.request, m);
  ASSERT_TRUE(e);
  EXPECT_EQ(e.message.rfind("outputs[0].name:", 0), 0u) << e.message;
  EXPECT_NE(e.message.find("'y'"), std::string::npos) << e.message;
}

TEST(HttpTensorCodec, TheReplyReadsBackBitForBit) {
  const std::vector<float> outputs{0.1F,
                                   -3.25e-20F,
                                   std::nextafter(1.0F, 2.0F),
                                   65504.0F,
                                   std::numeric_limits<float>::denorm_min(),
                                   std::numeric_limits<float>::quiet_NaN()};
  const std::vector<uint32_t> dims{3};
  JsonInferReply r;
  r.model_name = "mlp";
  r.model_version = "1";
  r.id = "a\"b\\c\n";
  r.has_id = true;
  r.sha256[31] = 0x0f;
  r.queue_ns = 12;
  r.compute_ns = 34;
  r.output_name = "y";
  r.output_dims = dims;
  r.rows = 2;
  r.data = outputs;
  std::string body;
  encode_infer_reply(r, body);
  const json j = json::parse(body);
  EXPECT_EQ(j["model_name"], "mlp");
  EXPECT_EQ(j["model_version"], "1");
  EXPECT_EQ(j["id"], "a\"b\\c\n");
  EXPECT_EQ(j["parameters"]["sha256"], std::string(62, '0') + "0f");
  EXPECT_EQ(j["parameters"]["queue_ns"], 12);
  EXPECT_EQ(j["parameters"]["compute_ns"], 34);
  const json& o = j["outputs"][0];
  EXPECT_EQ(o["name"], "y");
  EXPECT_EQ(o["datatype"], "FP32");
  EXPECT_EQ(o["shape"], json::array({2, 3}));
  ASSERT_EQ(o["data"].size(), outputs.size());
  for (size_t i = 0; i + 1 < outputs.size(); ++i) {
    const float back = static_cast<float>(o["data"][i].get<double>());
    EXPECT_EQ(std::memcmp(&back, &outputs[i], sizeof back), 0) << i << ": " << body;
  }
  EXPECT_TRUE(o["data"][5].is_null());  // JSON has no NaN

  r.has_id = false;
  encode_infer_reply(r, body);
  EXPECT_FALSE(json::parse(body).contains("id"));
}

TEST(HttpMetadata, StatusesBodiesAndModels) {
  EXPECT_EQ(http_status(ReplyStatus::kOk), 200u);
  EXPECT_EQ(http_status(ReplyStatus::kExpired), 504u);
  EXPECT_EQ(http_status(ReplyStatus::kOverloaded), 503u);
  EXPECT_EQ(http_status(ReplyStatus::kUnavailable), 503u);
  EXPECT_EQ(http_status(ReplyStatus::kUnknownModel), 404u);
  EXPECT_EQ(http_status(ReplyStatus::kBadRequest), 400u);
  EXPECT_EQ(http_status(ReplyStatus::kModelError), 500u);

  EXPECT_EQ(json::parse(error_body("bad \"thing\""))["error"], "bad \"thing\"");
  const ModelEntry m = mlp_entry();
  const json e = json::parse(model_error_body("late", m, ReplyStatus::kExpired));
  EXPECT_EQ(e["error"], "late");
  EXPECT_EQ(e["model_name"], "mlp");
  EXPECT_EQ(e["parameters"]["status"], "expired");
  EXPECT_EQ(e["parameters"]["sha256"].get<std::string>().substr(0, 2), "ab");

  const json server = json::parse(server_metadata_body("0.1.0"));
  EXPECT_EQ(server["name"], "guiju-inferd");
  EXPECT_EQ(server["version"], "0.1.0");
  EXPECT_TRUE(server["extensions"].is_array());

  std::vector<ModelEntry> models{m, m, m};
  models[1].version = "2";
  models[2].version = "3";
  models[2].state = ModelState::kDraining;
  const ModelEntry* latest = find_model(models, "mlp", "");
  ASSERT_NE(latest, nullptr);
  EXPECT_EQ(latest->version, "2");  // 3 is draining
  EXPECT_EQ(find_model(models, "mlp", "3")->version, "3");
  EXPECT_EQ(find_model(models, "mlp", "4"), nullptr);
  EXPECT_EQ(find_model(models, "other", ""), nullptr);
  const json meta = json::parse(model_metadata_body(models, *latest));
  EXPECT_EQ(meta["name"], "mlp");
  EXPECT_EQ(meta["versions"], json::array({"1", "2", "3"}));
  EXPECT_EQ(meta["platform"], "onnx");
  EXPECT_EQ(meta["inputs"][0]["name"], "x");
  EXPECT_EQ(meta["inputs"][0]["datatype"], "FP32");
  EXPECT_EQ(meta["inputs"][0]["shape"], json::array({-1, 4}));
  EXPECT_EQ(meta["outputs"][0]["shape"], json::array({-1, 1}));
}

}  // namespace
}  // namespace guiju::inference
