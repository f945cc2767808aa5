// ServiceSignals (adapters/inference/service_signals.hpp) against a stand-in for guiju-inferd: a
// ZeroMQ ROUTER in the test that answers each request as the test says. Every service status
// becomes the strategy's, with the model's identity, the outputs and the latency; an answer after
// its deadline and an answer to no request are dropped and counted; a request the service could
// not decode is answered model_error. With nobody listening nothing is sent, a request without a
// deadline is answered unavailable at once, and a client thread that has fallen behind makes
// send() answer overloaded through the refusals ring, then refuse outright when that is full.

#include "adapters/inference/service_signals.hpp"

#include <gtest/gtest.h>

#include <zmq.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/clock/clock.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju::inference {
namespace {

using namespace std::chrono_literals;

InferenceConfig ServiceConfig(const std::string& endpoint, uint32_t queue_capacity = 64) {
  InferenceConfig c;
  c.service = endpoint;
  c.transport = InferenceTransport::kZeroMq;
  c.models = {{1, "ai_signal", "1"}};
  c.queue_capacity = queue_capacity;
  c.connect_timeout_ms = 0;  // the stand-in does not answer `list`
  return c;
}

SignalRequest Request(uint64_t id, Duration deadline_in, uint32_t model_id = 1) {
  SignalRequest r;
  const Timestamp now = utc_now();
  r.header = make_header<SignalRequest>(now, now, 3);
  r.request_id = id;
  r.model_id = model_id;
  r.input_count = 16;
  for (uint16_t i = 0; i < r.input_count; ++i) r.inputs[i] = static_cast<float>(i) * 0.5f;
  r.deadline = deadline_in == 0 ? 0 : now + deadline_in;
  return r;
}

std::optional<SignalReply> NextReply(SpscRing<EventSlot>& ring, std::chrono::milliseconds wait) {
  const auto until = std::chrono::steady_clock::now() + wait;
  EventSlot slot;
  while (std::chrono::steady_clock::now() < until) {
    if (ring.try_pop(slot)) return slot.as<SignalReply>();
    std::this_thread::sleep_for(1ms);
  }
  return std::nullopt;
}

// The service's side of the socket.
class StandIn {
 public:
  explicit StandIn(const std::string& endpoint) : router_(context_, zmq::socket_type::router) {
    router_.set(zmq::sockopt::linger, 0);
    router_.bind(endpoint);
  }
  // The next request, decoded; nullopt after `wait`.
  std::optional<InferRequestFields> Receive(std::chrono::milliseconds wait) {
    zmq::pollitem_t item{router_.handle(), 0, ZMQ_POLLIN, 0};
    if (zmq::poll(&item, 1, wait) <= 0) return std::nullopt;
    zmq::message_t frame;
    if (!router_.recv(identity_) || !router_.recv(frame)) return std::nullopt;
    bytes_.assign(static_cast<const std::byte*>(frame.data()),
                  static_cast<const std::byte*>(frame.data()) + frame.size());
    InferRequestView view;
    if (decode_infer_request(bytes_, view)) return std::nullopt;
    return view.fields;
  }
  void Answer(uint64_t request_id, ReplyStatus status, std::vector<float> outputs = {}) {
    InferReplyFields f;
    f.request_id = request_id;
    f.status = status;
    f.name = "ai_signal";
    f.version = "1";
    f.sha256.fill(0xab);
    f.rows = outputs.empty() ? 0 : 1;
    f.row_elements = static_cast<uint32_t>(outputs.size());
    std::vector<std::byte> out(infer_reply_size(f));
    ASSERT_GT(encode_infer_reply(out, f, outputs), 0u);
    Send(out);
  }
  void Refuse(uint64_t request_id) {
    std::vector<std::byte> out(1024);
    const size_t n =
        encode_error_reply(out, request_id, DecodeError::at("rows", 28, "is out of range"));
    ASSERT_GT(n, 0u);
    out.resize(n);
    Send(out);
  }

