#pragma once
// The engine's inference backends: where its strategies' signal requests go (core/engine/
// signal_sink.hpp) and how the replies come back (an SPSC ring the engine reads, like any other
// input, so every reply is journaled in engine order and a re-run replays it).
//
//   InlineSignals     replay: answers on the engine thread at once, so a replay decides the same
//                     way every time (a reply's latency is recorded as 0);
//   EmbeddedSignals   live and paper: a worker thread of this process with the models loaded,
//                     batching what is queued, never computing a request past its deadline;
//   RecordedSignals   re-run: accepts every request and answers none; the journal's replies are
//                     the answers.

#include <atomic>
#include <thread>
#include <vector>

#include "adapters/inference/model_set.hpp"
#include "core/bus/spsc_ring.hpp"
#include "core/engine/signal_sink.hpp"
#include "core/events/event_slot.hpp"

namespace guiju::inference {

class InlineSignals final : public SignalSink {
 public:
  InlineSignals(ModelSet& models, SpscRing<EventSlot>& replies)
      : models_(models), replies_(replies) {}
  bool send(const SignalRequest& request) override;

 private:
  ModelSet& models_;
  SpscRing<EventSlot>& replies_;
};

class EmbeddedSignals final : public SignalSink {
 public:
  // queue_capacity: requests in flight (a power of two); a request beyond it is refused at once.
  EmbeddedSignals(ModelSet& models, SpscRing<EventSlot>& replies, size_t queue_capacity);
  ~EmbeddedSignals() override;
  EmbeddedSignals(const EmbeddedSignals&) = delete;
  EmbeddedSignals& operator=(const EmbeddedSignals&) = delete;

  // The engine thread: queues the request (never blocks); false when the queue is full.
  bool send(const SignalRequest& request) override;

  uint64_t answered() const { return answered_.load(std::memory_order_relaxed); }
  uint64_t expired() const { return expired_.load(std::memory_order_relaxed); }

 private:
  void run();
  // Answers the queued requests (already popped into batch_), grouped by model.
  void answer(std::vector<SignalRequest>& batch);
  void reply(SignalReply& reply, const SignalRequest& request);

  ModelSet& models_;
  SpscRing<EventSlot>& replies_;
  SpscRing<SignalRequest> requests_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> answered_{0};
  std::atomic<uint64_t> expired_{0};
  // The worker's own, sized at construction: no allocation while it serves.
  std::vector<SignalRequest> batch_;
  std::vector<const SignalRequest*> group_;
  std::vector<SignalReply> group_replies_;
  std::thread worker_;
};

class RecordedSignals final : public SignalSink {
 public:
  bool send(const SignalRequest& /*request*/) override { return true; }
};

}  // namespace guiju::inference
