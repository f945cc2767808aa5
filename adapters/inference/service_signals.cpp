#include "adapters/inference/service_signals.hpp"

#include <poll.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <span>
#include <stdexcept>

#include "core/bus/cpu_relax.hpp"
#include "core/clock/clock.hpp"
#include "core/logging/log.hpp"

namespace guiju::inference {

namespace {

// Room for many times the requests the engine keeps pending, so that a slot is reused only long
// after its request's deadline.
constexpr size_t kMinInFlightSlots = 16384;
// How long the client thread keeps looking (at the ring and the socket) before it parks: answers
// that follow their request closely cost no wake-up. Short, because a spinning thread holds a
// core the engine and the service may need more (each look at the socket is a system call).
constexpr auto kSpinBeforePark = std::chrono::microseconds(20);
// A parked client thread looks again after this even when nothing woke it.
constexpr Duration kParkLimit = 100 * kMillisecond;
constexpr uint32_t kProblemsLogged = 8;

// In live and paper runs the engine's clock is CLOCK_REALTIME in ns since the Unix epoch
// (LiveClock), the clock the protocol's deadlines are in; 0 means none in both.
int64_t wire_deadline(Timestamp deadline) {
  return deadline;
}

SignalStatus to_signal_status(ReplyStatus status) {
  switch (status) {
    case ReplyStatus::kOk:
      return SignalStatus::kOk;
    case ReplyStatus::kExpired:
      return SignalStatus::kDeadlineMissed;
    case ReplyStatus::kOverloaded:
      return SignalStatus::kOverloaded;
    case ReplyStatus::kUnknownModel:
      return SignalStatus::kUnknownModel;
    case ReplyStatus::kBadRequest:
    case ReplyStatus::kModelError:
      return SignalStatus::kModelError;
    case ReplyStatus::kUnavailable:
      return SignalStatus::kUnavailable;
  }
  return SignalStatus::kModelError;  // a status this build does not know
}

std::string hex(const std::array<uint8_t, 32>& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0xf];
  }
  return out;
}

}  // namespace

ServiceSignals::ServiceSignals(const InferenceConfig& config, SpscRing<EventSlot>& replies)
    : endpoint_(config.service),
      replies_(replies),
      requests_(std::bit_ceil(std::max<size_t>(config.queue_capacity, 2)), BackPressure::kFail,
                "signal-requests"),
      refusals_(std::bit_ceil(std::max<size_t>(config.queue_capacity, 2)), BackPressure::kFail,
                "signal-refusals"),
      client_(config.service,
              InferClientOptions{.send_high_water_mark = static_cast<int>(
                                     std::min<uint32_t>(config.queue_capacity, 1'000'000)),
                                 .receive_high_water_mark = 10'000,
                                 .max_request_bytes = 4096,
                                 .immediate = true}),
      in_flight_(
          std::bit_ceil(std::max<size_t>(kMinInFlightSlots, size_t{4} * config.queue_capacity))) {
  for (const InferenceModelConfig& m : config.models) models_.push_back({m.id, m.name, m.version});
  requests_.set_doorbell(&doorbell_);
  probe(std::chrono::milliseconds(config.connect_timeout_ms));
  worker_ = std::thread([this] { run(); });
}

ServiceSignals::~ServiceSignals() {
  stop_.store(true, std::memory_order_release);
  doorbell_.ring();
  worker_.join();
}

bool ServiceSignals::send(const SignalRequest& request) {
  if (requests_.try_push(request)) return true;
  // The client thread is behind: say so at once, as an input the engine reads at its next poll
  // (journaled like any answer, so a re-run sees the same refusal at the same point).
  SignalReply reply;
  reply.header = make_header<SignalReply>(request.header.event_time, request.header.event_time,
                                          request.header.source);
  reply.request_id = request.request_id;
  reply.model_id = request.model_id;
  reply.status = SignalStatus::kOverloaded;
  EventSlot slot;
  slot.store(reply);
  if (!refusals_.try_push(slot)) return false;  // the strategy learns it from request id 0
  refused_.fetch_add(1, std::memory_order_relaxed);
  return true;
}

ServiceSignalCounts ServiceSignals::counts() const {
  ServiceSignalCounts c;
  c.sent = sent_.load(std::memory_order_relaxed);
  c.answered = answered_.load(std::memory_order_relaxed);
  c.expired = expired_.load(std::memory_order_relaxed);
  c.overloaded =
      overloaded_.load(std::memory_order_relaxed) + refused_.load(std::memory_order_relaxed);
  c.unavailable = unavailable_.load(std::memory_order_relaxed);
  c.errors = errors_.load(std::memory_order_relaxed);
  c.late_dropped = late_.load(std::memory_order_relaxed);
  return c;
}

