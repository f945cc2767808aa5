#include "inference/server/batcher.hpp"

#include <algorithm>
#include <cstring>
#include <exception>

#include "core/bus/cpu_relax.hpp"
#include "core/clock/clock.hpp"

namespace guiju::inference {
namespace {

// How long an idle serving thread of its own sleeps at most before it looks again (it is rung
// when a job or a load arrives, so this bounds only a missed ring, which the doorbell rules out).
constexpr int64_t kIdlePark = 100'000'000;

std::string model_text(std::string_view name, std::string_view version) {
  std::string s = "model ";
  s += name;
  if (!version.empty()) {
    s += " version ";
    s += version;
  }
  return s;
}

}  // namespace

Batcher::Batcher(BatcherOptions options) : options_(std::move(options)) {
  loader_ = std::make_unique<ModelLoader>(options_.repository, options_.queue_capacity, [this] {
    bell_.ring();
    if (waker_) waker_();
  });
}

Batcher::~Batcher() {
  if (thread_.joinable()) stop();
}

const ServedModel& Batcher::load_now(const std::string& name, const std::string& version) {
  return registry_.install(
      load_served_model(options_.repository, name, version, options_.queue_capacity));
}

SubmitPort& Batcher::add_port(size_t capacity) {
  ports_.push_back(std::make_unique<SubmitPort>(capacity));
  ports_.back()->ring_.set_doorbell(&bell_);
  return *ports_.back();
}

int64_t Batcher::poll() {
  for (const auto& port : ports_) {
    port->ring_.pop_batch([this](const InferJob& job) { accept(job); });
  }
  if (loader_->ready()) finish_loads();
  const int64_t now = monotonic_now();
  int64_t next_due = -1;
  for (const auto& m : registry_.models()) {
    ServedModel& model = *m;
    while (!model.queue.empty()) {
      const bool full = model.queue.rows() >= model.max_batch;
      const int64_t due = model.queue.front().received_ns + model.config.max_queue_delay_ns;
      if (!full && !draining_ && model.state == ModelState::kReady && now < due) {
        next_due = next_due < 0 ? due - now : std::min(next_due, due - now);
        break;
      }
      run_batch(model);
    }
  }
  if (!unloads_.empty()) finish_unloads();
  return next_due;
}

void Batcher::accept(const InferJob& job) {
  if (job.kind == JobKind::kAdmin) {
    admin(job);
    return;
  }
  if (draining_) {
    refuse(job, ReplyStatus::kUnavailable, nullptr);
    return;
  }
  ReplyStatus why = ReplyStatus::kUnknownModel;
  ServedModel* model = registry_.resolve(job.name.view(), job.version.view(), why);
  if (model == nullptr) {
    if (why == ReplyStatus::kUnknownModel) ++unknown_;
    refuse(job, why, nullptr);
    return;
  }
  if (job.row_elements != model->input_elements || job.rows == 0 || job.rows > model->max_batch) {
    ++model->counters.errors;
    refuse(job, ReplyStatus::kBadRequest, model);
    return;
  }
  if (!model->queue.push(job)) {
    ++model->counters.overloaded;
    refuse(job, ReplyStatus::kOverloaded, model);
  }
}

void Batcher::refuse(const InferJob& job, ReplyStatus status, const ServedModel* model) {
  InferOutcome o;
  o.request_id = job.request_id;
  o.tag = job.tag;
  o.status = status;
  if (model != nullptr) {
    o.name = model->name();
    o.version = model->version();
    o.sha256 = model->sha256;
  } else {
    o.name = job.name.view();
    o.version = job.version.view();
  }
  o.queue_ns = monotonic_now() - job.received_ns;
  job.completion->complete(o);
}

void Batcher::run_batch(ServedModel& model) {
  // Requests past their deadline are answered expired here, in queue order, and never computed.
  const Timestamp now = utc_now();
  const int64_t started = monotonic_now();
  model.batch.clear();
  size_t rows = 0;
  while (!model.queue.empty()) {
    const InferJob& job = model.queue.front();
    if (job.deadline_ns != 0 && now > job.deadline_ns) {
      ++model.counters.expired;
      refuse(job, ReplyStatus::kExpired, &model);
      model.queue.pop();
      continue;
    }
    if (rows + job.rows > model.max_batch) break;
    std::memcpy(model.inputs.data() + rows * model.input_elements, job.data,
                sizeof(float) * job.rows * model.input_elements);
    rows += job.rows;
    model.batch.push_back(job);
    model.queue.pop();
  }
  if (model.batch.empty()) return;
  const float* in[] = {model.inputs.data()};
  float* out[] = {model.outputs.data()};
  ReplyStatus status = ReplyStatus::kOk;
  try {
    model.executor->run(Batch{rows, in, out});
  } catch (const std::exception&) {
    status = ReplyStatus::kModelError;
  }
  const int64_t finished = monotonic_now();
  size_t row = 0;
  for (const InferJob& job : model.batch) {
    InferOutcome o;
    o.request_id = job.request_id;
    o.tag = job.tag;
    o.status = status;
    o.name = model.name();
    o.version = model.version();
    o.sha256 = model.sha256;
    o.queue_ns = started - job.received_ns;
    o.compute_ns = finished - started;
    if (status == ReplyStatus::kOk) {
      o.rows = job.rows;
      o.row_elements = model.output_elements;
      o.outputs = std::span<const float>(model.outputs.data() + row * model.output_elements,
                                         size_t{job.rows} * model.output_elements);
      ++model.counters.answered;
    } else {
      ++model.counters.errors;
    }
    row += job.rows;
    job.completion->complete(o);
  }
}

void Batcher::answer_admin(const InferJob& job, ReplyStatus status, std::string message) {
  AdminReply reply;
  reply.request_id = job.request_id;
  reply.command = job.command;
  reply.status = status;
  reply.message = std::move(message);
  job.completion->complete_admin(job.tag, reply);
}

void Batcher::admin(const InferJob& job) {
  const std::string what = model_text(job.name.view(), job.version.view());
  switch (job.command) {
    case AdminCommand::kHealth: {
      if (draining_) {
        answer_admin(job, ReplyStatus::kUnavailable, "stopping");
      } else {
        answer_admin(job, ReplyStatus::kOk,
                     "serving " + std::to_string(registry_.models().size()) + " model versions");
      }
      return;
    }
    case AdminCommand::kList: {
      AdminReply reply;
      reply.request_id = job.request_id;
      reply.command = job.command;
      reply.status = ReplyStatus::kOk;
      reply.models = registry_.list();
      job.completion->complete_admin(job.tag, reply);
      return;
    }
    case AdminCommand::kLoad: {
      if (draining_) {
        answer_admin(job, ReplyStatus::kUnavailable, "stopping: no model is loaded now");
        return;
      }
      if (!job.version.view().empty()) {
        if (const ServedModel* m = registry_.find(job.name.view(), job.version.view())) {
          if (m->state == ModelState::kReady) {
            answer_admin(job, ReplyStatus::kOk, what + " is already loaded");
          } else {
            answer_admin(job, ReplyStatus::kUnavailable,
                         what + " is being unloaded; load it again once it is gone");
          }
          return;
        }
      }
      loader_->request({std::string(job.name.view()), std::string(job.version.view()),
                        job.request_id, job.tag, job.completion});
      return;
    }
    case AdminCommand::kUnload: {
      bool any = false;
      for (const auto& m : registry_.models()) {
        if (m->name() != job.name.view()) continue;
        if (!job.version.view().empty() && m->version() != job.version.view()) continue;
        m->state = ModelState::kDraining;  // takes nothing new; what it holds is computed
        any = true;
      }
      if (!any) {
        answer_admin(job, ReplyStatus::kUnknownModel, what + " is not loaded");
        return;
      }
      unloads_.push_back({job});
      return;
    }
  }
  answer_admin(job, ReplyStatus::kBadRequest, "unknown admin command");
}

void Batcher::finish_loads() {
  for (ModelLoader::Result& r : loader_->take()) {
    InferJob job;
    job.kind = JobKind::kAdmin;
    job.command = AdminCommand::kLoad;
    job.request_id = r.task.request_id;
    job.tag = r.task.tag;
    job.completion = r.task.completion;
    if (!r.model) {
      answer_admin(job, ReplyStatus::kModelError, r.error);
      continue;
    }
    const std::string what = model_text(r.model->name(), r.model->version());
    if (draining_) {
      answer_admin(job, ReplyStatus::kUnavailable, "stopping: " + what + " was not installed");
    } else if (const ServedModel* m = registry_.find(r.model->name(), r.model->version())) {
      answer_admin(
          job, m->state == ModelState::kReady ? ReplyStatus::kOk : ReplyStatus::kUnavailable,
          what + (m->state == ModelState::kReady ? " is already loaded" : " is being unloaded"));
    } else {
      const ServedModel& m2 = registry_.install(std::move(r.model));
      answer_admin(job, ReplyStatus::kOk,
                   "loaded " + what + " sha256 " + m2.executor->info().sha256);
    }
  }
}

void Batcher::finish_unloads() {
  // A draining version whose queue is empty has finished everything it took: it goes now.
  std::vector<const ServedModel*> gone;
  for (const auto& m : registry_.models()) {
    if (m->state == ModelState::kDraining && m->queue.empty()) gone.push_back(m.get());
  }
  for (const ServedModel* m : gone) registry_.remove(*m);
  std::erase_if(unloads_, [&](const PendingUnload& u) {
    for (const auto& m : registry_.models()) {
      if (m->name() == u.job.name.view() &&
          (u.job.version.view().empty() || m->version() == u.job.version.view()) &&
          m->state == ModelState::kDraining) {
        return false;
      }
    }
    answer_admin(u.job, ReplyStatus::kOk,
                 "unloaded " + model_text(u.job.name.view(), u.job.version.view()));
    return true;
  });
}

bool Batcher::ports_empty() {
  return std::all_of(ports_.begin(), ports_.end(),
                     [](const auto& p) { return p->ring_.front() == nullptr; });
}

void Batcher::drain() {
  if (draining_) return;
  // What was received before the stop is still in time: take it and compute it now.
  for (const auto& port : ports_) {
    port->ring_.pop_batch([this](const InferJob& job) { accept(job); });
  }
  draining_ = true;
  for (const ModelLoader::Task& t : loader_->cancel()) {
    InferJob job;
    job.kind = JobKind::kAdmin;
    job.command = AdminCommand::kLoad;
    job.request_id = t.request_id;
    job.tag = t.tag;
    job.completion = t.completion;
    answer_admin(job, ReplyStatus::kUnavailable, "stopping: the load was not started");
  }
  poll();  // every batch is due now; finished loads are answered unavailable
}

void Batcher::start(bool busy_poll) {
  stop_.store(false, std::memory_order_relaxed);
  thread_ = std::thread([this, busy_poll] { serve(busy_poll); });
}

void Batcher::stop() {
  stop_.store(true, std::memory_order_release);
  bell_.ring();
  if (thread_.joinable()) thread_.join();
}

void Batcher::serve(bool busy_poll) {
  uint32_t idle = 0;
  while (!stop_.load(std::memory_order_acquire)) {
    const int64_t due = poll();
    if (busy_poll || !ports_empty()) {
      cpu_relax();
      continue;
    }
    // Spin a little before parking: requests that follow each other closely cost no wake-up.
    if (++idle < 256) {
      cpu_relax();
      continue;
    }
    idle = 0;
    const uint32_t ticket = bell_.prepare();
    if (!ports_empty() || loader_->ready() || stop_.load(std::memory_order_acquire)) {
      bell_.cancel();
      continue;
    }
    bell_.park(ticket, due < 0 ? kIdlePark : std::max<int64_t>(due, 1000));
  }
  drain();
}

}  // namespace guiju::inference
