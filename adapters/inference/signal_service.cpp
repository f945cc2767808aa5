#include "adapters/inference/signal_service.hpp"

#include <algorithm>
#include <bit>
#include <chrono>

#include "core/bus/cpu_relax.hpp"
#include "core/clock/clock.hpp"

namespace guiju::inference {

namespace {

// Hands a reply to the engine. Its ring is sized for every request in flight, so it is full only
// when the engine has stopped reading; a reply is not dropped for that, it waits.
void deliver(SpscRing<EventSlot>& ring, const SignalReply& reply, const std::atomic<bool>* stop) {
  EventSlot slot;
  slot.store(reply);
  while (!ring.try_push(slot)) {
    if (stop && stop->load(std::memory_order_relaxed)) return;
    std::this_thread::yield();
  }
}

}  // namespace

bool InlineSignals::send(const SignalRequest& request) {
  SignalReply reply;
  // Replay time: the reply is stamped with the request's instant and a latency of zero, so a
  // replay decides the same way on any machine.
  reply.header = make_header<SignalReply>(request.header.event_time, request.header.event_time,
                                          request.header.source);
  ModelSet::Model* model = models_.find(request.model_id);
  if (model == nullptr) {
    models_.refuse(request, SignalStatus::kUnknownModel, reply);
  } else {
    const SignalRequest* one[] = {&request};
    models_.answer(*model, one, std::span<SignalReply>(&reply, 1));
  }
  EventSlot slot;
  slot.store(reply);
  return replies_.try_push(slot);
}

EmbeddedSignals::EmbeddedSignals(ModelSet& models, SpscRing<EventSlot>& replies,
                                 size_t queue_capacity)
    : models_(models),
      replies_(replies),
      requests_(std::bit_ceil(std::max<size_t>(queue_capacity, 2)), BackPressure::kFail,
                "signal-requests") {
  size_t widest = 1;
  for (const ModelSet::Model& m : models_.models()) widest = std::max(widest, m.config.max_batch);
  batch_.reserve(requests_.capacity());
  group_.reserve(requests_.capacity());
  group_replies_.resize(widest);
  worker_ = std::thread([this] { run(); });
}

EmbeddedSignals::~EmbeddedSignals() {
  stop_.store(true, std::memory_order_release);
  worker_.join();
}

bool EmbeddedSignals::send(const SignalRequest& request) {
  return requests_.try_push(request);
}

void EmbeddedSignals::run() {
  // Spin while requests come (a signal is worth something only within microseconds), then back
  // off to yielding and short sleeps, so that an idle service does not hold a core.
  uint32_t idle = 0;
  while (!stop_.load(std::memory_order_acquire)) {
    batch_.clear();
    requests_.pop_batch([&](const SignalRequest& r) { batch_.push_back(r); }, batch_.capacity());
    if (batch_.empty()) {
      if (++idle < 2048) {
        cpu_relax();
      } else if (idle < 4096) {
        std::this_thread::yield();
      } else {
        std::this_thread::sleep_for(std::chrono::microseconds(50));
      }
      continue;
    }
    idle = 0;
    answer(batch_);
  }
}

void EmbeddedSignals::reply(SignalReply& r, const SignalRequest& request) {
  const Timestamp now = utc_now();
  r.header = make_header<SignalReply>(now, now, request.header.source);
  r.latency = now - request.header.event_time;
  answered_.fetch_add(1, std::memory_order_relaxed);
  deliver(replies_, r, &stop_);
}

void EmbeddedSignals::answer(std::vector<SignalRequest>& batch) {
  // Requests past their deadline are answered as such and never computed: a late signal is
  // worse than none, and computing it would delay the ones still in time.
  const Timestamp now = utc_now();
  for (const SignalRequest& r : batch) {
    if (r.deadline != 0 && now > r.deadline) {
      SignalReply expired;
      models_.refuse(r, SignalStatus::kDeadlineMissed, expired);
      expired_.fetch_add(1, std::memory_order_relaxed);
      reply(expired, r);
    } else if (models_.find(r.model_id) == nullptr) {
      SignalReply unknown;
      models_.refuse(r, SignalStatus::kUnknownModel, unknown);
      reply(unknown, r);
    }
  }
  // The rest, one batch per model (at most its max_batch rows), in arrival order.
  for (const ModelSet::Model& listed : models_.models()) {
    ModelSet::Model& model = *models_.find(listed.id);
    group_.clear();
    for (const SignalRequest& r : batch) {
      if (r.model_id == model.id && (r.deadline == 0 || now <= r.deadline)) group_.push_back(&r);
    }
    for (size_t at = 0; at < group_.size(); at += model.config.max_batch) {
      const size_t n = std::min(model.config.max_batch, group_.size() - at);
      const std::span<SignalReply> replies(group_replies_.data(), n);
      std::fill(replies.begin(), replies.end(), SignalReply{});
      models_.answer(model, std::span<const SignalRequest* const>(group_.data() + at, n), replies);
      for (size_t i = 0; i < n; ++i) reply(replies[i], *group_[at + i]);
    }
  }
}

}  // namespace guiju::inference