 private:
  void Send(const std::vector<std::byte>& frame) {
    router_.send(zmq::buffer(identity_.data(), identity_.size()), zmq::send_flags::sndmore);
    router_.send(zmq::buffer(frame.data(), frame.size()));
  }

  zmq::context_t context_{1};
  zmq::socket_t router_;
  zmq::message_t identity_;
  std::vector<std::byte> bytes_;
};

TEST(ServiceSignalsTest, AnswersCarryTheStrategysStatusTheModelAndTheLatency) {
  test::TempDir dir("guiju-service-signals");
  const std::string endpoint = "ipc://" + (dir.path() / "inferd.ipc").string();
  StandIn service(endpoint);
  SpscRing<EventSlot> replies(64, BackPressure::kFail, "replies");
  ServiceSignals signals(ServiceConfig(endpoint), replies);

  // ZeroMQ connects in the background; until it has, requests are not sent (and not answered).
  uint64_t id = 0;
  std::optional<InferRequestFields> first;
  for (int attempt = 0; attempt < 100 && !first; ++attempt) {
    ASSERT_TRUE(signals.send(Request(++id, 10 * kSecond)));
    first = service.Receive(200ms);
  }
  ASSERT_TRUE(first.has_value()) << "the client never reached the stand-in";
  EXPECT_EQ(first->name, "ai_signal");
  EXPECT_EQ(first->version, "1");
  EXPECT_EQ(first->rows, 1u);
  EXPECT_EQ(first->row_elements, 16u);
  EXPECT_GT(first->deadline_ns, utc_now()) << "the deadline, in Unix epoch ns";
  const uint64_t unsent = signals.counts().unavailable;
  EXPECT_EQ(unsent, id - 1);
  service.Answer(first->request_id, ReplyStatus::kOk, {0.25f, 0.5f, 0.25f});
  std::optional<SignalReply> reply = NextReply(replies, 2000ms);
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->request_id, first->request_id);
  EXPECT_EQ(reply->status, SignalStatus::kOk);
  EXPECT_EQ(reply->model_id, 1u);
  EXPECT_EQ(reply->header.source, 3u);
  ASSERT_EQ(reply->output_count, 3u);
  EXPECT_EQ(reply->outputs[1], 0.5f);
  EXPECT_EQ(reply->model_name.view(), "ai_signal");
  EXPECT_EQ(reply->model_version.view(), "1");
  EXPECT_EQ(reply->model_sha256[31], 0xab);
  EXPECT_GT(reply->latency, 0);

  const std::pair<ReplyStatus, SignalStatus> mapping[] = {
      {ReplyStatus::kExpired, SignalStatus::kDeadlineMissed},
      {ReplyStatus::kOverloaded, SignalStatus::kOverloaded},
      {ReplyStatus::kUnknownModel, SignalStatus::kUnknownModel},
      {ReplyStatus::kBadRequest, SignalStatus::kModelError},
      {ReplyStatus::kModelError, SignalStatus::kModelError},
      {ReplyStatus::kUnavailable, SignalStatus::kUnavailable},
  };
  for (const auto& [wire, expected] : mapping) {
    ASSERT_TRUE(signals.send(Request(++id, 10 * kSecond)));
    const std::optional<InferRequestFields> r = service.Receive(2000ms);
    ASSERT_TRUE(r.has_value());
    service.Answer(r->request_id, wire);
    reply = NextReply(replies, 2000ms);
    ASSERT_TRUE(reply.has_value()) << to_string(wire);
    EXPECT_EQ(reply->status, expected) << to_string(wire);
    EXPECT_EQ(reply->output_count, 0u);
  }