const ServiceSignals::Model* ServiceSignals::find(uint32_t model_id) const {
  for (const Model& m : models_) {
    if (m.id == model_id) return &m;
  }
  return nullptr;
}

void ServiceSignals::probe(std::chrono::milliseconds timeout) {
  if (timeout.count() == 0) return;
  const auto until = std::chrono::steady_clock::now() + timeout;
  // With ZMQ_IMMEDIATE nothing is queued before the connection is up: retry until it is.
  AdminRequestView list;
  list.request_id = 1;
  list.command = AdminCommand::kList;
  bool sent = false;
  while (!(sent = client_.send_admin(list)) && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  bool answered = false;
  while (sent && !answered && std::chrono::steady_clock::now() < until) {
    client_.wait(std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now()));
    client_.poll_replies([&](const ClientReply& r) {
      if (r.undecodable || r.kind != MessageKind::kAdminReply || r.admin == nullptr) return;
      answered = true;
      std::string served;
      for (const ModelEntry& e : r.admin->models) {
        served += (served.empty() ? "" : ", ") + e.name + " " + e.version + " (" +
                  hex(e.sha256).substr(0, 12) + ")";
      }
      log().info("inference service {}: serving {}", endpoint_,
                 served.empty() ? "no model" : served);
      for (const Model& m : models_) {
        const bool found =
            std::any_of(r.admin->models.begin(), r.admin->models.end(), [&](const ModelEntry& e) {
              return e.name == m.name && (m.version.empty() || e.version == m.version) &&
                     e.state == ModelState::kReady;
            });
        if (!found) {
          log().warn(
              "inference service {}: model {} ({} {}) is not served there: its requests will be "
              "answered unknown model until it is loaded",
              endpoint_, m.id, m.name, m.version.empty() ? "latest" : m.version);
        }
      }
    });
  }
  if (!answered) {
    log().warn(
        "inference service {}: no answer within {} ms; trading starts anyway, and signal "
        "requests time out until the service answers",
        endpoint_, timeout.count());
  }
}

void ServiceSignals::run() {
  const size_t batch = requests_.capacity();
  bool idle = false;
  auto idle_since = std::chrono::steady_clock::time_point{};
  while (!stop_.load(std::memory_order_acquire)) {
    size_t work = requests_.pop_batch([this](const SignalRequest& r) { forward(r); }, batch);
    work += client_.poll_replies([this](const ClientReply& r) { on_reply(r); }, batch);
    if (work != 0) {
      idle = false;
      continue;
    }
    const auto now = std::chrono::steady_clock::now();
    if (!idle) {
      idle = true;
      idle_since = now;
    }
    if (now - idle_since < kSpinBeforePark) {
      cpu_relax();
      continue;
    }
    // Park until the engine queues a request (its send rings the doorbell) or the socket has a
    // reply. The checks after prepare() close the race with both.
    const uint32_t ticket = doorbell_.prepare();
    if (stop_.load(std::memory_order_acquire) || requests_.front() != nullptr ||
        client_.readable()) {
      doorbell_.cancel();
    } else {
      pollfd socket{client_.fd(), POLLIN, 0};
      doorbell_.park(ticket, kParkLimit, std::span<pollfd>(&socket, 1));
    }
    idle = false;
  }
}

void ServiceSignals::forward(const SignalRequest& request) {
  const Model* model = find(request.model_id);
  if (model == nullptr) {
    errors_.fetch_add(1, std::memory_order_relaxed);
    answer_locally(request, SignalStatus::kUnknownModel);
    return;
  }
  if (request.input_count == 0 || request.input_count > kMaxSignalInputs) {
    errors_.fetch_add(1, std::memory_order_relaxed);
    answer_locally(request, SignalStatus::kModelError);
    return;
  }
  InferRequestFields fields;
  fields.request_id = request.request_id;
  fields.deadline_ns = wire_deadline(request.deadline);
  fields.name = model->name;
  fields.version = model->version;
  fields.rows = 1;
  fields.row_elements = request.input_count;
  if (!client_.send(fields, std::span<const float>(request.inputs.data(), request.input_count))) {
    // No service connected (or its queue is full): no answer will come. The engine's deadline
    // expiry tells the strategy; without a deadline nothing would, so it is told now.
    unavailable_.fetch_add(1, std::memory_order_relaxed);
    if (request.deadline == 0) answer_locally(request, SignalStatus::kUnavailable);
    return;
  }
  sent_.fetch_add(1, std::memory_order_relaxed);
  InFlight& f = in_flight(request.request_id);
  f.request_id = request.request_id;
  f.requested = request.header.event_time;
  f.deadline = request.deadline;
  f.model_id = request.model_id;
  f.source = request.header.source;
}

