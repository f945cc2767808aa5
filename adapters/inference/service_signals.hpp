#pragma once
// The engine's client of guiju-inferd (docs/inference.md, "The engine with a service"): strategies'
// signal requests go to the service over ZeroMQ and its answers come back on the engine's replies
// ring, the same ring and path the embedded backend uses, so journaling, re-runs and strategy
// callbacks do not change.
//
// Two threads. The engine thread's send() only pushes the request into an SPSC ring (no lock, no
// allocation, no system call unless the client thread is parked, when it rings its doorbell).
// The client thread owns the DEALER socket: it maps the model id to the service's name and
// version, sends, matches replies to requests, and hands each answer to the engine.
//
// Faults. A request that cannot be sent (no service connected, or its queue full) gets no
// answer: the engine's own deadline expiry tells the strategy (on_signal_timeout), and trading
// goes on. A reply that arrives after its deadline is dropped and counted, never delivered: the
// engine has expired the request, or is about to. A request the ring cannot take is answered
// overloaded at once, through a ring the engine thread fills and drains itself, so the refusal is
// an input like any answer: journaled, and replayed by a re-run.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/bus/doorbell.hpp"
#include "core/bus/spsc_ring.hpp"
#include "core/config/engine_config.hpp"
#include "core/engine/signal_sink.hpp"
#include "core/events/event_slot.hpp"
#include "inference/client/infer_client.hpp"

namespace guiju::inference {

// What the client has done; each a running total, readable from any thread.
struct ServiceSignalCounts {
  uint64_t sent = 0;          // requests handed to the service
  uint64_t answered = 0;      // replies with status ok delivered to the engine in time
  uint64_t expired = 0;       // answered expired by the service (its queue held them too long)
  uint64_t overloaded = 0;    // refused: by the service, or here when the request ring was full
  uint64_t unavailable = 0;   // not sent (no service connected), or answered unavailable
  uint64_t errors = 0;        // unknown model, bad request, model error, undecodable replies
  uint64_t late_dropped = 0;  // replies after their deadline, or to no request in flight
};

class ServiceSignals final : public SignalSink {
 public:
  // Connects to config.service (ZeroMQ connects in the background) and asks the service which
  // models it serves, waiting up to config.connect_timeout_ms for the answer: what it serves is
  // logged, and so is a configured model it does not serve, or a service that does not answer.
  // The run starts either way. `replies` is the engine's replies ring (this class's client
  // thread is its one producer); refusals() must be added to the engine's inbound rings too.
  // Throws std::runtime_error naming the endpoint when ZeroMQ refuses it.
  ServiceSignals(const InferenceConfig& config, SpscRing<EventSlot>& replies);
  ~ServiceSignals() override;
  ServiceSignals(const ServiceSignals&) = delete;
  ServiceSignals& operator=(const ServiceSignals&) = delete;

  // The engine thread: queues the request for the client thread. Never blocks, never allocates.
  bool send(const SignalRequest& request) override;

  // Local refusals, pushed and drained by the engine thread.
  SpscRing<EventSlot>& refusals() { return refusals_; }
  ServiceSignalCounts counts() const;
  const std::string& endpoint() const { return endpoint_; }

 private:
  struct Model {
    uint32_t id = 0;
    std::string name;
    std::string version;  // empty: the latest the service has
  };
  // A request sent and not yet answered, in a slot chosen by its id. A newer request may take
  // the slot of one the service never answered; that one's reply, if it ever comes, is unknown
  // and dropped (its deadline has long passed: the table holds many times the engine's pending
  // requests).
  struct InFlight {
    uint64_t request_id = 0;  // 0: free
    Timestamp requested = 0;  // the request's engine time, for the reply's latency
    Timestamp deadline = 0;
    uint32_t model_id = 0;
    SourceId source = 0;
  };

  void probe(std::chrono::milliseconds timeout);
  void run();
  void forward(const SignalRequest& request);
  void on_reply(const ClientReply& reply);
  void on_infer_reply(const InferReplyView& view);
  // A reply made here (refusal, unknown model, ...) for a request the service never saw.
  void answer_locally(const SignalRequest& request, SignalStatus status);
  void deliver(const SignalReply& reply);
  const Model* find(uint32_t model_id) const;
  InFlight& in_flight(uint64_t request_id) {
    return in_flight_[request_id & (in_flight_.size() - 1)];
  }

  std::string endpoint_;
  std::vector<Model> models_;
  SpscRing<EventSlot>& replies_;
  SpscRing<SignalRequest> requests_;
  SpscRing<EventSlot> refusals_;
  // The client thread parks on it (and on the socket) when idle; the engine rings it on send.
  Doorbell doorbell_{Doorbell::Kind::kPollable};
  InferClient client_;
  std::vector<InFlight> in_flight_;  // a power of two, made at construction
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> sent_{0};
  std::atomic<uint64_t> answered_{0};
  std::atomic<uint64_t> expired_{0};
  std::atomic<uint64_t> overloaded_{0};
  std::atomic<uint64_t> refused_{0};  // the engine thread's own: the ring was full
  std::atomic<uint64_t> unavailable_{0};
  std::atomic<uint64_t> errors_{0};
  std::atomic<uint64_t> late_{0};
  uint32_t logged_problems_ = 0;  // the first few odd replies are logged, the rest only counted
  std::thread worker_;
};

}  // namespace guiju::inference