  // The service could not decode a request of ours: the strategy hears model_error at once.
  ASSERT_TRUE(signals.send(Request(++id, 10 * kSecond)));
  std::optional<InferRequestFields> r = service.Receive(2000ms);
  ASSERT_TRUE(r.has_value());
  service.Refuse(r->request_id);
  reply = NextReply(replies, 2000ms);
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->request_id, r->request_id);
  EXPECT_EQ(reply->status, SignalStatus::kModelError);

  // An answer after the deadline, and an answer to nothing asked: dropped and counted.
  ASSERT_TRUE(signals.send(Request(++id, 20 * kMillisecond)));
  r = service.Receive(2000ms);
  ASSERT_TRUE(r.has_value());
  std::this_thread::sleep_for(40ms);
  service.Answer(r->request_id, ReplyStatus::kOk, {0.1f, 0.2f, 0.7f});
  service.Answer(r->request_id + 1000, ReplyStatus::kOk, {0.1f, 0.2f, 0.7f});
  EXPECT_FALSE(NextReply(replies, 200ms).has_value()) << "nothing late is delivered";

  const ServiceSignalCounts c = signals.counts();
  EXPECT_EQ(c.sent, 9u);
  EXPECT_EQ(c.answered, 1u);
  EXPECT_EQ(c.expired, 1u);
  EXPECT_EQ(c.overloaded, 1u);
  EXPECT_EQ(c.unavailable, unsent + 1);
  EXPECT_EQ(c.errors, 4u);  // unknown model, bad request, model error, the refused request
  EXPECT_EQ(c.late_dropped, 2u);
}

TEST(ServiceSignalsTest, WithNobodyThereNothingIsSentAndAFullRingIsAnsweredOverloaded) {
  test::TempDir dir("guiju-service-signals");
  const std::string endpoint = "ipc://" + (dir.path() / "nobody.ipc").string();
  SpscRing<EventSlot> replies(2, BackPressure::kFail, "replies");
  ServiceSignals signals(ServiceConfig(endpoint, 2), replies);

  // A request with a deadline waits for the engine's expiry; one without is told now.
  ASSERT_TRUE(signals.send(Request(1, 10 * kMillisecond)));
  ASSERT_TRUE(signals.send(Request(2, 0)));
  std::optional<SignalReply> reply = NextReply(replies, 2000ms);
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->request_id, 2u);
  EXPECT_EQ(reply->status, SignalStatus::kUnavailable);
  EXPECT_EQ(reply->model_name.view(), "ai_signal");
  EXPECT_EQ(signals.counts().unavailable, 2u);
  EXPECT_EQ(signals.counts().sent, 0u);

  // Answers the engine does not read (an unknown model's, at once) fill its ring of 2; the
  // client thread waits on it, its own ring of 2 fills, and send() refuses through the
  // refusals ring (2), then outright.
  uint64_t id = 10;
  size_t accepted = 0;
  bool refused = false;
  for (int i = 0; i < 1000 && !refused; ++i) {
    refused = !signals.send(Request(++id, 0, 99));
    accepted += refused ? 0 : 1;
    std::this_thread::sleep_for(1ms);
  }
  ASSERT_TRUE(refused);
  EXPECT_EQ(signals.counts().overloaded, 2u);
  std::vector<SignalReply> refusals;
  EventSlot slot;
  while (signals.refusals().try_pop(slot)) refusals.push_back(slot.as<SignalReply>());
  ASSERT_EQ(refusals.size(), 2u);
  for (const SignalReply& r : refusals) {
    EXPECT_EQ(r.status, SignalStatus::kOverloaded);
    EXPECT_EQ(r.model_id, 99u);
    EXPECT_GT(r.request_id, 10u);
  }
  // The engine reads again: every request the client took is answered, unknown model.
  size_t unknown = 0;
  while (std::optional<SignalReply> r = NextReply(replies, 200ms)) {
    EXPECT_EQ(r->status, SignalStatus::kUnknownModel);
    ++unknown;
  }
  EXPECT_EQ(unknown + refusals.size(), accepted);
}

}  // namespace
}  // namespace guiju::inference