void ServiceSignals::on_reply(const ClientReply& reply) {
  if (reply.undecodable) {
    errors_.fetch_add(1, std::memory_order_relaxed);
    if (logged_problems_++ < kProblemsLogged) {
      log().warn("inference service {}: a reply that does not decode: {} at byte {}: {}", endpoint_,
                 reply.undecodable.field, reply.undecodable.offset, reply.undecodable.problem);
    }
    return;
  }
  switch (reply.kind) {
    case MessageKind::kInferReply:
      on_infer_reply(reply.infer);
      return;
    case MessageKind::kErrorReply: {
      // The service could not decode a request of ours: a bug on one side, answered as the
      // model's error so that the strategy is not left waiting for its deadline.
      errors_.fetch_add(1, std::memory_order_relaxed);
      if (logged_problems_++ < kProblemsLogged) {
        log().warn("inference service {}: request {} refused: {}: {}", endpoint_,
                   reply.error.request_id, reply.error.field, reply.error.message);
      }
      InFlight& f = in_flight(reply.error.request_id);
      if (f.request_id == 0 || f.request_id != reply.error.request_id) return;
      SignalRequest request;
      request.header.event_time = f.requested;
      request.header.source = f.source;
      request.request_id = f.request_id;
      request.model_id = f.model_id;
      f.request_id = 0;
      answer_locally(request, SignalStatus::kModelError);
      return;
    }
    case MessageKind::kAdminReply:  // the start's probe answered late: nothing to do
    case MessageKind::kInferRequest:
    case MessageKind::kAdminRequest:
      return;
  }
}

void ServiceSignals::on_infer_reply(const InferReplyView& view) {
  const InferReplyFields& r = view.fields;
  InFlight& f = in_flight(r.request_id);
  const Timestamp now = utc_now();
  switch (r.status) {
    case ReplyStatus::kOk:
      break;
    case ReplyStatus::kExpired:
      expired_.fetch_add(1, std::memory_order_relaxed);
      break;
    case ReplyStatus::kOverloaded:
      overloaded_.fetch_add(1, std::memory_order_relaxed);
      break;
    case ReplyStatus::kUnavailable:
      unavailable_.fetch_add(1, std::memory_order_relaxed);
      break;
    case ReplyStatus::kUnknownModel:
    case ReplyStatus::kBadRequest:
    case ReplyStatus::kModelError:
      errors_.fetch_add(1, std::memory_order_relaxed);
      break;
  }
  if (f.request_id == 0 || f.request_id != r.request_id) {
    late_.fetch_add(1, std::memory_order_relaxed);  // not in flight: answered, or long gone
    return;
  }
  f.request_id = 0;
  if (f.deadline != 0 && now > f.deadline) {
    // The engine has expired it (or will at its next look): the strategy has its timeout, and
    // a late answer is never delivered.
    late_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  SignalReply reply;
  reply.header = make_header<SignalReply>(now, now, f.source);
  reply.request_id = r.request_id;
  reply.model_id = f.model_id;
  reply.status = to_signal_status(r.status);
  reply.latency = now - f.requested;
  reply.model_name.assign(r.name);
  reply.model_version.assign(r.version);
  reply.model_sha256 = r.sha256;
  if (reply.status == SignalStatus::kOk) {
    if (r.rows != 1 || r.row_elements == 0 || r.row_elements > kMaxSignalOutputs) {
      // Not a signal's answer: one row of at most kMaxSignalOutputs.
      reply.status = SignalStatus::kModelError;
      errors_.fetch_add(1, std::memory_order_relaxed);
    } else {
      view.copy_data(reply.outputs.data());
      reply.output_count = static_cast<uint16_t>(r.row_elements);
      answered_.fetch_add(1, std::memory_order_relaxed);
    }
  }
  deliver(reply);
}

void ServiceSignals::answer_locally(const SignalRequest& request, SignalStatus status) {
  const Timestamp now = utc_now();
  SignalReply reply;
  reply.header = make_header<SignalReply>(now, now, request.header.source);
  reply.request_id = request.request_id;
  reply.model_id = request.model_id;
  reply.status = status;
  reply.latency = now - request.header.event_time;
  if (const Model* m = find(request.model_id)) {
    reply.model_name.assign(m->name);
    reply.model_version.assign(m->version);
  }
  deliver(reply);
}

void ServiceSignals::deliver(const SignalReply& reply) {
  // The replies ring holds every request in flight, so it is full only while the engine is not
  // reading; the reply waits rather than being lost.
  EventSlot slot;
  slot.store(reply);
  while (!replies_.try_push(slot)) {
    if (stop_.load(std::memory_order_relaxed)) return;
    std::this_thread::yield();
  }
}

}  // namespace guiju::inference
