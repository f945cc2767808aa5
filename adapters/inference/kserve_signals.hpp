#pragma once
// The engine's client of a KServe v2 / Open Inference Protocol server over HTTP: guiju-inferd's
// HTTP front end, or an NVIDIA Triton server (`inference.service: http://HOST:PORT`).
//
// The engine thread's send() only pushes the request into an SPSC ring (and, when the client
// thread has drained everything, writes an eventfd to wake it): it never blocks and never
// allocates. The client thread owns the HTTP connections (Boost.Beast, keep-alive, reconnecting
// with a growing pause), one request in flight per connection. It reads each configured model's
// metadata once (its input and output tensors, as a Triton client does), then sends the requests
// queued for a model together, as one infer request of several rows, and pushes one SignalReply
// per request into the engine's replies ring, as EmbeddedSignals does.
//
// Deadlines. A request whose deadline has passed before it could be sent is never sent and never
// answered: the engine reports it timed out on its own (Engine::expire_signals). Requests sent
// together carry the latest of their deadlines as the infer request's `timeout` parameter
// (microseconds, Triton's name; guiju-inferd answers 504 when it expires). While the server cannot
// be reached, requests wait for a reconnect until their deadline passes; a request on a
// connection that fails is sent again on the next, so a reply is delivered at most once, and only
// when a response for it arrived.
//
// Replies name the model by the response's model_name and model_version, and by the SHA-256 of
// its file from the response's parameters.sha256 (guiju-inferd sends it; Triton does not: the
// SHA-256 is then left zero and the audit record names the model by name and version only).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "core/bus/spsc_ring.hpp"
#include "core/config/engine_config.hpp"
#include "core/engine/signal_sink.hpp"
#include "core/events/event_slot.hpp"

namespace guiju::inference {

struct KServeOptions {
  std::string host;
  std::string port;
  size_t connections = 4;        // requests in flight at once
  size_t queue_capacity = 4096;  // requests queued in the client; more are refused at once
  size_t max_rows = 64;          // requests of one model sent together, at most
  std::chrono::milliseconds io_timeout{5'000};  // a connect, or a request's round trip
  std::chrono::milliseconds reconnect_min{50};
  std::chrono::milliseconds reconnect_max{1'000};
};

// "http://HOST:PORT" (HOST a name, an IPv4 address or [IPv6]). False, with why in error, when it
// is not one.
bool parse_http_service(std::string_view text, std::string& host, std::string& port,
                        std::string& error);

struct KServeCounters {
  std::atomic<uint64_t> answered{0};  // replies delivered
  std::atomic<uint64_t> expired{0};   // deadline passed before sending: never answered
  std::atomic<uint64_t> resent{0};    // sent again after a connection failed
  std::atomic<uint64_t> connect_failures{0};
};

class KServeSignals final : public SignalSink {
 public:
  // Starts the client thread, which connects in the background.
  KServeSignals(const InferenceConfig& config, SpscRing<EventSlot>& replies, KServeOptions options);
  ~KServeSignals() override;
  KServeSignals(const KServeSignals&) = delete;
  KServeSignals& operator=(const KServeSignals&) = delete;

  // The engine thread: queues the request; false when the queue is full. Never blocks.
  bool send(const SignalRequest& request) override;

  const KServeCounters& counters() const { return counters_; }

  class Client;

 private:
  void wake();

  SpscRing<SignalRequest> requests_;
  KServeCounters counters_;
  int event_fd_ = -1;
  std::atomic<bool> wake_pending_{false};
  std::unique_ptr<Client> client_;
  std::thread thread_;
};

}  // namespace guiju::inference
